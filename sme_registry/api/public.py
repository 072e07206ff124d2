"""Public registry endpoints: region codes, aggregate figures, a registration's status.

No answer here names a person or a business: the figures count validated
businesses with small cells suppressed (core.statistics), and the status of a
registration says only its state, to whoever holds its tracking code.
"""

import datetime
from typing import Literal

from ninja import Field, Path, Query, Router, Schema

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.api import ApiError, responses
from core.statistics import SUPPRESSION_THRESHOLD, suppress_small_cells
from sme_registry import selectors
from sme_registry.models import Desa, Kecamatan

router = Router(tags=["Public"])

KECAMATAN_CODE = r"^\d{2}\.\d{2}\.\d{2}$"
# Free text as a person types it: no control characters (the site refuses those with 400).
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

# Region codes change only with the reference data; figures move slowly.
REGIONS_MAX_AGE = 24 * 3600
STATISTICS_MAX_AGE = 300


def _cache(response, seconds):
    response["Cache-Control"] = f"public, max-age={seconds}"


class RegionOut(Schema):
    """A kecamatan or desa where a record names one: its code and name."""

    code: str
    name: str


class KecamatanOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 32.01.01")
    name: str
    desa_count: int


class DesaOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 32.01.01.2001")
    name: str
    kind: Literal["desa", "kelurahan"]


class CellOut(Schema):
    key: str = Field(description="Kecamatan code, KBLI category letter or scale")
    label: str
    count: int | None = Field(description="null when suppressed")
    suppressed: bool


class StatisticsOut(Schema):
    by: str
    total: int = Field(description="Validated businesses in the registry")
    suppression_threshold: int = Field(
        description="Cells with fewer businesses than this (but more than 0) are suppressed, "
        "and so is a second cell wherever one alone could be worked back from the total"
    )
    as_of: datetime.datetime
    cells: list[CellOut]


class StatusOut(Schema):
    code: str = Field(description="The tracking code, as the registrant received it")
    status: str = Field(description="submitted, in_review, changes_requested, …")
    label: str
    text: str
    submitted_at: datetime.datetime | None


@router.get(
    "/regions/kecamatan/",
    response=responses(200, list[KecamatanOut]),
    summary="Kecamatan of Kabupaten Bogor",
    operation_id="list_kecamatan",
)
def list_kecamatan(request, response: HttpResponse):
    """Every kecamatan with its Kemendagri code, the values `kecamatan` fields take."""
    from django.db.models import Count

    _cache(response, REGIONS_MAX_AGE)
    rows = Kecamatan.objects.annotate(desa_count=Count("desa_set")).order_by("code")
    return [{"code": k.code, "name": k.name, "desa_count": k.desa_count} for k in rows]


@router.get(
    "/regions/kecamatan/{code}/desa/",
    response=responses(200, list[DesaOut], 404),
    summary="Desa and kelurahan of one kecamatan",
    operation_id="list_desa",
)
def list_desa(
    request,
    response: HttpResponse,
    code: str = Path(..., pattern=KECAMATAN_CODE, description="e.g. 32.01.01"),
):
    kecamatan = Kecamatan.objects.filter(code=code).first()
    if kecamatan is None:
        raise ApiError.one(404, "not_found", _("No kecamatan has this code."), field="code")
    _cache(response, REGIONS_MAX_AGE)
    return [
        {"code": d.code, "name": d.name, "kind": d.kind}
        for d in Desa.objects.filter(kecamatan=kecamatan).order_by("code")
    ]


@router.get(
    "/statistics/",
    response=responses(200, StatisticsOut),
    summary="Validated businesses per kecamatan, sector or scale",
    operation_id="registry_statistics",
)
def statistics(
    request, response: HttpResponse, by: Literal["kecamatan", "sector", "scale"] = "kecamatan"
):
    """Counts of validated businesses; small cells suppressed so that no one is named."""
    rows = selectors.validated_counts(by)
    _cache(response, STATISTICS_MAX_AGE)
    return {
        "by": by,
        "total": sum(count for _key, _label, count in rows),
        "suppression_threshold": SUPPRESSION_THRESHOLD,
        "as_of": timezone.now(),
        "cells": [cell.__dict__ for cell in suppress_small_cells(rows)],
    }


class StatusQuery(Schema):
    code: str = Field(
        min_length=12,
        max_length=20,
        pattern=r"^[0-9A-Za-z -]+$",
        description="The 12-character tracking code (dashes and spaces allowed)",
    )


