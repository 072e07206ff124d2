"""The programmes whose outcomes Analisis → Outcomes compares.

The registry knows mentoring; the trainings app adds its trainings, events and topics
through the `PROGRAMMES_HOOK` hook, so the comparison (`sme_registry.outcomes`) and the
registry list it drills down to need no import of it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

PROGRAMMES_HOOK = "register_outcome_programmes"


@dataclass(frozen=True)
class Programme:
    """Taking part in a programme, as rows of one model: each row one business, one day."""

    key: str
    label: str
    events: Callable[[], QuerySet]
    business: str  # lookup from an event row to its business
    day: str  # lookup from an event row to when it took place
    timed: bool = False  # `day` is a date and time (its local date counts), not a date


def mentoring():
    from sme_registry.models import MentoringVisit

    return [
        Programme(
            key="mentoring",
            label=_("Mentoring (a visit, call or online meeting)"),
            events=MentoringVisit.objects.all,
            business="business",
            day="visited_on",
        )
    ]


def programmes():
    """{key: Programme}, in the order the hooks give them."""
    found = {}
    for offered in hooks.get_hooks(PROGRAMMES_HOOK):
        for programme in offered():
            found[programme.key] = programme
    return found
