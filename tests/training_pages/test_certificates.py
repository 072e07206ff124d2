"""Certificates: issued once to attendees, printable by the participant, verifiable by anyone,
revocable with a reason."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from tests.factories import UserFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
)
from tests.training_pages.staff import CIBINONG, other_kecamatan
from training_pages import attendance, certificates
from training_pages.models import Certificate, ParticipantStatus

S = ParticipantStatus


@pytest.fixture
def ended(index):
    return TrainingPageFactory(
        parent=index, title="Pelatihan Pengemasan", sessions=[-3, -2], gives_certificate=True
    )


@pytest.fixture
def admin_dinas(db):
    return UserFactory(role=roles.ADMIN_DINAS)


def attend(page, **kwargs):
    participant = ParticipantFactory(page=page, **kwargs)
    attendance.record_attendance(participant, page.ordered_sessions()[0], method="list")
    return participant


@pytest.fixture
def certificate(ended):
    participant = attend(ended, attendee_name="Siti Aminah", business__name="Dapur Siti")
    attendance.settle_attendance(ended)
    certificates.issue_certificates(ended)
    return Certificate.objects.get(participant=participant)


def certificate_url(certificate):
    participant = certificate.participant
    page = participant.page
    return page.url + page.reverse_subpage("certificate", kwargs={"token": participant.token})


def verify_url(code):
    return reverse("certificate_verify_code", args=[code])


# Issuing


def test_issuing_is_for_attendees_only_and_idempotent(ended):
    came = [attend(ended), attend(ended)]
    absent = ParticipantFactory(page=ended)
    ParticipantFactory(page=ended, status=S.CANCELLED)
    attendance.settle_attendance(ended)
    assert certificates.issue_certificates(ended) == 2
    assert certificates.issue_certificates(ended) == 0
    assert set(Certificate.objects.values_list("participant", flat=True)) == {p.pk for p in came}
    absent.refresh_from_db()
    assert absent.status == S.NO_SHOW
    codes = list(Certificate.objects.values_list("code", flat=True))
    assert all(certificates.is_well_formed(code) for code in codes)


def test_no_certificates_when_the_activity_gives_none(index):
    page = TrainingPageFactory(parent=index, sessions=[-2], gives_certificate=False)
    attend(page)
    attendance.settle_attendance(page)
    assert certificates.issue_certificates(page) == 0
    assert not Certificate.objects.exists()


def test_the_issue_button_works_only_after_the_activity(client, index, ended, admin_dinas):
    coming = TrainingPageFactory(parent=index, sessions=[2], gives_certificate=True)
    attend(coming)
    attend(ended)
    client.force_login(admin_dinas)
    html = client.get(reverse("training_attendance")).content.decode()
    assert reverse("training_certificates_issue", args=[ended.pk]) in html
    assert reverse("training_certificates_issue", args=[coming.pk]) not in html

    client.post(reverse("training_certificates_issue", args=[coming.pk]))
    assert not Certificate.objects.exists()
    client.post(reverse("training_certificates_issue", args=[ended.pk]))
    client.post(reverse("training_certificates_issue", args=[ended.pk]))
    assert Certificate.objects.filter(participant__page=ended).count() == 1


# Printing


def test_the_participant_prints_the_certificate(client, certificate):
    response = client.get(certificate_url(certificate))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Siti Aminah", "Dapur Siti", "Pelatihan Pengemasan", certificate.code_display):
        assert text in html
    assert "size: A4 landscape" in html and "@media print" in html
    assert "http://testserver" + verify_url(certificate.code) in html
    assert "<svg" in html
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_revoked_certificate_is_not_printed(client, certificate, admin_dinas):
    certificates.revoke_certificate(certificate, reason="Salah peserta", user=admin_dinas)
    response = client.get(certificate_url(certificate))
    assert response.status_code == 410
    html = response.content.decode()
    assert "Salah peserta" in html and "size: A4" not in html


def test_a_wrong_token_finds_no_certificate(client, certificate):
    page = certificate.participant.page
    url = page.url + page.reverse_subpage("certificate", kwargs={"token": "x" * 32})
    assert client.get(url).status_code == 404


# Verifying


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{dashed}", " {spaced} "])
def test_verify_normalises_what_people_type(certificate, typed):
    code = certificate.code
    text = typed.format(
        code=code,
        lower=code.lower(),
        dashed=certificate.code_display,
        spaced=f"{code[:5]} {code[5:]}".lower(),
    )
    assert certificates.verify(text) == certificate


def test_verify_unknown_and_malformed_codes(certificate):
    assert certificates.verify("") is None
    assert certificates.verify("ABC") is None
    assert certificates.verify("2222222222") is None


def test_the_verification_page_for_a_valid_certificate(client, certificate):
    response = client.get(reverse("certificate_verify"), {"code": certificate.code_display.lower()})
    assert response.status_code == 302 and response["Location"] == verify_url(certificate.code)
    response = client.get(verify_url(certificate.code))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Siti Aminah", "Dapur Siti", "Pelatihan Pengemasan", certificate.code_display):
        assert text in html
    assert 'content="noindex' in html


def test_a_typed_variant_of_the_code_in_the_address_goes_to_the_canonical_one(client, certificate):
    response = client.get(verify_url(certificate.code_display.lower()))
    assert response.status_code == 302 and response["Location"] == verify_url(certificate.code)


def test_the_verification_page_for_a_revoked_certificate(client, certificate, admin_dinas):
    certificates.revoke_certificate(certificate, reason="Tidak hadir penuh", user=admin_dinas)
    response = client.get(verify_url(certificate.code))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tidak hadir penuh" in html and "Siti Aminah" in html
    assert "revoked" in html.lower() or "dicabut" in html.lower()


def test_an_unknown_code_says_not_found_with_404(client, db):
    response = client.get(verify_url("ABCDEFGHJK"))
    assert response.status_code == 404
    assert "ABCDEFGHJK" in response.content.decode()


def test_a_malformed_code_is_explained_next_to_the_field(client, db):
    response = client.get(reverse("certificate_verify"), {"code": "12-34"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field__error"' in html and 'value="12-34"' in html


# Revoking


def test_revoking_needs_a_reason(certificate, admin_dinas):
    with pytest.raises(ValidationError):
        certificates.revoke_certificate(certificate, reason="  ", user=admin_dinas)
    certificate.refresh_from_db()
    assert certificate.is_valid
    certificates.revoke_certificate(certificate, reason="Data keliru", user=admin_dinas)
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_by == admin_dinas
    with pytest.raises(ValidationError):
        certificates.revoke_certificate(certificate, reason="lagi", user=admin_dinas)


def test_the_revoke_action_in_the_admin(client, certificate, admin_dinas):
    client.force_login(admin_dinas)
    url = reverse("training_certificate_revoke", args=[certificate.pk])
    listing = client.get(reverse("training_certificates:index")).content.decode()
    assert certificate.code_display in listing and url in listing
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "error" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid
    response = client.post(url, {"reason": "Nama peserta keliru"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Nama peserta keliru"
    # The business history shows it.
    history = reverse(
        "wagtailsnippets_sme_registry_business:history",
        args=[certificate.participant.business_id],
    )
    assert certificate.code_display in client.get(history).content.decode()


def test_the_certificate_list_filters_searches_and_keeps_to_scope(
    client, index, certificate, admin_dinas
):
    far = TrainingPageFactory(
        parent=index, kecamatan=other_kecamatan(), sessions=[-2], gives_certificate=True
    )
    attend(far, business__name="Usaha Jauh Sekali")
    attendance.settle_attendance(far)
    certificates.issue_certificates(far)
    revoked = Certificate.objects.get(participant__page=far)
    certificates.revoke_certificate(revoked, reason="uji", user=admin_dinas)
    index_url = reverse("training_certificates:index")

    client.force_login(admin_dinas)
    html = client.get(index_url, {"valid": "true"}).content.decode()
    assert certificate.code_display in html and revoked.code_display not in html
    html = client.get(index_url, {"q": certificate.code_display.lower()}).content.decode()
    assert certificate.code_display in html and revoked.code_display not in html

    operator = UserFactory(role=roles.OPERATOR, kecamatan=CIBINONG)
    client.force_login(operator)
    html = client.get(index_url).content.decode()
    assert certificate.code_display in html and revoked.code_display not in html
    inspect = reverse("training_certificates:inspect", args=[revoked.pk])
    assert client.get(inspect).status_code == 404
    revoke = reverse("training_certificate_revoke", args=[revoked.pk])
    assert client.get(revoke).status_code == 404
    # Nobody edits or creates certificates by hand.
    assert client.get(reverse("training_certificates:add")).status_code in (302, 403)
