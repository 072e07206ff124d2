"""Who may see which activities and participants: the one place for training scope.

Attendance is taken where the activity is held, so an operator works on the
activities held in their own kecamatan; online activities have no kecamatan and
stay with the office. Participants are seen by those who see the activity's
attendance and by those who see the participating business in the registry
(an operator sees where the businesses of their kecamatan take part, a mentor
where theirs do). Everything outside a user's scope answers 404; no role sees
nothing.
"""

from django.db.models import Q

from sme_registry import permissions as registry

# Roles that see every activity (what they may change still depends on their permissions).
# Analysts are not among them: attendance sheets name the participating businesses.
_SEE_ALL = {registry.ADMIN_DINAS, registry.VALIDATOR}


def scoped_activities(user, queryset=None):
    from training_pages.models import ActivityPage

    queryset = ActivityPage.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    roles = registry.role_names(user)
    if user.is_superuser or roles & _SEE_ALL:
        return queryset
    if registry.OPERATOR in roles:
        return queryset.filter(
            mode=ActivityPage.Mode.OFFLINE,
            kecamatan__in=registry._operator_kecamatan_ids(user),
        )
    return queryset.none()


def scoped_sessions(user, queryset=None):
    from training_pages.models import ActivitySession

    queryset = ActivitySession.objects.all() if queryset is None else queryset
    return queryset.filter(page__in=scoped_activities(user).values("pk"))


def participant_filter(user):
    """A Q object on Participant (None: all of them)."""
    if registry.sees_everything(user):
        return None
    condition = Q(business__in=registry.scoped_businesses(user).values("pk"))
    if registry.OPERATOR in registry.role_names(user):
        condition |= Q(page__in=scoped_activities(user).values("pk"))
    return condition


def scoped_participants(user, queryset=None):
    from training_pages.models import Participant

    queryset = Participant.objects.all() if queryset is None else queryset
    condition = participant_filter(user)
    return queryset if condition is None else queryset.filter(condition)


def scoped_certificates(user, queryset=None):
    from training_pages.models import Certificate

    # Certificates are issued and revoked by whoever runs the activity.
    queryset = Certificate.objects.all() if queryset is None else queryset
    return queryset.filter(participant__page__in=scoped_activities(user).values("pk"))


def can_view(user):
    return user.has_perm("training_pages.view_participant")


def can_take_attendance(user):
    return user.has_perm("training_pages.change_participant")


def can_issue_certificates(user):
    return user.has_perm("training_pages.add_certificate")


def can_revoke_certificates(user):
    return user.has_perm("training_pages.change_certificate")
