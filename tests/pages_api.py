"""Helpers of the pages API tests (tests/content/test_api.py, tests/training_pages/test_api.py)."""

# The meta keys of every page in a listing.
META = {
    "type",
    "detail_url",
    "html_url",
    "slug",
    "show_in_menus",
    "seo_title",
    "search_description",
    "first_published_at",
    "alias_of",
    "locale",
}


def api_items(client, **params):
    """The items of /api/v2/pages/ with every field, for these query parameters."""
    response = client.get("/api/v2/pages/", {"fields": "*", **params})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def api_item(client, page):
    """The listing item of one page, among the pages of its type."""
    items = api_items(client, type=page.specific_class._meta.label)
    [item] = [i for i in items if i["id"] == page.pk]
    return item
