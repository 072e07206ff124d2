"""Registering and updating a business: the one door through which a business is created.

The public form, the staff entry (and the admin's add view, which leads to
it), the owner's update link, imports, the API and the demo seed all call
`register_business` and `update_business` (`update_by_owner` for the owner's link).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import codes
from sme_registry import permissions, selectors, transitions
from sme_registry.models import Business, BusinessPhoto, LegalDocument, Owner, Source

OWNER_FIELDS = (
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "phone",
    "email",
    "address",
    "kecamatan_id",
    "desa_id",
    "education",
    "has_disability",
    "disability_note",
)
BUSINESS_FIELDS = (
    "name",
    "nib",
    "legal_form",
    "kbli_category",
    "kbli_code",
    "main_product",
    "description",
    "year_started",
    "address",
    "kecamatan_id",
    "desa_id",
    "rt",
    "rw",
    "postal_code",
    "latitude",
    "longitude",
    "workers_male",
    "workers_female",
    "workers_disabled",
    "capital",
    "annual_sales",
    "assets",
    "reported_scale",
    "has_shop",
    "sells_on_marketplace",
    "uses_social_media",
    "accepts_qris",
    "online_store_links",
    "directory_opt_in",
    "public_phone",
    "public_link",
)


@dataclass
class RegistrationInput:
    """Everything one registration carries, already checked by the step forms."""

    owner: dict
    business: dict
    # Dicts: kind, number, issued_on, expires_on, file (a stored name, or "" for none).
    # An update changes the documents of these kinds and adds new kinds; it keeps the
    # others, and a document's file unless a new one is given.
    documents: list = field(default_factory=list)
    # Stored file names in slot order; in an update "" leaves that slot's photo as it is.
    photos: list = field(default_factory=list)
    extra_answers: dict = field(default_factory=dict)
    consent_version: str = ""


def new_tracking_code():
    return codes.unused_readable_code(12, Business.objects, "tracking_code")


def new_public_code():
    """The directory's code of a business: random and apart from the tracking code.

    The tracking code tells a registration's status to whoever holds it; the
    directory code is printed on public pages, so it must never be the same.
    """
    return codes.unused_readable_code(8, Business.objects, "public_code")


def _json_safe(data):
    out = {}
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (bool, int, float, str)):
            value = str(value)
        out[key] = value
    return out


def _apply(instance, data, names):
    for name in names:
        if name in data:
            setattr(instance, name, data[name])


def _add_children(business, registration):
    for doc in registration.documents:
        LegalDocument.objects.create(business=business, **doc)
    for order, name in enumerate(name for name in registration.photos if name):
        BusinessPhoto.objects.create(business=business, image=name, sort_order=order)


_DOCUMENT_DETAILS = ("number", "issued_on", "expires_on")


def _merge_documents(draft, documents):
    """The draft's documents with ``documents`` applied by kind; nothing is dropped.

    A kind already on record gets the new number and dates, and the new file if one
    was sent (renewing a permit keeps no stale scan, sending no scan keeps the old
    one); a new kind is added; every other document stays as it was. Each changed
    document is held to the legal document's own rules; errors name the form fields
    (``<kind>_<field>``).
    """
    current = sorted(draft.legal_documents.all(), key=lambda doc: doc.sort_order or 0)
    by_kind = {}
    for doc in current:
        by_kind.setdefault(doc.kind, doc)
    errors = {}
    for incoming in documents:
        doc = by_kind.get(incoming["kind"])
        if doc is None:
            doc = by_kind[incoming["kind"]] = LegalDocument(kind=incoming["kind"])
            current.append(doc)
        for name in _DOCUMENT_DETAILS:
            if name in incoming:
                setattr(doc, name, incoming[name] or ("" if name == "number" else None))
        if incoming.get("file"):
            doc.file = incoming["file"]
        try:
            doc.full_clean(exclude=["business", "file", "sort_order"], validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(f"{doc.kind}_{name}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    for order, doc in enumerate(current):
        doc.sort_order = order
    draft.legal_documents = current


def _merge_photos(draft, photos):
    """The draft's photos with new ones put in their slots; a slot sent empty keeps its photo."""
    current = sorted(draft.photos.all(), key=lambda photo: photo.sort_order or 0)
    for slot, name in enumerate(photos):
        if not name:
            continue
        if slot < len(current):
            current[slot].image = name
            current[slot].caption = ""
        else:
            current.append(BusinessPhoto(image=name))
    for order, photo in enumerate(current):
        photo.sort_order = order
    draft.photos = current


