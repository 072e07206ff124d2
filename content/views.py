import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Page, Site

SEARCH_PER_PAGE = 10
SEARCH_MAX_QUERY = 200
SEARCH_MAX_TERMS = 12
_WORD = re.compile(r"\w+")


def search_terms(query):
    """The words of what the visitor typed, and nothing of a search syntax.

    The search backends read quotes, operators (OR, NOT, NEAR, *, -, ^, :) and
    brackets in a query; from a visitor's box they only break it (on SQLite a
    lone quote was a server error). Each word is searched as a plain word: the
    index splits text at punctuation the same way.
    """
    return " ".join(_WORD.findall(query)[:SEARCH_MAX_TERMS])


@require_GET
def search(request):
    """Full-text search over the live, public pages of the current site."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY]
    terms = search_terms(query)
    results = None
    if terms:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public()
        if site:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        paginator = Paginator(pages.specific().search(terms), SEARCH_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request,
        "pages/search.html",
        {
            "search_query": query,
            "search_results": results,
            "pagination_extra": urlencode({"q": query}) + "&",
        },
    )


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /cari/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
