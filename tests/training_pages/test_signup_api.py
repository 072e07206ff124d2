"""Signing up over JSON (/api/registry/v1/activities/{id}/sign-ups/): the page's form and rules."""

import datetime
import json

import pytest

from django.core import mail
from django.utils import timezone

from wagtail.models import PageViewRestriction

from core.models import IdempotentResponse
from sme_registry.models import Status
from tests.sme_registry.factories import BusinessFactory
from tests.sme_registry.flow import spam_fields
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from training_pages.models import ActivityPage, Participant

MEETING_LINK = "https://meet.example.org/kelas-rahasia?pwd=Kode987"

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return TrainingIndexPageFactory(parent=home_page)


@pytest.fixture
def training(index):
    return TrainingPageFactory(parent=index, capacity=10, sessions=[7])


@pytest.fixture
def business():
    return BusinessFactory(
        validated=True,
        owner__full_name="Siti Aminah",
        owner__email="siti.aminah@example.org",
        owner__phone="+6281298765432",
    )


def url(page_or_id):
    pk = getattr(page_or_id, "pk", page_or_id)
    return f"/api/registry/v1/activities/{pk}/sign-ups/"


def post(client, page, body, key=None, **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url(page), json.dumps(body), content_type="application/json", **headers)


def test_a_sign_up_answers_the_state_and_the_private_participation_page(client, training, business):
    response = post(
        client,
        training,
        {"tracking_code": business.tracking_code_display, "attendee_name": "Ujang"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    participant = Participant.objects.get()
    assert set(body) == {
        "activity",
        "status",
        "status_label",
        "waiting_list_position",
        "participation_url",
        "message",
    }
    assert body["activity"] == training.pk
    assert body["status"] == "registered"
    assert body["status_label"] == "terdaftar"
    assert body["waiting_list_position"] is None
    assert body["participation_url"] == (
        f"http://testserver/pelatihan/{training.slug}/peserta/{participant.token}/"
    )
    assert body["message"] == (
        "Tempat Anda sudah pasti. Kami telah mengirim rinciannya ke email Anda, "
        "beserta berkas kalender."
    )
    assert (participant.page_id, participant.business_id) == (training.pk, business.pk)
    assert participant.attendee_name == "Ujang"
    # The private page the link names is the participant's own.
    assert client.get(body["participation_url"]).status_code == 200


def test_the_api_stores_and_notifies_exactly_what_the_page_does(
    client, index, business, django_capture_on_commit_callbacks
):
    by_page = TrainingPageFactory(parent=index, title="Kelas A", capacity=10, sessions=[7])
    by_api = TrainingPageFactory(parent=index, title="Kelas B", capacity=10, sessions=[7])
    data = {"tracking_code": business.tracking_code_display.lower(), "attendee_name": " Ujang "}
    with django_capture_on_commit_callbacks(execute=True):
        page_response = client.post(by_page.url + "daftar/", {**data, **spam_fields()})
    with django_capture_on_commit_callbacks(execute=True):
        api_response = post(client, by_api, data)
    assert page_response.status_code == 302 and api_response.status_code == 201

    def stored(page):
        return Participant.objects.filter(page=page).values(
            "business_id", "status", "attendee_name", "decided_by_id", "note"
        )

    assert list(stored(by_api)) == list(stored(by_page))
    assert list(stored(by_api)) == [
        {
            "business_id": business.pk,
            "status": "registered",
            "attendee_name": "Ujang",
            "decided_by_id": None,
            "note": "",
        }
    ]
    # One confirmation each, to the owner, naming its own activity.
    assert [m.to for m in mail.outbox] == [["siti.aminah@example.org"]] * 2
    page_mail, api_mail = mail.outbox
    assert "Kelas A" in page_mail.subject and "Kelas B" in api_mail.subject
    assert page_mail.subject.replace("Kelas A", "") == api_mail.subject.replace("Kelas B", "")


def test_a_full_activity_puts_the_business_on_the_waiting_list_with_its_place(
    client, index, business
):
    full = TrainingPageFactory(parent=index, capacity=1, sessions=[7])
    ParticipantFactory(page=full)
    response = post(client, full, {"tracking_code": business.tracking_code})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "waitlisted"
    assert body["status_label"] == "dalam daftar tunggu"
    assert body["waiting_list_position"] == 1
    assert body["message"].startswith("Kegiatan sudah penuh. Anda nomor 1 dalam daftar tunggu;")


def test_an_activity_with_approval_answers_awaiting(client, index, business):
    vetted = TrainingPageFactory(parent=index, requires_approval=True, sessions=[7])
    body = post(client, vetted, {"tracking_code": business.tracking_code}).json()
    assert (body["status"], body["status_label"]) == ("awaiting", "menunggu persetujuan")
    assert body["message"] == "Petugas akan memeriksa pendaftaran Anda dan mengabari Anda."


def test_a_retry_with_the_same_key_returns_the_first_answer_and_signs_up_once(
    client, training, business
):
    body = {"tracking_code": business.tracking_code}
    first = post(client, training, body, key="app-41c7")
    again = post(client, training, body, key="app-41c7")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Participant.objects.count() == 1
    assert IdempotentResponse.objects.count() == 1
    # Without the key, the same request is a second sign-up, which the page refuses.
    assert post(client, training, body).status_code == 409
    assert Participant.objects.count() == 1


def test_an_unknown_tracking_code_is_named_in_indonesian_and_in_english(client, training):
    body = {"tracking_code": "ZZZZ-ZZZZ-ZZZZ", "attendee_name": "x" * 101}
    response = post(client, training, body)
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"tracking_code", "attendee_name"}
    assert errors["tracking_code"]["code"] == "unknown"
    assert errors["tracking_code"]["message"] == (
        "Kami tidak mengenal kode pelacakan ini. Periksa kembali dengan bukti pendaftaran Anda."
    )
    assert errors["attendee_name"]["code"] == "max_length"

    english = post(client, training, body, HTTP_ACCEPT_LANGUAGE="en")
    errors = {e["field"]: e for e in english.json()["errors"]}
    assert errors["tracking_code"]["message"] == (
        "We do not know this tracking code. Check it against your registration."
    )
    assert errors["attendee_name"]["message"] == (
        "Ensure this value has at most 100 characters (it has 101)."
    )
    assert not Participant.objects.exists()


def test_a_missing_tracking_code_is_required(client, training):
    response = post(client, training, {"attendee_name": "Ujang"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("tracking_code", "required")
    assert error["message"] == "Isian ini wajib diisi."


def test_already_signed_up_is_refused_without_the_existing_participation(client, training):
    participant = ParticipantFactory(page=training)
    response = post(client, training, {"tracking_code": participant.business.tracking_code})
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["code"] == "already_signed_up"
    assert error["message"] == (
        "Usaha ini sudah terdaftar untuk kegiatan ini. Pemilik dapat melihat dan mengubah "
        "pendaftarannya melalui tautan pribadi di pesan konfirmasi atau di halaman pemilik."
    )
    assert participant.token.encode() not in response.content
    assert b"peserta/" not in response.content


@pytest.mark.parametrize(
    ("window", "code", "indonesian", "english"),
    [
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)},
            "closed",
            "Pendaftaran kegiatan ini sudah ditutup.",
            "Sign-up for this activity has closed.",
        ),
        (
            {"registration_opens_at": timezone.now() + datetime.timedelta(days=2)},
            "not_yet_open",
            "Pendaftaran dibuka pada ",
            "Sign-up opens on ",
        ),
    ],
    ids=["closed", "not-yet-open"],
)
def test_sign_up_outside_its_window_is_a_conflict_with_the_pages_message(
    client, index, business, window, code, indonesian, english
):
    page = TrainingPageFactory(parent=index, sessions=[7], **window)
    response = post(client, page, {"tracking_code": business.tracking_code})
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (None, code)
    assert error["message"].startswith(indonesian)
    in_english = post(
        client, page, {"tracking_code": business.tracking_code}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert in_english.json()["errors"][0]["message"].startswith(english)
    assert not Participant.objects.exists()


def test_a_business_that_may_not_take_part_is_refused(client, index):
    only_validated = TrainingPageFactory(
        parent=index, sessions=[7], eligibility=ActivityPage.Eligibility.VALIDATED
    )
    waiting = BusinessFactory()  # submitted, not yet validated
    assert waiting.status == Status.SUBMITTED
    response = post(client, only_validated, {"tracking_code": waiting.tracking_code})
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["code"] == "not_eligible"
    assert error["message"].startswith(
        "Hanya usaha yang datanya sudah divalidasi oleh Dinas yang dapat mendaftar."
    )


def test_an_activity_that_is_over_is_refused(client, index, business):
    past = TrainingPageFactory(parent=index, sessions=[-3])
    response = post(client, past, {"tracking_code": business.tracking_code})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "over"


def test_unknown_draft_and_restricted_activities_are_not_found(client, index, business):
    draft = TrainingPageFactory(parent=index, sessions=[7])
    draft.unpublish()
    members = TrainingPageFactory(parent=index, sessions=[7])
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    secret = TrainingPageFactory(parent=index, sessions=[7])
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="r4h")
    body = {"tracking_code": business.tracking_code}
    for target in (draft, members, secret, 999_999, index):
        response = post(client, target, body)
        assert response.status_code == 404, target
        assert response.json()["errors"][0]["code"] == "not_found"
    assert not Participant.objects.exists()


