import pytest

from django.utils.html import escape
from django.utils.translation import gettext, override

from sme_registry import links
from sme_registry.models import Business, RegistrationDraft
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.flow import answers, register, spam_fields
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from training_pages.models import Participant, ParticipantStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    return TrainingPageFactory(parent=index, capacity=10)


def sign_up_url(page):
    return page.url + "daftar/"


def test_a_registered_business_signs_up_with_its_tracking_code(client, training):
    business = BusinessFactory(validated=True)
    response = client.post(
        sign_up_url(training),
        {"tracking_code": business.tracking_code_display.lower(), **spam_fields()},
    )
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/peserta/{participant.token}/")
    assert participant.business == business
    assert participant.status == ParticipantStatus.REGISTERED
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Tempat Anda sudah pasti" in html
    assert business.name in html
    assert page["Cache-Control"] == "private, no-store"


def test_a_tracking_code_never_opens_a_participation_it_did_not_create(client, training):
    participant = ParticipantFactory(page=training)
    business = participant.business
    response = client.post(
        sign_up_url(training), {"tracking_code": business.tracking_code, **spam_fields()}
    )
    html = response.content.decode()
    # The form again, with the message: no way to the private page (or its cancel button).
    assert response.status_code == 200
    assert participant.token not in html and "peserta/" not in html
    with override("id"):
        message = gettext(
            "This business is already signed up for this activity. The owner can see "
            "and change the sign-up through the private link in the confirmation message "
            "or on the owner's page."
        )
    assert escape(message) in html
    assert Participant.objects.get() == participant
    # The owner's private link still leads there.
    signed = links.make_owner_token(business.owner)
    response = client.post(sign_up_url(training), {"tautan": signed, "business": business.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/peserta/{participant.token}/")


def test_an_unknown_tracking_code_is_reported_beside_the_field_and_kept(client, training):
    response = client.post(
        sign_up_url(training),
        {"tracking_code": "ZZZZ-ZZZZ-ZZZZ", "attendee_name": "Ujang", **spam_fields()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kami tidak mengenal kode pelacakan ini" in html
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in html and 'value="Ujang"' in html
    assert not Participant.objects.exists()


def test_the_sign_up_page_never_asks_for_a_nik_and_offers_registration(client, training):
    RegistrationPageFactory(parent=training.get_parent().get_parent())
    html = client.get(sign_up_url(training)).content.decode()
    assert "nik" not in html.lower().replace("kami tidak pernah meminta nik", "")
    assert f"?kembali={training.pk}" in html


def test_a_visitor_registers_on_the_way_and_comes_back_to_sign_up(client, training, home_page):
    registration = RegistrationPageFactory(parent=home_page)
    data = answers()
    first = client.post(
        registration.url, {**data["pemilik"], **spam_fields(), "kembali": str(training.pk)}
    )
    assert first.status_code == 302
    draft = RegistrationDraft.objects.get()
    assert draft.data["context"]["return_page"] == training.pk
    # Walk the rest of the steps from the draft the first step created.
    for slug in ("usaha", "lokasi", "keuangan", "legalitas", "foto", "persetujuan"):
        response = client.post(registration.url + f"draf/{draft.token}/{slug}/", data[slug])
        assert response.status_code == 302, slug
    done = client.post(registration.url + f"draf/{draft.token}/periksa/", spam_fields())
    done_page = client.get(done["Location"]).content.decode()
    continue_url = training.url + f"daftar/?pendaftaran={draft.token}"
    assert continue_url in done_page

    form = client.get(continue_url).content.decode()
    business = Business.objects.get()
    assert business.name in form
    assert 'name="tracking_code"' not in form
    response = client.post(continue_url, {"pendaftaran": draft.token, **spam_fields()})
    assert response.status_code == 302
    assert Participant.objects.get().business == business


def test_a_registration_token_only_works_for_the_page_it_came_back_to(client, training, home_page):
    registration = RegistrationPageFactory(parent=home_page)
    register(client, registration)
    draft = RegistrationDraft.objects.get()
    response = client.post(
        sign_up_url(training) + f"?pendaftaran={draft.token}",
        {"pendaftaran": draft.token, **spam_fields()},
    )
    assert response.status_code == 200  # the tracking code is asked instead
    assert not Participant.objects.exists()


def test_the_owner_signs_up_from_the_private_link_in_one_tap(client, training, home_page):
    registration = RegistrationPageFactory(parent=home_page)
    business = BusinessFactory(validated=True)
    signed = links.make_owner_token(business.owner)
    owner_page = client.get(registration.url + f"perbarui/{signed}/").content.decode()
    assert training.title in owner_page
    response = client.post(sign_up_url(training), {"tautan": signed, "business": business.pk})
    assert response.status_code == 302
    assert Participant.objects.get().business == business
    owner_page = client.get(registration.url + f"perbarui/{signed}/").content.decode()
    assert "Lihat keikutsertaan Anda" in owner_page


def test_a_private_link_cannot_sign_up_someone_elses_business(client, training):
    business = BusinessFactory(validated=True)
    other = BusinessFactory(validated=True)
    signed = links.make_owner_token(business.owner)
    response = client.post(sign_up_url(training), {"tautan": signed, "business": other.pk})
    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_refusals_are_explained_on_the_form(client, home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    training = TrainingPageFactory(parent=index, eligibility="validated")
    business = BusinessFactory()  # still being checked
    response = client.post(
        sign_up_url(training), {"tracking_code": business.tracking_code, **spam_fields()}
    )
    assert "Hanya usaha yang datanya sudah divalidasi" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_full_training_puts_the_visitor_on_the_waiting_list(client, home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    training = TrainingPageFactory(parent=index, capacity=1)
    ParticipantFactory(page=training)
    business = BusinessFactory(validated=True)
    response = client.post(
        sign_up_url(training), {"tracking_code": business.tracking_code, **spam_fields()}
    )
    html = client.get(response["Location"]).content.decode()
    assert "daftar tunggu" in html and "nomor 1" in html


def test_the_meeting_link_is_shown_only_to_accepted_participants(client, home_page):
    index = TrainingIndexPageFactory(parent=home_page)
    online = TrainingPageFactory(
        parent=index,
        mode="online",
        venue_name="",
        kecamatan=None,
        online_link="https://meet.example.org/rahasia-umkm",
        capacity=1,
    )
    accepted = ParticipantFactory(page=online)
    waiting = ParticipantFactory(page=online, status=ParticipantStatus.WAITLISTED)
    assert "rahasia-umkm" in client.get(online.url + f"peserta/{accepted.token}/").content.decode()
    assert (
        "rahasia-umkm" not in client.get(online.url + f"peserta/{waiting.token}/").content.decode()
    )
    assert "rahasia-umkm" not in client.get(online.url).content.decode()


def test_a_participant_cancels_after_confirming_and_the_queue_moves(client, training):
    training.capacity = 1
    training.save()
    participant = ParticipantFactory(page=training)
    waiting = ParticipantFactory(page=training, status=ParticipantStatus.WAITLISTED)
    url = training.url + f"peserta/{participant.token}/"
    unconfirmed = client.post(url, {"action": "cancel"})
    assert "Centang kotak" in unconfirmed.content.decode()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REGISTERED
    response = client.post(url, {"action": "cancel", "confirm": "yes"})
    assert response.status_code == 302
    participant.refresh_from_db()
    waiting.refresh_from_db()
    assert participant.status == ParticipantStatus.CANCELLED
    assert waiting.status == ParticipantStatus.REGISTERED


def test_an_unknown_participation_token_is_not_found(client, training):
    assert client.get(training.url + "peserta/" + "x" * 32 + "/").status_code == 404


def test_sign_up_attempts_are_rate_limited(client, training, settings):
    settings.TRAINING_SIGN_UPS_PER_HOUR = 2
    for _ in range(2):
        client.post(sign_up_url(training), {"tracking_code": "ZZZZ", **spam_fields()})
    response = client.post(sign_up_url(training), {"tracking_code": "ZZZZ", **spam_fields()})
    assert response.status_code == 429


def test_the_participant_page_carries_the_check_in_code_then_certificate_and_feedback(
    client, home_page, admin_user
):
    from tests.content.factories import FormPageFactory
    from training_pages import attendance, certificates

    index = TrainingIndexPageFactory(parent=home_page)
    feedback = FormPageFactory(parent=home_page, title="Umpan balik", slug="umpan-balik")
    coming = TrainingPageFactory(parent=index, capacity=1)
    seated = ParticipantFactory(page=coming)
    waiting = ParticipantFactory(page=coming, status=ParticipantStatus.WAITLISTED)
    html = client.get(coming.url + f"peserta/{seated.token}/").content.decode()
    assert 'class="checkin-qr"' in html and "<svg" in html.split('class="checkin-qr"')[1]
    waiting_html = client.get(coming.url + f"peserta/{waiting.token}/").content.decode()
    assert 'class="checkin-qr"' not in waiting_html

    done = TrainingPageFactory(
        parent=index, sessions=[-2], gives_certificate=True, feedback_page=feedback
    )
    came = ParticipantFactory(page=done)
    attendance.record_attendance(came, done.sessions.get(), method="list", user=admin_user)
    attendance.settle_attendance(done)
    certificates.issue_certificates(done, user=admin_user)
    came.refresh_from_db()
    html = client.get(done.url + f"peserta/{came.token}/").content.decode()
    assert came.certificate.code_display in html
    assert done.url + f"peserta/{came.token}/sertifikat/" in html
    assert feedback.url in html
    assert 'class="checkin-qr"' not in html
