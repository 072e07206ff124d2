"""A registration over JSON: the same rules as the page, the same queue, exactly once."""

import json

import pytest

from django.core import mail

from sme_registry.models import Business, Owner, Source, Status
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory, nik_for
from tests.sme_registry.flow import answers

URL = "/api/registry/v1/registrations/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def document(**overrides):
    """The page's answers as an API caller sends them: sections by name, regions by code."""
    steps = answers()
    names = {
        "owner": "pemilik",
        "business": "usaha",
        "location": "lokasi",
        "money": "keuangan",
        "legal": "legalitas",
        "consent": "persetujuan",
    }
    body = {name: dict(steps[slug]) for name, slug in names.items()}
    for section in ("owner", "location"):
        body[section]["kecamatan"] = "32.01.01"
        body[section]["desa"] = "32.01.01.1001"
    body["business"]["sells_on_marketplace"] = True
    body["consent"]["consent"] = True
    for key, value in overrides.items():
        section, _, field = key.partition("__")
        body[section][field] = value
    return body


def post(client, body, key=None, **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_a_registration_over_json_lands_in_the_review_queue_as_from_the_page(
    client, page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, document())
    assert response.status_code == 201, response.content
    body = response.json()
    business = Business.objects.get()
    assert body["tracking_code"] == business.tracking_code_display
    assert body["status"] == "submitted"
    assert body["status_url"].endswith(f"/status/?code={business.tracking_code_display}")
    assert business.source == Source.API
    assert business.status == Status.SUBMITTED
    assert business.name == "Keripik Singkong Bu Siti"
    assert business.kecamatan.code == "32.01.01"
    assert business.owner.full_name == "Siti Aminah"
    # In the validation workflow, waiting at the kecamatan's step, like a page registration.
    state = business.current_workflow_state
    assert state.current_task_state.task.name == "Pemeriksaan kecamatan"
    # The owner gets the tracking code as from the page.
    assert any(business.tracking_code_display in m.body for m in mail.outbox)


def test_every_bad_field_is_named_with_the_pages_message(client, page):
    body = document(owner__nik="123", owner__birth_date="kemarin", location__desa="99.99")
    body["consent"] = {}
    response = post(client, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    fields = {error["field"] for error in errors}
    assert {"owner.nik", "owner.birth_date", "location.desa", "consent.consent"} <= fields
    nik = next(e for e in errors if e["field"] == "owner.nik")
    assert nik["message"] == "NIK harus 16 angka."
    assert all(e["message"] and e["code"] for e in errors)
    assert not Business.objects.exists() and not Owner.objects.exists()

    english = post(client, body, HTTP_ACCEPT_LANGUAGE="en")
    nik = next(e for e in english.json()["errors"] if e["field"] == "owner.nik")
    assert nik["message"] == "NIK must be 16 digits."


def test_a_retry_with_the_same_key_returns_the_first_answer_and_stores_once(client, page):
    first = post(client, document(), key="kecamatan-app-7f1c")
    assert first.status_code == 201
    again = post(client, document(), key="kecamatan-app-7f1c")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Business.objects.count() == 1

    # Another key is another registration (a second business of the same owner).
    other = document(business__name="Keripik Pisang Bu Siti")
    assert post(client, other, key="kecamatan-app-9a2b").status_code == 201
    assert Business.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(client, page):
    post(client, document(), key="kunci-1")
    response = post(client, document(business__name="Usaha Lain"), key="kunci-1")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert Business.objects.count() == 1


def test_a_refused_registration_is_refused_again_on_retry_and_then_fixed_with_a_new_key(
    client, page
):
    bad = document(owner__nik="123")
    assert post(client, bad, key="coba-1").status_code == 422
    assert post(client, bad, key="coba-1").status_code == 422
    assert post(client, document(), key="coba-2").status_code == 201
    assert Business.objects.count() == 1


def test_a_registered_nik_answers_exactly_like_a_new_one(client, page):
    registered = BusinessFactory(validated=True, owner__nik=nik_for(serial=77))
    response = post(client, document(owner__nik=registered.owner.nik))
    assert response.status_code == 201
    assert set(response.json()) == {"tracking_code", "status", "status_url", "message"}
    new = Business.objects.exclude(pk=registered.pk).get()
    assert new.owner == registered.owner and new.owner_confirmed is False
    raw = response.content.decode()
    assert registered.owner.full_name not in raw and registered.name not in raw


def test_registrations_share_the_pages_hourly_limit(client, page, settings):
    settings.REGISTRATIONS_PER_HOUR = 1
    assert post(client, document()).status_code == 201
    limited = post(client, document(business__name="Usaha Kedua"))
    assert limited.status_code == 429
    assert limited["Retry-After"] == "3600"
    assert limited.json()["errors"][0]["code"] == "rate_limited"
    assert Business.objects.count() == 1


def test_without_a_registration_page_nothing_is_taken(client, home_page):
    response = post(client, document())
    assert response.status_code == 404
    assert not Business.objects.exists()


def test_not_json_is_a_structured_error(client, page):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["errors"][0]["code"] in ("invalid_json", "invalid", "error")


def test_kept_answers_are_forgotten_by_the_daily_purge(client, page, settings):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from core.models import IdempotentResponse

    settings.IDEMPOTENCY_KEY_HOURS = 24
    post(client, document(), key="lama")
    post(client, document(business__name="Usaha Baru"), key="baru")
    IdempotentResponse.objects.filter(key="lama").update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    out = io.StringIO()
    call_command("purge_registration_drafts", stdout=out)
    assert "Deleted 1 kept API answers older than 24 hours." in out.getvalue()
    assert list(IdempotentResponse.objects.values_list("key", flat=True)) == ["baru"]


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("owner", "full_name", 5),
        ("owner", "birth_date", 19900605),
        ("business", "name", ["Keripik"]),
        ("money", "annual_sales", {"rupiah": 1}),
        ("consent", "consent", "ya"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused_beside_its_field(
    client, page, section, field, value
):
    response = post(client, document(**{f"{section}__{field}": value}))
    assert response.status_code == 422, response.content
    assert {
        "field": f"{section}.{field}",
        "code": "invalid",
        "message": "Nilai ini tidak sah.",
    } in (response.json()["errors"])
    assert not Business.objects.exists()


def test_a_section_that_is_not_an_object_is_refused_not_a_crash(client, page):
    body = document()
    body["extra"] = ["jawaban"]
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "extra"


# --- With files (multipart) -----------------------------------------------------------------

FILES_URL = "/api/registry/v1/registrations/with-files/"


def _jpeg(color="red"):
    from tests.sme_registry.test_uploads import image_bytes

    return image_bytes("JPEG", size=(120, 80), color=color)


def post_with_files(client, body, files, key=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"document": json.dumps(body)}
    for name, (filename, content, content_type) in files.items():
        data[name] = SimpleUploadedFile(filename, content, content_type=content_type)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(FILES_URL, data, **headers)


def _stored_files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_registration_with_its_pirt_scan_and_a_photo_keeps_both(client, page, private_root):
    from tests.sme_registry.test_uploads import MINIMAL_PDF

    body = document(legal__pirt_number="P-IRT 2063201010123-29")
    response = post_with_files(
        client,
        body,
        {
            "legal.pirt_file": ("pirt.pdf", MINIMAL_PDF, "application/pdf"),
            "photos.photo_1": ("keripik.jpg", _jpeg(), "image/jpeg"),
        },
    )
    assert response.status_code == 201, response.content
    business = Business.objects.get()
    assert business.source == Source.API
    pirt = business.legal_documents.get(kind="pirt")
    assert pirt.number == "P-IRT 2063201010123-29"
    assert pirt.file.name and pirt.file.read().startswith(b"%PDF")
    assert business.photos.count() == 1
    assert len(_stored_files(private_root)) == 2


def test_a_refused_photo_is_named_and_nothing_is_stored(client, page, private_root):
    from tests.sme_registry.test_uploads import MINIMAL_PDF

    response = post_with_files(
        client,
        document(),
        {
            "legal.pirt_file": ("pirt.pdf", MINIMAL_PDF, "application/pdf"),
            "photos.photo_1": ("keripik.jpg", b"GIF89a not a photo", "image/jpeg"),
        },
    )
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == ["photos.photo_1"]
    assert not Business.objects.exists()
    assert _stored_files(private_root) == []  # the PDF checked first went with the rollback


def test_a_file_under_a_name_no_question_asks_is_refused(client, page):
    response = post_with_files(
        client, document(), {"photos.photo_9": ("x.jpg", _jpeg(), "image/jpeg")}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "photos.photo_9",
            "code": "unknown_field",
            "message": "Tidak ada pertanyaan pendaftaran yang menerima berkas dengan nama ini.",
        }
    ]


def test_a_document_that_is_not_json_is_refused_beside_it(client, page):
    response = client.post(FILES_URL, {"document": "{owner: 1"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "document"


def test_a_multipart_retry_with_another_boundary_is_the_same_request(client, page):
    files = {"photos.photo_1": ("keripik.jpg", _jpeg(), "image/jpeg")}
    first = post_with_files(client, document(), files, key="daftar-foto-1")
    # The test client draws its boundary once; a real client may draw a new one per retry.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import encode_multipart

    body = encode_multipart(
        "LainBoundary",
        {
            "document": json.dumps(document()),
            "photos.photo_1": SimpleUploadedFile("keripik.jpg", _jpeg(), "image/jpeg"),
        },
    )
    again = client.post(
        FILES_URL,
        body,
        content_type="multipart/form-data; boundary=LainBoundary",
        HTTP_IDEMPOTENCY_KEY="daftar-foto-1",
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Business.objects.count() == 1
    other = post_with_files(
        client,
        document(),
        {"photos.photo_1": ("keripik.jpg", _jpeg("blue"), "image/jpeg")},
        key="daftar-foto-1",
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"
