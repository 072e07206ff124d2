"""Read-side queries of the registry, shared by forms, views, admin and commands."""

import datetime
import re
import unicodedata

from rapidfuzz import fuzz, process

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from sme_registry.enums import CLOSED
from sme_registry.models import Business, IndicatorSnapshot, Status

DUPLICATE_NAME_THRESHOLD = 88
TRACKING_CODE_RE = re.compile(r"[^0-9A-Z]")
_NAME_NOISE = re.compile(r"\b(toko|warung|usaha|ud|cv|pt|bu|pak|ibu|mang|teh)\b|[^a-z0-9 ]")


def normalise_tracking_code(value):
    return TRACKING_CODE_RE.sub("", (value or "").upper())[:12]


def business_for_tracking_code(value):
    code = normalise_tracking_code(value)
    if len(code) != 12:
        return None
    return Business.objects.filter(tracking_code=code).first()


def outreach_session_for_code(code):
    """The outreach session a referral code names, or None for no or an unknown code."""
    from sme_registry.models import OutreachSession
    from sme_registry.models.outreach import REFERRAL_RE

    code = (code or "").strip().upper()
    if not REFERRAL_RE.match(code):
        return None
    return OutreachSession.objects.filter(referral_code=code).first()


def nib_taken_by_other_owner(nib, owner_id, exclude_business=None):
    """One NIB belongs to one business actor: is it already on another owner's business?"""
    if not nib:
        return False
    qs = Business.objects.filter(nib=nib).exclude(owner_id=owner_id)
    if exclude_business:
        qs = qs.exclude(pk=exclude_business)
    return qs.exists()


def _comparable_name(name):
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(_NAME_NOISE.sub(" ", text).split())


def duplicate_candidates_by_desa(desa_ids):
    """{desa id: {pk: comparable name}} of the open businesses of these desa, in one query."""
    found = {desa_id: {} for desa_id in desa_ids}
    rows = (
        Business.objects.filter(desa_id__in=list(found))
        .exclude(status__in=CLOSED)
        .values_list("pk", "desa_id", "name")
    )
    for pk, desa_id, name in rows:
        found[desa_id][pk] = _comparable_name(name)
    return found


def duplicate_candidates(desa_id, exclude_pk=None):
    """{pk: comparable name} of the open businesses of a desa (what a new name is compared with)."""
    candidates = duplicate_candidates_by_desa([desa_id])[desa_id]
    candidates.pop(exclude_pk, None)
    return candidates


def likely_duplicate_ids(name, desa_id, exclude_pk=None, candidates=None):
    """Businesses in the same desa with a similar name (kept and flagged, never refused).

    `candidates` is `duplicate_candidates(desa_id)` when the caller already holds it
    (an import compares many rows with the same desa).
    """
    choices = duplicate_candidates(desa_id, exclude_pk) if candidates is None else candidates
    wanted = _comparable_name(name)
    if not wanted or not choices:
        return []
    matches = process.extract(
        wanted,
        choices,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=DUPLICATE_NAME_THRESHOLD,
        limit=20,
    )
    return [key for _choice, _score, key in matches]


def similar_names(one, other):
    """Whether two business names are alike enough to be the same business."""
    return (
        fuzz.token_sort_ratio(_comparable_name(one), _comparable_name(other))
        >= DUPLICATE_NAME_THRESHOLD
    )


def contact_email(business):
    """Where to write about a business: never to a registered owner someone else named.

    A business registered with an NIK that was already known waits for the owner
    to confirm it; until then mail goes to the address the sender typed.
    """
    if business.owner_confirmed:
        return business.owner.email
    return (business.owner_claim or {}).get("email", "")


def contact_phone(business):
    """The phone to send a ready WhatsApp message to, by the same rule as `contact_email`."""
    if business.owner_confirmed:
        return business.owner.phone
    return (business.owner_claim or {}).get("phone", "")


def public_status(business):
    """The state an applicant may see: a label and a plain explanation, no personal data."""
    status, text = public_state(business)
    return status.label, text


