"""The participant list gives staff the decisions on each row, and a WhatsApp notice."""

import pytest

from django.core import mail
from django.urls import reverse

from core import roles
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import ParticipantFactory, TrainingPageFactory
from training_pages.models import ParticipantStatus

pytestmark = pytest.mark.django_db


def test_each_row_carries_approve_reject_cancel_and_a_message(client, index):
    training = TrainingPageFactory(parent=index, requires_approval=True)
    waiting = ParticipantFactory(page=training, status=ParticipantStatus.AWAITING_APPROVAL)
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan="32.01.01"))
    html = client.get(reverse("training_pages_participant:index")).content.decode()
    for action in ("approve", "reject", "cancel"):
        assert reverse("training_participant_action", args=[waiting.pk, action]) in html, action
    assert reverse("training_participant_message", args=[waiting.pk]) in html


def test_the_message_is_the_notice_with_the_private_link_ready_for_whatsapp(client, index):
    training = TrainingPageFactory(parent=index, title="Pelatihan Kemasan")
    business = BusinessFactory(validated=True, owner__email="", owner__phone="+6281298765432")
    participant = ParticipantFactory(page=training, business=business)
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan="32.01.01"))
    response = client.get(reverse("training_participant_message", args=[participant.pk]))
    html = response.content.decode()
    assert "https://wa.me/6281298765432?text=" in html
    assert "Pelatihan Kemasan" in html and participant.token in html
    assert "tidak punya alamat e-mail" in html  # the officer knows no e-mail went out


def test_no_e_mail_no_claim_that_one_was_sent(client, index):
    training = TrainingPageFactory(parent=index)
    business = BusinessFactory(validated=True, owner__email="")
    mail.outbox.clear()
    participant = ParticipantFactory(page=training, business=business)
    page_url = training.url + training.reverse_subpage(
        "participation", kwargs={"token": participant.token}
    )
    html = client.get(page_url).content.decode()
    assert "Kami telah mengirim rinciannya ke email Anda" not in html
    assert "simpanlah alamat halaman ini" in html
    with_email = ParticipantFactory(page=training)
    page_url = training.url + training.reverse_subpage(
        "participation", kwargs={"token": with_email.token}
    )
    assert "Kami telah mengirim rinciannya ke email Anda" in client.get(page_url).content.decode()
