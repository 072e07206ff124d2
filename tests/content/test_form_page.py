import time

import pytest

from django.core import mail

from wagtail.contrib.forms.models import FormSubmission

from core.spam import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token
from tests.content.factories import FormPageFactory


@pytest.fixture
def form_page(home_page):
    return FormPageFactory(parent=home_page, slug="hubungi-kami")


def filled(**overrides):
    data = {
        "nama": "Siti Aminah",
        "alamat_e_mail": "siti@example.org",
        "pesan": "Bagaimana cara mendaftar pelatihan?",
        TOKEN_FIELD: make_form_token(now=time.time() - 30),
        HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def test_form_page_shows_the_editor_defined_fields(client, form_page):
    html = client.get(form_page.url).content.decode()
    for label in ("Nama", "Alamat e-mail", "Pesan"):
        assert label in html
    assert f'name="{TOKEN_FIELD}"' in html


def test_submission_is_stored_emailed_and_redirected(
    client, form_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_page.url, filled())
    assert response.status_code == 302
    assert response["Location"] == form_page.url + "terima-kasih/"
    submission = FormSubmission.objects.get(page=form_page)
    assert submission.get_data()["nama"] == "Siti Aminah"
    assert HONEYPOT_FIELD not in submission.form_data
    assert TOKEN_FIELD not in submission.form_data
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pum@example.org"]
    assert message.subject == "Pesan baru"
    assert "Nama: Siti Aminah" in message.body
    landing = client.get(response["Location"])
    assert "Pesan Anda sudah kami terima." in landing.content.decode()


def test_the_same_form_posted_twice_is_stored_once(client, form_page):
    data = filled()
    first = client.post(form_page.url, data)
    second = client.post(form_page.url, data)
    assert first.status_code == second.status_code == 302
    assert FormSubmission.objects.filter(page=form_page).count() == 1


def test_honeypot_filled_by_a_bot_is_refused(client, form_page):
    response = client.post(form_page.url, filled(**{HONEYPOT_FIELD: "http://spam.example"}))
    assert response.status_code == 200
    assert "tidak dapat diterima" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_the_answers_kept(client, form_page):
    response = client.post(form_page.url, filled(**{TOKEN_FIELD: make_form_token()}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "lebih cepat" in html
    assert 'value="Siti Aminah"' in html
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize(
    "token",
    [lambda: "", lambda: "forged-token", lambda: make_form_token(now=0)],
    ids=["missing", "forged", "stale"],
)
def test_missing_forged_or_stale_token_is_refused(client, form_page, token):
    token = token()
    response = client.post(form_page.url, filled(**{TOKEN_FIELD: token}))
    assert response.status_code == 200
    assert "kedaluwarsa" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_missing_required_field_is_reported_beside_it(client, form_page):
    response = client.post(form_page.url, filled(nama=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_nama"' in html
    assert "Isian ini wajib diisi." in html
    assert 'value="siti@example.org"' in html
    assert not FormSubmission.objects.exists()


def test_mail_failure_does_not_lose_the_submission(
    client, form_page, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "tests.content.broken_mail.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_page.url, filled())
    assert response.status_code == 302
    assert FormSubmission.objects.filter(page=form_page).count() == 1
