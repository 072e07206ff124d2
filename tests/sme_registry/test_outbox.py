import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sme_registry.models import Business, OutboxEmail
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import register


def test_a_mail_failure_loses_nothing_and_is_retried(
    client, home_page, settings, django_capture_on_commit_callbacks
):
    page = RegistrationPageFactory(parent=home_page)
    settings.EMAIL_BACKEND = "tests.content.broken_mail.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, page)
    assert response.status_code == 302
    business = Business.objects.get()  # the registration itself is stored
    message = OutboxEmail.objects.get()
    assert message.sent_at is None and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert business.tracking_code_display in message.subject

    # The mail server is back; the scheduled command delivers once it is due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert "0 e-mails sent" in out.getvalue()  # not due yet
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_outbox", stdout=out)
    assert "1 e-mails sent" in out.getvalue()
    assert [m.subject for m in mail.outbox] == [message.subject]
    assert OutboxEmail.objects.get().sent_at is not None
    call_command("send_outbox", stdout=out)
    assert len(mail.outbox) == 1  # never sent twice


def test_retries_stop_after_the_limit(db, settings):
    from sme_registry.notifications import retry_due

    settings.EMAIL_BACKEND = "tests.content.broken_mail.BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    OutboxEmail.objects.create(to="a@example.org", subject="s", body="b", attempts=2)
    assert retry_due() == (0, 0)
