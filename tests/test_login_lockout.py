"""Guessing passwords at /admin/login/ stops after ten tries; Admin Dinas can lift the lock."""

import datetime

import pytest
from axes.models import AccessAttempt

from django.urls import reverse
from django.utils import timezone

from core import roles
from core.lockouts import UNLOCK_PERMISSION, VIEW_PERMISSION
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LOCKED_MESSAGE = "Terlalu banyak percobaan masuk yang gagal."


@pytest.fixture
def editor():
    return UserFactory(username="redaksi", role=roles.EDITOR)


def sign_in(client, username, password, address="10.1.1.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return client.get("/admin/").status_code == 200


def test_the_eleventh_attempt_is_refused_even_with_the_right_password(client, editor):
    for attempt in range(1, 11):
        response = sign_in(client, "redaksi", f"salah-{attempt}")
        # Wrong passwords get the sign-in form again, the tenth the lockout.
        assert response.status_code == (429 if attempt == 10 else 200), attempt

    response = sign_in(client, "redaksi", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_MESSAGE in html and "dikunci sampai pukul" in html and "Admin Dinas" in html
    assert response["Retry-After"] == "1800"
    assert not signed_in(client)


def test_below_the_limit_the_right_password_still_signs_in(client, editor):
    for attempt in range(9):
        assert sign_in(client, "redaksi", f"salah-{attempt}").status_code == 200
    assert sign_in(client, "redaksi", PASSWORD).status_code == 302
    assert signed_in(client)
    # A success clears the count: the next mistakes start again from zero.
    assert not AccessAttempt.objects.filter(username="redaksi").exists()


def test_an_account_is_locked_whatever_address_the_guesses_come_from(client, editor):
    for attempt in range(10):
        sign_in(client, "Redaksi" if attempt % 2 else "REDAKSI", "salah", f"10.2.0.{attempt}")
    assert sign_in(client, "redaksi", PASSWORD, "10.9.9.9").status_code == 429


def test_one_address_guessing_many_accounts_is_locked(client, editor):
    for attempt in range(10):
        sign_in(client, f"orang{attempt}", "salah", "10.3.3.3")
    assert sign_in(client, "redaksi", PASSWORD, "10.3.3.3").status_code == 429
    # The same account from another address is not locked.
    assert sign_in(client, "redaksi", PASSWORD, "10.4.4.4").status_code == 302


def test_the_lock_lifts_by_itself_after_the_cool_off(client, editor):
    for attempt in range(10):
        sign_in(client, "redaksi", f"salah-{attempt}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, "redaksi", PASSWORD).status_code == 302


def lock_out(client, username="redaksi", address="10.1.1.1"):
    for attempt in range(10):
        sign_in(client, username, f"salah-{attempt}", address)
    assert sign_in(client, username, PASSWORD, address).status_code == 429


def test_admin_dinas_holds_the_lockout_permissions():
    admin_dinas = UserFactory(username="kepala-bidang", role=roles.ADMIN_DINAS)
    missing = [p for p in (VIEW_PERMISSION, UNLOCK_PERMISSION) if not admin_dinas.has_perm(p)]
    assert not missing, f"core.roles must give {roles.ADMIN_DINAS} {missing}"


def test_admin_dinas_sees_the_lockouts_and_unlocks_an_account(client, editor):
    lock_out(client)
    admin_dinas = UserFactory(username="kepala-bidang", role=roles.ADMIN_DINAS)
    client.force_login(admin_dinas)

    listing = client.get(reverse("core_lockouts:index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Akun yang dikunci" in html and "redaksi" in html and "10.1.1.1" in html
    dashboard = client.get("/admin/").content.decode()
    assert reverse("core_lockouts:index") in dashboard  # in the Settings menu

    response = client.post(
        reverse("core_lockouts:unlock"), {"kind": "username", "value": "redaksi"}, follow=True
    )
    assert "Akun “redaksi” sudah dapat masuk lagi." in response.content.decode()
    # Who lifted which lockout stays in the audit trail.
    from core.models import RecordLogEntry

    entry = RecordLogEntry.objects.get(action="core.unlock_sign_in")
    assert entry.user == admin_dinas
    assert entry.data == {"kind": "username", "value": "redaksi"}

    client.logout()
    # Those failures were all this account's: the address they came from is free again too.
    assert not AccessAttempt.objects.filter(username="redaksi").exists()
    assert sign_in(client, "redaksi", PASSWORD, "10.5.5.5").status_code == 302


def test_admin_dinas_unlocks_an_address(client, editor):
    for attempt in range(10):
        sign_in(client, f"orang{attempt}", "salah", "10.3.3.3")
    client.force_login(UserFactory(username="kepala-bidang", role=roles.ADMIN_DINAS))
    response = client.post(
        reverse("core_lockouts:unlock"), {"kind": "ip", "value": "10.3.3.3"}, follow=True
    )
    assert "Perangkat dengan alamat 10.3.3.3 sudah dapat masuk lagi." in response.content.decode()
    client.logout()
    assert sign_in(client, "redaksi", PASSWORD, "10.3.3.3").status_code == 302


@pytest.mark.parametrize(
    "role", [roles.VALIDATOR, roles.OPERATOR, roles.MENTOR, roles.EDITOR, roles.ANALYST]
)
def test_other_roles_can_neither_see_nor_unlock(client, editor, role):
    lock_out(client)
    client.force_login(UserFactory(username="petugas-lain", role=role, kecamatan="32.01.01"))

    assert client.get(reverse("core_lockouts:index")).status_code in (302, 403)
    response = client.post(
        reverse("core_lockouts:unlock"), {"kind": "username", "value": "redaksi"}
    )
    assert response.status_code in (302, 403)
    assert AccessAttempt.objects.filter(username="redaksi").exists()
    assert reverse("core_lockouts:index") not in client.get("/admin/").content.decode()


def test_unlocking_asks_for_a_post(client):
    client.force_login(UserFactory(username="admin-super", superuser=True))
    response = client.get(reverse("core_lockouts:unlock"), {"kind": "ip", "value": "10.1.1.1"})
    assert response.status_code == 405
