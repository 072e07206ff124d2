"""Analisis: the registry's figures, its growth, programme outcomes and data quality,
filtered from the address (`sme_registry.analysis`, `.growth`, `.outcomes`, `.quality`)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sme_registry import analysis, growth, outcomes, outreach_figures, permissions, quality


def open_screen(request, module):
    """The filters from the address and the screen's kept figures, for a user who may see them."""
    if not permissions.can_view_analysis(request.user):
        raise PermissionDenied
    form = module.FilterForm(request.GET or None, request.user)
    filters = form.filters()
    return form, filters, module.Screen(request.user, filters)


def common_context(form, filters, screen):
    """What every screen's header and notices show."""
    return {
        "form": form,
        "applied": _applied(form, filters),
        "facts": screen.facts(),
        "total_hidden": screen.total_hidden,
        "computed_at": screen.computed_at,
        "refreshing": screen.refreshing,
        "suppressed": screen.suppressed,
        "linked": screen.linked,
    }


def registry(request):
    form, filters, screen = open_screen(request, analysis)
    coverage = screen.coverage()
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/registry.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: registry"),
            "figures": screen.figures(),
            "backlog": screen.backlog(),
            "coverage": coverage,
            "any_target": any(row["estimate"] for row in coverage),
            "can_edit_targets": permissions.coverage_target_policy.user_has_permission(
                request.user, "change"
            ),
            "late_after_days": analysis.LATE_AFTER_DAYS,
            "total": screen.numbers["total"],
            "list_url": screen._list_link(),
        },
    )


def _applied(form, filters):
    """The filters in words, for the screen's summary and each figure's "what this counts"."""
    applied = []
    for name, value in filters.items():
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            value = date_format(value, "j F Y")
        applied.append(f"{field.label}: {value}")
    return applied


def growth_view(request):
    form, filters, screen = open_screen(request, growth)
    scales, transitions = screen.transitions()
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/growth.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: growth"),
            "measures": screen.measures(),
            "scales": scales,
            "transitions": transitions,
            "measured": screen.numbers["measured"],
        },
    )


def quality_view(request):
    form, filters, screen = open_screen(request, quality)
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/quality.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: data quality"),
            "checks": screen.checks(),
            "total": screen.numbers["total"],
        },
    )


def outcomes_view(request):
    form, filters, screen = open_screen(request, outcomes)
    programme = form.offered.get(filters.get("programme"))
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/outcomes.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: programme outcomes"),
            "programme": programme,
            "comparison": screen.comparison() if programme else [],
            "measured": screen.numbers["measured"],
        },
    )


def outreach_view(request):
    form, filters, screen = open_screen(request, outreach_figures)
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/outreach.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: outreach"),
            "grid": screen.grid(),
            "sessions": screen.sessions(),
            "sessions_total": screen.numbers["sessions"],
            "sessions_listed": outreach_figures.SESSIONS_LISTED,
        },
    )
