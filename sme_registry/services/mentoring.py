"""Mentoring: who accompanies a business, and what a visit recorded."""

import datetime

from django.db import transaction
from django.utils import timezone

from sme_registry.models import Business, IndicatorSnapshot
from sme_registry.services.snapshots import take_snapshot

NOON = datetime.time(12)


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
