"""After the last session: attendance settled, certificates issued, one e-mail per attendee."""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from core.links import absolute_url as public_url
from sme_registry.models import OutboxEmail
from tests.content.factories import FormPageFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
)
from training_pages import attendance, followups
from training_pages.models import Certificate, ParticipantStatus

S = ParticipantStatus


@pytest.fixture
def feedback(home_page):
    return FormPageFactory(parent=home_page, title="Umpan balik pelatihan", slug="umpan-balik")


def ended_training(index, feedback, **kwargs):
    return TrainingPageFactory(
        parent=index,
        title="Pelatihan Pembukuan",
        sessions=[-2, -1],
        gives_certificate=True,
        feedback_page=feedback,
        **kwargs,
    )


@pytest.fixture
def ended(index, feedback):
    return ended_training(index, feedback)


def attend(page, **kwargs):
    participant = ParticipantFactory(page=page, **kwargs)
    attendance.record_attendance(participant, page.ordered_sessions()[0], method="qr")
    return participant


def test_attendees_get_the_feedback_and_certificate_links_once(index, feedback):
    # Three seats: once they were taken, the next one queued.
    ended = ended_training(index, feedback, capacity=3)
    came = attend(ended)
    no_email = attend(ended, business__owner__email="")
    absent = ParticipantFactory(page=ended)
    waiting = ParticipantFactory(page=ended, status=S.WAITLISTED)

    assert followups.send_followups() == 1
    assert followups.send_followups() == 0
    call_command("send_training_followups", stdout=open("/dev/null", "w"))  # noqa: SIM115

    message = OutboxEmail.objects.get()
    assert message.to == came.business.owner.email
    assert "Pelatihan Pembukuan" in message.subject
    assert public_url(feedback.url) in message.body
    certificate = Certificate.objects.get(participant=came)
    assert followups.certificate_url(came) in message.body
    assert certificate.code_display in message.body
    assert "{%" not in message.body and "&amp;" not in message.body

    for participant, status in (
        (came, S.ATTENDED),
        (no_email, S.ATTENDED),
        (absent, S.NO_SHOW),
        (waiting, S.WAITLISTED),
    ):
        participant.refresh_from_db()
        assert participant.status == status
    came.refresh_from_db()
    no_email.refresh_from_db()
    assert came.feedback_sent_at is not None and no_email.feedback_sent_at is None
    assert Certificate.objects.count() == 2  # the one without e-mail prints it from the link


def test_feedback_only_when_the_activity_gives_no_certificate(index, feedback):
    page = TrainingPageFactory(parent=index, sessions=[-1], feedback_page=feedback)
    attend(page)
    assert followups.send_followups() == 1
    message = OutboxEmail.objects.get()
    assert public_url(feedback.url) in message.body and "sertifikat" not in message.body
    assert not Certificate.objects.exists()


def test_nothing_to_send_without_a_form_or_a_certificate(index):
    page = TrainingPageFactory(parent=index, sessions=[-1])
    participant = attend(page)
    assert followups.send_followups() == 0
    participant.refresh_from_db()
    assert participant.status == S.ATTENDED and participant.feedback_sent_at is None


def test_only_activities_that_ended_in_the_last_two_weeks(index, feedback):
    running = TrainingPageFactory(parent=index, sessions=[-1, 1], feedback_page=feedback)
    old = TrainingPageFactory(parent=index, sessions=[-20], feedback_page=feedback)
    attend(running)
    old_participant = attend(old)
    assert followups.send_followups() == 0
    old_participant.refresh_from_db()
    assert old_participant.status == S.REGISTERED
    # Run later, once the running one has ended: its attendees are followed up.
    later = timezone.now() + datetime.timedelta(days=2)
    assert followups.send_followups(now=later) == 1


def test_a_revoked_certificate_is_not_sent(ended, feedback):
    came = attend(ended)
    attendance.settle_attendance(ended)
    from training_pages.certificates import issue_certificates, revoke_certificate

    issue_certificates(ended)
    revoke_certificate(came.certificate, reason="Keliru")
    followups.send_followups()
    body = OutboxEmail.objects.get().body
    assert public_url(feedback.url) in body and came.certificate.code_display not in body


def test_the_task_wrapper_runs_the_same_follow_up(ended):
    attend(ended)
    followups.send_followups_task.enqueue()
    assert OutboxEmail.objects.count() == 1


def test_follow_ups_go_to_who_registered_not_to_an_owner_someone_named(ended):
    from tests.sme_registry.factories import BusinessFactory

    owner = BusinessFactory(validated=True, owner__email="pemilik.asli@example.org").owner
    claimed = BusinessFactory(
        validated=True, owner__nik=owner.nik, owner__email="pengirim@example.org"
    )
    assert not claimed.owner_confirmed
    OutboxEmail.objects.all().delete()
    attend(ended, business=claimed)
    followups.send_followups()
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["pengirim@example.org"]
