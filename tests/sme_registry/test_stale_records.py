import io

import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sme_registry.models import Business, UpdateReminder
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory


def age(business, days):
    Business.objects.filter(pk=business.pk).update(
        updated_at=timezone.now() - timezone.timedelta(days=days)
    )


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def run(capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("remind_stale_records", stdout=out)
    return out.getvalue()


def test_owners_of_stale_records_get_a_link_once(page, django_capture_on_commit_callbacks):
    old = BusinessFactory(name="Usaha Lama", validated=True)
    no_email = BusinessFactory(name="Usaha Tanpa Email", owner__email="", validated=True)
    fresh = BusinessFactory(name="Usaha Baru", validated=True)
    submitted = BusinessFactory(name="Masih Diajukan")
    archived = BusinessFactory(name="Usaha Sudah Tutup", state="archived")  # out of the registry
    for business in (old, no_email, submitted, archived):
        age(business, 200)
    mail.outbox.clear()  # the reviewers' notices while the records were validated
    output = run(django_capture_on_commit_callbacks)
    assert "2 businesses" in output and "1 owners e-mailed" in output
    assert [m.to for m in mail.outbox] == [[old.owner.email]]
    assert "/perbarui/" in mail.outbox[0].body
    assert "belum diperbarui" in mail.outbox[0].body
    assert set(UpdateReminder.objects.values_list("business__name", flat=True)) == {
        "Usaha Lama",
        "Usaha Tanpa Email",
    }
    assert not UpdateReminder.objects.filter(business__in=[fresh, submitted, archived]).exists()
    # The next day: nothing is sent again.
    mail.outbox.clear()
    assert "0 businesses" in run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_update_clears_the_reminder(page, django_capture_on_commit_callbacks):
    old = BusinessFactory(validated=True)
    age(old, 200)
    run(django_capture_on_commit_callbacks)
    assert UpdateReminder.objects.filter(business=old).exists()
    Business.objects.filter(pk=old.pk).update(updated_at=timezone.now())
    run(django_capture_on_commit_callbacks)
    assert not UpdateReminder.objects.filter(business=old).exists()
