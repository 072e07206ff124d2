"""Who may see and handle which activities and participants: the one place for training scope.

Attendance is taken where the activity is held, so an operator works on the
activities held in their own kecamatan; online activities have no kecamatan and
stay with the office. Participants are *seen* by those who see the activity's
attendance and by those who see the participating business in the registry (an
operator sees where the businesses of their kecamatan take part, a mentor where
theirs do), but *handled* (approved, rejected, cancelled, marked present,
certified) only by those who run the activity. Everything outside a user's
scope answers 404; no role sees nothing.
"""

from django.db.models import Q

from core.permissions import ScopedPermissionPolicy
from sme_registry import permissions as registry


def scoped_activities(user, queryset=None):
    """The activities a user runs: all for the office, in-person ones in their area for operators."""
    from training_pages.models import ActivityPage

    queryset = ActivityPage.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if registry.sees_all_kecamatan(user):
        return queryset
    area = registry.area_kecamatan_ids(user)
    if not area:
        return queryset.none()
    return queryset.filter(mode=ActivityPage.Mode.OFFLINE, kecamatan_id__in=area)


def scoped_sessions(user, queryset=None):
    from training_pages.models import ActivitySession

    queryset = ActivitySession.objects.all() if queryset is None else queryset
    return queryset.filter(page__in=scoped_activities(user).values("pk"))


def open_activities_for_staff(user):
    """Activities staff may sign a business up for: published, not over, run by the user."""
    from django.utils import timezone

    from training_pages.models import ActivityPage

    return scoped_activities(
        user, ActivityPage.objects.live().filter(ends_at__gte=timezone.now())
    ).order_by("starts_at")


class ParticipantPolicy(ScopedPermissionPolicy):
    """Seen with the business or the activity; handled only where the activity is run."""

    never = frozenset({"delete"})

    def scope(self, user, action, queryset):
        if registry.sees_all_kecamatan(user):
            return queryset
        runs = Q(page__in=scoped_activities(user).values("pk"))
        if action != "view":
            return queryset.filter(runs)
        return queryset.filter(runs | Q(business__in=registry.scoped_businesses(user).values("pk")))


class CertificatePolicy(ScopedPermissionPolicy):
    """Certificates are issued from attendance, never typed in; they can only be revoked."""

    never = frozenset({"add", "change", "delete"})
    action_permissions = {"revoke": "change"}

    def scope(self, user, action, queryset):
        return queryset.filter(participant__page__in=scoped_activities(user).values("pk"))


participant_policy = ParticipantPolicy("training_pages.Participant")
certificate_policy = CertificatePolicy("training_pages.Certificate")

POLICIES = {"Participant": participant_policy, "Certificate": certificate_policy}

scoped_participants = participant_policy.scoped
scoped_certificates = certificate_policy.scoped


def can_view(user):
    return user.has_perm("training_pages.view_participant")


def can_take_attendance(user):
    return user.has_perm("training_pages.change_participant")


def can_issue_certificates(user):
    return user.has_perm("training_pages.add_certificate")


def can_revoke_certificates(user):
    return certificate_policy.user_has_permission(user, "revoke")
