"""A staff session left alone ends; a visitor's language choice stays."""

import time

import pytest

from django.urls import reverse

from core import roles
from core.middleware import SessionIdleTimeoutMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = SessionIdleTimeoutMiddleware.KEY


@pytest.fixture
def editor():
    return UserFactory(username="redaksi", role=roles.EDITOR)


def last_seen(client, seconds_ago):
    session = client.session
    session[KEY] = int(time.time() - seconds_ago)
    session.save()


def test_an_idle_staff_session_ends_and_says_why_in_indonesian(client, editor, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200

    last_seen(client, 1801)
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("wagtailadmin_login"))
    assert "Anda telah keluar karena sesi terlalu lama tidak aktif." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_open_and_is_renewed(client, editor, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    client.force_login(editor)
    client.get("/admin/")
    last_seen(client, 1700)
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session[KEY] < 60


def test_signing_in_starts_the_clock(client, editor, settings):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("wagtailadmin_login"), {"username": "redaksi", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert time.time() - client.session[KEY] < 60


def test_the_editors_own_pings_are_not_activity(client, editor, settings, home_page):
    settings.SESSION_IDLE_SECONDS = 1800
    client.force_login(editor)
    client.get("/admin/")
    last_seen(client, 600)
    before = client.session[KEY]
    ping = reverse(
        "wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", home_page.pk, 0]
    )
    client.post(ping)
    assert client.session[KEY] == before


def test_the_language_choice_outlives_the_staff_session(client, editor, settings):
    settings.SESSION_IDLE_SECONDS = 1800
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(editor)
    client.get("/")
    last_seen(client, 1801)

    response = client.get("/")

    assert "_auth_user_id" not in client.session  # signed out
    assert response["Content-Language"] == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # neither reset nor deleted
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_visitor_gets_no_session_for_it(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_zero_turns_the_idle_limit_off(client, editor, settings):
    settings.SESSION_IDLE_SECONDS = 0
    client.force_login(editor)
    last_seen(client, 10 * 24 * 3600)
    assert client.get("/admin/").status_code == 200
