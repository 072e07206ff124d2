"""Who may do what to which registry record: the one place where registry scope is computed.

Each registry model has a permission policy (registered with Wagtail in the
app's `ready()`), and every admin view, chooser, bulk action, export, report,
private file, API endpoint and service asks it. Scope fails closed: a user
with no role sees nothing, an operator only the kecamatan assigned under
*Operator areas*, a mentor only the businesses assigned to them.

What decides (never a group's name):
- `sme_registry.see_all_kecamatan`: every kecamatan;
- an operator area (StaffArea): its kecamatan;
- `sme_registry.mentor_business`: the businesses whose mentor the user is.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.permissions import ScopedPermissionPolicy, users_with_permission

SEE_ALL = "sme_registry.see_all_kecamatan"
VIEW_PERSONAL_DATA = "sme_registry.view_personal_data"
ASSIGN_MENTOR = "sme_registry.assign_mentor"
MENTOR_BUSINESS = "sme_registry.mentor_business"
ARCHIVE_BUSINESS = "sme_registry.archive_business"
VIEW_ANALYSIS = "sme_registry.view_analysis"


def _active(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def sees_all_kecamatan(user):
    return _active(user) and user.has_perm(SEE_ALL)


def can_view_analysis(user):
    """The registry's figures (Analisis): for the user's kecamatan, or all of them."""
    return _active(user) and user.has_perm(VIEW_ANALYSIS)


def analysis_kecamatan(user):
    """The kecamatan whose records the user's figures count: all, or the operator's area.

    Figures count by kecamatan only: a mentor's own businesses elsewhere are records
    to work, not a population to describe.
    """
    from sme_registry.models import Kecamatan

    if not can_view_analysis(user):
        return Kecamatan.objects.none()
    if sees_all_kecamatan(user):
        return Kecamatan.objects.all()
    return Kecamatan.objects.filter(pk__in=area_kecamatan_ids(user))


def can_see_personal_data(user):
    """Unmasked NIK, phone, address and birth date."""
    return _active(user) and user.has_perm(VIEW_PERSONAL_DATA)


def area_kecamatan_ids(user):
    """The kecamatan of the user's operator area (cached on the user for the request)."""
    if not _active(user):
        return []
    cached = getattr(user, "_registry_area_ids", None)
    if cached is None:
        from sme_registry.models import StaffArea

        cached = list(
            StaffArea.kecamatan.through.objects.filter(staffarea__user=user).values_list(
                "kecamatan_id", flat=True
            )
        )
        user._registry_area_ids = cached
    return cached


def business_condition(user, prefix=""):
    """A Q on Business (or on a relation to it, with `prefix`), or None for every record."""
    if not _active(user):
        return Q(pk__in=[])
    if user.has_perm(SEE_ALL):
        return None
    condition = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    area = area_kecamatan_ids(user)
    if area:
        condition |= Q(**{f"{prefix}kecamatan_id__in": area})
    if user.has_perm(MENTOR_BUSINESS):
        condition |= Q(**{f"{prefix}mentor": user})
    return condition


def _filter(queryset, condition):
    return queryset if condition is None else queryset.filter(condition)


class BusinessPolicy(ScopedPermissionPolicy):
    """Businesses in the user's kecamatan or mentored by them.

    Never deleted (archived instead) and never published through the admin:
    a version goes live only when the last review step approves it.
    """

    never = frozenset({"delete"})

    def user_has_permission(self, user, action):
        if action == "publish":
            # Only while the last review step approves (Wagtail then publishes the version).
            from sme_registry import transitions

            return transitions.validation_in_progress()
        return super().user_has_permission(user, action)

    def scope(self, user, action, queryset):
        queryset = _filter(queryset, business_condition(user))
        if action == "change":
            from sme_registry.enums import Status

            queryset = queryset.exclude(status=Status.ARCHIVED)
        return queryset


class OwnerPolicy(ScopedPermissionPolicy):
    """Owners of at least one business in scope. Owners come with a registration, never alone."""

    never = frozenset({"add", "delete"})

    def scope(self, user, action, queryset):
        condition = business_condition(user)
        if condition is None:
            return queryset
        from sme_registry.models import Business

        # A subquery on the id (not EXISTS), so a search in the owner chooser can apply it.
        return queryset.filter(pk__in=Business.objects.filter(condition).values("owner_id"))


class OutreachSessionPolicy(ScopedPermissionPolicy):
    """Sessions held in the user's kecamatan; the office and analysts see all of them."""

    def scope(self, user, action, queryset):
        if sees_all_kecamatan(user):
            return queryset
        return queryset.filter(kecamatan_id__in=area_kecamatan_ids(user))


class MentoringVisitPolicy(ScopedPermissionPolicy):
    """Visits of businesses in scope; a mentor records and edits visits of their own businesses."""

    def scope(self, user, action, queryset):
        if sees_all_kecamatan(user):
            return queryset
        if action == "view":
            return _filter(queryset, business_condition(user, prefix="business__"))
        return (
            queryset.filter(business__mentor=user)
            if user.has_perm(MENTOR_BUSINESS)
            else (queryset.none())
        )


