from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content import views as content_views
from core import views as core_views
from simbaumi.api import api_router
from simbaumi.registry_api import api as registry_api
from sme_registry.views import outreach as outreach_views
from training_pages.views import certificates as certificate_views

urlpatterns = [
    # Scoped versions of some of Wagtail's own admin views, on the same paths: first.
    path("admin/", include("core.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/registry/v1/", registry_api.urls),
    path("cari/", content_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", content_views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bahasa/<str:code>/", core_views.switch_language, name="switch_language"),
    path("sertifikat/", certificate_views.verify_form, name="certificate_verify"),
    path(
        "sertifikat/<str:code>/",
        certificate_views.verify_result,
        name="certificate_verify_code",
    ),
    # An outreach session's short link, printed on its poster.
    path("r/<str:code>/", outreach_views.short_link, name="sme_registry_outreach_link"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# A 400 in the site's layout and language (Django's own has neither).
handler400 = "core.errors.bad_request"
