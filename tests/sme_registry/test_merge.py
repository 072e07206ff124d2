from django.urls import reverse

from core import roles
from core.models import RecordLogEntry
from sme_registry.models import Business, IndicatorSnapshot, LegalDocument, Status
from sme_registry.selectors import public_status
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory


def test_merging_moves_everything_to_the_survivor_and_archives_the_duplicate(client, staff):
    survivor = BusinessFactory(name="Warung Nasi Bu Imas", extra_answers={"sumber": "Teman"})
    # A validated duplicate (so with an indicator snapshot), flagged at registration.
    duplicate = BusinessFactory(
        name="Warung Nasi Ibu Imas", extra_answers={"sumber": "X", "kanal": "IG"}, validated=True
    )
    assert list(duplicate.possible_duplicates.all()) == [survivor]
    LegalDocument.objects.create(business=duplicate, kind="pirt", number="P-IRT 123")

    page = client.get(reverse("sme_registry_merge", args=[survivor.pk])).content.decode()
    assert "Warung Nasi Ibu Imas" in page
    response = client.post(
        reverse("sme_registry_merge", args=[survivor.pk]), {"other": duplicate.pk, "keep": "this"}
    )
    assert response.status_code == 302

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.status == Status.ARCHIVED
    assert duplicate.review_note == f"Digabung ke {survivor.tracking_code_display}."
    assert duplicate.current_workflow_state is None  # no longer waiting for anyone
    assert Business.objects.filter(pk=duplicate.pk).exists()  # archived, not deleted
    assert LegalDocument.objects.get(number="P-IRT 123").business == survivor
    assert IndicatorSnapshot.objects.filter(business=survivor).count() == 1
    assert survivor.extra_answers == {"sumber": "Teman", "kanal": "IG"}
    assert not survivor.possible_duplicates.exists()
    assert RecordLogEntry.objects.filter(action="sme_registry.merge").count() == 2
    assert RecordLogEntry.objects.for_instance(duplicate).filter(action="sme_registry.archive")
    # The duplicate's tracking code now answers with the survivor's state.
    assert public_status(duplicate)[0] == public_status(survivor)[0]


def test_merge_is_limited_to_likely_duplicates_in_scope(client, staff):
    business = BusinessFactory(name="Warung Nasi Bu Imas")
    stranger = BusinessFactory(name="Bengkel Motor Jaya")  # same desa, nothing alike
    url = reverse("sme_registry_merge", args=[business.pk])
    response = client.post(url, {"other": stranger.pk, "keep": "this"})
    assert response.status_code == 200
    assert Business.objects.get(pk=stranger.pk).merged_into is None
    # A likely duplicate, but the operator works in another kecamatan: no such page.
    twin = BusinessFactory(name="Warung Nasi Ibu Imas")
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan="32.01.02"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"other": twin.pk, "keep": "this"}).status_code == 404
    assert Business.objects.get(pk=twin.pk).merged_into is None
