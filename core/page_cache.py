"""Whole public pages kept for visitors, dropped by any write that could change them.

What is kept: the 200 answer of a page that opts in (`CachedForVisitors`), at its own
address without a query string, for a visitor with no session and nothing signed in,
when rendering it set no cookie and used no CSRF token (a page with a form is never
kept). One copy per site host and language.

When it is dropped: every kept page at once, by bumping one version number, whenever a
row is saved or deleted in a table a public page can show (pages and their revisions
going live, menus and settings, trainings and their seats, registry records for the
directory and the figures, images and documents), and after `PAGE_CACHE_SECONDS` at the
latest, which bounds what time alone changes (a training that has started, a sign-up
that has closed; the sign-up itself checks again when it is sent).
"""

from django.conf import settings
from django.core.cache import cache

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


class CachedForVisitors:
    """For page models: the page at its own address may be kept for visitors."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.path == self.get_url(request):
            request.page_cache_allowed = True
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
            return kept
        response = self.get_response(request)
        if self._may_keep(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

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
            and not request.META.get("CSRF_COOKIE_USED")
            and not (session is not None and session.modified)
            and not messages
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
