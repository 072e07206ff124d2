import pytest

from django.core import mail

from sme_registry.models import Business, Owner, RegistrationDraft, Status
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import answers, register, spam_fields


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def test_a_new_business_registers_through_every_step(
    client, page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, page)
    assert response.status_code == 302
    assert "/selesai/" in response["Location"]
    business = Business.objects.get()
    assert business.name == "Keripik Singkong Bu Siti"
    assert business.owner.nik == "3201014506900001"
    assert business.owner.phone == "+6281234567890"
    assert business.capital == 15_000_000
    assert business.annual_sales == 180_000_000
    assert business.computed_scale == "mikro"
    assert business.status == Status.SUBMITTED
    assert not business.live and business.latest_revision_id
    assert business.consent_version and business.consent_given_at
    assert [d.kind for d in business.legal_documents.all()] == ["pirt"]
    done = client.get(response["Location"]).content.decode()
    assert business.tracking_code_display in done
    assert len(mail.outbox) == 1
    assert business.tracking_code_display in mail.outbox[0].subject


def test_each_step_reports_errors_in_indonesian_and_keeps_the_answers(client, page):
    data = answers(pemilik__nik="1234", pemilik__phone="12")
    response = client.post(page.url, {**data["pemilik"], **spam_fields()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "NIK harus 16 angka." in html
    assert "Masukkan nomor telepon Indonesia yang benar" in html
    assert 'href="#id_nik"' in html  # the error summary links to the field
    assert 'value="Siti Aminah"' in html
    assert not RegistrationDraft.objects.exists()


def test_a_registered_nik_never_creates_a_second_owner_and_looks_the_same(
    client, page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(client, page)
    mail.outbox.clear()
    other = answers(
        pemilik__full_name="Orang Lain",
        pemilik__email="orang.lain@example.org",
        usaha__name="Toko Kelontong Berkah",
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = register(client, page, other)
    assert first.status_code == second.status_code == 302
    assert "/selesai/" in second["Location"]
    assert Owner.objects.count() == 1
    owner = Owner.objects.get()
    assert owner.full_name == "Siti Aminah"
    new = Business.objects.get(name="Toko Kelontong Berkah")
    assert new.owner == owner and not new.owner_confirmed
    assert new.owner_claim["full_name"] == "Orang Lain"
    # The done page is the same kind of page, with a tracking code.
    done = client.get(second["Location"]).content.decode()
    assert new.tracking_code_display in done
    # The registered owner is told privately; the stranger only gets a tracking code.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["orang.lain@example.org", "siti@example.org"]
    owner_mail = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert "/perbarui/" in owner_mail.body
    assert "Orang Lain" not in owner_mail.body


def test_a_nib_of_another_owner_is_refused_at_the_business_step(client, page):
    register(client, page, answers(usaha__nib="1234567890123"))
    other = answers(
        pemilik__nik="3201024506900002",
        pemilik__full_name="Budi Santoso",
        usaha__name="Bengkel Budi",
        usaha__nib="1234567890123",
    )
    response = client.post(page.url, {**other["pemilik"], **spam_fields()})
    url = response["Location"]
    for slug in ("usaha", "lokasi", "keuangan", "legalitas", "foto", "persetujuan"):
        response = client.post(url, other[slug])
        url = response["Location"]
    response = client.post(url, spam_fields())
    assert response["Location"].endswith("/usaha/")
    html = client.get(response["Location"]).content.decode()
    assert "NIB ini sudah terdaftar atas nama pelaku usaha lain" in html
    assert Business.objects.filter(nib="1234567890123").count() == 1


def test_sending_the_same_registration_twice_stores_it_once(client, page):
    response = client.post(page.url, {**answers()["pemilik"], **spam_fields()})
    url = response["Location"]
    for slug in ("usaha", "lokasi", "keuangan", "legalitas", "foto", "persetujuan"):
        url = client.post(url, answers()[slug])["Location"]
    final = spam_fields()
    first = client.post(url, final)
    second = client.post(url, final)
    third = client.post(url, spam_fields())  # a fresh form after completion
    assert first["Location"] == second["Location"] == third["Location"]
    assert Business.objects.count() == 1


def test_a_draft_can_be_resumed_from_its_link(client, page):
    response = client.post(page.url, {**answers()["pemilik"], **spam_fields()})
    url = response["Location"]
    client.post(url, answers()["usaha"])
    draft = RegistrationDraft.objects.get()
    # Another phone, no session: the link alone continues where the person stopped.
    other_phone = client.__class__()
    resumed = other_phone.get(page.url + f"draf/{draft.token}/")
    assert resumed.status_code == 302 and resumed["Location"].endswith("/lokasi/")
    back = other_phone.get(page.url + f"draf/{draft.token}/usaha/").content.decode()
    assert 'value="Keripik Singkong Bu Siti"' in back


def test_an_unknown_draft_token_is_not_found(client, page):
    assert client.get(page.url + "draf/" + "x" * 32 + "/").status_code == 404


def test_registration_refused_for_a_bot_and_for_a_too_fast_form(client, page):
    data = {**answers()["pemilik"], **spam_fields(), "website": "http://spam"}
    assert client.post(page.url, data).status_code == 200
    assert not RegistrationDraft.objects.exists()
    from core.spam import TOKEN_FIELD, make_form_token

    too_fast = {**answers()["pemilik"], **spam_fields(), TOKEN_FIELD: make_form_token()}
    response = client.post(page.url, too_fast)
    assert "lebih cepat" in response.content.decode()
    assert not RegistrationDraft.objects.exists()


def test_extra_questions_are_stored_with_the_registration(client, page):
    from tests.sme_registry.factories import RegistrationQuestionFactory

    RegistrationQuestionFactory(page=page, label="Dari mana Anda tahu?")
    response = client.post(page.url, {**answers()["pemilik"], **spam_fields()})
    url = response["Location"]
    for slug in ("usaha", "lokasi", "keuangan", "legalitas", "foto"):
        url = client.post(url, answers()[slug])["Location"]
    assert url.endswith("/tambahan/")
    url = client.post(url, {"dari_mana_anda_tahu": "Penyuluhan kecamatan"})["Location"]
    url = client.post(url, answers()["persetujuan"])["Location"]
    client.post(url, spam_fields())
    assert Business.objects.get().extra_answers == {"dari_mana_anda_tahu": "Penyuluhan kecamatan"}


def test_similar_business_in_the_same_desa_is_kept_and_flagged(client, page):
    register(client, page)
    register(
        client,
        page,
        answers(
            pemilik__nik="3201020101800003",
            pemilik__sex="L",
            pemilik__birth_date="1980-01-01",
            usaha__name="Keripik Singkong Ibu Siti",
        ),
    )
    newer = Business.objects.get(name="Keripik Singkong Ibu Siti")
    assert list(newer.possible_duplicates.values_list("name", flat=True)) == [
        "Keripik Singkong Bu Siti"
    ]


def test_registrations_are_rate_limited_per_client(client, page, settings):
    settings.REGISTRATION_DRAFTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(page.url, {**answers()["pemilik"], **spam_fields()}).status_code == 302
    response = client.post(page.url, {**answers()["pemilik"], **spam_fields()})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()


def test_status_page_tells_the_state_without_personal_data(client, page):
    register(client, page)
    business = Business.objects.get()
    response = client.get(page.url + "status/", {"code": business.tracking_code_display.lower()})
    html = response.content.decode()
    assert "Diajukan" in html
    for secret in ("Siti Aminah", "3201014506900001", "0812", "Keripik Singkong Bu Siti"):
        assert secret not in html
    missing = client.get(page.url + "status/", {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "Tidak ada pendaftaran dengan kode pelacakan ini" in missing


def test_a_photo_is_stored_privately_without_its_metadata(client, page, settings, tmp_path):
    import io

    from PIL import Image

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"
    Image.new("RGB", (3000, 2000), (200, 120, 40)).save(buffer, "JPEG", exif=exif)
    photo = SimpleUploadedFile("keripik.jpg", buffer.getvalue(), content_type="image/jpeg")
    register(client, page, files={"foto": {"photo_1": photo}})
    stored = Business.objects.get().photos.get()
    assert "keripik" not in stored.image.name
    with Image.open(tmp_path / stored.image.name) as image:
        assert max(image.size) == 2000
        assert not image.getexif()


def test_a_fake_image_is_refused_beside_the_field(client, page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(page.url, {**answers()["pemilik"], **spam_fields()})
    url = response["Location"]
    for slug in ("usaha", "lokasi", "keuangan", "legalitas"):
        url = client.post(url, answers()[slug])["Location"]
    fake = SimpleUploadedFile("foto.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client.post(url, {"photo_1": fake})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert not RegistrationDraft.objects.get().files


def test_stale_drafts_and_their_uploads_are_purged(page, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.utils import timezone

    from sme_registry.uploads import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    name = private_storage().save("registry/photos/old.jpg", ContentFile(b"x"))
    old = RegistrationDraft.objects.create(page=page, files={"photo_1": name})
    fresh = RegistrationDraft.objects.create(page=page)
    RegistrationDraft.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timezone.timedelta(days=45)
    )
    out = io.StringIO()
    call_command("purge_registration_drafts", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert list(RegistrationDraft.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not (tmp_path / name).exists()


def test_home_page_leads_to_registration_status_and_update(client, page):
    html = client.get("/").content.decode()
    assert 'href="/daftar/"' in html
    assert 'href="/daftar/status/"' in html
    assert 'href="/daftar/perbarui/"' in html


def test_a_nik_from_outside_bogor_is_accepted_and_flagged(client, page):
    register(client, page, answers(pemilik__nik="3171014506900001"))
    owner = Owner.objects.get()
    assert owner.nik_outside_bogor
    assert not owner.birth_date_mismatch


def test_the_entry_context_travels_from_the_first_step_into_the_draft(client, page):
    data = answers()
    first = client.get(page.url + "?ref=ab12cd&kembali=42")
    html = first.content.decode()
    assert 'name="ref" value="AB12CD"' in html
    assert 'name="kembali" value="42"' in html
    response = client.post(
        page.url, {**data["pemilik"], **spam_fields(), "ref": "AB12CD", "kembali": "42"}
    )
    assert response.status_code == 302
    draft = RegistrationDraft.objects.get()
    assert draft.data["context"] == {"ref": "AB12CD", "return_page": 42}


def test_a_malformed_entry_context_is_dropped(client, page):
    data = answers()
    client.post(
        page.url,
        {**data["pemilik"], **spam_fields(), "ref": "<script>", "kembali": "../../etc"},
    )
    assert RegistrationDraft.objects.get().data["context"] == {}