def public_state(business):
    """The state an applicant may see (a Status) and its plain explanation, no personal data."""
    from django.utils.translation import gettext as _

    while business.merged_into_id:  # a merged record answers with the one it joined
        business = business.merged_into
    if business.status == Status.ARCHIVED:
        text = _("This business is no longer in the registry.")
        if business.review_note:
            text += " " + _("Reason: %(reason)s") % {"reason": business.review_note}
        return Status.ARCHIVED, text
    if business.status == Status.VALIDATED or business.live:
        text = _("Your business data has been checked and validated by the office.")
        if business.has_unpublished_changes:
            text += " " + _("Your latest changes are being checked.")
        return Status.VALIDATED, text
    if business.status == Status.IN_REVIEW:
        return Status.IN_REVIEW, _("Officers are checking your data.")
    if business.status == Status.CHANGES_REQUESTED:
        text = _("Some data needs correcting. Use the link we sent you to fix it.")
        if business.review_note:
            text += " " + _("Reason: %(reason)s") % {"reason": business.review_note}
        return Status.CHANGES_REQUESTED, text
    if business.status == Status.REJECTED:
        text = _("The registration could not be accepted.")
        if business.review_note:
            text += " " + _("Reason: %(reason)s") % {"reason": business.review_note}
        return Status.REJECTED, text
    return Status.SUBMITTED, _("We have received your registration. Officers will check it soon.")


def last_reviewed_revision_id(business):
    """The version a reviewer last sent back for changes, if a newer one has come since.

    Read from the record itself, so a listing asks no extra query per row.
    """
    reviewed = business.review_base_revision_id
    if reviewed and reviewed != business.latest_revision_id:
        return reviewed
    return None


def merge_candidates(business, user):
    """Likely duplicates of `business` that this user may see, in both directions."""
    from django.db.models import Q

    from sme_registry import permissions

    return (
        permissions.scoped_businesses(user)
        .filter(Q(possible_duplicates=business) | Q(pk__in=business.possible_duplicates.all()))
        .filter(merged_into__isnull=True)
        .exclude(pk=business.pk)
        .select_related("owner", "kecamatan", "desa")
        .distinct()
    )


def overdue_follow_ups(mentor, today):
    """Follow-up actions not done by their due date, on the mentor's own businesses."""
    from sme_registry.models import FollowUp

    return (
        FollowUp.objects.filter(
            visit__business__mentor=mentor, done_on__isnull=True, due_on__lt=today
        )
        .select_related("visit__business")
        .order_by("due_on", "pk")
    )


def upcoming_visits(mentor, today, days=14):
    """The next visit planned on each of the mentor's businesses, within `days` days.

    Only the latest visit of a business counts: a plan made on an earlier visit
    was replaced by the one made since.
    """
    import datetime

    from django.db.models import Exists, OuterRef

    from sme_registry.models import MentoringVisit

    later = MentoringVisit.objects.filter(
        business=OuterRef("business"), visited_on__gt=OuterRef("visited_on")
    )
    return (
        MentoringVisit.objects.filter(
            business__mentor=mentor,
            next_visit_on__gte=today,
            next_visit_on__lte=today + datetime.timedelta(days=days),
        )
        .exclude(Exists(later))
        .select_related("business")
        .order_by("next_visit_on", "pk")
    )


def registration_page_for(request):
    """The site's first live, public registration page: where short links and trainings lead.

    One page is enough: a referral code or a training says where a registration
    came from, not the page.
    """
    from wagtail.models import Site

    from sme_registry.models import RegistrationPage

    site = Site.find_for_request(request)
    pages = RegistrationPage.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.order_by("path").first()


EXPIRY_WARNING_DAYS = 60


def document_expiry(document, today=None):
    """ "expired", "expiring" (within EXPIRY_WARNING_DAYS) or None for a legal document."""
    import datetime

    from django.utils import timezone

    if not document.expires_on:
        return None
    today = today or timezone.localdate()
    if document.expires_on < today:
        return "expired"
    if document.expires_on <= today + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return None


def extra_answers(business):
    """The answers to the registration page's own questions, as (question, answer) pairs."""
    labels = {}
    if business.registration_page_id:
        # Exports prefetch the page: one instance for all its rows, its labels read once.
        page = business.registration_page
        labels = page.__dict__.get("_extra_labels")
        if labels is None:
            specific = page.specific
            labels = specific.extra_labels() if hasattr(specific, "extra_labels") else {}
            page.__dict__["_extra_labels"] = labels
    pairs = []
    for key, value in (business.extra_answers or {}).items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        pairs.append((labels.get(key, key), value if value not in (None, "") else "-"))
    return pairs


