"""Who may see which participants: the one place where training scope is computed.

Staff who see a business see its participations; an operator also sees
everyone signed up for an activity held in their own kecamatan, wherever
the participants come from. Scope fails closed like the registry's.
"""

from django.db.models import Q

from sme_registry import permissions as registry


def participant_filter(user):
    """A Q object on Participant (None: all of them)."""
    if registry.sees_everything(user):
        return None
    condition = Q(business__in=registry.scoped_businesses(user).values("pk"))
    if registry.OPERATOR in registry.role_names(user):
        condition |= Q(page__kecamatan__in=registry._operator_kecamatan_ids(user))
    return condition


def scoped_participants(user, queryset=None):
    from training_pages.models import Participant

    queryset = Participant.objects.all() if queryset is None else queryset
    condition = participant_filter(user)
    return queryset if condition is None else queryset.filter(condition)
