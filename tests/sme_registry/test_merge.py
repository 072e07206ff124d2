import pytest

from django.urls import reverse

from wagtail.models import ModelLogEntry

from sme_registry import services
from sme_registry.models import Business, IndicatorSnapshot, LegalDocument, Status
from sme_registry.selectors import public_status
from tests.sme_registry.factories import BusinessFactory


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("petugas", "p@example.org", "x")
    client.force_login(user)
    return user


def test_merging_moves_everything_to_the_survivor_and_archives_the_duplicate(client, staff):
    survivor = BusinessFactory(name="Warung Nasi Bu Imas", extra_answers={"sumber": "Teman"})
    duplicate = BusinessFactory(
        name="Warung Nasi Ibu Imas", extra_answers={"sumber": "X", "kanal": "IG"}
    )
    duplicate.possible_duplicates.add(survivor)
    LegalDocument.objects.create(business=duplicate, kind="pirt", number="P-IRT 123")
    duplicate.save_revision()
    services.validate_business(duplicate)  # a validated duplicate with a snapshot

    page = client.get(reverse("sme_registry_merge", args=[survivor.pk])).content.decode()
    assert "Warung Nasi Ibu Imas" in page
    response = client.post(
        reverse("sme_registry_merge", args=[survivor.pk]), {"other": duplicate.pk, "keep": "this"}
    )
    assert response.status_code == 302

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.status == Status.REJECTED
    assert Business.objects.filter(pk=duplicate.pk).exists()  # archived, not deleted
    assert LegalDocument.objects.get(number="P-IRT 123").business == survivor
    assert IndicatorSnapshot.objects.filter(business=survivor).count() == 1
    assert survivor.extra_answers == {"sumber": "Teman", "kanal": "IG"}
    assert not survivor.possible_duplicates.exists()
    assert ModelLogEntry.objects.filter(action="sme_registry.merge").count() == 2
    # The duplicate's tracking code now answers with the survivor's state.
    assert public_status(duplicate)[0] == public_status(survivor)[0]


def test_merge_is_limited_to_likely_duplicates_in_scope(client, staff):
    business = BusinessFactory()
    stranger = BusinessFactory()
    response = client.post(
        reverse("sme_registry_merge", args=[business.pk]), {"other": stranger.pk, "keep": "this"}
    )
    assert response.status_code == 200
    assert Business.objects.get(pk=stranger.pk).merged_into is None
