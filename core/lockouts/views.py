"""The page a locked-out sign-in gets, and the Admin Dinas screen that lifts lockouts."""

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.lockouts import UNLOCK_PERMISSION, VIEW_PERMISSION


def _minutes():
    return int(get_cool_off().total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a sign-in past the limit gets instead of the admin.

    The same answer whether the password was right or wrong, so the page tells a
    guesser nothing.
    """
    # Each refused attempt starts the cool-off again (axes' default), so it ends from now.
    until = timezone.localtime() + get_cool_off()
    # Rendered here: axes' middleware returns it after the view, past the template-response phase.
    response = render(
        request,
        "core/login_locked.html",
        {"until": until, "login_url": reverse("wagtailadmin_login")},
        status=429,
    )
    response["Retry-After"] = str(int(get_cool_off().total_seconds()))
    response["Cache-Control"] = "no-store"
    return response


@dataclass
class Lockout:
    kind: str  # "username" or "ip"
    value: str
    failures: int
    last_attempt: datetime


def current_lockouts():
    """Accounts and client addresses past the failure limit within the cool-off period."""
    since = timezone.now() - get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    found = []
    for kind, field in (("username", "username"), ("ip", "ip_address")):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        found += [
            Lockout(kind, row[field], row["failures"], row["last"]) for row in rows if row[field]
        ]
    return found


def _check(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied


def index(request):
    _check(request.user, VIEW_PERMISSION)
    lockouts = current_lockouts()
    return TemplateResponse(
        request,
        "core/lockouts/index.html",
        {
            "header_title": _("Sign-in lockouts"),
            "header_icon": "lock",
            "accounts": [lock for lock in lockouts if lock.kind == "username"],
            "clients": [lock for lock in lockouts if lock.kind == "ip"],
            "can_unlock": request.user.has_perm(UNLOCK_PERMISSION),
            "minutes": _minutes(),
            "limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@require_POST
def unlock(request):
    """Forget the failed sign-ins of one account or one client address."""
    _check(request.user, UNLOCK_PERMISSION)
    kind = request.POST.get("kind")
    value = request.POST.get("value", "").strip()
    if kind not in ("username", "ip") or not value:
        messages.error(request, _("Choose an account or an address to unlock."))
        return redirect("core_lockouts:index")
    audit.record(request.user, audit.UNLOCK_SIGN_IN, model=AccessAttempt, kind=kind, value=value)
    if kind == "username":
        AxesProxyHandler.reset_attempts(username=value)
        messages.success(
            request, _("Sign-in for the account “%(name)s” is unlocked.") % {"name": value}
        )
    else:
        AxesProxyHandler.reset_attempts(ip_address=value)
        messages.success(
            request, _("Sign-in from the address %(address)s is unlocked.") % {"address": value}
        )
    return redirect("core_lockouts:index")
