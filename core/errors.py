"""The site's own 400 page, for refused input and for Django's SuspiciousOperation."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Why a request was refused; the template words each one.
CONTROL_CHARACTERS = "control_characters"


# JSON endpoints answer their callers in the API's error shape (core.api), not with a page.
API_PREFIX = "/api/"


def bad_request_page(request, reason=""):
    """A 400 in the site's layout and the visitor's language, with what to do next."""
    if request.path_info.startswith(API_PREFIX):
        message = (
            _("The request contains characters that are not allowed, such as control characters.")
            if reason == CONTROL_CHARACTERS
            else _("The request could not be processed.")
        )
        error = {"field": None, "code": reason or "bad_request", "message": message}
        response = JsonResponse({"errors": [error]}, status=400)
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "400.html", {"reason": reason}, status=400)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    """handler400: Django's default page is bare English text and has no request context."""
    return bad_request_page(request)
