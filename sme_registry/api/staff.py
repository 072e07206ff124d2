"""The registry for staff over JSON: the admin's records, scope and review steps, by token.

Every call carries a personal API token (`core.tokens`) and acts as its owner:
the records come through `permissions.business_policy`, the filters through
the admin list's own filter set, review actions through `transitions.review`,
exports through the admin's exporter and columns. So a token sees, changes
and exports exactly what its owner could in the admin, and a record outside
the owner's scope answers 404 whatever the call.

Lists page with a cursor over an indexed key (`id`, or `updated_at` then `id`),
never an offset: the 20 000th page costs what the first does, and a record
added meanwhile neither repeats nor hides another.
"""

import datetime
import enum
from typing import Literal

from ninja import Field, Query, Router, Schema

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from core import audit
from core.api import ApiError, idempotent, responses
from core.exports import Exporter
from core.tokens import TokenAuth
from sme_registry import permissions, selectors, transitions, validators
from sme_registry.api.public import RegionOut
from sme_registry.enums import ReviewAction
from sme_registry.kbli import KBLI_CATEGORIES
from sme_registry.models import Business, Desa, Kecamatan, Source
from sme_registry.models import Status as RecordStatus
from sme_registry.scale import Scale
from sme_registry.viewsets.business import BusinessFilterSet, BusinessViewSet

router = Router(tags=["Staff"], auth=TokenAuth())

KECAMATAN_CODE = r"^\d{2}\.\d{2}\.\d{2}$"
DESA_CODE = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
CURSOR_SALT = "sme_registry.api.staff.cursor"
# The API's names for a review step's actions (Wagtail's own names are confusing here).
REVIEW_ACTIONS = {
    "approve": ReviewAction.APPROVE,
    "request_changes": ReviewAction.REQUEST_CHANGES,
    "reject": ReviewAction.REJECT,
}
_API_ACTION = {value: key for key, value in REVIEW_ACTIONS.items()}
Sector = enum.Enum("Sector", {letter: letter for letter, _label in KBLI_CATEGORIES}, type=str)
STAFF_ERRORS = (401, 403, 404)


# --- Answers --------------------------------------------------------------------------------


class OwnerSummaryOut(Schema):
    id: int
    full_name: str
    nik: str = Field(description="Always masked in lists")


class BusinessSummaryOut(Schema):
    id: int
    tracking_code: str
    name: str
    status: str
    status_label: str
    kecamatan: RegionOut
    desa: RegionOut
    kbli_category: str
    kbli_code: str
    main_product: str
    reported_scale: str
    computed_scale: str
    scale_mismatch: bool
    source: str
    owner: OwnerSummaryOut
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime


class BusinessPageOut(Schema):
    items: list[BusinessSummaryOut]
    next: str | None = Field(description="The address of the next page; null on the last")
    limit: int


class OwnerOut(Schema):
    id: int
    full_name: str
    masked: bool = Field(description="true unless personal_data=true was asked and allowed")
    nik: str
    sex: str
    birth_date: datetime.date | None = Field(description="null when masked")
    phone: str
    email: str
    address: str | None = Field(description="The home address; null when masked")
    kecamatan: RegionOut | None
    desa: RegionOut | None
    education: str
    has_disability: bool


class DocumentOut(Schema):
    kind: str
    label: str
    number: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None
    expiry: Literal["expired", "expiring", ""] = Field(
        description="expired, expiring (within the warning period) or empty"
    )


class ReviewOut(Schema):
    step: str | None = Field(description="The review step the record is at, null if none")
    actions: list[Literal["approve", "request_changes", "reject"]] = Field(
        description="What the token's owner may do at that step"
    )
    note: str = Field(description="The reason last given to the applicant")


class PersonOut(Schema):
    id: int
    name: str


