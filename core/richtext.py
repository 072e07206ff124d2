"""The rich-text toolbar every editor sees: one list for content, registry and training pages."""

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