def with_listing_relations(queryset):
    """Businesses with what their list rows and export rows read, in a constant number of
    queries: owner and regions joined, the registration page prefetched, so its rows share
    one page and `extra_answers` reads its questions once."""
    return queryset.select_related("owner", "kecamatan", "desa").prefetch_related(
        "registration_page"
    )


# What a staff search looks in, as the admin's business list does (`BusinessViewSet`).
STAFF_SEARCH_FIELDS = ("name", "owner__full_name", "nib", "tracking_code")


def search_businesses(queryset, text):
    """Businesses of `queryset` where each word of `text` is in one of the searched fields.

    A tracking code is found however it was typed (with or without its dash). The
    result is the same on every database; on PostgreSQL the SQL follows how common
    the word is, because no single plan is fast for both at a million records:

    - a rare word is a union of one lookup per field, each answered by its trigram
      index (migration 0029), so the cost follows the matches, not the table (an OR
      across the owner join would scan every business);
    - a search of one common word ("berkah" is in one name of 35) is a plain OR per
      row: the list then walks its sort index and stops at the page's last row, where
      gathering tens of thousands of matches to sort them would take seconds. With
      more words the unions stay: they narrow each other before any row is read.
    """
    from django.db.models import Q

    model = queryset.model
    words = _words(text)
    for word in words:
        fields = [Q(**{f"{field}__icontains": word}) for field in STAFF_SEARCH_FIELDS]
        code = normalise_tracking_code(word)
        if len(code) == 12:
            fields.append(Q(tracking_code=code))
        arms = [model._base_manager.filter(field).values("pk") for field in fields]
        if len(words) == 1 and _is_common(model, arms, queryset.db):
            condition = fields[0]
            for field in fields[1:]:
                condition |= field
            queryset = queryset.filter(condition)
        else:
            queryset = queryset.filter(pk__in=arms[0].union(*arms[1:]))
    return queryset


# Below this many matches a word is never "common", however small the table.
COMMON_WORD_MATCHES = 1000


def _is_common(model, arms, using):
    """Whether a word's matches are too many to gather first (PostgreSQL only).

    The union costs about as much per match as the scan of the sort index costs per
    fifty rows it passes over, so the two meet near sqrt(100 x table) matches: 1 000
    at 10 000 records, 10 000 at a million. The probe stops counting there.
    """
    from core.pagination import estimated_rows

    rows = estimated_rows(model, using)
    if rows is None:  # not PostgreSQL: the unions, always
        return False
    rows = max(rows, 0)
    limit = max(COMMON_WORD_MATCHES, int((100 * rows) ** 0.5))
    found = arms[0].union(*arms[1:], all=True).order_by()[:limit].count()
    return found >= limit


# The breakdowns the public figures offer, as the field each one counts.
PUBLIC_BREAKDOWNS = ("kecamatan", "sector", "scale")


def validated_counts(by):
    """Validated businesses per kecamatan, KBLI sector or computed scale: (key, label, count).

    Every kecamatan, sector and scale is listed, with 0 where there is none, so a
    caller sees the whole table; scale "" is a record whose figures give none.
    Suppressing small cells is the publisher's job (core.statistics).
    """
    from django.db.models import Count
    from django.utils.translation import gettext as _

    from sme_registry.kbli import KBLI_CATEGORIES
    from sme_registry.models import Kecamatan
    from sme_registry.scale import Scale

    validated = Business.objects.filter(status=Status.VALIDATED)
    if by == "kecamatan":
        counts = dict(validated.values_list("kecamatan_id").annotate(n=Count("pk")).order_by())
        return [
            (k.code, k.name, counts.get(k.pk, 0))
            for k in Kecamatan.objects.order_by("code").only("pk", "code", "name")
        ]
    if by == "sector":
        counts = dict(validated.values_list("kbli_category").annotate(n=Count("pk")).order_by())
        return [(code, label, counts.get(code, 0)) for code, label in KBLI_CATEGORIES]
    if by == "scale":
        counts = dict(validated.values_list("computed_scale").annotate(n=Count("pk")).order_by())
        rows = [(value, str(label), counts.get(value, 0)) for value, label in Scale.choices]
        return [*rows, ("", _("not known"), counts.get("", 0))]
    raise ValueError(by)


# --- The public directory --------------------------------------------------------------

