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
