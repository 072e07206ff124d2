from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from core.form_schema import FORM_QUESTIONS_HOOK
from sme_registry import evaluation, permissions, programmes, services, transitions
from sme_registry.api.submission import registration_questions
from sme_registry.bulk_actions import (
    ApproveBulkAction,
    AssignMentorBulkAction,
    ExportBulkAction,
    RequestChangesBulkAction,
)
from sme_registry.dashboard import add_mentoring_panel, bound_review_panel
from sme_registry.models import Business, OutreachSession, Owner
from sme_registry.views import admin as admin_views
from sme_registry.views import analysis as analysis_views
from sme_registry.views import evaluation as evaluation_views
from sme_registry.views import imports as import_views
from sme_registry.views import maps as map_views
from sme_registry.views import outreach as outreach_views
from sme_registry.viewsets import RegistryViewSetGroup
from sme_registry.viewsets.evaluation import EvaluationReportViewSet

register_snippet(RegistryViewSetGroup)
register_snippet(EvaluationReportViewSet)
hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", RequestChangesBulkAction)
hooks.register("register_bulk_action", ExportBulkAction)
hooks.register("register_bulk_action", AssignMentorBulkAction)
hooks.register("construct_homepage_panels", add_mentoring_panel)
hooks.register("construct_homepage_panels", bound_review_panel)
# The registration page's extra questions, described by GET forms/{id}/ of the registry API.
hooks.register(FORM_QUESTIONS_HOOK, registration_questions)
# Analisis → Outcomes compares mentored businesses; the trainings app adds its own.
hooks.register(programmes.PROGRAMMES_HOOK, programmes.mentoring)


@hooks.register("register_admin_urls")
def registry_admin_urls():
    return [
        path("registry/new/", admin_views.staff_entry, name="sme_registry_staff_entry"),
        path(
            "registry/files/<str:kind>/<int:pk>/",
            admin_views.private_file,
            name="sme_registry_private_file",
        ),
        path("registry/link/<int:pk>/", admin_views.owner_link, name="sme_registry_owner_link"),
        path(
            "registry/personal-data/<int:pk>/",
            admin_views.owner_personal_data,
            name="sme_registry_personal_data",
        ),
        path("registry/nik/", admin_views.nik_search, name="sme_registry_nik_search"),
        path("registry/merge/<int:pk>/", admin_views.merge, name="sme_registry_merge"),
        path("registry/archive/<int:pk>/", admin_views.archive, name="sme_registry_archive"),
        path(
            "registry/outreach-poster/<int:pk>/",
            outreach_views.poster,
            name="sme_registry_outreach_poster",
        ),
        path("registry/import/", import_views.index, name="sme_registry_import"),
        path(
            "registry/import/template.xlsx",
            import_views.template,
            name="sme_registry_import_template",
        ),
        path(
            "registry/import/<int:pk>/",
            import_views.detail,
            name="sme_registry_import_detail",
        ),
        path(
            "registry/import/<int:pk>/columns/",
            import_views.mapping,
            name="sme_registry_import_mapping",
        ),
        path(
            "registry/import/<int:pk>/progress/",
            import_views.progress,
            name="sme_registry_import_progress",
        ),
        path(
            "registry/import/<int:pk>/apply/",
            import_views.apply,
            name="sme_registry_import_apply",
        ),
        path(
            "registry/import/<int:pk>/stop/",
            import_views.cancel,
            name="sme_registry_import_cancel",
        ),
        path(
            "registry/import/<int:pk>/resume/",
            import_views.resume,
            name="sme_registry_import_resume",
        ),
        path(
            "registry/import/<int:pk>/refused.xlsx",
            import_views.refused,
            name="sme_registry_import_refused",
        ),
        path(
            "analysis/registry/",
            analysis_views.registry,
            name="sme_registry_analysis_registry",
        ),
        path(
            "analysis/growth/",
            analysis_views.growth_view,
            name="sme_registry_analysis_growth",
        ),
        path(
            "analysis/quality/",
            analysis_views.quality_view,
            name="sme_registry_analysis_quality",
        ),
        path(
            "analysis/outcomes/",
            analysis_views.outcomes_view,
            name="sme_registry_analysis_outcomes",
        ),
        path(
            "analysis/report/<int:pk>/print/",
            evaluation_views.print_view,
            name="sme_registry_evaluation_print",
        ),
        path(
            "analysis/reports-compare/",
            evaluation_views.compare_view,
            name="sme_registry_evaluation_compare",
        ),
        path(
            "analysis/report/<int:pk>/finalise/",
            evaluation_views.finalise_view,
            name="sme_registry_evaluation_finalise",
        ),
        path(
            "analysis/outreach/",
            analysis_views.outreach_view,
            name="sme_registry_analysis_outreach",
        ),
        path("analysis/map/", map_views.map_view, name="sme_registry_analysis_map"),
        path("analysis/map/data/", map_views.map_data, name="sme_registry_analysis_map_data"),
        path(
            "analysis/map/boundaries.json",
            map_views.map_boundaries,
            name="sme_registry_analysis_map_boundaries",
        ),
        path(
            "analysis/map/boundaries/upload/",
            map_views.boundary_upload,
            name="sme_registry_analysis_map_upload",
        ),
        path(
            "registry/outreach-report/",
            outreach_views.report,
            name="sme_registry_outreach_report",
        ),
    ]


class StaffEntryMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.business_policy.user_has_permission(request.user, "add")


@hooks.register("register_admin_menu_item")
def staff_entry_menu_item():
    return StaffEntryMenuItem(
        _("New registration"), reverse("sme_registry_staff_entry"), icon_name="plus", order=151
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.import_batch_policy.user_has_permission(request.user, "add")


@hooks.register(RegistryViewSetGroup.submenu_hook)
def import_menu_item():
    return ImportMenuItem(
        _("Import"), reverse("sme_registry_import"), icon_name="upload", order=900
    )


class OutreachReportMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.outreach_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_menu_item")
def outreach_report_menu_item():
    return OutreachReportMenuItem(
        _("Registrations from outreach"),
        reverse("sme_registry_outreach_report"),
        icon_name="group",
        order=153,
    )


class AnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_analysis(request.user)


# Analisis: the registry's figures; other apps add their screens under the same menu.
ANALYSIS_MENU_HOOK = "register_analysis_menu_item"
analysis_menu = Menu(register_hook_name=ANALYSIS_MENU_HOOK)


@hooks.register("register_admin_menu_item")
def analysis_menu_item():
    return SubmenuMenuItem(_("Analysis"), analysis_menu, icon_name="table", order=154)


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_registry_menu_item():
    return AnalysisMenuItem(
        _("Registry"), reverse("sme_registry_analysis_registry"), icon_name="table", order=100
    )


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_growth_menu_item():
    return AnalysisMenuItem(
        _("Growth"), reverse("sme_registry_analysis_growth"), icon_name="table", order=110
    )


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_outcomes_menu_item():
    return AnalysisMenuItem(
        _("Programme outcomes"),
        reverse("sme_registry_analysis_outcomes"),
        icon_name="table",
        order=115,
    )


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_outreach_menu_item():
    return AnalysisMenuItem(
        _("Outreach"), reverse("sme_registry_analysis_outreach"), icon_name="table", order=117
    )


class EvaluationMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.evaluation_report_policy.user_has_permission(request.user, "view")


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_reports_menu_item():
    return EvaluationMenuItem(
        _("Evaluation reports"),
        reverse("wagtailsnippets_sme_registry_evaluationreport:list"),
        icon_name="doc-full",
        order=130,
    )


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_map_menu_item():
    return AnalysisMenuItem(
        _("Map"), reverse("sme_registry_analysis_map"), icon_name="site", order=105
    )


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_quality_menu_item():
    return AnalysisMenuItem(
        _("Data quality"), reverse("sme_registry_analysis_quality"), icon_name="table", order=120
    )


class NikSearchMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_see_personal_data(request.user)


@hooks.register("register_admin_menu_item")
def nik_search_menu_item():
    return NikSearchMenuItem(
        _("Search by NIK"), reverse("sme_registry_nik_search"), icon_name="search", order=152
    )


@hooks.register("register_log_actions")
def registry_log_actions(actions):
    actions.register_action(transitions.MERGE_ACTION, _("Merge"), _("Merged with a duplicate"))
    actions.register_action(transitions.ARCHIVE_ACTION, _("Archive"), _("Archived"))
    actions.register_action(
        services.DIRECTORY_OPT_OUT,
        _("Leave the public directory"),
        _("Taken out of the public directory at the owner's request"),
    )
    actions.register_action("sme_registry.assign_mentor", _("Assign mentor"), _("Mentor assigned"))
    actions.register_action(
        evaluation.FINALISE_ACTION, _("Finalise"), _("Finalised: its figures are stored")
    )
    actions.register_action(
        services.IMPORT_VALIDATED, _("Import as validated"), _("Imported as validated")
    )

    @actions.register_action(services.IMPORT_ACTION)
    class ImportedFormatter(LogFormatter):
        label = _("Import")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            text = (
                _("Updated by import #%(batch)s: %(file)s, row %(row)s")
                if data.get("change") == "update"
                else _("Created by import #%(batch)s: %(file)s, row %(row)s")
            )
            return text % {
                "batch": data.get("batch", "?"),
                "file": data.get("file", ""),
                "row": data.get("row", "?"),
            }


# Wagtail's action menu would offer these to users who may publish or who started the
# review; the workflow owns them (`sme_registry.transitions`), so nobody sees them.
_WORKFLOW_OWNED_MENU_ITEMS = {
    "action-publish",
    "action-unpublish",
    "action-cancel-workflow",
    "action-restart-workflow",
}


@hooks.register("construct_snippet_action_menu")
def keep_the_workflow_in_charge(menu_items, request, context):
    if context.get("model") is Business:
        menu_items[:] = [i for i in menu_items if i.name not in _WORKFLOW_OWNED_MENU_ITEMS]


@hooks.register("register_snippet_listing_buttons")
def personal_data_button(snippet, user, next_url=None):
    if isinstance(snippet, Owner) and permissions.can_see_personal_data(user):
        yield ListingButton(
            _("Personal data"),
            reverse("sme_registry_personal_data", args=[snippet.pk]),
            icon_name="view",
            priority=50,
        )


@hooks.register("register_snippet_listing_buttons")
def outreach_poster_button(snippet, user, next_url=None):
    if isinstance(snippet, OutreachSession) and permissions.outreach_policy.user_has_permission(
        user, "view"
    ):
        yield ListingButton(
            _("Print poster"),
            reverse("sme_registry_outreach_poster", args=[snippet.pk]),
            icon_name="doc-full",
            priority=50,
            attrs={"target": "_blank", "rel": "noreferrer"},
        )


@hooks.register("content_home_sections")
def registration_home_section(request, home_page):
    """A box on the home page: register, check a status, update data."""
    from django.template.loader import render_to_string

    from sme_registry.models import DirectoryPage, RegistrationPage

    page = RegistrationPage.objects.live().public().descendant_of(home_page).first()
    if page is None:
        return ""
    directory = DirectoryPage.objects.live().public().descendant_of(home_page).first()
    return render_to_string(
        "sme_registry/includes/home_section.html",
        {"registration_page": page, "directory_page": directory},
        request=request,
    )


@hooks.register("seed_demo")
def seed_registry_demo(demo):
    from sme_registry.demo import seed_registry

    seed_registry(demo)
