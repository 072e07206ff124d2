from django.core import mail

from sme_registry.models import EmailTemplate
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import register


def test_the_office_can_reword_an_email_without_a_developer(
    client, home_page, django_capture_on_commit_callbacks
):
    EmailTemplate.objects.create(
        kind="tracking_code",
        subject="Pendaftaran {usaha} diterima",
        body="Yth. {nama},\nkode Anda {kode}. Cek di {tautan}. {tidak_dikenal}",
    )
    page = RegistrationPageFactory(parent=home_page)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, page)
    message = mail.outbox[0]
    assert message.subject == "Pendaftaran Keripik Singkong Bu Siti diterima"
    assert message.body.startswith("Yth. Siti Aminah,\nkode Anda ")
    assert "/daftar/status/" in message.body
    assert "{tidak_dikenal}" in message.body  # unknown placeholders are left as written


def test_without_a_custom_text_the_built_in_wording_is_used(
    client, home_page, django_capture_on_commit_callbacks
):
    page = RegistrationPageFactory(parent=home_page)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, page)
    assert mail.outbox[0].subject.startswith("Kode pelacakan SI MBA UMI Anda")
