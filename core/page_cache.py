"""Whole public pages kept for visitors, dropped by any write that could change them.

What is kept: the 200 answer of a page that opts in (`CachedForVisitors`), at its own
address without a query string, for a visitor with no session and nothing signed in,
when rendering it set no cookie and used no CSRF token. One copy per site host and
language.

A page whose only per-visitor parts are its form's CSRF token and spam-check token (the
registration's first step, `keeps_form_for_visitors`) is kept with both cut out, and each
visitor gets them filled in fresh: their own CSRF token (and cookie) and a token signed
with the time they were shown the form.

When it is dropped: every kept page at once, by bumping one version number, whenever a
row is saved or deleted in a table a public page can show (pages and their revisions
going live, menus and settings, trainings and their seats, registry records for the
directory and the figures, images and documents), and after `PAGE_CACHE_SECONDS` at the
latest, which bounds what time alone changes (a training that has started, a sign-up
that has closed; the sign-up itself checks again when it is sent).
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from core.spam import TOKEN_FIELD, make_form_token

VERSION_KEY = "page-cache:version"
# Tables whose writes no public page shows: drafts, logs, queues, sessions, locks.
_QUIET_MODELS = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.pagesubscription",
    "wagtailusers.userprofile",
    "wagtailsearch.indexentry",
    "wagtailimages.rendition",
    "wagtailadmin.editingsession",
    "wagtailadmin.admin",
    "core.recordlogentry",
    "core.submissionclaim",
    "core.idempotentresponse",
    "sme_registry.registrationdraft",
    "sme_registry.outboxemail",
    "sme_registry.updatereminder",
    "sme_registry.importbatch",
    "sme_registry.importrow",
}
_QUIET_APPS = {"django_tasks_database"}


def _enabled():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def version():
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def drop_all(**_kwargs):
    """Every kept page is out of date: the next visitor gets a fresh one."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def on_write(sender, **kwargs):
    if not _enabled() or kwargs.get("action", "post_").startswith("pre_"):
        return
    label = sender._meta.label_lower
    if label in _QUIET_MODELS or sender._meta.app_label in _QUIET_APPS:
        return
    drop_all()


def _key(request):
    return f"page-cache:{version()}:{request.get_host()}:{request.LANGUAGE_CODE}:{request.path}"


def _may_use(request):
    return (
        _enabled()
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.user.is_authenticated
    )


# The per-visitor values of a kept form: where each sits, what stands in for it, and how
# a visitor's own is made.
_HOLES = (
    (
        re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")'),
        b"\x00csrf-token\x00",
        lambda request: get_token(request).encode(),
    ),
    (
        re.compile(rb'(name="' + TOKEN_FIELD.encode() + rb'" value=")[^"]*(")'),
        b"\x00form-token\x00",
        lambda request: make_form_token().encode(),
    ),
)


def _cut_holes(content):
    """`content` with the per-visitor values replaced, or None when a form appears twice."""
    for pattern, stand_in, _make in _HOLES:
        content, found = pattern.subn(rb"\g<1>" + stand_in + rb"\g<2>", content)
        if found > 1:
            return None
    return content


def _fill_holes(response, request):
    content = response.content
    for _pattern, stand_in, make in _HOLES:
        if stand_in in content:
            content = content.replace(stand_in, make(request))
    response.content = content
    return response


class CachedForVisitors:
    """For page models: the page at its own address may be kept for visitors."""

    # True when the page's form is the same for every visitor but for its tokens.
    keeps_form_for_visitors = False

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.path == self.get_url(request):
            request.page_cache_allowed = True
            request.page_cache_form = self.keeps_form_for_visitors
        return response


class PageCacheMiddleware:
    """Serves and keeps the pages `CachedForVisitors` allows; after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use(request):
            return self.get_response(request)
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            return _fill_holes(kept, request) if getattr(kept, "page_cache_holes", False) else kept
        response = self.get_response(request)
        if self._may_keep(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if getattr(request, "page_cache_form", False):
                self._keep_with_holes(key, response)
            else:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _keep_with_holes(key, response):
        content = _cut_holes(response.content)
        if content is None:
            return
        kept = HttpResponse(content, status=response.status_code)
        for header, value in response.items():
            kept[header] = value
        kept.page_cache_holes = True
        cache.set(key, kept, settings.PAGE_CACHE_SECONDS)

    @staticmethod
    def _may_keep(request, response):
        """Only what every visitor would get: nothing of this request's own in it."""
        session = getattr(request, "session", None)
        messages = getattr(getattr(request, "_messages", None), "_queued_messages", None)
        return bool(
            getattr(request, "page_cache_allowed", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and (
                getattr(request, "page_cache_form", False)
                or not request.META.get("CSRF_COOKIE_USED")
            )
            and not (session is not None and session.modified)
            and not messages
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
