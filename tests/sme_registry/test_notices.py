"""Every message to an applicant is true, reaches the right person, and is never lost."""

import pytest

from django.core import mail
from django.urls import reverse

from core import roles
from sme_registry import services, transitions
from sme_registry.models import Business, EmailTemplate, OutboxEmail, RegistrationDraft
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    RegistrationPageFactory,
    approve_all,
    kecamatan_reviewer,
)
from tests.sme_registry.flow import answers, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def test_a_stray_brace_in_an_e_mail_text_still_delivers(
    client, page, django_capture_on_commit_callbacks
):
    EmailTemplate.objects.create(
        kind="tracking_code",
        subject="Kode {kode} untuk {usaha",
        body="Yth. {nama}, kode Anda {kode}. {{ jangan diubah } {",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, page, answers())
    sent = [m for m in mail.outbox if m.to == ["siti@example.org"]]
    assert len(sent) == 1
    business = Business.objects.get()
    assert sent[0].subject == f"Kode {business.tracking_code_display} untuk {{usaha"
    assert "{{ jangan diubah } {" in sent[0].body


def test_the_office_is_told_of_an_unknown_placeholder_while_writing(client):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    url = reverse("wagtailsnippets_sme_registry_emailtemplate:add")
    response = client.post(
        url, {"kind": "tracking_code", "subject": "Halo {nam}", "body": "Kode {kode}."}
    )
    assert response.status_code == 200
    assert "Penanda tidak dikenal: {nam}" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_owners_hear_that_their_registration_is_validated(django_capture_on_commit_callbacks, page):
    business = BusinessFactory(registration_page=page, owner__email="bu.siti@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(business)
    to_owner = [m for m in mail.outbox if m.to == ["bu.siti@example.org"]]
    assert len(to_owner) == 1
    assert "divalidasi" in to_owner[0].body and "/perbarui/" in to_owner[0].body


def test_a_business_registered_with_someone_elses_nik_is_written_about_to_the_sender(
    django_capture_on_commit_callbacks, page
):
    owner = BusinessFactory(validated=True, owner__email="pemilik@example.org").owner
    # Registered with the owner's NIK by someone else, who typed their own address.
    claimed = BusinessFactory(
        registration_page=page, owner__nik=owner.nik, owner__email="adik@example.org"
    )
    assert not claimed.owner_confirmed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transitions.request_changes(claimed, kecamatan_reviewer(claimed.kecamatan), "Foto kurang.")
    assert [m.to for m in mail.outbox] == [["adik@example.org"]]
    body = mail.outbox[0].body
    assert "Foto kurang." in body
    assert "/perbarui/" not in body  # the registered owner's private link never goes to the sender


def test_completed_drafts_and_confirmed_claims_keep_no_personal_data(client, page):
    register(client, page, answers())
    draft = RegistrationDraft.objects.get()
    assert draft.is_completed and draft.business is not None
    text = str(draft.data) + str(draft.files)
    for typed in (answers()["pemilik"]["nik"], "0812-3456-7890", "Jl. Raya Cibinong No. 10"):
        assert typed not in text
    owner = Business.objects.get().owner
    claimed = BusinessFactory(owner__nik=owner.nik, owner__phone="+6281311112222")
    assert "nik" not in claimed.owner_claim and claimed.owner_claim["phone"] == "+6281311112222"
    services.confirm_by_owner(claimed)
    claimed.refresh_from_db()
    assert claimed.owner_confirmed and claimed.owner_claim == {}


def test_the_validation_notice_is_ready_for_whatsapp(client, page):
    business = BusinessFactory(validated=True, owner__phone="+6281298765432")
    client.force_login(UserFactory(role=roles.VALIDATOR))
    html = client.get(reverse("sme_registry_owner_link", args=[business.pk])).content.decode()
    assert "https://wa.me/6281298765432?text=" in html
    assert "divalidasi oleh Dinas Koperasi dan UKM" in html


def test_the_inspect_view_reads_as_words(client, page):
    from sme_registry.models import LegalDocument, RegistrationQuestion

    RegistrationQuestion.objects.create(
        page=page, label="Dari mana Anda tahu?", field_type="singleline", sort_order=0
    )
    business = BusinessFactory(
        validated=True, registration_page=page, extra_answers={"dari_mana_anda_tahu": "Teman"}
    )
    import datetime

    from django.utils import timezone

    LegalDocument.objects.create(
        business=business,
        kind="pirt",
        number="P-IRT 123",
        issued_on=datetime.date(2021, 3, 1),
        expires_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(
        reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
    ).content.decode()
    assert "Dari mana Anda tahu?" in html and "Teman" in html
    assert "dari_mana_anda_tahu" not in html and "{&#x27;" not in html
    assert "P-IRT 123" in html and "1 Maret 2021" in html
    assert "berakhir dalam 60 hari" in html
    assert "Validasi" in html or "validasi" in html  # the snapshot table names its source
    for raw in (">True<", ">False<", ">None<"):
        assert raw not in html


def test_nothing_is_lost_when_delivery_fails_the_outbox_keeps_it(
    settings, page, client, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.content.broken_mail.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        register(client, page, answers())
    assert OutboxEmail.objects.filter(to="siti@example.org", sent_at__isnull=True).exists()