@transaction.atomic
def register_business(
    registration,
    *,
    source=Source.PUBLIC_FORM,
    entered_by=None,
    page=None,
    owner=None,
    on_nik_reused=None,
    on_registered=None,
    referral_code="",
):
    """Store a new registration as a draft revision waiting for validation.

    A NIK that is already registered never creates a second owner: the business
    is attached to the registered owner unconfirmed, what was typed about the
    owner is kept for staff, and `on_nik_reused(owner)` lets the caller send the
    owner a private link. The caller's response must not tell the two cases
    apart. `owner` is given when a registered owner adds a business through
    their own private link. `referral_code` is an outreach session's code from
    its short link or poster; an unknown code is ignored, never an error.
    """
    data = registration.owner
    confirmed = True
    if owner is None:
        owner = Owner.objects.select_for_update().filter(nik=data["nik"]).first()
        if owner is not None:
            confirmed = False
        else:
            owner = Owner(live=False, **{k: data[k] for k in OWNER_FIELDS if k in data})
            owner.full_clean()
            try:
                with transaction.atomic():
                    owner.save()
            except IntegrityError:
                # The same NIK was registered a moment ago by a parallel request.
                owner = Owner.objects.get(nik=data["nik"])
                confirmed = False
            else:
                owner.save_revision(user=entered_by, log_action=True)

    business = Business(
        owner=owner,
        owner_confirmed=confirmed,
        # What the sender typed about the owner, to write to them until the owner confirms;
        # never the NIK (it is the registered owner's own) and cleared on confirmation.
        owner_claim={} if confirmed else _json_safe({k: v for k, v in data.items() if k != "nik"}),
        tracking_code=new_tracking_code(),
        public_code=new_public_code(),
        live=False,
        source=source,
        entered_by=entered_by,
        registration_page=page,
        extra_answers=registration.extra_answers,
        consent_given_at=timezone.now() if registration.consent_version else None,
        consent_version=registration.consent_version,
        outreach_session=selectors.outreach_session_for_code(referral_code),
    )
    _apply(business, registration.business, BUSINESS_FIELDS)
    # Staff enter records only where they work; the form offered only those kecamatan.
    permissions.check_placement(entered_by, business.kecamatan_id)
    # Every rule of the model, the NIB's owner among them (see Business.rules).
    business.full_clean(exclude=["tracking_code", "public_code"])
    business.save()
    _add_children(business, registration)
    business.save_revision(user=entered_by, log_action=True)
    transitions.submit(business, entered_by)
    duplicates = selectors.likely_duplicate_ids(business.name, business.desa_id, business.pk)
    if duplicates:
        business.possible_duplicates.add(*duplicates)
    if not confirmed and on_nik_reused:
        transaction.on_commit(lambda: on_nik_reused(owner))
    if on_registered:
        transaction.on_commit(lambda: on_registered(business))
    return business


def save_owner_changes(owner, data, *, user=None):
    """Save what differs from the owner's latest version as a draft revision, validated later.

    Returns the changed fields ({} when nothing changed). The NIK never changes.
    """
    draft = owner.get_latest_revision_as_object() if owner.latest_revision_id else owner
    changed = {
        k: v for k, v in data.items() if k in OWNER_FIELDS and k != "nik" and getattr(draft, k) != v
    }
    if changed:
        _apply(draft, changed, OWNER_FIELDS)
        draft.full_clean()
        draft.refresh_flags()
        draft.save_revision(user=user, log_action=True)
    return changed


@transaction.atomic
def update_business(business, registration, *, user=None, confirm_owner=False):
    """Save changes as new draft revisions and send them for review; the validated version stays live.

    Documents and photos are added or replaced one by one (see `RegistrationInput`):
    an update never removes one it did not name. `confirm_owner` when the change came
    through the owner's own link, which confirms the business as theirs.
    """
    save_owner_changes(business.owner, registration.owner, user=user)
    draft = business.get_latest_revision_as_object() if business.latest_revision_id else business
    _apply(draft, registration.business, BUSINESS_FIELDS)
    if draft.kecamatan_id != business.kecamatan_id:
        # Staff move a record only into a kecamatan where they work (the owner, user None, may).
        permissions.check_placement(user, draft.kecamatan_id)
    draft.extra_answers = registration.extra_answers or draft.extra_answers
    draft.full_clean(exclude=["tracking_code", "public_code"])
    # Documents and photos are merged into what is on record, never replaced wholesale:
    # a form that shows only some of them (the NIB in the business section) must not
    # make the others disappear when this version is validated.
    if registration.documents:
        _merge_documents(draft, registration.documents)
    if any(registration.photos):
        _merge_photos(draft, registration.photos)
    revision = draft.save_revision(user=user, log_action=True)
    if confirm_owner:
        Business.objects.filter(pk=business.pk).update(owner_confirmed=True, owner_claim={})
    transitions.submit(Business.objects.get(pk=business.pk), user)
    return revision


def update_by_owner(business, registration, *, user=None):
    """The owner's own changes (through their private link): these also confirm the business."""
    return update_business(business, registration, user=user, confirm_owner=True)


def confirm_by_owner(business):
    """The registered owner confirms a business that arrived with their NIK.

    What the sender typed about the owner has served its purpose and is cleared.
    """
    Business.objects.filter(pk=business.pk).update(owner_confirmed=True, owner_claim={})