# The columns the public directory reads of a business. Nothing else is loaded for it,
# so no page or answer built on `directory_businesses` can show the NIK, the owner,
# the address, RT/RW or the coordinates.
DIRECTORY_FIELDS = (
    "id",
    "public_code",
    "name",
    "kbli_category",
    "kbli_code",
    "main_product",
    "kecamatan",
    "kecamatan__code",
    "kecamatan__name",
    "desa",
    "desa__code",
    "desa__name",
    "public_phone",
    "public_link",
    "last_published_at",
    "status",
    "live",
    "directory_opt_in",
)
DIRECTORY_MAX_WORDS = 8


def _words(text):
    return (text or "").split()[:DIRECTORY_MAX_WORDS]


def directory_businesses(*, q="", sector="", kecamatan="", product=""):
    """What the public directory lists: the one rule, for its pages, sitemap and API.

    A business is listed while it is validated and live, its owner opted in, and it
    was neither archived nor merged away. The rows hold the validated version: an
    owner's later changes wait in revisions until staff validate them, so they never
    show here. `q` matches the business name or product word by word, `product`
    the product only; `sector` is a KBLI 2020 letter and `kecamatan` a Kemendagri code.
    """
    from django.db.models import Prefetch, Q
    from django.db.models.functions import Lower

    from sme_registry.models import BusinessPhoto

    listed = Business.objects.filter(
        status=Status.VALIDATED, live=True, directory_opt_in=True, merged_into__isnull=True
    )
    for word in _words(q):
        listed = listed.filter(Q(name__icontains=word) | Q(main_product__icontains=word))
    for word in _words(product):
        listed = listed.filter(main_product__icontains=word)
    if sector:
        listed = listed.filter(kbli_category=sector)
    if kecamatan:
        listed = listed.filter(kecamatan__code=kecamatan)
    photos = BusinessPhoto.objects.order_by("sort_order", "pk").only(
        "id", "business_id", "image", "caption", "sort_order"
    )
    return (
        listed.select_related("kecamatan", "desa")
        .only(*DIRECTORY_FIELDS)
        .prefetch_related(Prefetch("photos", queryset=photos))
        .order_by(Lower("name"), "pk")
    )


def directory_business(code):
    """One listed business by its directory code, or None (unknown, or not listed now)."""
    code = (code or "").upper()
    if len(code) != 8:
        return None
    return directory_businesses().filter(public_code=code).first()


def is_listed(business):
    """Whether the directory shows this business now (by the same rule as the list)."""
    return directory_businesses().prefetch_related(None).filter(pk=business.pk).exists()


def directory_facets():
    """The sectors and kecamatan that have listed businesses, with how many: the filters.

    Returns ([(letter, label, count)], [(code, name, count)]), in label order.
    """
    from django.db.models import Count

    from sme_registry.kbli import KBLI_CATEGORIES

    listed = directory_businesses().prefetch_related(None).order_by()
    by_sector = dict(listed.values_list("kbli_category").annotate(n=Count("pk")))
    sectors = [
        (letter, label, by_sector[letter])
        for letter, label in KBLI_CATEGORIES
        if letter in by_sector
    ]
    kecamatan = [
        (code, name, count)
        for code, name, count in listed.values_list("kecamatan__code", "kecamatan__name")
        .annotate(n=Count("pk"))
        .order_by("kecamatan__name")
    ]
    return sectors, kecamatan


def directory_page_for(request=None):
    """The site's first live, public directory page, where the owner's page and notices link."""
    from wagtail.models import Site

    from sme_registry.models import DirectoryPage

    pages = DirectoryPage.objects.live().public()
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.order_by("path").first()


def waiting_task_states(task=None):
    """Review steps at which a version of a registry record is waiting (all steps, or `task`)."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import TaskState, WorkflowState

    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Business),
    )
    return states if task is None else states.filter(task=task)


def waiting_at_step(queryset, task):
    """The records of `queryset` with a version waiting at review step `task`.

    The waiting versions are few beside the registry: their ids are read into a
    semi-join, not each record's workflow looked up.
    """
    from django.db.models import BigIntegerField
    from django.db.models.functions import Cast

    ids = (
        waiting_task_states(task)
        .annotate(business_id=Cast("workflow_state__object_id", output_field=BigIntegerField()))
        .values("business_id")
    )
    return queryset.filter(pk__in=ids)


def review_steps():
    """The steps of the registry's review workflow, in order (Kecamatan check, PUM, ...)."""
    from sme_registry.models import RegistryReviewTask

    workflow = Business.get_default_workflow()
    if workflow is None:
        return []
    ids = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    steps = {task.pk: task for task in RegistryReviewTask.objects.filter(pk__in=ids)}
    return [steps[pk] for pk in ids if pk in steps]


