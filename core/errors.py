"""The site's own 400 page, for refused input and for Django's SuspiciousOperation."""

from django.shortcuts import render

# Why a request was refused; the template words each one.
CONTROL_CHARACTERS = "control_characters"


def bad_request_page(request, reason=""):
    """A 400 in the site's layout and the visitor's language, with what to do next."""
    response = render(request, "400.html", {"reason": reason}, status=400)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    """handler400: Django's default page is bare English text and has no request context."""
    return bad_request_page(request)
