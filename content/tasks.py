"""Background work of the content app."""

import logging

from django_tasks import task

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


@task()
def send_form_submission_email(page_id, submission_id):
    """E-mail a stored form submission to the addresses the editor set."""
    from content.models import FormPage

    page = FormPage.objects.get(pk=page_id).specific
    submission = page.get_submission_class().objects.get(pk=submission_id)
    labels = dict(page.get_data_fields())
    lines = []
    for key, value in submission.get_data().items():
        if key == "submit_time":
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        lines.append(f"{labels.get(key, key)}: {value}")
    addresses = [a.strip() for a in page.to_address.split(",") if a.strip()]
    message = EmailMessage(
        subject=page.subject or page.title,
        body="\n".join(lines),
        from_email=page.from_address or None,
        to=addresses,
    )
    message.send()
    logger.info("Form submission %s of page %s e-mailed", submission_id, page_id)