def day_start(day):
    """The first moment of the local `day`, for comparing dates with stored times."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _snapshots_in(start, end):
    taken = IndicatorSnapshot.objects.filter(business=OuterRef("pk"))
    if start:
        taken = taken.filter(taken_at__gte=day_start(start))
    if end:
        taken = taken.filter(taken_at__lt=day_start(end + datetime.timedelta(days=1)))
    return taken


def first_snapshots(queryset, start=None, end=None, first_scale=None):
    """The records of `queryset` with an indicator snapshot taken between the dates
    `start` and `end` (inclusive, either open), annotated with the id of the first of
    them (`growth_first`); only those where its scale is `first_scale`, when given
    ("" for a snapshot whose figures gave no scale)."""
    taken = _snapshots_in(start, end)
    queryset = queryset.annotate(
        growth_first=Subquery(taken.order_by("taken_at", "pk").values("pk")[:1])
    ).filter(growth_first__isnull=False)
    if first_scale is not None:
        queryset = queryset.filter(
            Exists(IndicatorSnapshot.objects.filter(pk=OuterRef("growth_first"), scale=first_scale))
        )
    return queryset


def snapshot_ends(queryset, start=None, end=None, first_scale=None):
    """Of `first_snapshots`, the records with two snapshots or more in the period, also
    annotated with the id of the latest (`growth_last`): growth is read between these
    two, on the Growth screen and in the registry list it drills down to alike."""
    taken = _snapshots_in(start, end)
    return (
        first_snapshots(queryset, start, end, first_scale)
        .annotate(growth_last=Subquery(taken.order_by("-taken_at", "-pk").values("pk")[:1]))
        .exclude(growth_first=F("growth_last"))
    )


def with_scale_change(queryset, first_scale, last_scale, start=None, end=None):
    """The records whose scale went from `first_scale` to `last_scale` ("" for none, None
    for any) between their first and latest snapshot in the period (`snapshot_ends`)."""
    ends = snapshot_ends(queryset, start, end, first_scale)
    if last_scale is None:
        return ends
    return ends.filter(
        Exists(IndicatorSnapshot.objects.filter(pk=OuterRef("growth_last"), scale=last_scale))
    )


def programme_groups(queryset, programme, start=None, end=None, first_scale=None):
    """Of `snapshot_ends`, each record annotated with whether it took part in `programme`
    (a `programmes.Programme`) while its growth was measured, and whether at all before.

    `took_part`: an event on or after the day of its first snapshot in the period and
    before the day of its latest (an event on the latest day is what that snapshot
    records, not what followed it). `took_part_before_latest`: any event before the day
    of the latest; a record without one is comparable, one that took part only before
    its first snapshot is neither. Analisis → Outcomes counts these groups and the
    registry list it drills down to filters by them.
    """
    taken = _snapshots_in(start, end)
    ends = snapshot_ends(queryset, start, end, first_scale).annotate(
        growth_first_day=Subquery(
            taken.order_by("taken_at", "pk").values(day=TruncDate("taken_at"))[:1]
        ),
        growth_last_day=Subquery(
            taken.order_by("-taken_at", "-pk").values(day=TruncDate("taken_at"))[:1]
        ),
    )
    day = TruncDate(programme.day) if programme.timed else F(programme.day)
    events = (
        programme.events().annotate(event_day=day).filter(**{programme.business: OuterRef("pk")})
    )
    return ends.annotate(
        took_part=Exists(
            events.filter(
                event_day__gte=OuterRef("growth_first_day"),
                event_day__lt=OuterRef("growth_last_day"),
            )
        ),
        took_part_before_latest=Exists(events.filter(event_day__lt=OuterRef("growth_last_day"))),
    )


def stale_cutoff(months, now=None):
    """The time before which a record's last change makes it stale after `months` months."""
    return (now or timezone.now()) - datetime.timedelta(days=round(months * 30.44))


def stale(cutoff):
    """The condition on a Business of being stale: validated and not changed since `cutoff`
    (`stale_cutoff`). The update reminders and the Data quality screen both read it."""
    return Q(status=Status.VALIDATED, updated_at__lt=cutoff)
