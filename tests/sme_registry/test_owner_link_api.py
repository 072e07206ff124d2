"""The owner's private link over JSON (/api/registry/v1/owner-link/): the page's form and answer."""

import json

import pytest

from sme_registry.models import OutboxEmail
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.flow import spam_fields

URL = "/api/registry/v1/owner-link/"
SENT = (
    "Bila data cocok dengan pendaftaran yang memiliki alamat e-mail, kami sudah mengirim "
    "tautan pribadi ke alamat tersebut. Tautan berlaku 7 hari. Tidak punya e-mail terdaftar? "
    "Hubungi dinas atau operator kecamatan Anda: mereka dapat mengirim tautan lewat WhatsApp."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


@pytest.fixture
def owner():
    business = BusinessFactory(
        validated=True,
        name="Kopi Gunung Salak",
        owner__full_name="Dewi Lestari",
        owner__email="dewi.lestari@example.org",
        owner__phone="+6281377778888",
    )
    return business.owner


def post(client, identifier, key=None, **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    body = json.dumps({"identifier": identifier})
    return client.post(URL, body, content_type="application/json", **headers)


def sent_links():
    return list(OutboxEmail.objects.order_by("pk").values_list("to", flat=True))


def test_a_known_nik_gets_the_link_by_e_mail_and_the_neutral_answer(
    client, page, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, owner.nik)
    assert response.status_code == 202
    assert response.json() == {"message": SENT}
    assert sent_links() == ["dewi.lestari@example.org"]
    email = OutboxEmail.objects.get()
    assert f"http://testserver/{page.slug}/perbarui/" in email.body


def test_the_answer_is_the_same_byte_for_byte_whether_or_not_anything_matched(
    client, page, owner, django_capture_on_commit_callbacks
):
    no_email = BusinessFactory(validated=True, owner__email="").owner
    answers = []
    for identifier in (owner.nik, "3201014506900999", no_email.nik, "ABCD-EFGH-JKLM"):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, identifier)
        answers.append((response.status_code, response.content))
    assert len(set(answers)) == 1
    assert answers[0][0] == 202
    # Only the registered owner with an e-mail address got a link.
    assert sent_links() == ["dewi.lestari@example.org"]


def test_a_tracking_code_names_the_owner_too(client, page, owner):
    business = owner.businesses.get()
    assert post(client, business.tracking_code_display).status_code == 202
    assert sent_links() == ["dewi.lestari@example.org"]


def test_the_api_sends_what_the_page_sends(client, page, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        by_page = client.post(page.url + "perbarui/", {"identifier": owner.nik, **spam_fields()})
    with django_capture_on_commit_callbacks(execute=True):
        by_api = post(client, owner.nik)
    assert by_page.status_code == 200 and by_api.status_code == 202
    from_page, from_api = OutboxEmail.objects.order_by("pk")
    assert (from_page.to, from_page.subject) == (from_api.to, from_api.subject)
    # The same text around a private link of the same page.
    prefix = f"http://testserver/{page.slug}/perbarui/"

    def without_link(body):
        start = body.index(prefix)
        end = body.index("/", start + len(prefix))
        return body[:start] + body[end:]

    assert without_link(from_page.body) == without_link(from_api.body)


def test_a_retry_with_the_same_key_sends_one_e_mail(client, page, owner):
    first = post(client, owner.nik, key="hp-operator-01")
    again = post(client, owner.nik, key="hp-operator-01")
    assert first.status_code == again.status_code == 202
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert OutboxEmail.objects.count() == 1
    # A new key is a new request, and sends again.
    assert post(client, owner.nik, key="hp-operator-02").status_code == 202
    assert OutboxEmail.objects.count() == 2


def test_a_missing_or_too_long_identifier_is_named_in_indonesian_and_english(client, page):
    empty = post(client, "")
    assert empty.status_code == 422
    [error] = empty.json()["errors"]
    assert (error["field"], error["code"]) == ("identifier", "required")
    assert error["message"] == "Isian ini wajib diisi."
    english = post(client, "", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"][0]["message"] == "This field is required."

    long = post(client, "1" * 25, HTTP_ACCEPT_LANGUAGE="en")
    [error] = long.json()["errors"]
    assert (error["field"], error["code"]) == ("identifier", "max_length")
    assert error["message"] == "Ensure this value has at most 24 characters (it has 25)."
    assert not OutboxEmail.objects.exists()


def test_no_personal_data_is_in_the_answer(client, page, owner):
    business = owner.businesses.get()
    raw = post(client, business.tracking_code).content
    for private in (
        owner.full_name,
        owner.nik,
        owner.email,
        owner.phone,
        "81377778888",
        business.name,
        "perbarui/",
    ):
        assert private.encode() not in raw, private


def test_link_requests_share_the_pages_hourly_limit(client, page, owner, settings):
    settings.OWNER_LINKS_PER_HOUR = 1
    by_page = client.post(page.url + "perbarui/", {"identifier": owner.nik, **spam_fields()})
    assert by_page.status_code == 200
    limited = post(client, owner.nik)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    [error] = limited.json()["errors"]
    assert error["code"] == "rate_limited"
    assert error["message"] == "Terlalu banyak permintaan. Silakan coba lagi satu jam lagi."
    assert OutboxEmail.objects.count() == 1


def test_without_a_registration_page_nothing_is_sent(client, home_page, owner):
    response = post(client, owner.nik)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert not OutboxEmail.objects.exists()