class ImportBatchPolicy(ScopedPermissionPolicy):
    """Imports: each user sees and runs their own; the office (every kecamatan) sees all.

    Only the uploader applies, stops or resumes a batch: its rows are checked
    against the uploader's area and written in the uploader's name.
    """

    never = frozenset({"delete"})

    def scope(self, user, action, queryset):
        if action == "view" and sees_all_kecamatan(user):
            return queryset
        return queryset.filter(created_by=user)


class ImportMappingPolicy(ScopedPermissionPolicy):
    """Saved column mappings: made only by importing (the import's column screen saves them)."""

    never = frozenset({"add"})


class OfficePolicy(ScopedPermissionPolicy):
    """Office settings of the registry (operator areas, e-mail texts, coverage targets): model
    permissions only."""


class EvaluationReportPolicy(ScopedPermissionPolicy):
    """Reports of the whole kabupaten for the office; a kecamatan's for whoever covers it.
    A finalised report is changed by nobody: its figures are the record of the period."""

    never = frozenset({"delete"})

    def scope(self, user, action, queryset):
        if action != "view":
            queryset = queryset.filter(finalised_at__isnull=True)
        if sees_all_kecamatan(user):
            return queryset
        return queryset.filter(kecamatan__in=area_kecamatan_ids(user))


# --- The policies, one per model, registered with Wagtail in SmeRegistryConfig.ready() -------


def _policy(model_name, cls):
    return cls(f"sme_registry.{model_name}")


business_policy = _policy("Business", BusinessPolicy)
owner_policy = _policy("Owner", OwnerPolicy)
outreach_policy = _policy("OutreachSession", OutreachSessionPolicy)
mentoring_policy = _policy("MentoringVisit", MentoringVisitPolicy)
staff_area_policy = _policy("StaffArea", OfficePolicy)
email_template_policy = _policy("EmailTemplate", OfficePolicy)
coverage_target_policy = _policy("CoverageTarget", OfficePolicy)
import_batch_policy = _policy("ImportBatch", ImportBatchPolicy)
import_mapping_policy = _policy("ImportMapping", ImportMappingPolicy)
evaluation_report_policy = _policy("EvaluationReport", EvaluationReportPolicy)
boundary_file_policy = _policy("BoundaryFile", OfficePolicy)

POLICIES = {
    "Business": business_policy,
    "Owner": owner_policy,
    "OutreachSession": outreach_policy,
    "MentoringVisit": mentoring_policy,
    "StaffArea": staff_area_policy,
    "EmailTemplate": email_template_policy,
    "CoverageTarget": coverage_target_policy,
    "ImportBatch": import_batch_policy,
    "ImportMapping": import_mapping_policy,
    "EvaluationReport": evaluation_report_policy,
    "BoundaryFile": boundary_file_policy,
}


# --- Shortcuts used across the app ------------------------------------------------------------

scoped_businesses = business_policy.scoped
scoped_owners = owner_policy.scoped
scoped_outreach_sessions = outreach_policy.scoped
scoped_mentoring_visits = mentoring_policy.scoped


def placeable_kecamatan(user, queryset=None):
    """The kecamatan in which the user may enter or move a record (a form's choices)."""
    from sme_registry.models import Kecamatan

    queryset = Kecamatan.objects.all() if queryset is None else queryset
    if sees_all_kecamatan(user):
        return queryset
    return queryset.filter(pk__in=area_kecamatan_ids(user))


def check_placement(user, kecamatan_id, field="kecamatan"):
    """The service-side check behind every kecamatan choice: raise unless the user may use it.

    `user` None is the public (or a command acting for the office): no restriction.
    """
    from django.core.exceptions import ValidationError

    if user is None or kecamatan_id is None:
        return
    if not placeable_kecamatan(user).filter(pk=kecamatan_id).exists():
        raise ValidationError(
            {field: _("You can only enter records in your own kecamatan.")}, code="out_of_area"
        )


def mentoring_businesses(user, queryset=None):
    """Businesses the user may record a mentoring visit for."""
    from sme_registry.models import Business

    queryset = Business.objects.all() if queryset is None else queryset
    if not mentoring_policy.user_has_permission(user, "add"):
        return queryset.none()
    if sees_all_kecamatan(user):
        return queryset
    return queryset.filter(mentor=user)


def mentor_candidates():
    """Active users who may be a business's mentor: the choices when one is assigned."""
    return users_with_permission(MENTOR_BUSINESS).order_by("first_name", "last_name", "username")


def outreach_staff_candidates():
    """Active users with a registry role: who may be named as staff of an outreach session."""
    return users_with_permission("wagtailadmin.access_admin").order_by(
        "first_name", "last_name", "username"
    )
