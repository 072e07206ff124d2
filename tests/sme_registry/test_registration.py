import pytest

from django.core import mail

from sme_registry.models import Business, Status
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import register


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
