import time

import pytest

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import audit, roles
from core.models import RecordLogEntry
from core.spam import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token
from sme_registry.models import Business, Owner, Source
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.flow import answers

LIST_URL = "/admin/registry/businesses/"


def test_business_list_masks_the_nik(client, staff):
    business = BusinessFactory(name="Batik Tulis Ciampea")
    html = client.get(LIST_URL).content.decode()
    assert "Batik Tulis Ciampea" in html
    assert business.owner.nik not in html
    assert business.owner.masked_nik in html


def test_owner_list_masks_nik_and_phone(client, staff):
    business = BusinessFactory()
    html = client.get("/admin/registry/owners/").content.decode()
    assert business.owner.nik not in html
    assert business.owner.phone not in html
    assert business.owner.masked_phone in html


def test_business_list_query_count_does_not_grow_with_rows(client, staff):
    BusinessFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST_URL).status_code == 200
    BusinessFactory.create_batch(25)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST_URL).status_code == 200
    assert len(many) <= len(few) + 2, [q["sql"] for q in many.captured_queries]


def test_business_list_filters_by_status_and_kecamatan(client, staff):
    BusinessFactory(name="Usaha Diajukan")
    BusinessFactory(name="Usaha Tervalidasi", validated=True)
    html = client.get(LIST_URL, {"status": "validated"}).content.decode()
    assert "Usaha Tervalidasi" in html and "Usaha Diajukan" not in html


def test_staff_enter_a_registration_with_the_same_rules(client, staff, home_page):
    RegistrationPageFactory(parent=home_page)
    url = reverse("sme_registry_staff_entry")
    data = {}
    for slug in ("pemilik", "usaha", "lokasi", "keuangan"):
        for key, value in answers()[slug].items():
            data[f"{slug}-{key}"] = value
    data["persetujuan-consent"] = "on"
    data[TOKEN_FIELD] = make_form_token(now=time.time() - 30)
    data[HONEYPOT_FIELD] = ""
    bad = client.post(url, {**data, "pemilik-nik": "1111111111111111"})
    assert bad.status_code == 200
    assert "NIK tidak boleh berisi satu angka yang diulang-ulang." in bad.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    business = Business.objects.get()
    assert business.source == Source.STAFF_ENTRY
    assert business.entered_by == staff
    assert business.consent_version
    again = client.post(url, data)  # the same form sent twice
    assert again.status_code == 302
    assert Business.objects.count() == 1
    assert Owner.objects.count() == 1


def test_private_files_need_permission(client, db, settings, tmp_path):
    from django.core.files.base import ContentFile

    from sme_registry.models import BusinessPhoto
    from sme_registry.uploads import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    business = BusinessFactory()
    name = private_storage().save("registry/photos/test.jpg", ContentFile(b"\xff\xd8\xff jpeg"))
    photo = BusinessPhoto.objects.create(business=business, image=name)
    url = reverse("sme_registry_private_file", args=["foto", photo.pk])
    not_logged_in = client.get(url)
    assert not_logged_in.status_code == 302  # to the login page
    assert not_logged_in["Location"].startswith("/admin/login/")
    # A web editor may use the admin but sees no business, so not its files either.
    client.force_login(UserFactory(username="redaktur", role=roles.EDITOR))
    assert client.get(url).status_code == 404
    # A permission alone is not enough: the scope (every kecamatan, or an operator
    # area) comes from a role, and without one nothing is in scope.
    group = Group.objects.create(name="Petugas lain")
    group.permissions.add(Permission.objects.get(codename="view_business"))
    other = UserFactory(username="petugas-lain", role=roles.EDITOR)  # may use the admin
    other.groups.add(group)
    client.force_login(other)
    assert client.get(url).status_code == 404
    # An operator of another kecamatan does not see it; one of its own kecamatan does.
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan="32.01.02"))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan="32.01.01"))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="validator", role=roles.VALIDATOR))
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_owner_link_page_offers_a_ready_whatsapp_message(client, staff, home_page):
    page = RegistrationPageFactory(parent=home_page)
    business = BusinessFactory(registration_page=page, owner__email="")
    html = client.get(reverse("sme_registry_owner_link", args=[business.pk])).content.decode()
    assert "https://wa.me/6281234567890?text=" in html
    assert "/daftar/perbarui/" in html
    assert "Kirim tautan ke e-mail pemilik" not in html


def test_export_carries_extra_answers_masks_the_nik_and_is_audited(
    client, staff, home_page, caplog
):
    from tests.sme_registry.factories import RegistrationQuestionFactory

    page = RegistrationPageFactory(parent=home_page)
    RegistrationQuestionFactory(page=page, label="Dari mana Anda tahu?")
    business = BusinessFactory(
        registration_page=page, extra_answers={"dari_mana_anda_tahu": "Penyuluhan"}
    )
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = client.get(LIST_URL, {"export": "csv", "status": "submitted"})
        assert response["Content-Type"].startswith("text/csv")
        # The rows go out as the file streams; the audit entry follows the last one.
        body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")  # spreadsheet programs read the names as UTF-8
    assert "Dari mana Anda tahu?: Penyuluhan" in body
    assert ",Diajukan," in body  # the status as a person reads it, not its code
    assert business.owner.masked_nik in body
    assert business.owner.nik not in body
    assert business.owner.phone not in body
    record = next(r for r in caplog.records if r.name == "simbaumi.audit")
    message = record.getMessage()
    assert message.startswith("sme_registry.export") and f"user={staff.pk}" in message
    assert "status=submitted" in message and "rows=1" in message
    entry = RecordLogEntry.objects.get(action=audit.EXPORT)
    assert entry.user == staff and entry.data["rows"] == 1 and entry.data["format"] == "csv"


def test_likely_duplicates_can_be_listed(client, staff):
    first = BusinessFactory(name="Warung Nasi Bu Imas")
    second = BusinessFactory(name="Warung Nasi Ibu Imas")
    BusinessFactory(name="Bengkel Motor Jaya")
    second.possible_duplicates.add(first)
    html = client.get(LIST_URL, {"likely_duplicate": "true"}).content.decode()
    assert "Warung Nasi Ibu Imas" in html and "Bengkel Motor Jaya" not in html


def test_unfiltered_big_list_uses_the_estimate_instead_of_count(client, staff, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the row estimate is PostgreSQL's; SQLite always counts exactly")
    BusinessFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sme_registry_business")
    settings.REGISTRY_ESTIMATED_COUNT_ABOVE = 1
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "sme_registry_business" in q["sql"]
    ]
    assert not counts, counts
    # A filtered list still counts exactly.
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST_URL, {"status": "submitted"})
    assert any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_inspect_view_links_documents_and_photos_to_the_checked_file_view(client, staff):
    from sme_registry.models import BusinessPhoto, LegalDocument

    business = BusinessFactory()
    document = LegalDocument.objects.create(
        business=business, kind="halal", number="ID3201", file="registry/documents/x.pdf"
    )
    photo = BusinessPhoto.objects.create(business=business, image="registry/photos/y.jpg")
    html = client.get(f"/admin/registry/businesses/inspect/{business.pk}/").content.decode()
    assert reverse("sme_registry_private_file", args=["dokumen", document.pk]) in html
    assert reverse("sme_registry_private_file", args=["foto", photo.pk]) in html
    assert "/media/" not in html
