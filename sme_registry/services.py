"""Write-side rules of the registry: the one place that registers and updates.

The public form, the staff entry in the admin, the owner's update link, the
demo seed and imports all call these functions.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import codes
from sme_registry import selectors, validators
from sme_registry.models import (
    Business,
    BusinessPhoto,
    IndicatorSnapshot,
    LegalDocument,
    Owner,
    Source,
    Status,
)

NOON = datetime.time(12)
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
)


@dataclass
class RegistrationInput:
    """Everything one registration carries, already checked by the step forms."""

    owner: dict
    business: dict
    documents: list = field(
        default_factory=list
    )  # dicts: kind, number, issued_on, expires_on, file
    photos: list = field(default_factory=list)  # stored file names
    extra_answers: dict = field(default_factory=dict)
    consent_version: str = ""


def new_tracking_code():
    return codes.unused_readable_code(12, Business.objects, "tracking_code")


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


def _check_nib(business):
    if selectors.nib_taken_by_other_owner(business.nib, business.owner_id, business.pk):
        raise ValidationError(
            {"nib": _("This NIB is registered to another business owner.")}, code="nib_taken"
        )


def _add_children(business, registration):
    for doc in registration.documents:
        LegalDocument.objects.create(business=business, **doc)
    for order, name in enumerate(registration.photos):
        BusinessPhoto.objects.create(business=business, image=name, sort_order=order)


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
        owner_claim={} if confirmed else _json_safe(data),
        tracking_code=new_tracking_code(),
        status=Status.SUBMITTED,
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
    business.full_clean(exclude=["tracking_code"])
    _check_nib(business)
    business.save()
    _add_children(business, registration)
    business.save_revision(user=entered_by, log_action=True)
    start_review(business, entered_by)
    duplicates = selectors.likely_duplicate_ids(business.name, business.desa_id, business.pk)
    if duplicates:
        business.possible_duplicates.add(*duplicates)
    if not confirmed and on_nik_reused:
        transaction.on_commit(lambda: on_nik_reused(owner))
    if on_registered:
        transaction.on_commit(lambda: on_registered(business))
    return business


@transaction.atomic
def update_by_owner(business, registration, *, user=None):
    """Save the owner's changes as new draft revisions; the validated version stays live."""
    owner = business.owner
    owner_draft = owner.get_latest_revision_as_object() if owner.latest_revision_id else owner
    changed_owner = {
        k: v
        for k, v in registration.owner.items()
        if k in OWNER_FIELDS and k != "nik" and getattr(owner_draft, k) != v
    }
    if changed_owner:
        _apply(owner_draft, changed_owner, OWNER_FIELDS)
        owner_draft.full_clean()
        owner_draft.refresh_flags()
        owner_draft.save_revision(user=user, log_action=True)

    draft = business.get_latest_revision_as_object() if business.latest_revision_id else business
    _apply(draft, registration.business, BUSINESS_FIELDS)
    draft.extra_answers = registration.extra_answers or draft.extra_answers
    draft.full_clean(exclude=["tracking_code"])
    _check_nib(draft)
    if registration.documents:
        draft.legal_documents = [LegalDocument(**doc) for doc in registration.documents]
    if registration.photos:
        draft.photos = [
            BusinessPhoto(image=name, sort_order=i) for i, name in enumerate(registration.photos)
        ]
    revision = draft.save_revision(user=user, log_action=True)
    fields = {"owner_confirmed": True}
    if not business.live:
        fields["status"] = Status.SUBMITTED
    Business.objects.filter(pk=business.pk).update(**fields)
    start_review(Business.objects.get(pk=business.pk), user)
    return revision


def confirm_by_owner(business):
    """The registered owner confirms a business that arrived with their NIK."""
    Business.objects.filter(pk=business.pk).update(owner_confirmed=True)


SNAPSHOT_FIELDS = (
    "annual_sales",
    "assets",
    "capital",
    "workers_male",
    "workers_female",
    "workers_disabled",
)


