"""Read-only JSON API for integrators (Wagtail API v2)."""

from wagtail.api.v2.router import WagtailAPIRouter

from content.api import DocumentsAPIViewSet, ImagesAPIViewSet, PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
