"""Staff users with the office's roles, for the attendance and certificate tests."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from sme_registry import permissions
from sme_registry.models import Kecamatan, StaffArea
from training_pages.models import ActivitySession

CIBINONG = "32.01.01"


def staff_user(django_user_model, role, username=None, kecamatan_code=CIBINONG):
    user = django_user_model.objects.create_user(
        username or role.replace(" ", "_").lower(), password="rahasia-123"
    )
    user.groups.add(Group.objects.get(name=role))
    if role == permissions.OPERATOR:
        StaffArea.objects.create(user=user).kecamatan.add(
            Kecamatan.objects.get(code=kecamatan_code)
        )
    return user


def running_session(page, hours_before=1, hours_after=2):
    """A session of `page` that started a moment ago and runs on."""
    now = timezone.now()
    session = ActivitySession.objects.create(
        page=page,
        sort_order=99,
        starts_at=now - datetime.timedelta(hours=hours_before),
        ends_at=now + datetime.timedelta(hours=hours_after),
    )
    page.save()
    return session


def other_kecamatan():
    return Kecamatan.objects.exclude(code=CIBINONG).order_by("code").first()