def take_snapshot(
    business,
    origin=IndicatorSnapshot.Origin.VALIDATION,
    revision=None,
    *,
    values=None,
    taken_at=None,
):
    """Record the indicators of the version that has just become live.

    `values` overrides some indicators (figures a mentor heard on a visit); the
    others are the business's current ones. The business itself is not changed.
    """
    figures = {name: getattr(business, name) for name in SNAPSHOT_FIELDS}
    if values is None:
        business.refresh_scale()
        scale = business.computed_scale
    else:
        figures.update({k: v for k, v in values.items() if k in SNAPSHOT_FIELDS})
        scale = validators.compute_scale(
            capital=figures["capital"],
            annual_sales=figures["annual_sales"],
            year_started=business.year_started,
        )
    return IndicatorSnapshot.objects.create(
        business=business,
        taken_at=taken_at or timezone.now(),
        origin=origin,
        revision=revision,
        scale=scale or "",
        legal_documents=sorted({doc.kind for doc in business.legal_documents.all()}),
        **{k: (0 if v is None and k.startswith("workers") else v) for k, v in figures.items()},
    )


def validate_business(business, *, user=None):
    """Make the latest version live outside the workflow (the demo seed, imports)."""
    state = business.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    revision = business.latest_revision or business.save_revision(user=user)
    revision.publish(user=user)
    return business.snapshots.order_by("-taken_at", "-pk").first()


def after_publish(business, revision, *, user=None):
    """A version became live: it is validated, with its owner and a snapshot."""
    # Publishing saved the revision's copy of the record: read the live values.
    business = Business.objects.select_related("owner").get(pk=business.pk)
    owner = business.owner
    if owner.latest_revision_id and (not owner.live or owner.has_unpublished_changes):
        owner.latest_revision.publish(user=user)
    fields = {"status": Status.VALIDATED, "review_note": "", "review_base_revision": None}
    Business.objects.filter(pk=business.pk).update(**fields)
    for name, value in fields.items():
        setattr(business, name, value)
    take_snapshot(business, revision=revision)


def start_review(business, user=None):
    """Put the latest version into the registry's moderation workflow, if one is set up."""
    state = business.current_workflow_state
    if state is not None:
        if state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(user=user)
            Business.objects.filter(pk=business.pk).update(status=Status.IN_REVIEW)
        return
    workflow = business.get_workflow()
    if workflow is not None and workflow.active:
        workflow.start(business, user)


def after_review_step(business):
    """A step approved and more follow: the applicant reads "under review"."""
    business.refresh_from_db()
    if business.status != Status.VALIDATED:
        Business.objects.filter(pk=business.pk).update(status=Status.IN_REVIEW)


def _notify_owner(business, reason, note):
    from sme_registry import links, notifications
    from sme_registry.models import RegistrationPage

    page = business.registration_page.specific if business.registration_page_id else None
    if not isinstance(page, RegistrationPage):
        page = RegistrationPage.objects.live().first()
    owner = business.owner
    if page is None or not owner.email:
        return
    link = links.owner_link(owner, page)
    transaction.on_commit(
        lambda: notifications.send_owner_link.enqueue(owner.pk, link, reason, note, business.name)
    )


def request_changes(business, reason, *, user=None, reviewed_revision=None):
    """The applicant must correct the record: tell them why, with a private link.

    The version sent back is remembered so the reviewer can compare the fix with it.
    """
    Business.objects.filter(pk=business.pk).update(
        status=Status.CHANGES_REQUESTED,
        review_note=reason,
        review_base_revision=reviewed_revision or business.latest_revision,
    )
    _notify_owner(business, "changes_requested", reason)


def reject_business(business, reason, *, user=None):
    """Rejected records are archived with their reason, never deleted."""
    Business.objects.filter(pk=business.pk).update(status=Status.REJECTED, review_note=reason)
    _notify_owner(business, "rejected", reason)


def purge_stale_drafts(days):
    """Delete unfinished registration drafts older than `days`, and their uploaded files."""
    from sme_registry.models import RegistrationDraft
    from sme_registry.uploads import private_storage

    cutoff = timezone.now() - timezone.timedelta(days=days)
    stale = RegistrationDraft.objects.filter(completed_at__isnull=True, updated_at__lt=cutoff)
    storage = private_storage()
    count = 0
    for draft in stale.iterator():
        for name in draft.files.values():
            if name and storage.exists(name):
                storage.delete(name)
        draft.delete()
        count += 1
    return count


