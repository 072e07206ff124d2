"""Analisis: the registry's figures, filtered from the address (`sme_registry.analysis`)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sme_registry import analysis, permissions


def registry(request):
    if not permissions.can_view_analysis(request.user):
        raise PermissionDenied
    form = analysis.FilterForm(request.GET or None, request.user)
    filters = form.filters()
    screen = analysis.Screen(request.user, filters)
    coverage = screen.coverage()
    applied = []
    for name, value in filters.items():
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            value = date_format(value, "j F Y")
        applied.append(f"{field.label}: {value}")
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/registry.html",
        {
            "header_title": _("Analysis: registry"),
            "form": form,
            "figures": screen.figures(),
            "facts": screen.facts(),
            "backlog": screen.backlog(),
            "coverage": coverage,
            "any_target": any(row["estimate"] for row in coverage),
            "can_edit_targets": permissions.coverage_target_policy.user_has_permission(
                request.user, "change"
            ),
            "late_after_days": analysis.LATE_AFTER_DAYS,
            "total": screen.numbers["total"],
            "total_hidden": screen.total_hidden,
            "computed_at": screen.computed_at,
            "refreshing": screen.refreshing,
            "applied": applied,
            "suppressed": screen.suppressed,
            "linked": screen.linked,
            "list_url": screen._list_link(),
        },
    )
