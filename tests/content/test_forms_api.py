"""Form-builder pages over JSON (/api/registry/v1/forms/{id}/): the page's own form, as on the page."""

import json

import pytest

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import PageViewRestriction

from content.models import FormField
from core.models import IdempotentResponse
from tests.content.factories import FormPageFactory, StandardPageFactory
from tests.content.test_form_page import filled
from tests.sme_registry.factories import RegistrationPageFactory, RegistrationQuestionFactory

pytestmark = pytest.mark.django_db


def form_url(page):
    return f"/api/registry/v1/forms/{getattr(page, 'pk', page)}/"


def submit_url(page):
    return form_url(page) + "submissions/"


@pytest.fixture
def contact(home_page):
    """The contact form: name, e-mail and message, all required (see FormPageFactory)."""
    return FormPageFactory(parent=home_page, slug="hubungi-kami")


@pytest.fixture
def survey(home_page):
    """A survey with one question of each kind the form builder has."""
    page = FormPageFactory(
        parent=home_page,
        slug="survei",
        title="Survei UMKM",
        fields=[("Nama usaha", "singleline", True)],
    )
    rows = [
        ("Cerita usaha", "multiline", False, "", "Ceritakan singkat & jelas."),
        ("Surel", "email", True, "", ""),
        ("Situs web usaha", "url", False, "", ""),
        ("Jumlah pekerja", "number", False, "", ""),
        ("Tanggal berdiri", "date", False, "", ""),
        ("Waktu kunjungan", "datetime", False, "", ""),
        ("Sektor", "dropdown", True, "Makanan\nKerajinan\nJasa", ""),
        ("Skala", "radio", False, "Mikro,Kecil", "", "Mikro"),
        ("Pasar", "checkboxes", False, "Lokal\nEkspor", "", "Lokal"),
        ("Media", "multiselect", False, "Instagram\nWhatsApp", ""),
        ("Setuju dihubungi", "checkbox", True, "", ""),
        ("Sumber", "hidden", False, "", ""),
    ]
    for order, (label, field_type, required, choices, help_text, *default) in enumerate(
        rows, start=1
    ):
        FormField.objects.create(
            default_value=default[0] if default else "",
            page=page,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            help_text=help_text,
        )
    return page


def post(client, page, answers, key=None, **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    body = json.dumps(answers)
    return client.post(submit_url(page), body, content_type="application/json", **headers)


ANSWERS = {
    "nama": "Siti Aminah",
    "alamat_e_mail": "siti.aminah@example.org",
    "pesan": "Bagaimana cara mendaftar pelatihan?",
}


def test_a_form_page_describes_its_questions_as_json_schema(client, survey):
    response = client.get(form_url(survey))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "kind", "title", "url", "submit_url", "schema"}
    assert body["id"] == survey.pk
    assert body["kind"] == "form"
    assert body["title"] == "Survei UMKM"
    assert body["url"] == "http://localhost/survei/"
    assert body["submit_url"] == f"http://testserver/api/registry/v1/forms/{survey.pk}/submissions/"
    assert body["schema"] == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": "Survei UMKM",
        "properties": {
            "nama_usaha": {
                "type": "string",
                "title": "Nama usaha",
                "maxLength": 255,
                "minLength": 1,
            },
            "cerita_usaha": {
                "type": "string",
                "title": "Cerita usaha",
                "description": "Ceritakan singkat & jelas.",
            },
            "surel": {
                "type": "string",
                "format": "email",
                "title": "Surel",
                "maxLength": 320,
                "minLength": 1,
            },
            "situs_web_usaha": {"type": "string", "format": "uri", "title": "Situs web usaha"},
            "jumlah_pekerja": {"type": "number", "title": "Jumlah pekerja"},
            "tanggal_berdiri": {"type": "string", "format": "date", "title": "Tanggal berdiri"},
            "waktu_kunjungan": {
                "type": "string",
                "format": "date-time",
                "title": "Waktu kunjungan",
            },
            "sektor": {
                "type": "string",
                "enum": ["Makanan", "Kerajinan", "Jasa"],
                "title": "Sektor",
            },
            "skala": {
                "type": "string",
                "enum": ["Mikro", "Kecil"],
                "title": "Skala",
                "default": "Mikro",
            },
            "pasar": {
                "type": "array",
                "items": {"type": "string", "enum": ["Lokal", "Ekspor"]},
                "uniqueItems": True,
                "title": "Pasar",
                "default": ["Lokal"],
            },
            "media": {
                "type": "array",
                "items": {"type": "string", "enum": ["Instagram", "WhatsApp"]},
                "uniqueItems": True,
                "title": "Media",
            },
            "setuju_dihubungi": {"type": "boolean", "title": "Setuju dihubungi", "const": True},
            "sumber": {"type": "string", "title": "Sumber"},
        },
        "required": ["nama_usaha", "surel", "sektor", "setuju_dihubungi"],
    }
    # The order of the questions is the form's.
    assert list(body["schema"]["properties"])[:3] == ["nama_usaha", "cerita_usaha", "surel"]


