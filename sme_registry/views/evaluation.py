"""An evaluation report's printable page and its finalising (`sme_registry.evaluation`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import site
from sme_registry import evaluation, permissions
from sme_registry.models import EvaluationReport
from sme_registry.viewsets.evaluation import report_context


def _inspect_url(report):
    return reverse("wagtailsnippets_sme_registry_evaluationreport:inspect", args=[report.pk])


def print_view(request, pk):
    """The report alone on A4, for paper or a PDF from the browser's print dialog."""
    report = permissions.evaluation_report_policy.get_object(
        request.user,
        "view",
        EvaluationReport.objects.select_related("kecamatan", "finalised_by"),
        pk=pk,
    )
    return TemplateResponse(
        request,
        "sme_registry/admin/evaluation/print.html",
        {
            **report_context(request.user, report),
            "office_name": site.office_name(request),
            "printed_at": timezone.now(),
        },
    )


def finalise_view(request, pk):
    """Asks first; the POST stores the figures. A final report, like a report the user may
    only read, answers 403 (and one outside the user's area 404)."""
    report = permissions.evaluation_report_policy.get_object(request.user, "change", pk=pk)
    if request.method == "POST":
        evaluation.finalise(report, user=request.user)
        messages.success(
            request, _("“%(title)s” is final: its figures are stored.") % {"title": report.title}
        )
        return redirect(_inspect_url(report))
    return TemplateResponse(
        request,
        "sme_registry/admin/evaluation/finalise.html",
        {
            "report": report,
            "header_title": _("Finalise the report"),
            "back_url": _inspect_url(report),
        },
    )


class CompareForm(forms.Form):
    """Two to six reports the user may read, chosen on the comparison page itself."""

    reports = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Reports to compare"),
        queryset=EvaluationReport.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least two reports."),
            "invalid_choice": gettext_lazy(
                "A chosen report does not exist or is not yours to read."
            ),
            "invalid_pk_value": gettext_lazy(
                "A chosen report does not exist or is not yours to read."
            ),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reports"]
        field.queryset = (
            permissions.evaluation_report_policy.scoped(user)
            .select_related("kecamatan")
            .order_by("-period_start", "title", "pk")
        )
        field.label_from_instance = _choice_label

    def clean_reports(self):
        chosen = self.cleaned_data["reports"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two reports."))
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(
                _("Choose at most %(count)s reports.") % {"count": MAX_COMPARED}
            )
        return sorted(chosen, key=lambda report: (report.period_start, report.pk))


MAX_COMPARED = 6


def _choice_label(report):
    area = report.kecamatan.name if report.kecamatan else _("The whole kabupaten")
    state = _("final") if report.is_final else _("draft, live figures")
    return (
        f"{report.title} · {report.period_start:%d-%m-%Y} – {report.period_end:%d-%m-%Y}"
        f" · {area} · {state}"
    )


def compare_view(request):
    """Periods side by side, from the stored figures of final reports (live for drafts)."""
    if not permissions.evaluation_report_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    bound = "reports" in request.GET or "compare" in request.GET
    form = CompareForm(request.GET if bound else None, user=request.user)
    chosen, table = [], None
    suppressed = report_context(request.user, None)["suppressed"]
    if bound and form.is_valid():
        chosen = form.cleaned_data["reports"]
        table = evaluation.comparison(chosen, suppressed)
    return TemplateResponse(
        request,
        "sme_registry/admin/evaluation/compare.html",
        {
            "form": form,
            "reports": chosen,
            "sections": table,
            "suppressed": suppressed,
            "header_title": _("Compare periods"),
            "header_icon": "doc-full",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {
                    "url": reverse("wagtailsnippets_sme_registry_evaluationreport:list"),
                    "label": _("Evaluation reports"),
                },
                {"url": "", "label": _("Compare periods")},
            ],
        },
    )
