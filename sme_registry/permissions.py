"""Who may see which registry records: the one place where scope is computed.

Every admin view, export, file download and API endpoint of the registry asks
these functions. Scope fails closed: a user with no role sees nothing, and an
operator sees only the kecamatan assigned to them.
"""

from django.db.models import Q

ADMIN_DINAS = "Admin Dinas"
VALIDATOR = "Validator PUM"
OPERATOR = "Operator Kecamatan"
MENTOR = "Pendamping"
EDITOR = "Editor"
ANALYST = "Analis"

ROLES = (ADMIN_DINAS, VALIDATOR, OPERATOR, MENTOR, EDITOR, ANALYST)
_SEE_ALL = {ADMIN_DINAS, VALIDATOR}
_SEE_PII = {ADMIN_DINAS, VALIDATOR}


def role_names(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_registry_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._registry_roles = cached
    return cached


def sees_everything(user):
    return bool(user.is_active and user.is_superuser) or bool(role_names(user) & _SEE_ALL)


def can_see_pii(user):
    """Unmasked NIK, phone, address and birth date."""
    return bool(user.is_active and user.is_superuser) or bool(role_names(user) & _SEE_PII)


def business_filter(user):
    """A Q object selecting the businesses this user may see (None: all of them)."""
    if sees_everything(user):
        return None
    roles = role_names(user)
    condition = Q(pk__in=[])
    if OPERATOR in roles:
        condition |= Q(kecamatan__in=_operator_kecamatan_ids(user))
    if MENTOR in roles:
        condition |= Q(mentor=user)
    return condition


def _operator_kecamatan_ids(user):
    from sme_registry.models import StaffArea

    area = StaffArea.objects.filter(user=user).first()
    return list(area.kecamatan.values_list("pk", flat=True)) if area else []


def scoped_businesses(user, queryset=None):
    from sme_registry.models import Business

    queryset = Business.objects.all() if queryset is None else queryset
    condition = business_filter(user)
    return queryset if condition is None else queryset.filter(condition)


def scoped_owners(user, queryset=None):
    """Owners of at least one business in the user's scope."""
    from sme_registry.models import Owner

    queryset = Owner.objects.all() if queryset is None else queryset
    condition = business_filter(user)
    if condition is None:
        return queryset
    return queryset.filter(pk__in=scoped_businesses(user).values("owner_id"))


def operator_may_register_in(user, kecamatan_id):
    return sees_everything(user) or kecamatan_id in _operator_kecamatan_ids(user)


def _sees_all_activities(user):
    """Outreach sessions and mentoring visits hold no personal data: analysts see them all."""
    return sees_everything(user) or ANALYST in role_names(user)


def scoped_outreach_sessions(user, queryset=None):
    """Sessions this user may see and edit: an operator's own kecamatan, or all for the office."""
    from sme_registry.models import OutreachSession

    queryset = OutreachSession.objects.all() if queryset is None else queryset
    if _sees_all_activities(user):
        return queryset
    if OPERATOR in role_names(user):
        return queryset.filter(kecamatan__in=_operator_kecamatan_ids(user))
    return queryset.none()


def scoped_outreach_kecamatan(user, queryset=None):
    """The kecamatan a user may hold outreach sessions in (the session form's choices)."""
    from sme_registry.models import Kecamatan

    queryset = Kecamatan.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if OPERATOR in role_names(user):
        return queryset.filter(pk__in=_operator_kecamatan_ids(user))
    return queryset.none()


def mentoring_businesses(user, queryset=None):
    """Businesses this user may record a mentoring visit for.

    A mentor records visits for the businesses assigned to them only; the
    office (Admin Dinas, validators) for any business.
    """
    from sme_registry.models import Business

    queryset = Business.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    if MENTOR in role_names(user):
        return queryset.filter(mentor=user)
    return queryset.none()


def scoped_mentoring_visits(user, queryset=None):
    """Visits this user may see: those of the businesses in their scope (a mentor's own)."""
    from sme_registry.models import MentoringVisit

    queryset = MentoringVisit.objects.all() if queryset is None else queryset
    if _sees_all_activities(user):
        return queryset
    return queryset.filter(business__in=scoped_businesses(user).values("pk"))


def mentor_candidates():
    """Active users in the mentor role: the choices when a business is given a mentor."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MENTOR)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