class BusinessOut(BusinessSummaryOut):
    owner: OwnerOut
    owner_confirmed: bool
    nib: str
    legal_form: str
    description: str
    year_started: int | None
    address: str
    rt: str
    rw: str
    postal_code: str
    latitude: float | None
    longitude: float | None
    workers_male: int
    workers_female: int
    workers_disabled: int
    capital: int | None
    annual_sales: int | None
    assets: int | None
    has_shop: bool
    sells_on_marketplace: bool
    uses_social_media: bool
    accepts_qris: bool
    online_store_links: str
    directory_opt_in: bool
    public_phone: str
    public_link: str
    consent_given_at: datetime.datetime | None
    consent_version: str
    extra_answers: dict
    legal_documents: list[DocumentOut]
    mentor: PersonOut | None
    review: ReviewOut


class SnapshotOut(Schema):
    taken_at: datetime.datetime
    origin: str
    annual_sales: int | None
    capital: int | None
    assets: int | None
    workers_male: int
    workers_female: int
    workers_disabled: int
    scale: str
    legal_documents: list[str]


class ReviewIn(Schema):
    action: Literal["approve", "request_changes", "reject"]
    comment: str = Field(
        "",
        max_length=2000,
        pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        description="Required for request_changes and reject: sent to the applicant",
    )


class ReviewResultOut(Schema):
    id: int
    status: str
    status_label: str
    review: ReviewOut


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    kecamatan: list[RegionOut] = Field(
        description="The operator area; empty for staff who see every kecamatan"
    )
    sees_all_kecamatan: bool
    may_see_personal_data: bool
    token_name: str
    token_expires_at: datetime.datetime


# --- Filters --------------------------------------------------------------------------------


def _date(description):
    # A plain ISO date: pydantic alone would also read "0" as a Unix time.
    return Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description=description,
        json_schema_extra={"format": "date"},
    )


class BusinessFilters(Schema):
    status: RecordStatus | None = None
    kecamatan: str | None = Field(None, pattern=KECAMATAN_CODE, description="Kecamatan code")
    desa: str | None = Field(None, pattern=DESA_CODE, description="Desa code")
    sector: Sector | None = Field(None, description="KBLI 2020 category letter")
    scale: Scale | None = Field(None, description="The computed scale")
    source: Source | None = None
    scale_mismatch: bool | None = None
    directory_opt_in: bool | None = None
    likely_duplicate: bool | None = None
    submitted_from: str | None = _date("Submitted on or after (YYYY-MM-DD)")
    submitted_to: str | None = _date("Submitted on or before")
    updated_from: str | None = _date("Last changed on or after")
    updated_to: str | None = _date("Last changed on or before")
    q: str = Field(
        "",
        max_length=100,
        pattern=PLAIN_TEXT,
        description="Business or owner name (part of it), tracking code or NIB",
    )


class PageParams(Schema):
    order: Literal["id", "updated_at"] = Field(
        "id", description="id: oldest first; updated_at: least recently changed first"
    )
    cursor: str = Field(
        "", max_length=500, pattern=r"^[A-Za-z0-9_:\-]*$", description="From `next`"
    )
    limit: int = Field(50, ge=1, le=100)


# The API's filter names, as the admin list's filter set calls them.
_FILTERSET_NAMES = {
    "status": "status",
    "kecamatan": "kecamatan",
    "desa": "desa",
    "sector": "kbli_category",
    "scale": "computed_scale",
    "source": "source",
    "scale_mismatch": "scale_mismatch",
    "directory_opt_in": "directory_opt_in",
    "likely_duplicate": "likely_duplicate",
    "submitted_from": "submitted_at_after",
    "submitted_to": "submitted_at_before",
    "updated_from": "updated_at_after",
    "updated_to": "updated_at_before",
}
_REGIONS = {"kecamatan": Kecamatan, "desa": Desa}


def _require(user):
    if not permissions.business_policy.user_has_permission(user, "view"):
        raise ApiError.one(
            403, "forbidden", _("Your role may not see registry records."), field=None
        )


