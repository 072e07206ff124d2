"""The site's addresses, plus its uploaded images, for the reach checks' live server.

In production the web server serves MEDIA_ROOT; the live server of the tests does not, and a
missing image would count against the pages (console errors) as it never would live.
"""

from django.conf import settings
from django.urls import include, re_path
from django.views.static import serve


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", media),
    re_path(r"", include("simbaumi.urls")),
]
