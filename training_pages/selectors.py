"""Read-side rules for trainings and events, shared by the public pages, feeds and hooks.

What counts as upcoming, how the list is filtered and how seats are counted is
decided here once, so the list, the calendar, the feeds and the home page agree.
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sme_registry.models import Kecamatan
from training_pages.models import ActivityPage, ActivitySession, ActivityTopicTag, Participant
from training_pages.models.participants import SEAT_STATUSES

UPCOMING = "upcoming"
PAST = "past"
# The shared feed keeps what ended recently, so a subscribed calendar does not
# lose last week's training the moment it is over.
FEED_KEEPS_PAST_DAYS = 90


def activities(parent):
    """Live, public trainings and events directly under `parent` (an index page)."""
    return ActivityPage.objects.live().public().child_of(parent)


def upcoming(queryset, now=None):
    """Not over yet (still running counts), soonest first."""
    now = now or timezone.now()
    return queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")


def past(queryset, now=None):
    """Over, the most recent first."""
    now = now or timezone.now()
    return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")


def filter_activities(queryset, *, topic=None, kecamatan=None, mode=None, q=None):
    """Narrow a list by topic (tag slug), kecamatan (id), mode and free text."""
    if topic:
        queryset = queryset.filter(
            pk__in=ActivityTopicTag.objects.filter(tag__slug=topic).values("content_object_id")
        )
    if kecamatan:
        queryset = queryset.filter(kecamatan_id=kecamatan)
    if mode:
        queryset = queryset.filter(mode=mode)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return queryset


def seats_taken_subquery():
    """Seats held per page as a correlated subquery: safe next to any join or filter."""
    held = (
        Participant.objects.filter(page=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("page")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


def with_seats_taken(queryset):
    return queryset.annotate(seats_taken=seats_taken_subquery())


def seats_taken(page):
    annotated = getattr(page, "seats_taken", None)
    if annotated is not None:
        return annotated
    return Participant.objects.filter(page=page, status__in=SEAT_STATUSES).count()


def seats_left(page):
    """Free seats, or None when the page has no capacity limit."""
    if page.capacity is None:
        return None
    return max(page.capacity - seats_taken(page), 0)


# Where sign-up stands for a visitor (`sign_up_status`).
SIGN_UP_NOT_YET = "not_yet"
SIGN_UP_OPEN = "open"
SIGN_UP_WAITING_LIST = "waiting_list"
SIGN_UP_CLOSED = "closed"
SIGN_UP_STATES = (SIGN_UP_NOT_YET, SIGN_UP_OPEN, SIGN_UP_WAITING_LIST, SIGN_UP_CLOSED)
# The states in which a sign-up is taken (on the waiting list when the seats are gone).
TAKING_SIGN_UPS = (SIGN_UP_OPEN, SIGN_UP_WAITING_LIST)


def sign_up_status(page, now=None):
    """'not_yet', 'open', 'waiting_list' (open but full) or 'closed'.

    The window is the page's own rule (`sign_up_state`), the seats are `seats_left`,
    and an activity that is over takes no sign-up (`services.sign_up` refuses it).
    """
    now = now or timezone.now()
    state = page.sign_up_state(now)
    if state != SIGN_UP_OPEN:
        return state
    if page.ends_at and page.ends_at < now:
        return SIGN_UP_CLOSED
    if seats_left(page) == 0:
        return SIGN_UP_WAITING_LIST
    return SIGN_UP_OPEN


def for_listing(queryset):
    """Specific pages with all a card shows, in a fixed number of queries."""
    return (
        with_seats_taken(queryset)
        .specific()
        .select_related("kecamatan", "image", for_specific_subqueries=True)
        .prefetch_related(
            Prefetch("sessions", queryset=ActivitySession.objects.order_by("starts_at", "pk")),
            "topics",
            "image__renditions",
            for_specific_subqueries=True,
        )
    )


def listing(parent, *, when=UPCOMING, topic=None, kecamatan=None, mode=None, q=None, now=None):
    """The public list of an index: upcoming (default) or past, filtered, ready to render."""
    queryset = filter_activities(
        activities(parent), topic=topic, kecamatan=kecamatan, mode=mode, q=q
    )
    queryset = past(queryset, now) if when == PAST else upcoming(queryset, now)
    return for_listing(queryset)


def next_activities(ancestor, count=3, now=None):
    """The next few trainings and events anywhere below `ancestor` (the home page)."""
    queryset = ActivityPage.objects.live().public().descendant_of(ancestor)
    return for_listing(upcoming(queryset, now))[:count]


def topic_choices(parent):
    """(slug, name) of the topics that live activities under `parent` use."""
    return (
        ActivityTopicTag.objects.filter(content_object__in=activities(parent))
        .values_list("tag__slug", "tag__name")
        .distinct()
        .order_by("tag__name")
    )


def kecamatan_choices(parent):
    """The kecamatan where live activities under `parent` take place."""
    return Kecamatan.objects.filter(
        pk__in=activities(parent).exclude(kecamatan=None).values("kecamatan_id")
    ).order_by("name")


def feed_activities(parent, now=None):
    """What the index's iCal feed carries: everything upcoming and what ended lately."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=FEED_KEEPS_PAST_DAYS)
    return (
        activities(parent)
        .filter(ends_at__gte=since)
        .order_by("starts_at", "pk")
        .specific()
        .select_related("kecamatan", for_specific_subqueries=True)
        .prefetch_related("sessions", for_specific_subqueries=True)
    )


def sessions_between(parent, start, end):
    """Sessions of live activities under `parent` starting in [start, end), with their page."""
    return (
        ActivitySession.objects.filter(
            page__in=activities(parent), starts_at__gte=start, starts_at__lt=end
        )
        .select_related("page", "page__kecamatan")
        .order_by("starts_at", "pk")
    )


def open_activities(now=None):
    """Live, public activities taking sign-ups now, soonest first."""
    now = now or timezone.now()
    return (
        ActivityPage.objects.live()
        .public()
        .filter(ends_at__gte=now)
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .filter(
            Q(registration_closes_at__gt=now)
            | Q(registration_closes_at__isnull=True, starts_at__gt=now)
        )
        .order_by("starts_at")
    )


def open_activities_for_owner(owner, limit=5):
    """What an owner's private page offers: open activities and where they stand in each."""
    activities = list(open_activities().prefetch_related("sessions")[:limit])
    if not activities:
        return []
    from training_pages.models import Participant

    joined = {
        (p.page_id, p.business_id): p
        for p in Participant.objects.filter(page__in=activities, business__owner=owner).exclude(
            status="cancelled"
        )
    }
    businesses = list(owner.businesses.filter(merged_into__isnull=True).order_by("name"))
    return [
        {
            "page": page,
            "rows": [
                {"business": business, "participant": joined.get((page.pk, business.pk))}
                for business in businesses
            ],
        }
        for page in activities
    ]
