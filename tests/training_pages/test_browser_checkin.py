"""At the door: staff scan a participant's QR code, confirm, and the list shows them present."""

import pytest

from core import roles
from tests.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from tests.training_pages.staff import CIBINONG, running_session
from training_pages import qr
from training_pages.models import Attendance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_check_in_a_participant_by_qr_and_see_the_tick(browser_page, live_server, home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    training = TrainingPageFactory(parent=index, title="Pelatihan Kemasan Produk", sessions=[2])
    session = running_session(training)
    participant = ParticipantFactory(
        page=training, attendee_name="Ibu Wulan", business__name="Kue Basah Wulan"
    )
    UserFactory(username="petugas", role=roles.OPERATOR, kecamatan=CIBINONG)
    page = browser_page

    # The phone opens the address in the QR code; the admin asks to log in first.
    scanned = qr.check_in_url(participant).replace("http://testserver", live_server.url)
    page.goto(scanned)
    page.fill("#id_username", "petugas")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**/admin/training/check-in/{participant.token}/")

    main = page.locator("main")
    assert "Ibu Wulan" in main.inner_text() and "Kue Basah Wulan" in main.inner_text()
    assert page.locator(f'input[name="session"][value="{session.pk}"]').count() == 1
    assert_accessible(page)
    main.locator("form button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    success = page.locator(".messages .success")
    assert success.count() == 1 and "Ibu Wulan" in success.inner_text()
    assert Attendance.objects.get().session == session

    page.goto(f"/admin/training/attendance/session/{session.pk}/")
    box = page.locator(f'input[name="present"][value="{participant.pk}"]')
    assert box.is_checked()
    assert_accessible(page)
