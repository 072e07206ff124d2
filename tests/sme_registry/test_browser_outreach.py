"""The outreach poster and the mentor's dashboard in Chromium."""

import datetime

import pytest

from django.utils import timezone

from core import roles
from tests.conftest import assert_accessible
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    FollowUpFactory,
    MentoringVisitFactory,
    OutreachSessionFactory,
    RegistrationPageFactory,
)
from tests.sme_registry.test_browser_validation import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_printed_poster_leads_a_phone_to_the_registration_form(browser_page, home_page):
    RegistrationPageFactory(parent=home_page)
    session = OutreachSessionFactory(place="Aula Kantor Desa")
    UserFactory(username="admin_dinas", role=roles.ADMIN_DINAS)
    log_in(browser_page, "admin_dinas")
    browser_page.goto(f"/admin/registry/outreach-poster/{session.pk}/")
    assert browser_page.locator("main svg").is_visible()
    link = browser_page.locator(".link").inner_text()
    assert link.endswith(f"/r/{session.referral_code}/")
    assert_accessible(browser_page)
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".toolbar").is_visible()

    browser_page.set_viewport_size({"width": 360, "height": 740})
    browser_page.goto(link)
    assert browser_page.url.endswith(f"?ref={session.referral_code}")
    assert browser_page.locator("input[name=ref]").input_value() == session.referral_code


def test_the_mentor_sees_work_to_do_on_the_dashboard(browser_page, db):
    mentor = UserFactory(username="pendamping", role=roles.MENTOR)
    today = timezone.localdate()
    visit = MentoringVisitFactory(
        business=BusinessFactory(mentor=mentor, name="Keripik Mak Euis"),
        next_visit_on=today + datetime.timedelta(days=3),
    )
    FollowUpFactory(visit=visit, action="Urus PIRT", due_on=today - datetime.timedelta(days=2))
    log_in(browser_page, "pendamping")
    panel = browser_page.locator("#mentoring-section")
    assert "Urus PIRT" in panel.inner_text()
    assert "Keripik Mak Euis" in panel.inner_text()
    assert_accessible(browser_page)
