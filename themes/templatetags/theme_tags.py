from html import unescape

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from wagtail.models import Page, Site

from content.models import MainMenu

register = template.Library()


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    items = []
    current = context.get("page")
    if request is not None:
        site = Site.find_for_request(request)
        if site is not None:
            menu = MainMenu.for_site(site)
            items = list(menu.items.select_related("link_page").order_by("sort_order"))
    current_path = getattr(current, "url_path", None)
    entries = []
    for item in items:
        active = bool(
            current_path
            and item.link_page_id
            and current_path.startswith(item.link_page.url_path)
            and item.link_page.depth > 2
        ) or bool(current and item.link_page_id == current.pk)
        entries.append({"url": item.url, "text": item.text, "active": active})
    return {"entries": entries, "request": request}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"ancestors": [], "page": page}
    ancestors = page.get_ancestors().filter(depth__gt=1).live()
    return {"ancestors": ancestors, "page": page, "request": context.get("request")}


# Fields a page may carry that read as a summary, in the order they are preferred.
_DESCRIPTION_FIELDS = ("search_description", "summary", "intro", "hero_text")
_DESCRIPTION_LENGTH = 160


@register.simple_tag
def meta_description(page):
    """The page's description for search results and link previews.

    Editors rarely fill the SEO field, so the page's own summary or introduction stands in
    for it: a page without any description is shown by search engines with a random
    snippet of its navigation.
    """
    for name in _DESCRIPTION_FIELDS:
        text = strip_tags(str(getattr(page, name, "") or ""))
        text = " ".join(unescape(text).split())
        if text:
            return Truncator(text).chars(_DESCRIPTION_LENGTH)
    return ""