def test_the_form_description_gives_no_recipient_or_spam_field(client, contact):
    raw = client.get(form_url(contact)).content
    for hidden in (b"pum@example.org", b"no-reply@example.org", b"Pesan baru", b"form_token"):
        assert hidden not in raw
    assert b'"website"' not in raw


def test_the_registration_pages_extra_questions_are_described_read_only(client, home_page):
    page = RegistrationPageFactory(parent=home_page)
    RegistrationQuestionFactory(page=page, label="Dari mana Anda tahu?", required=True)
    response = client.get(form_url(page))
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "registration_questions"
    assert body["submit_url"] == "http://testserver/api/registry/v1/registrations/"
    assert body["schema"]["properties"] == {
        "dari_mana_anda_tahu": {
            "type": "string",
            "title": "Dari mana Anda tahu?",
            "maxLength": 255,
            "minLength": 1,
        }
    }
    assert body["schema"]["required"] == ["dari_mana_anda_tahu"]
    assert "`extra`" in body["schema"]["description"]
    assert "POST registrations/" in body["schema"]["description"]
    # Its answers are not taken here.
    response = post(client, page, {"dari_mana_anda_tahu": "Radio"})
    assert response.status_code == 404
    assert not FormSubmission.objects.exists()


def test_a_registration_page_without_questions_has_no_form(client, home_page):
    page = RegistrationPageFactory(parent=home_page)
    assert client.get(form_url(page)).status_code == 404


@pytest.mark.parametrize("hidden", ["draft", "login", "password", "unknown", "not_a_form"])
def test_draft_private_unknown_and_other_pages_are_not_found(client, home_page, hidden):
    page = FormPageFactory(parent=home_page, slug="rahasia")
    if hidden == "draft":
        page.unpublish()
    elif hidden in ("login", "password"):
        PageViewRestriction.objects.create(page=page, restriction_type=hidden, password="r4h")
    elif hidden == "unknown":
        page = 987_654
    else:
        page = StandardPageFactory(parent=home_page)
    for response in (client.get(form_url(page)), post(client, page, ANSWERS)):
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
    assert not FormSubmission.objects.exists()


def test_answers_are_stored_and_e_mailed_with_the_thank_you_text(
    client, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, contact, ANSWERS)
    assert response.status_code == 201, response.content
    body = response.json()
    submission = FormSubmission.objects.get()
    assert body == {
        "id": submission.pk,
        "message": "Pesan Anda sudah kami terima.",
        "thank_you_text": "<p>Pesan Anda sudah kami terima.</p>",
    }
    assert submission.page_id == contact.pk
    assert submission.form_data == ANSWERS
    assert [m.to for m in mail.outbox] == [["pum@example.org"]]
    assert "Nama: Siti Aminah" in mail.outbox[0].body