def filtered_businesses(request, filters):
    """The user's businesses narrowed by the admin list's own filters, or ApiError(422)."""
    user = request.user
    _require(user)
    data = {}
    for name, value in filters.dict(exclude={"q"}).items():
        if value is None or value == "":
            continue
        if isinstance(value, enum.Enum):
            value = value.value
        if name in _REGIONS:
            found = _REGIONS[name].objects.filter(code=value).values_list("pk", flat=True).first()
            value = found if found is not None else 0
        elif isinstance(value, bool):
            value = "true" if value else "false"
        data[_FILTERSET_NAMES[name]] = value
    queryset = permissions.scoped_businesses(user)
    filterset = BusinessFilterSet(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        by_filter = {value: key for key, value in _FILTERSET_NAMES.items()}
        raise ApiError(
            422,
            [
                {
                    "field": by_filter.get(name, name),
                    "code": "invalid_choice"
                    if error.get("code") == "invalid_choice"
                    else "invalid",
                    "message": error["message"],
                }
                for name, errors in filterset.errors.get_json_data().items()
                for error in errors
            ],
        )
    return selectors.search_businesses(filterset.qs, filters.q)


# --- Cursor pagination ----------------------------------------------------------------------

ORDERS = {"id": ("id",), "updated_at": ("updated_at", "id")}


def _cursor_after(queryset, order, cursor):
    if not cursor:
        return queryset
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
        if data["o"] != order:
            raise ValueError
        values = data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ApiError.one(
            422,
            "invalid",
            _("This cursor is not valid here: start again from the first page."),
            field="cursor",
        ) from exc
    if order == "id":
        return queryset.filter(id__gt=values[0])
    updated = datetime.datetime.fromisoformat(values[0])
    return queryset.filter(Q(updated_at__gt=updated) | Q(updated_at=updated, id__gt=values[1]))


def _cursor_for(item, order):
    keys = [item.id] if order == "id" else [item.updated_at.isoformat(), item.id]
    return signing.dumps({"o": order, "k": keys}, salt=CURSOR_SALT)


def _next_url(request, cursor):
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


# --- Shapes ---------------------------------------------------------------------------------


def _region(region):
    return {"code": region.code, "name": region.name} if region is not None else None


def _money(value):
    return int(value) if value is not None else None


def _summary(business):
    return {
        "id": business.pk,
        "tracking_code": business.tracking_code_display,
        "name": business.name,
        "status": business.status,
        "status_label": business.get_status_display(),
        "kecamatan": _region(business.kecamatan),
        "desa": _region(business.desa),
        "kbli_category": business.kbli_category,
        "kbli_code": business.kbli_code,
        "main_product": business.main_product,
        "reported_scale": business.reported_scale,
        "computed_scale": business.computed_scale,
        "scale_mismatch": business.scale_mismatch,
        "source": business.source,
        "owner": {
            "id": business.owner_id,
            "full_name": business.owner.full_name,
            "nik": business.owner.masked_nik,
        },
        "submitted_at": business.submitted_at,
        "updated_at": business.updated_at,
    }


def _owner(owner, unmasked):
    return {
        "id": owner.pk,
        "full_name": owner.full_name,
        "masked": not unmasked,
        "nik": owner.nik if unmasked else owner.masked_nik,
        "sex": owner.sex,
        "birth_date": owner.birth_date if unmasked else None,
        "phone": owner.phone if unmasked else owner.masked_phone,
        "email": owner.email if unmasked else validators.mask_email(owner.email),
        "address": owner.address if unmasked else None,
        "kecamatan": _region(owner.kecamatan),
        "desa": _region(owner.desa),
        "education": owner.education,
        "has_disability": owner.has_disability,
    }


def _review(business, user):
    state = business.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    actions = []
    step = None
    if task_state is not None:
        task = task_state.task.specific
        step = task.name
        offered = [name for name, *_rest in task.get_actions(business, user)]
        # Wagtail offers "approve" twice (with and without a comment): one action here.
        actions = [_API_ACTION[name] for name in dict.fromkeys(offered) if name in _API_ACTION]
    return {"step": step, "actions": actions, "note": business.review_note}


def _detail(business, user, unmasked):
    data = _summary(business)
    documents = [
        {
            "kind": document.kind,
            "label": document.get_kind_display(),
            "number": document.number,
            "issued_on": document.issued_on,
            "expires_on": document.expires_on,
            "expiry": selectors.document_expiry(document) or "",
        }
        for document in business.legal_documents.all()
    ]
    mentor = business.mentor
    data.update(
        {
            "owner": _owner(business.owner, unmasked),
            "owner_confirmed": business.owner_confirmed,
            "nib": business.nib,
            "legal_form": business.legal_form,
            "description": business.description,
            "year_started": business.year_started,
            "address": business.address,
            "rt": business.rt,
            "rw": business.rw,
            "postal_code": business.postal_code,
            "latitude": float(business.latitude) if business.latitude is not None else None,
            "longitude": float(business.longitude) if business.longitude is not None else None,
            "workers_male": business.workers_male,
            "workers_female": business.workers_female,
            "workers_disabled": business.workers_disabled,
            "capital": _money(business.capital),
            "annual_sales": _money(business.annual_sales),
            "assets": _money(business.assets),
            "has_shop": business.has_shop,
            "sells_on_marketplace": business.sells_on_marketplace,
            "uses_social_media": business.uses_social_media,
            "accepts_qris": business.accepts_qris,
            "online_store_links": business.online_store_links,
            "directory_opt_in": business.directory_opt_in,
            "public_phone": business.public_phone,
            "public_link": business.public_link,
            "consent_given_at": business.consent_given_at,
            "consent_version": business.consent_version,
            "extra_answers": business.extra_answers or {},
            "legal_documents": documents,
            "mentor": (
                {"id": mentor.pk, "name": mentor.get_full_name() or mentor.get_username()}
                if mentor is not None
                else None
            ),
            "review": _review(business, user),
        }
    )
    return data


def _business(request, business_id, action="view"):
    """The record for `action`: 404 outside the user's scope (whatever the action), 403 in it."""
    _require(request.user)
    try:
        return permissions.business_policy.get_object(
            request.user,
            action,
            Business.objects.select_related(
                "owner__kecamatan", "owner__desa", "kecamatan", "desa", "mentor"
            ),
            pk=business_id,
        )
    except Http404 as exc:
        raise ApiError.one(404, "not_found", _("Not found.")) from exc
    except PermissionDenied as exc:
        raise ApiError.one(
            403, "forbidden", _("Your role may not do this to this record.")
        ) from exc


# --- Endpoints ------------------------------------------------------------------------------


@router.get(
    "/staff/me/",
    response=responses(200, MeOut, *STAFF_ERRORS),
    summary="Who this token acts as: role, kecamatan, token expiry",
    operation_id="staff_me",
)
def me(request):
    from core import tokens

    user = request.user
    sees_all = permissions.sees_all_kecamatan(user)
    area = [] if sees_all else permissions.placeable_kecamatan(user).order_by("code")
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "kecamatan": [_region(kecamatan) for kecamatan in area],
        "sees_all_kecamatan": sees_all,
        "may_see_personal_data": permissions.can_see_personal_data(user),
        "token_name": request.api_token.name,
        "token_expires_at": tokens.expires_at(request.api_token),
    }


