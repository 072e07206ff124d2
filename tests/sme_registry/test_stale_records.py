import io

import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sme_registry import services
from sme_registry.models import Business, UpdateReminder
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory


def age(business, days):
    Business.objects.filter(pk=business.pk).update(
        updated_at=timezone.now() - timezone.timedelta(days=days)
    )


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def validated(**kwargs):
    business = BusinessFactory(**kwargs)
    business.save_revision()
    services.validate_business(business)
    return business


def run(capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("remind_stale_records", stdout=out)
    return out.getvalue()


def test_owners_of_stale_records_get_a_link_once(page, django_capture_on_commit_callbacks):
    old = validated(name="Usaha Lama")
    no_email = validated(name="Usaha Tanpa Email", owner__email="")
    fresh = validated(name="Usaha Baru")
    submitted = BusinessFactory(name="Masih Diajukan")
    for business in (old, no_email, submitted):
        age(business, 200)
    output = run(django_capture_on_commit_callbacks)
    assert "2 businesses" in output and "1 owners e-mailed" in output
    assert [m.to for m in mail.outbox] == [[old.owner.email]]
    assert "/perbarui/" in mail.outbox[0].body
    assert "belum diperbarui" in mail.outbox[0].body
    assert set(UpdateReminder.objects.values_list("business__name", flat=True)) == {
        "Usaha Lama",
        "Usaha Tanpa Email",
    }
    assert not UpdateReminder.objects.filter(business__in=[fresh, submitted]).exists()
    # The next day: nothing is sent again.
    mail.outbox.clear()
    assert "0 businesses" in run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_update_clears_the_reminder(page, django_capture_on_commit_callbacks):
    old = validated()
    age(old, 200)
    run(django_capture_on_commit_callbacks)
    assert UpdateReminder.objects.filter(business=old).exists()
    Business.objects.filter(pk=old.pk).update(updated_at=timezone.now())
    run(django_capture_on_commit_callbacks)
    assert not UpdateReminder.objects.filter(business=old).exists()
