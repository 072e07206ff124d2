"""The validation journey across the public site and the Wagtail admin, in Chromium."""

import re

import pytest

from django.core import mail

from core import roles
from sme_registry.models import Business, Status
from tests.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.sme_registry.factories import CIBINONG, RegistrationPageFactory
from tests.sme_registry.test_browser_registration import fill_registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def staff(db):
    operator = UserFactory(username="operator", role=roles.OPERATOR, kecamatan=CIBINONG)
    validator = UserFactory(username="validator", role=roles.VALIDATOR)
    return operator, validator


def new_tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def workflow_action(page, business, label, reason=None):
    page.goto(f"/admin/registry/businesses/edit/{business.pk}/")
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    # Wait for the page the action leads to: "network idle" alone can come before the
    # POST has even left on a busy machine.
    if reason is None:
        with page.expect_navigation():
            page.get_by_role("button", name=label, exact=True).click()
    else:
        page.get_by_role("button", name=label, exact=True).click()
        dialog = page.get_by_role("dialog")
        dialog.locator("textarea").fill(reason)
        with page.expect_navigation():
            dialog.locator("button[type=submit], input[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def test_register_check_request_changes_fix_and_validate(
    browser, live_server, home_page, staff, settings
):
    settings.FORM_MIN_FILL_SECONDS = 1
    RegistrationPageFactory(parent=home_page)
    operator, validator = staff
    applicant = new_tab(browser, live_server)
    code = fill_registration(applicant)
    business = Business.objects.get()

    admin = new_tab(browser, live_server)
    log_in(admin, "operator")
    workflow_action(admin, business, "Setujui")
    assert Business.objects.get().status == Status.IN_REVIEW

    reviewer = new_tab(browser, live_server)
    log_in(reviewer, "validator")
    workflow_action(
        reviewer, business, "Minta perbaikan", "Tahun mulai usaha keliru, mohon diperiksa."
    )
    assert Business.objects.get().status == Status.CHANGES_REQUESTED

    # The applicant gets the reason and a private link, and fixes the same record.
    message = next(m for m in mail.outbox if "Tahun mulai usaha keliru" in m.body)
    link = re.search(r"https?://\S+/perbarui/\S+/", message.body).group(0)
    applicant.goto(link.replace("http://testserver", live_server.url))
    applicant.get_by_role("link", name="Perbarui usaha ini").click()
    applicant.get_by_label("Tahun mulai usaha").fill("2017")
    applicant.wait_for_timeout(1100)
    applicant.get_by_role("button", name="Kirim perubahan").click()
    assert "Perubahan terkirim" in applicant.content()
    assert Business.objects.get().status == Status.IN_REVIEW

    # The reviewer sees exactly what changed since the last review, then approves.
    reviewer.goto("/admin/registry/businesses/")
    compare_link = reviewer.get_by_role("link", name="Perubahan sejak pemeriksaan terakhir")
    reviewer.goto(compare_link.get_attribute("href"))
    compare = reviewer.locator("main").inner_text()
    assert "2017" in compare and "2019" in compare
    assert_accessible(applicant)
    # The kecamatan approved the version before the fix: after PUM approves the
    # fix, the kecamatan checks it again, and only then is it validated.
    workflow_action(reviewer, business, "Setujui")
    assert Business.objects.get().status == Status.SUBMITTED
    assert not Business.objects.get().live
    workflow_action(admin, business, "Setujui")
    validated = Business.objects.get()
    assert validated.live and validated.status == Status.VALIDATED
    assert validated.year_started == 2017

    applicant.goto(f"/daftar/status/?code={code}")
    assert "Tervalidasi" in applicant.locator(".status-result").inner_text()
