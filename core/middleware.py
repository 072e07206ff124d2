"""Request hardening shared by every app: input refusal, idle sessions, security headers."""

import re
import time

from csp.middleware import CSPMiddleware

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from core import errors

# C0 control characters and DEL, less tab, line feed and carriage return (which forms
# legitimately carry). PostgreSQL cannot store NUL at all; the rest only hide text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_control(values):
    return any(_CONTROL.search(value) for value in values)


def _querydict_strings(data):
    for key, values in data.lists():
        yield key
        yield from (v for v in values if isinstance(v, str))


class RefuseControlCharactersMiddleware:
    """Refuses a request whose address, query, form or cookies carry control characters.

    No form of the site asks for them, PostgreSQL refuses NUL in text (a 500
    wherever a parameter reaches a query), and they are a classic way to
    smuggle text past a check. One place refuses them, with a readable page,
    before any view reads the input.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_control(request):
            return errors.bad_request_page(request, errors.CONTROL_CHARACTERS)
        return self.get_response(request)

    @staticmethod
    def _carries_control(request):
        if _CONTROL.search(request.path_info):
            return True
        if _has_control(_querydict_strings(request.GET)):
            return True
        if _has_control([*request.COOKIES.keys(), *request.COOKIES.values()]):
            return True
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            if _has_control(_querydict_strings(request.POST)):
                return True
            names = (f.name or "" for files in request.FILES.lists() for f in files[1])
            if _has_control(names):
                return True
        return False


class SessionIdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_SECONDS without a request.

    An office computer left signed in to the admin exposes personal data. Only
    signed-in sessions are touched: visitors have no sign-in, and their
    language lives in its own cookie, not in the session. The time of the last
    request is written at most once a minute, so the session is not saved on
    every click. Wagtail's editor pings the server on its own while a page is
    open; those pings are not activity.
    """

    KEY = "_simbaumi_last_activity"
    RESOLUTION_SECONDS = 60
    BACKGROUND_NAMESPACES = {"wagtailadmin_editing_sessions"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle = settings.SESSION_IDLE_SECONDS
        if not idle or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self._track(request, self.get_response(request), None, time.time())
        now = time.time()
        last = request.session.get(self.KEY)
        if last is not None and now - last > idle and request.user.is_authenticated:
            logout(request)
            messages.info(
                request,
                _(
                    "You were signed out because the session was inactive for too long. "
                    "Please sign in again."
                ),
            )
            last = None
        return self._track(request, self.get_response(request), last, now)

    def _track(self, request, response, last, now):
        """Note this request's time on a signed-in session (also one that signed in just now)."""
        if not settings.SESSION_IDLE_SECONDS:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if getattr(request, "api_token", None) is not None:
            # Signed in by an API token for this request only: there is no session to keep.
            return response
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace in self.BACKGROUND_NAMESPACES:
            return response
        if last is None:
            last = request.session.get(self.KEY)
        if last is None or now - last >= self.RESOLUTION_SECONDS:
            request.session[self.KEY] = int(now)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy under CSP_ADMIN_PATH_PREFIX.

    Wagtail's admin still needs inline scripts and styles; the public site does
    not, so only the admin gets 'unsafe-inline'. No nonce goes into the admin's
    policy: browsers ignore 'unsafe-inline' where a nonce is given.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX)
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
            parts.nonce = None
        return parts


def permissions_policy(**allowed):
    """The Permissions-Policy header of PERMISSIONS_POLICY, with the features in `allowed`
    (feature: origins) opened for one response, e.g. geolocation=["self"] on the one
    page that asks for the phone's position."""
    features = {**settings.PERMISSIONS_POLICY, **allowed}
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY (feature: allowed origins, [] for none) as Permissions-Policy;
    a view that set its own header (`permissions_policy`) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
