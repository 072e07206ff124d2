import hashlib
import re

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.api_fields import RichTextHTMLField
from core.page_cache import CachedForVisitors
from core.richtext import RICH_TEXT_FEATURES

# A business's directory code, lower case in addresses (core.codes has no 0, O, 1 or I).
CODE_RE = r"[2-9a-hj-np-z]{8}"
SLUG_MAX = 60


def business_handle(business):
    """The business's part of its directory address: its name to read, its code to find it.

    Only the code finds the business, so a renamed business keeps its address (the
    old name redirects) and the address tells nothing the page does not show.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", slugify(business.name))[:SLUG_MAX].strip("-")
    code = business.public_code.lower()
    return f"{slug}-{code}" if slug else code


def photo_version(photo):
    """Changes when the photo is replaced, so an address always names the same picture."""
    return hashlib.sha256(photo.image.name.encode()).hexdigest()[:12]


class DirectoryPage(CachedForVisitors, RoutablePageMixin, Page):
    """The public UMKM directory, placed by editors wherever it is needed.

    It lists what `selectors.directory_businesses` allows (validated businesses
    whose owners opted in), with a page per business and its product photos as
    sub-addresses (see `sme_registry.views.directory`).
    """

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = []
    template = "sme_registry/directory_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    # The listed businesses themselves are in the registry API (/api/registry/v1/directory/).
    api_fields = [APIField("intro", serializer=RichTextHTMLField())]

    class Meta:
        verbose_name = _("UMKM directory page")
        verbose_name_plural = _("UMKM directory pages")

    def business_url(self, business, request=None, *, absolute=False):
        base = self.full_url if absolute else self.get_url(request)
        return f"{base}{business_handle(business)}/"

    def photo_url(self, business, photo, number, size, request=None, *, absolute=False):
        base = self.full_url if absolute else self.get_url(request)
        code = business.public_code.lower()
        return f"{base}foto/{code}/{number}-{photo_version(photo)}-{size}/"

    def get_sitemap_urls(self, request=None):
        """The directory itself and the page of every business it lists now."""
        from sme_registry import selectors

        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        businesses = selectors.directory_businesses().prefetch_related(None)
        urls.extend(
            {
                "location": f"{base}{business_handle(business)}/",
                "lastmod": business.last_published_at,
                "changefreq": "monthly",
            }
            for business in businesses.iterator(chunk_size=500)
        )
        return urls

    # Routes: thin wrappers, the work is in sme_registry.views.directory.

    @path("", name="index")
    def index_route(self, request):
        from sme_registry.views import directory

        return directory.index(request, self)

    @re_path(rf"^(?:(?P<slug>[a-z0-9-]{{1,{SLUG_MAX}}})-)?(?P<code>{CODE_RE})/$", name="business")
    def business_route(self, request, code, slug=None):
        from sme_registry.views import directory

        return directory.business(request, self, code, slug or "")

    @re_path(
        rf"^foto/(?P<code>{CODE_RE})/(?P<number>[1-9])-(?P<version>[0-9a-f]{{12}})-"
        r"(?P<size>kecil|sedang)/$"
    )
    def photo_route(self, request, code, number, version, size):
        from sme_registry.views import directory

        return directory.photo(request, self, code, int(number), version, size)
