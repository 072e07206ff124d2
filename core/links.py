"""Absolute addresses of the site, for pages, e-mails, QR codes and calendar files."""

from django.conf import settings


def absolute_url(path, request=None):
    """The public address of a path: from the request, or WAGTAILADMIN_BASE_URL outside one.

    E-mails, QR codes and background tasks have no request, so they use the
    configured public address rather than whatever host a worker runs on.
    """
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