def remind_stale_businesses(months, *, page, now=None, send_link=None):
    """Flag validated businesses not updated for `months` months and send owners a link.

    Safe to run every day: a business is reminded again only after another
    `months` months, and a business updated since its reminder is unflagged.
    `send_link(owner, page)` delivers the private link (e-mail); owners without
    an e-mail stay flagged for staff to reach by WhatsApp.
    """
    from sme_registry.models import UpdateReminder

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=round(months * 30.44))
    UpdateReminder.objects.filter(business__updated_at__gt=F("flagged_at")).delete()
    stale = (
        Business.objects.filter(live=True, status=Status.VALIDATED, updated_at__lt=cutoff)
        .exclude(update_reminder__flagged_at__gte=cutoff)
        .select_related("owner")
    )
    flagged = emailed = 0
    for business in stale.iterator():
        reminder, _created = UpdateReminder.objects.update_or_create(
            business=business, defaults={"flagged_at": now, "emailed_at": None}
        )
        flagged += 1
        if business.owner.email and send_link is not None:
            send_link(business.owner, page)
            reminder.emailed_at = now
            reminder.save(update_fields=["emailed_at"])
            emailed += 1
    return flagged, emailed


@transaction.atomic
def assign_mentor(businesses, mentor, *, user=None):
    """Give businesses a mentor (or none) at once, outside the validation workflow.

    The mentor is the office's decision, not data the owner submits, so it
    applies immediately and no published version brings an old one back.
    """
    from wagtail.log_actions import log

    businesses = list(businesses)
    Business.objects.filter(pk__in=[b.pk for b in businesses]).update(mentor=mentor)
    for business in businesses:
        business.mentor = mentor
        log(
            business,
            "sme_registry.assign_mentor",
            user=user,
            data={"mentor": mentor.pk if mentor else None},
        )
    return len(businesses)


@transaction.atomic
def record_mentoring_visit(visit, *, user=None):
    """Save a mentoring visit; figures given on it become a snapshot with origin mentoring.

    The snapshot holds the figures given, the other indicators copied from the
    business. Editing the visit replaces its snapshot; the business's validated
    fields are never changed by a visit.
    """
    if visit.mentor_id is None:
        visit.mentor = user
    previous = visit.snapshot
    visit.snapshot = None
    visit.save()
    if previous is not None:
        previous.delete()
    values = visit.given_indicators()
    if values:
        # Noon of the visit day: the figures are charted on the day they were heard.
        taken_at = timezone.make_aware(datetime.datetime.combine(visit.visited_on, NOON))
        business = Business.objects.get(pk=visit.business_id)
        visit.snapshot = take_snapshot(
            business, IndicatorSnapshot.Origin.MENTORING, values=values, taken_at=taken_at
        )
        visit.save(update_fields=["snapshot"])
    return visit


# Relations that describe the duplicate record itself rather than what happened to
# the business; they stay with it (it is archived, not deleted).
_KEEP_ON_DUPLICATE = {"merged_from", "update_reminder"}


@transaction.atomic
def merge_businesses(survivor, duplicate, *, user=None):
    """Fold a duplicate record into the survivor; nothing is lost.

    Everything that points at the duplicate (snapshots, documents, photos and
    whatever later apps attach, such as trainings or mentoring) moves to the
    survivor; answers the survivor lacks are copied; the duplicate is archived
    with a pointer to the survivor and both histories record the merge.
    """
    from wagtail.log_actions import log

    if survivor.pk == duplicate.pk or duplicate.merged_into_id:
        raise ValidationError(_("These records cannot be merged."), code="merge")
    for relation in Business._meta.related_objects:
        if relation.name in _KEEP_ON_DUPLICATE or relation.many_to_many:
            continue
        if relation.related_model is Business:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: duplicate})
        # A model whose rows are unique per business (one participation per
        # training) names the rows that would collide; they stay on the archive.
        kept_back = getattr(relation.related_model, "rows_kept_on_merge", None)
        if kept_back is not None:
            rows = rows.exclude(pk__in=kept_back(survivor, duplicate).values("pk"))
        rows.update(**{relation.field.name: survivor})
    answers = dict(duplicate.extra_answers or {})
    answers.update(survivor.extra_answers or {})
    Business.objects.filter(pk=survivor.pk).update(extra_answers=answers)
    duplicate.possible_duplicates.clear()
    for other in Business.objects.filter(possible_duplicates=duplicate):
        other.possible_duplicates.remove(duplicate)
    Business.objects.filter(pk=duplicate.pk).update(
        merged_into=survivor,
        status=Status.REJECTED,
        review_note=_("Merged into %(code)s.") % {"code": survivor.tracking_code_display},
    )
    state = duplicate.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    data = {"survivor": survivor.pk, "duplicate": duplicate.pk}
    log(survivor, "sme_registry.merge", user=user, data=data)
    log(duplicate, "sme_registry.merge", user=user, data=data)
    return survivor
