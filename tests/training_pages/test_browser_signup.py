"""A visitor on a phone finds a training through the filters and signs up, in Chromium."""

import pytest

from django.core import mail

from sme_registry.models import Kecamatan
from tests.conftest import assert_accessible
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory
from training_pages.models import Participant, ParticipantStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_finds_a_training_signs_up_with_the_tracking_code_and_is_confirmed(
    browser_page, home_page
):
    RegistrationPageFactory(parent=home_page)
    index = TrainingIndexPageFactory(parent=home_page)
    citeureup = Kecamatan.objects.get(code="32.01.03")
    TrainingPageFactory(parent=index, title="Foto Produk", topics=["foto"])
    TrainingPageFactory(
        parent=index,
        title="Pengemasan Produk Pangan",
        topics=["kemasan"],
        kecamatan=citeureup,
        capacity=20,
    )
    business = BusinessFactory(
        validated=True, name="Keripik Bu Siti", owner__email="siti@example.org"
    )
    mail.outbox.clear()  # the validation notice; the sign-up's confirmation is checked below

    tab = browser_page
    tab.set_viewport_size({"width": 360, "height": 740})
    tab.goto(index.url)
    tab.locator("#id_topik").select_option("kemasan")
    tab.locator("#id_kecamatan").select_option(str(citeureup.pk))
    tab.locator("form.filter-form button[type=submit]").click()
    tab.wait_for_url("**/pelatihan/?*")
    tab.locator("article.activity-card").get_by_role(
        "link", name="Pengemasan Produk Pangan"
    ).click()
    tab.get_by_role("link", name="Daftar sekarang").click()
    assert_accessible(tab)

    # A mistyped code is explained beside the field and what was typed stays.
    tab.locator("#id_tracking_code").fill("ZZZZ-ZZZZ-ZZZZ")
    tab.locator("#id_attendee_name").fill("Siti Aminah")
    tab.wait_for_timeout(1100)
    tab.get_by_role("button", name="Daftar").click()
    assert "Kami tidak mengenal kode pelacakan ini" in tab.locator(".field--error").inner_text()
    assert tab.locator("#id_attendee_name").input_value() == "Siti Aminah"

    # The code as people type it: lower case, without dashes.
    tab.locator("#id_tracking_code").fill(business.tracking_code.lower())
    tab.wait_for_timeout(1100)
    tab.get_by_role("button", name="Daftar").click()
    tab.wait_for_url("**/peserta/*/")
    status = tab.get_by_test_id("participation-status")
    assert "Terdaftar" in status.inner_text()
    assert "Tempat Anda sudah pasti" in status.inner_text()
    assert "Siti Aminah" in tab.locator("main").inner_text()
    assert tab.locator(".checkin-qr svg").count() == 1
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(tab)

    participant = Participant.objects.get()
    assert participant.business == business
    assert participant.status == ParticipantStatus.REGISTERED
    (message,) = [m for m in mail.outbox if m.to == ["siti@example.org"]]
    assert participant.token in message.body
    assert any(name.endswith(".ics") for name, _content, _type in message.attachments)