def test_neither_the_meeting_link_nor_personal_data_is_in_the_answer(client, index, business):
    online = TrainingPageFactory(
        parent=index,
        sessions=[7],
        mode=ActivityPage.Mode.ONLINE,
        online_link=MEETING_LINK,
        venue_name="",
        kecamatan=None,
    )
    response = post(
        client, online, {"tracking_code": business.tracking_code, "attendee_name": "Ujang Sutisna"}
    )
    assert response.status_code == 201
    raw = response.content
    owner = business.owner
    for private in (
        MEETING_LINK,
        "meet.example.org",
        "Kode987",
        owner.full_name,
        owner.nik,
        owner.email,
        owner.phone,
        "81298765432",
        business.tracking_code,
        business.tracking_code_display,
        business.name,
        "Ujang Sutisna",
    ):
        assert private.encode() not in raw, private


def test_sign_ups_share_the_pages_hourly_limit(client, index, business, settings):
    settings.TRAINING_SIGN_UPS_PER_HOUR = 1
    first = TrainingPageFactory(parent=index, sessions=[7])
    second = TrainingPageFactory(parent=index, sessions=[7])
    page_response = client.post(
        first.url + "daftar/", {"tracking_code": business.tracking_code, **spam_fields()}
    )
    assert page_response.status_code == 302
    limited = post(client, second, {"tracking_code": business.tracking_code})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    [error] = limited.json()["errors"]
    assert error["code"] == "rate_limited"
    assert error["message"] == "Terlalu banyak permintaan. Silakan coba lagi satu jam lagi."
    assert Participant.objects.filter(page=second).count() == 0
