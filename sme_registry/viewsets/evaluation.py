"""Evaluation reports (laporan evaluasi) in the admin, under *Analisis*."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import (
    CreateView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from core.viewsets import ScopedAdminModelForm, ScopedViewSetMixin
from sme_registry import evaluation, permissions
from sme_registry.models import EvaluationReport


class EvaluationReportForm(ScopedAdminModelForm):
    """A kecamatan's report only for a kecamatan the user covers (the field's choices)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = permissions.placeable_kecamatan(self.for_user)
        self.fields["kecamatan"].empty_label = _("The whole kabupaten")


class EvaluationReportCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class EvaluationReportIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Compare periods"),
                url=reverse("sme_registry_evaluation_compare"),
                icon_name="table",
            ),
        ]


class EvaluationReportInspectView(InspectView):
    """The report as it reads: its figures (stored once final, live for a draft) and text."""

    template_name = "sme_registry/admin/evaluation/inspect.html"

    @cached_property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                _("Printable version"),
                url=reverse("sme_registry_evaluation_print", args=[self.object.pk]),
                icon_name="doc-full",
            )
        ]
        if can_finalise(self.request.user, self.object):
            buttons.append(
                HeaderButton(
                    _("Finalise"),
                    url=reverse("sme_registry_evaluation_finalise", args=[self.object.pk]),
                    icon_name="lock",
                )
            )
        return [*super().header_buttons, *buttons]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(report_context(self.request.user, self.object))
        return context


def can_finalise(user, report):
    return (
        not report.is_final
        and permissions.evaluation_report_policy.scoped(user, action="change")
        .filter(pk=report.pk)
        .exists()
    )


def report_context(user, report):
    """What the inspect, print and comparison pages share; `report` may be None."""
    suppressed = not permissions.business_policy.user_has_permission(user, "view")
    return {
        "report": report,
        "sections": evaluation.rendered(report, suppressed) if report else None,
        "suppressed": suppressed,
    }


class EvaluationReportViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = EvaluationReport
    icon = "doc-full"
    menu_label = _("Evaluation reports")
    add_to_admin_menu = False  # under Analisis (`wagtail_hooks`)
    url_prefix = "analysis/reports"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = EvaluationReportIndexView
    add_view_class = EvaluationReportCreateView
    inspect_view_class = EvaluationReportInspectView
    list_display = [
        "title",
        Column(
            "period",
            label=_("Period"),
            accessor=lambda r: f"{r.period_start:%d-%m-%Y} – {r.period_end:%d-%m-%Y}",
        ),
        Column("area", label=_("Area"), accessor=lambda r: r.kecamatan or _("The whole kabupaten")),
        Column(
            "state", label=_("State"), accessor=lambda r: _("final") if r.is_final else _("draft")
        ),
        "updated_at",
    ]
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldPanel("kecamatan"),
        FieldPanel("narrative"),
        FieldPanel("next_activities"),
    ]
    edit_handler = ObjectList(panels, base_form_class=EvaluationReportForm)

    def listing_queryset(self, queryset):
        return queryset.select_related("kecamatan")
