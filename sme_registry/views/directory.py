"""The public UMKM directory: the searchable list, a page per business, its product photos.

Every business shown, every page and every photo comes through
`selectors.directory_businesses`, so what is not listed there answers 404 here.
"""

from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.pagination import page_of
from sme_registry import links, selectors, uploads, validators
from sme_registry.forms import DirectoryFilterForm
from sme_registry.models.directory import business_handle, photo_version

PER_PAGE = 12
# Photos are cached for a while only: a business that leaves the directory should not
# linger in caches. Their addresses change with the photo, so nothing stale is shown.
PHOTO_MAX_AGE = 3600
FACETS_CACHE_KEY = "sme_registry:directory-facets"


def _photos(page, business, request, size):
    return [
        {
            "url": page.photo_url(business, photo, number, size, request),
            "alt": photo.caption
            or _("Product photo %(number)s of %(name)s")
            % {"number": number, "name": business.name},
        }
        for number, photo in enumerate(business.photos.all(), start=1)
    ]


def index(request, page):
    # Counts only (no names): a minute's delay after a business joins or leaves is harmless.
    sectors, kecamatan = cache.get_or_set(FACETS_CACHE_KEY, selectors.directory_facets, 60)
    form = DirectoryFilterForm(request.GET or None, sectors=sectors, kecamatan=kecamatan)
    filters = form.filters()
    ignored = form.ignored
    items = page_of(request, selectors.directory_businesses(**filters), PER_PAGE)
    # The filters that were understood travel with the page links; the others are dropped.
    kept = {
        name: request.GET[name].strip()
        for name in form.fields
        if name not in form.errors and request.GET.get(name, "").strip()
    }
    cards = []
    for business in items:
        photos = _photos(page, business, request, "kecil")
        cards.append(
            {
                "business": business,
                "url": page.business_url(business, request),
                "photo": photos[0] if photos else None,
            }
        )
    if ignored:
        # Shown with what was understood, and one notice instead of an error per field.
        form = DirectoryFilterForm(kept or None, sectors=sectors, kecamatan=kecamatan)
    context = page.get_context(request)
    context.update(
        form=form,
        items=items,
        cards=cards,
        is_filtered=any(filters.values()),
        ignored=ignored,
        pagination_extra=urlencode(kept) + "&" if kept else "",
    )
    return TemplateResponse(request, page.get_template(request), context)


def _slug_of(business):
    handle = business_handle(business)
    return handle.rsplit("-", 1)[0] if "-" in handle else ""


def _contact(business):
    """The contact the owner gave for the directory, ready to show (never the owner's own)."""
    contact = {}
    if business.public_phone:
        contact["phone"] = validators.format_phone_national(business.public_phone)
        contact["tel"] = "tel:" + business.public_phone
        if validators.is_mobile_phone(business.public_phone):
            contact["whatsapp"] = links.whatsapp_url(
                business.public_phone,
                _("Hello, I found %(business)s in the SI MBA UMI UMKM directory.")
                % {"business": business.name},
            )
    link = business.public_link
    if link and urlsplit(link).scheme in ("http", "https"):
        contact["link"] = link
        contact["link_host"] = urlsplit(link).hostname or link
    return contact


def business(request, page, code, slug):
    business = selectors.directory_business(code)
    if business is None:
        raise Http404
    if slug != _slug_of(business):
        # The business was renamed (or the name was mistyped): one address per business.
        return redirect(page.business_url(business, request), permanent=True)
    registration_page = selectors.registration_page_for(request)
    context = page.get_context(request)
    context.update(
        business=business,
        photos=_photos(page, business, request, "sedang"),
        contact=_contact(business),
        ancestors=page.get_ancestors(inclusive=True).filter(depth__gt=1).live(),
        update_url=registration_page.url + "perbarui/" if registration_page else "",
    )
    return TemplateResponse(request, "sme_registry/directory_business.html", context)


def photo(request, page, code, number, version, size):
    """A listed business's product photo, re-encoded from the clean JPEG stored at upload."""
    business = selectors.directory_business(code)
    if business is None:
        raise Http404
    photos = list(business.photos.all())
    if number > len(photos):
        raise Http404
    chosen = photos[number - 1]
    if photo_version(chosen) != version:
        raise Http404
    return uploads.serve_public_photo(request, chosen.image.name, size=size, max_age=PHOTO_MAX_AGE)