def test_the_api_stores_and_e_mails_exactly_what_the_page_does(
    client, home_page, survey, django_capture_on_commit_callbacks
):
    answers = {
        "nama_usaha": "Keripik Bu Siti",
        "cerita_usaha": "Sejak 2018.",
        "surel": "siti@example.org",
        "situs_web_usaha": "https://keripik.example.org",
        "jumlah_pekerja": 3,
        "tanggal_berdiri": "2018-05-01",
        "waktu_kunjungan": "2026-12-03T09:30:00+07:00",
        "sektor": "Makanan",
        "skala": "Mikro",
        "pasar": ["Lokal", "Ekspor"],
        "media": ["WhatsApp"],
        "setuju_dihubungi": True,
        "sumber": "poster",
    }
    as_posted = {**answers, "jumlah_pekerja": "3", "setuju_dihubungi": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        by_page = client.post(survey.url, filled(**as_posted))
    with django_capture_on_commit_callbacks(execute=True):
        by_api = post(client, survey, answers)
    assert by_page.status_code == 302 and by_api.status_code == 201, by_api.content
    from_page, from_api = FormSubmission.objects.order_by("pk")
    assert from_api.form_data == from_page.form_data
    assert from_api.form_data["pasar"] == ["Lokal", "Ekspor"]
    assert from_api.form_data["setuju_dihubungi"] is True
    page_mail, api_mail = mail.outbox
    assert (api_mail.to, api_mail.subject, api_mail.body) == (
        page_mail.to,
        page_mail.subject,
        page_mail.body,
    )


def test_a_retry_with_the_same_key_stores_once(client, contact):
    first = post(client, contact, ANSWERS, key="kirim-77")
    again = post(client, contact, ANSWERS, key="kirim-77")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert FormSubmission.objects.count() == 1
    assert IdempotentResponse.objects.count() == 1
    assert post(client, contact, ANSWERS, key="kirim-78").status_code == 201
    assert FormSubmission.objects.count() == 2


def test_each_bad_answer_is_named_in_indonesian_and_in_english(client, contact):
    bad = {"nama": "", "alamat_e_mail": "bukan-email", "pesan": "Halo"}
    response = post(client, contact, bad)
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"nama", "alamat_e_mail"}
    assert (errors["nama"]["code"], errors["nama"]["message"]) == (
        "required",
        "Isian ini wajib diisi.",
    )
    assert errors["alamat_e_mail"]["code"] == "invalid"
    assert errors["alamat_e_mail"]["message"] == (
        "Masukkan alamat e-mail yang benar, misalnya nama@contoh.com."
    )
    english = post(client, contact, bad, HTTP_ACCEPT_LANGUAGE="en")
    errors = {e["field"]: e["message"] for e in english.json()["errors"]}
    assert errors == {
        "nama": "This field is required.",
        "alamat_e_mail": "Enter a valid email address.",
    }
    assert not FormSubmission.objects.exists()


def test_an_answer_of_the_wrong_json_type_is_refused_by_name(client, survey):
    answers = {
        "nama_usaha": 12,
        "surel": "siti@example.org",
        "tanggal_berdiri": 20180501,
        "sektor": "Makanan",
        "pasar": "Lokal",
        "setuju_dihubungi": "ya",
    }
    response = post(client, survey, answers)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {
        "nama_usaha",
        "tanggal_berdiri",
        "pasar",
        "setuju_dihubungi",
    }
    assert {e["code"] for e in errors} == {"invalid"}
    assert {e["message"] for e in errors} == {"Nilai ini tidak sah."}
    assert not FormSubmission.objects.exists()


def test_a_choice_the_form_does_not_offer_is_refused_with_the_forms_message(client, survey):
    answers = {
        "nama_usaha": "Keripik",
        "surel": "siti@example.org",
        "sektor": "Tambang",
        "setuju_dihubungi": True,
    }
    response = post(client, survey, answers, HTTP_ACCEPT_LANGUAGE="en")
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("sektor", "invalid_choice")
    assert error["message"] == (
        "Select a valid choice. Tambang is not one of the available choices."
    )


def test_the_honeypot_must_be_absent_or_empty(client, contact):
    assert post(client, contact, {**ANSWERS, "website": ""}).status_code == 201
    response = post(client, contact, {**ANSWERS, "website": "http://spam.example"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (None, "spam")
    assert error["message"] == "Kiriman Anda tidak dapat diterima."
    assert FormSubmission.objects.count() == 1


def test_the_answer_repeats_no_personal_data(client, contact):
    raw = post(client, contact, ANSWERS).content
    for private in ("Siti Aminah", "siti.aminah@example.org", "pum@example.org", "mendaftar"):
        assert private.encode() not in raw, private


def test_submissions_share_one_hourly_limit_with_the_page(client, contact, settings):
    settings.FORM_SUBMISSIONS_PER_HOUR = 1
    assert client.post(contact.url, filled()).status_code == 302
    limited = post(client, contact, ANSWERS)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    [error] = limited.json()["errors"]
    assert error["code"] == "rate_limited"
    assert error["message"] == "Terlalu banyak permintaan. Silakan coba lagi satu jam lagi."
    # The page is past the limit too now.
    assert client.post(contact.url, filled()).status_code == 429
    assert FormSubmission.objects.count() == 1
