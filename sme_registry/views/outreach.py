"""Outreach sessions: the public short link, the printable QR poster and the report."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core import qr, site
from sme_registry import links, permissions, selectors
from sme_registry.models import Business, OutreachSession

REPORT_MONTHS = 12


def short_link(request, code):
    """/r/<code>/: the registration form, remembering the outreach session."""
    session = selectors.outreach_session_for_code(code)
    page = selectors.registration_page_for(request) if session is not None else None
    if page is None:
        raise Http404
    return redirect(page.url + "?" + urlencode({"ref": session.referral_code}))


def _require_view(request):
    if not request.user.has_perm("sme_registry.view_outreachsession"):
        raise PermissionDenied


def poster(request, pk):
    """An A4 poster to print and put up at the session: QR code, short link, call to register."""
    _require_view(request)
    session = get_object_or_404(
        permissions.scoped_outreach_sessions(
            request.user, OutreachSession.objects.select_related("kecamatan", "desa")
        ),
        pk=pk,
    )
    link = links.outreach_link(session, request)
    svg = qr.svg(link, title=_("QR code for %(link)s") % {"link": link}, scale=10)
    return TemplateResponse(
        request,
        "sme_registry/admin/outreach_poster.html",
        {
            "session": session,
            "link": link,
            "qr_svg": svg,
            "office_name": site.office_name(request),
        },
    )


def _month_starts(today, count):
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def report(request):
    """Registrations attributed to outreach: per session, and per kecamatan per month."""
    _require_view(request)
    sessions = permissions.scoped_outreach_sessions(request.user)
    counted = Q(businesses__merged_into__isnull=True)
    per_session = (
        sessions.select_related("kecamatan", "desa")
        .annotate(registrations=Count("businesses", filter=counted))
        .order_by("-date", "-pk")
    )
    months = _month_starts(timezone.localdate(), REPORT_MONTHS)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    rows = (
        Business.objects.filter(
            outreach_session__in=sessions.values("pk"),
            merged_into__isnull=True,
            submitted_at__gte=since,
        )
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", "outreach_session__kecamatan__name")
        .annotate(count=Count("pk"))
        .order_by()
    )
    table = defaultdict(dict)
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        table[row["outreach_session__kecamatan__name"]][month] = row["count"]
    grid = [
        (name, [table[name].get(m, 0) for m in months], sum(table[name].values()))
        for name in sorted(table)
    ]
    totals = [sum(counts[i] for _n, counts, _t in grid) for i in range(len(months))]
    return TemplateResponse(
        request,
        "sme_registry/admin/outreach_report.html",
        {
            "header_title": _("Registrations from outreach"),
            "sessions": per_session,
            "months": months,
            "grid": grid,
            "totals": totals,
            "grand_total": sum(totals),
        },
    )
