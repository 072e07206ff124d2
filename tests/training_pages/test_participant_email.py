"""What participants receive: confirmation with the calendar file, changes, the reminder."""

import datetime
import io

import icalendar
import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
    at,
)
from training_pages import notifications, services
from training_pages.models import ParticipantStatus

pytestmark = pytest.mark.django_db


def calendar_of(message):
    (attachment,) = [a for a in message.attachments if a[2] == "text/calendar"]
    return icalendar.Calendar.from_ical(attachment[1])


def test_a_confirmed_participant_gets_the_calendar_with_jakarta_times(
    index, django_capture_on_commit_callbacks
):
    training = TrainingPageFactory(parent=index, sessions=[3, 4])
    business = BusinessFactory(validated=True, owner__email="bu.siti@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        participant, _ = services.sign_up(training, business)
    (message,) = mail.outbox
    assert message.to == ["bu.siti@example.org"]
    assert "Tempat Anda sudah pasti" in message.subject
    assert participant.token in message.body
    events = calendar_of(message).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == [at(3, 9), at(4, 9)]
    assert starts[0].utcoffset() == datetime.timedelta(hours=7)


def test_the_meeting_link_travels_only_to_accepted_participants(
    index, django_capture_on_commit_callbacks
):
    online = TrainingPageFactory(
        parent=index,
        mode="online",
        venue_name="",
        kecamatan=None,
        online_link="https://meet.example.org/kelas-umkm",
        capacity=1,
    )
    first, second = BusinessFactory(validated=True), BusinessFactory(validated=True)
    mail.outbox.clear()  # the reviewers' messages about the registrations
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(online, first)
        services.sign_up(online, second)
    confirmed, waiting = mail.outbox
    assert "kelas-umkm" in confirmed.body
    assert "kelas-umkm" in calendar_of(confirmed).to_ical().decode()
    assert "daftar tunggu" in waiting.subject.lower()
    assert "kelas-umkm" not in waiting.body and not waiting.attachments


def test_the_first_waiting_is_told_when_a_seat_frees(index, django_capture_on_commit_callbacks):
    training = TrainingPageFactory(parent=index, capacity=1)
    seated = ParticipantFactory(page=training)
    waiting = ParticipantFactory(
        page=training,
        status=ParticipantStatus.WAITLISTED,
        business__owner__email="antre@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(seated)
    told = [m for m in mail.outbox if m.to == ["antre@example.org"]]
    assert len(told) == 1 and "Kabar baik" in told[0].body
    waiting.refresh_from_db()
    assert waiting.token in told[0].body


def test_an_unconfirmed_owner_is_never_written_at_the_registered_address(
    index, django_capture_on_commit_callbacks
):
    registered = BusinessFactory(validated=True, owner__email="pemilik.asli@example.org")
    # Someone else registers a business with the registered owner's NIK and their own address.
    business = BusinessFactory(
        validated=True,
        owner__nik=registered.owner.nik,
        owner__email="pengirim@example.org",
    )
    assert business.owner == registered.owner and not business.owner_confirmed
    training = TrainingPageFactory(parent=index)
    mail.outbox.clear()  # the reviewers' messages about the registrations
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(training, business)
    assert [m.to for m in mail.outbox] == [["pengirim@example.org"]]


def test_the_reminder_goes_the_day_before_once(index, django_capture_on_commit_callbacks):
    tomorrow = TrainingPageFactory(parent=index, sessions=[1])
    later = TrainingPageFactory(parent=index, sessions=[5])
    reminded = ParticipantFactory(page=tomorrow, business__owner__email="besok@example.org")
    ParticipantFactory(page=tomorrow, status=ParticipantStatus.CANCELLED)
    ParticipantFactory(page=later)
    mail.outbox.clear()  # the reviewers' messages about the registrations
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_reminders(now) == 1
        assert notifications.send_reminders(now + datetime.timedelta(hours=1)) == 0
        call_command("send_training_reminders", stdout=io.StringIO())
    (message,) = mail.outbox
    assert message.to == ["besok@example.org"]
    assert "besok" in message.subject.lower()
    reminded.refresh_from_db()
    assert reminded.reminder_sent_at is not None
