"""Admin wiring for attendance, check-in and certificates (loaded by wagtail_hooks).

A "Trainings" submenu collects the training tools; other parts add their own
items to it through the `register_training_menu_item` hook.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.log_actions import LogFormatter

from training_pages import attendance, certificates, permissions
from training_pages.models import ParticipantStatus
from training_pages.views import attendance_admin, certificate_admin

TRAINING_MENU_HOOK = "register_training_menu_item"


@hooks.register("register_admin_urls")
def attendance_admin_urls():
    return [
        path("training/attendance/", attendance_admin.activity_list, name="training_attendance"),
        path(
            "training/attendance/session/<int:session_id>/",
            attendance_admin.session_sheet,
            name="training_attendance_sheet",
        ),
        path(
            "training/attendance/<int:page_id>/certificates/",
            attendance_admin.issue_certificates,
            name="training_certificates_issue",
        ),
        path("training/check-in/<str:token>/", attendance_admin.check_in, name="training_check_in"),
        path(
            "training/certificates/revoke/<int:pk>/",
            certificate_admin.revoke,
            name="training_certificate_revoke",
        ),
    ]


@hooks.register("register_admin_viewset")
def certificate_viewset():
    return certificate_admin.certificate_viewset


@hooks.register("register_admin_menu_item")
def training_menu():
    return SubmenuMenuItem(
        _("Trainings"),
        Menu(register_hook_name=TRAINING_MENU_HOOK),
        name="training",
        icon_name="calendar",
        order=160,
    )


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        self.check = check
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return self.check(request.user)


@hooks.register(TRAINING_MENU_HOOK)
def attendance_menu_item():
    return PermissionMenuItem(
        _("Attendance"),
        reverse("training_attendance"),
        name="attendance",
        icon_name="tick",
        order=200,
        check=permissions.can_view,
    )


@hooks.register(TRAINING_MENU_HOOK)
def certificates_menu_item():
    return PermissionMenuItem(
        _("Certificates"),
        reverse("training_certificates:index"),
        name="certificates",
        icon_name="doc-full",
        order=300,
        check=lambda user: user.has_perm("training_pages.view_certificate"),
    )


class TrainingLogFormatter(LogFormatter):
    """Shows which training (and session or code) an entry in a business's history is about."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        details = [data.get(key) for key in ("training", "session", "code") if data.get(key)]
        if data.get("status"):
            details.append(ParticipantStatus(data["status"]).label)
        return f"{self.label}: {' – '.join(str(d) for d in details)}" if details else self.label


LOG_ACTIONS = {
    attendance.ATTENDANCE_RECORDED: _("Recorded as present"),
    attendance.ATTENDANCE_REMOVED: _("Attendance removed"),
    attendance.ATTENDANCE_SETTLED: _("Attendance settled"),
    certificates.CERTIFICATE_ISSUED: _("Certificate issued"),
    certificates.CERTIFICATE_REVOKED: _("Certificate revoked"),
}


@hooks.register("register_log_actions")
def attendance_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action)(
            type(
                f"Formatter_{action.rsplit('.', 1)[-1]}", (TrainingLogFormatter,), {"label": label}
            )
        )
