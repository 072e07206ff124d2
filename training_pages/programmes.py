"""Trainings, events and their topics as programmes for Analisis → Outcomes.

Taking part is attending a session (an `Attendance`, ticked on the list or scanned at the
door) of a participant linked to a registered business, on the session's start day;
signing up without coming is not taking part.
"""

from django.utils.translation import gettext as _

from taggit.models import Tag

from sme_registry.programmes import Programme
from training_pages.models import Attendance


def _attended(key, label, **lookups):
    """Attending a session of the activities `lookups` choose, on its start day."""
    return Programme(
        key=key,
        label=label,
        events=lambda: Attendance.objects.filter(participant__business__isnull=False, **lookups),
        business="participant__business",
        day="session__starts_at",
        timed=True,
    )


def offered():
    found = [
        _attended(
            "training", _("Any training attended"), session__page__trainingpage__isnull=False
        ),
        _attended(
            "event",
            _("Any event attended (bazaar, expo, ...)"),
            session__page__eventpage__isnull=False,
        ),
    ]
    topics = (
        Tag.objects.filter(training_pages_activitytopictag_items__isnull=False)
        .distinct()
        .order_by("name")
    )
    for topic in topics:
        found.append(
            _attended(
                f"topic:{topic.slug}",
                _("Topic: %(topic)s") % {"topic": topic.name},
                session__page__tagged_topics__tag=topic,
            )
        )
    return found