@router.get(
    "/staff/businesses/",
    response=responses(200, BusinessPageOut, *STAFF_ERRORS),
    summary="Businesses in the token owner's scope, filtered, a page at a time",
    operation_id="staff_list_businesses",
)
def list_businesses(request, filters: Query[BusinessFilters], page: Query[PageParams]):
    """Oldest first by `id`, or by `updated_at` to fetch what changed since a sync.

    Follow `next` until it is null. NIKs are masked.
    """
    queryset = filtered_businesses(request, filters).select_related("owner", "kecamatan", "desa")
    queryset = _cursor_after(queryset, page.order, page.cursor).order_by(*ORDERS[page.order])
    rows = list(queryset[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_url = _next_url(request, _cursor_for(rows[-1], page.order)) if more else None
    return {
        "items": [_summary(row) for row in rows],
        "next": next_url,
        "limit": page.limit,
    }


@router.get(
    "/staff/businesses/export.csv",
    response=responses(200, None, *STAFF_ERRORS),
    summary="The filtered list as CSV, with the admin export's columns",
    operation_id="staff_export_businesses",
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV (UTF-8 with a byte-order mark); NIKs masked",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_businesses(request, filters: Query[BusinessFilters]):
    """Streamed; the export is written to the audit trail with its row count once sent."""
    queryset = selectors.with_listing_relations(filtered_businesses(request, filters))
    exporter = Exporter(
        Business,
        BusinessViewSet.list_export,
        BusinessViewSet.export_headings,
        BusinessViewSet.export_filename,
    )
    user = request.user
    query = request.GET.urlencode() or "-"

    def done(count):
        audit.record(
            user, audit.EXPORT, model=Business, format="csv", query=query, rows=count, via="api"
        )

    return exporter.csv_response(queryset.order_by("id"), on_done=done)


@router.get(
    "/staff/businesses/{business_id}/",
    response=responses(200, BusinessOut, *STAFF_ERRORS),
    summary="One business with its owner, documents and review step",
    operation_id="staff_get_business",
)
def get_business(request, response: HttpResponse, business_id: int, personal_data: bool = False):
    """Personal data (NIK, phone, e-mail, birth date, home address) is masked unless
    `personal_data=true` is asked by a role that may see it; each such answer is written
    to the audit trail."""
    business = _business(request, business_id)
    unmasked = False
    if personal_data:
        if not permissions.can_see_personal_data(request.user):
            raise ApiError.one(
                403,
                "forbidden",
                _("Your role may not see personal data."),
                field="personal_data",
            )
        audit.record(request.user, audit.VIEW_PII, business.owner, via="api")
        unmasked = True
        response["Cache-Control"] = "private, no-store"
    return _detail(business, request.user, unmasked)


@router.get(
    "/staff/businesses/{business_id}/snapshots/",
    response=responses(200, list[SnapshotOut], *STAFF_ERRORS),
    summary="The business's figures over time (taken at each validation)",
    operation_id="staff_business_snapshots",
)
def business_snapshots(request, business_id: int):
    business = _business(request, business_id)
    return [
        {
            "taken_at": snapshot.taken_at,
            "origin": snapshot.origin,
            "annual_sales": _money(snapshot.annual_sales),
            "capital": _money(snapshot.capital),
            "assets": _money(snapshot.assets),
            "workers_male": snapshot.workers_male,
            "workers_female": snapshot.workers_female,
            "workers_disabled": snapshot.workers_disabled,
            "scale": snapshot.scale,
            "legal_documents": list(snapshot.legal_documents or []),
        }
        for snapshot in business.snapshots.order_by("taken_at", "pk")
    ]


@router.post(
    "/staff/businesses/{business_id}/review/",
    response=responses(200, ReviewResultOut, *STAFF_ERRORS, 409),
    summary="Approve the current review step, request changes, or reject (with a reason)",
    operation_id="staff_review_business",
)
def review_business(request, response: HttpResponse, business_id: int, payload: ReviewIn):
    """The same step, rules and notices as the admin's review buttons.

    Send an `Idempotency-Key`: a retry then replays the first answer instead of
    approving the next step as well.
    """

    def act():
        business = _business(request, business_id)
        action = REVIEW_ACTIONS[payload.action]
        if business.current_workflow_state is None:
            raise ApiError.one(409, "not_in_review", _("This record is not waiting for a review."))
        try:
            done = transitions.review(business, request.user, action, comment=payload.comment)
        except transitions.TransitionRefused as exc:
            raise ApiError.one(
                422, exc.code or "invalid", exc.messages[0], field="comment"
            ) from exc
        if not done:
            raise ApiError.one(
                403, "forbidden", _("You may not take this action at this review step.")
            )
        business = Business.objects.get(pk=business.pk)
        return 200, {
            "id": business.pk,
            "status": business.status,
            "status_label": business.get_status_display(),
            "review": _review(business, request.user),
        }

    return idempotent(request, response, f"review:{business_id}", act)
