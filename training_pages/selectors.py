"""Read-side rules of trainings and events."""

from django.db.models import Q
from django.utils import timezone

from training_pages.models import ActivityPage


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
    activities = list(open_activities()[:limit])
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
