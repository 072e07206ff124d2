"""StreamField blocks shared by the content page types.

Each block renders through its own template under themes/templates/blocks/. In the
pages API a block gives what a front end needs to draw it: images as renditions,
links and documents with their public addresses, rich text as display HTML.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from core import figures
from core.api_fields import image_rendition, rich_text_html
from core.links import absolute_url
from core.richtext import RICH_TEXT_FEATURES


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=255,
        help_text=_(
            "Describe the image for people who cannot see it. Leave empty to use the image title."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    credit = blocks.CharBlock(label=_("Photo credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "blocks/image_block.html"

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        return {
            "image": image_rendition(image),
            "alt_text": value.get("alt_text") or (image.title if image else ""),
            "caption": value.get("caption"),
            "credit": value.get("credit"),
        }


class LinkStructValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("external_url") or ""


class LinkFieldsMixin:
    """Validation for blocks that link either to a page or to an external address."""

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            message = _("Choose a page or enter an address, not both.")
            raise StructBlockValidationError(
                block_errors={"page": ErrorList([ValidationError(message)])}
            )
        return value


class CallToActionBlock(LinkFieldsMixin, blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    external_url = blocks.URLBlock(label=_("External address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action_block.html"
        value_class = LinkStructValue

    def get_api_representation(self, value, context=None):
        page = value.get("page")
        return {
            "title": value.get("title"),
            "text": value.get("text"),
            "button_label": value.get("button_label"),
            "page": page.pk if page else None,
            "url": (page.full_url if page else value.get("external_url")) or "",
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document title."),
    )
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=400)

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "blocks/document_link_block.html"

    def get_api_representation(self, value, context=None):
        document = value.get("document")
        return {
            "document": None
            if document is None
            else {
                "id": document.pk,
                "title": document.title,
                "url": absolute_url(document.url),
                "file_extension": document.file_extension,
                "file_size": document.file_size,
            },
            "title": value.get("title") or (document.title if document else ""),
            "description": value.get("description"),
        }


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question or title"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer or content"), features=RICH_TEXT_FEATURES)

    def get_api_representation(self, value, context=None):
        return {"question": value.get("question"), "answer": _rich_text(value.get("answer"))}


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordion / FAQ")
        template = "blocks/accordion_block.html"


class EmbedMediaBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Address of the video or post"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Embed")
        template = "blocks/embed_block.html"


class StatisticBlock(blocks.StructBlock):
    """A live registry figure ("Statistik UMKM"), as a table with bars, counted when the
    page is shown (and kept with the page in the page cache until the registry changes)."""

    figure = blocks.ChoiceBlock(choices=figures.choices, label=_("Figure"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the figure's own title."),
    )
    note = blocks.CharBlock(label=_("Note under the table"), required=False, max_length=300)

    class Meta:
        icon = "table"
        label = _("SME figures")
        template = "blocks/statistic_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["table"] = figures.table(value["figure"])
        return context

    def get_api_representation(self, value, context=None):
        table = figures.table(value["figure"])
        if table is None:
            return {"figure": value["figure"], "title": value["title"], "rows": []}
        return {
            "figure": value["figure"],
            "title": value["title"] or table.title,
            "definition": table.definition,
            "total": table.total,
            "as_of": table.as_of.isoformat(),
            "note": value["note"],
            "rows": [
                {
                    "key": cell.key,
                    "label": cell.label,
                    "count": cell.count,
                    "suppressed": cell.suppressed,
                }
                for cell in table.rows
            ],
        }


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = CaptionedImageBlock()
    embed = EmbedMediaBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    accordion = AccordionBlock()
    statistic = StatisticBlock()

    def get_api_representation(self, value, context=None):
        """Wagtail's shape (type, value, id), with paragraphs as display HTML."""
        return [
            {
                "type": child.block.name,
                "value": _rich_text(child.value)
                if isinstance(child.block, blocks.RichTextBlock)
                else child.block.get_api_representation(child.value, context=context),
                "id": child.id,
            }
            for child in value or ()
        ]


def _rich_text(value):
    # A RichTextBlock's value is a RichText object; its source is the database HTML.
    return rich_text_html(getattr(value, "source", value))
