from django import template

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
