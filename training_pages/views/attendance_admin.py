"""Attendance in the Wagtail admin: the activity list, the tick list per session,
the QR check-in at the door and issuing certificates after the activity.

Plain POST forms that work without JavaScript; the rules are in
`training_pages.attendance` and `training_pages.certificates`.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme_registry import permissions as registry_permissions
from training_pages import attendance, certificates, permissions
from training_pages.models import ActivityPage, ActivitySession, Attendance, Participant
from training_pages.models.participants import ACCEPTED_STATUSES


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def activity_list(request):
    """Today's and coming activities first, then the past ones, newest first."""
    _require(permissions.can_view(request.user))
    start_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    activities = permissions.scoped_activities(
        request.user, ActivityPage.objects.filter(starts_at__isnull=False)
    ).annotate(
        expected=Count(
            "participants", filter=Q(participants__status__in=ACCEPTED_STATUSES), distinct=True
        ),
        certificate_count=Count("participants__certificate", distinct=True),
    )
    sessions = ActivitySession.objects.annotate(present=Count("attendances")).order_by(
        "starts_at", "pk"
    )
    activities = activities.prefetch_related(Prefetch("sessions", queryset=sessions))
    current = activities.filter(ends_at__gte=start_of_today).order_by("starts_at", "pk")
    past = Paginator(activities.filter(ends_at__lt=start_of_today).order_by("-ends_at", "pk"), 20)
    return TemplateResponse(
        request,
        "training_pages/admin/activity_list.html",
        {
            "header_title": _("Attendance"),
            "current": current,
            "past": past.get_page(request.GET.get("p")),
            "today": timezone.localdate(),
            "can_issue": permissions.can_issue_certificates(request.user),
        },
    )


def session_sheet(request, session_id):
    """The list to tick for one session: every accepted participant, one checkbox each."""
    _require(permissions.can_view(request.user))
    session = get_object_or_404(
        permissions.scoped_sessions(request.user, ActivitySession.objects.select_related("page")),
        pk=session_id,
    )
    can_edit = permissions.can_take_attendance(request.user)
    if request.method == "POST":
        _require(can_edit)
        added, removed = attendance.save_sheet(
            session, _ids(request.POST.getlist("present")), user=request.user
        )
        messages.success(
            request,
            _("Attendance saved: %(added)s added, %(removed)s removed.")
            % {"added": added, "removed": removed},
        )
        return redirect(reverse("training_attendance_sheet", args=[session.pk]))
    participants = list(attendance.sheet_participants(session.page))
    recorded = dict(session.attendances.values_list("participant_id", "method"))
    show_pii = registry_permissions.can_see_personal_data(request.user)
    rows = [
        {
            "participant": p,
            "present": p.pk in recorded,
            "method": Attendance.Method(recorded[p.pk]).label if p.pk in recorded else "",
            "phone": p.business.owner.phone if show_pii else p.business.owner.masked_phone,
        }
        for p in participants
    ]
    return TemplateResponse(
        request,
        "training_pages/admin/session_sheet.html",
        {
            "header_title": _("Attendance list"),
            "session": session,
            "activity": session.page,
            "rows": rows,
            "present_count": sum(r["present"] for r in rows),
            "expected_count": len(rows),
            "can_edit": can_edit,
        },
    )


def _ids(values):
    return [int(v) for v in values if v.isdigit()]


def check_in(request, token):
    """Where the door staff land after scanning a participant's QR code."""
    _require(permissions.can_take_attendance(request.user))
    # Attendance is taken by whoever runs the activity, so the activity's scope applies.
    participant = get_object_or_404(
        Participant.objects.select_related("page", "business__owner").filter(
            page__in=permissions.scoped_activities(request.user).values("pk")
        ),
        token=token,
    )
    page = participant.page
    sessions = page.ordered_sessions()
    if request.method == "POST":
        session = next((s for s in sessions if str(s.pk) == request.POST.get("session")), None)
        if session is None:
            messages.error(request, _("Choose the session to record."))
        else:
            try:
                created = attendance.record_attendance(
                    participant, session, method=Attendance.Method.QR, user=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                name = participant.display_name
                if created:
                    messages.success(
                        request,
                        _("%(name)s is recorded as present at %(session)s.")
                        % {"name": name, "session": session},
                    )
                else:
                    messages.info(
                        request,
                        _("%(name)s was already recorded as present at %(session)s.")
                        % {"name": name, "session": session},
                    )
        return redirect(reverse("training_check_in", args=[token]))
    candidates = attendance.sessions_for_check_in(page)
    recorded = set(participant.attendances.values_list("session_id", flat=True))
    return TemplateResponse(
        request,
        "training_pages/admin/check_in.html",
        {
            "header_title": _("Check-in"),
            "participant": participant,
            "activity": page,
            "candidates": candidates,
            "choices": candidates or sessions,
            "recorded": recorded,
            "all_recorded": bool(candidates) and all(s.pk in recorded for s in candidates),
        },
    )


def issue_certificates(request, page_id):
    """Settle attendance and issue the certificates, once the activity has ended."""
    _require(permissions.can_issue_certificates(request.user))
    page = get_object_or_404(permissions.scoped_activities(request.user), pk=page_id)
    if request.method != "POST":
        return redirect(reverse("training_attendance"))
    if not page.gives_certificate:
        messages.error(request, _("This activity gives no certificates."))
    elif not page.is_past:
        messages.error(request, _("Certificates can be issued once the last session has ended."))
    else:
        attendance.settle_attendance(page)
        issued = certificates.issue_certificates(page, user=request.user)
        messages.success(
            request,
            _("%(count)s certificate(s) issued for %(title)s.")
            % {"count": issued, "title": page.title},
        )
    return redirect(reverse("training_attendance"))