@router.get(
    "/registrations/status/",
    response=responses(200, StatusOut, 404, 429),
    summary="The state of a registration, by its tracking code",
    operation_id="registration_status",
)
def registration_status(request, response: HttpResponse, query: Query[StatusQuery]):
    """What the public status page says, for the holder of the tracking code; nothing personal."""
    if ratelimit.is_limited(request, "status", settings.STATUS_LOOKUPS_PER_HOUR, 3600):
        raise ApiError.one(
            429, "rate_limited", _("Too many requests. Please try again in an hour.")
        )
    business = selectors.business_for_tracking_code(query.code)
    if business is None:
        raise ApiError.one(
            404,
            "not_found",
            _("No registration has this tracking code. Check the code."),
            field="code",
        )
    status, text = selectors.public_state(business)
    response["Cache-Control"] = "private, no-store"
    return {
        "code": business.tracking_code_display,
        "status": status.value,
        "label": str(status.label),
        "text": text,
        "submitted_at": business.submitted_at,
    }


# --- The public directory -------------------------------------------------------------------

MAX_DIRECTORY_ITEMS = 100


class CodeName(Schema):
    code: str
    name: str


class DirectoryBusinessOut(Schema):
    code: str = Field(description="The directory code (also in the business's public address)")
    name: str
    sector: CodeName = Field(description="KBLI 2020 category letter and its name")
    main_product: str
    kecamatan: CodeName
    desa: CodeName
    public_phone: str = Field(description="The contact the owner gave for the directory, or ''")
    public_link: str = Field(description="A shop or marketplace link the owner gave, or ''")
    url: str | None = Field(description="The business's page in the directory")
    photos: list[str] = Field(description="Product photos, 1200 px JPEG")


class DirectoryListOut(Schema):
    count: int
    items: list[DirectoryBusinessOut]


class DirectoryQuery(Schema):
    q: str = Field(
        "", max_length=100, pattern=PLAIN_TEXT, description="Words of the name or the product"
    )
    product: str = Field("", max_length=100, pattern=PLAIN_TEXT)
    sector: str = Field("", pattern=r"^[A-Za-z]?$", description="KBLI 2020 category letter")
    kecamatan: str = Field(
        "", pattern=r"^(\d{2}\.\d{2}\.\d{2})?$", description="Kecamatan code, e.g. 32.01.01"
    )
    offset: int = Field(0, ge=0)
    limit: int = Field(20, ge=1, le=MAX_DIRECTORY_ITEMS)


def _directory_item(business, page):
    from sme_registry.kbli import KBLI_CATEGORIES

    photos = []
    if page is not None:
        photos = [
            page.photo_url(business, photo, number, "sedang", absolute=True)
            for number, photo in enumerate(business.photos.all(), start=1)
        ]
    return {
        "code": business.public_code,
        "name": business.name,
        "sector": {
            "code": business.kbli_category,
            "name": dict(KBLI_CATEGORIES).get(business.kbli_category, ""),
        },
        "main_product": business.main_product,
        "kecamatan": {"code": business.kecamatan.code, "name": business.kecamatan.name},
        "desa": {"code": business.desa.code, "name": business.desa.name},
        "public_phone": business.public_phone,
        "public_link": business.public_link,
        "url": page.business_url(business, absolute=True) if page is not None else None,
        "photos": photos,
    }


@router.get(
    "/directory/",
    response=responses(200, DirectoryListOut),
    summary="The public UMKM directory: validated businesses whose owners opted in",
    operation_id="list_directory",
)
def list_directory(request, response: HttpResponse, query: Query[DirectoryQuery]):
    """The same list as the directory page, by the same rule; nothing of the owner."""
    listed = selectors.directory_businesses(
        q=query.q, product=query.product, sector=query.sector.upper(), kecamatan=query.kecamatan
    )
    page = selectors.directory_page_for(request)
    items = listed[query.offset : query.offset + query.limit]
    response["Cache-Control"] = "public, max-age=60"
    return {
        "count": listed.prefetch_related(None).order_by().count(),
        "items": [_directory_item(business, page) for business in items],
    }


@router.get(
    "/directory/{code}/",
    response=responses(200, DirectoryBusinessOut, 404),
    summary="One business of the public directory",
    operation_id="get_directory_business",
)
def get_directory_business(
    request,
    response: HttpResponse,
    code: str = Path(..., pattern=r"^[0-9A-Za-z]{8}$", description="The directory code"),
):
    business = selectors.directory_business(code)
    if business is None:
        raise ApiError.one(
            404, "not_found", _("No business in the directory has this code."), field="code"
        )
    response["Cache-Control"] = "public, max-age=60"
    return _directory_item(business, selectors.directory_page_for(request))
