"""Absolute addresses of the site, for pages, e-mails, QR codes and calendar files."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path, request=None):
    """The public address of a path: from the request, or WAGTAILADMIN_BASE_URL outside one.

    E-mails, QR codes and background tasks have no request, so they use the
    configured public address rather than whatever host a worker runs on.
    """
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_host_and_port(base_url=None):
    """The host name and port of the public address (WAGTAILADMIN_BASE_URL by default).

    Wagtail builds a page's absolute address (`full_url`, the pages API's `html_url`)
    from its Site's host name and port, so the Site must name this address too.
    Wagtail reads port 443 as https and any other port as http.
    """
    parts = urlsplit(base_url or settings.WAGTAILADMIN_BASE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port
