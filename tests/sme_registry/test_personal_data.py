import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import ModelLogEntry

from sme_registry import permissions
from tests.sme_registry.factories import BusinessFactory


@pytest.fixture
def business(db):
    return BusinessFactory(name="Dodol Betawi Citeureup")


def user_with(django_user_model, role, name):
    user = django_user_model.objects.create_user(name, password="x")
    user.groups.add(Group.objects.get(name=role))
    return user


def test_validator_sees_unmasked_data_and_the_view_is_audited(
    client, business, django_user_model, caplog
):
    validator = user_with(django_user_model, permissions.VALIDATOR, "validator")
    client.force_login(validator)
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = client.get(reverse("sme_registry_personal_data", args=[business.owner.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert business.owner.nik in html
    assert "0812-3456-7890" in html
    entry = ModelLogEntry.objects.get(action="sme_registry.view_pii")
    assert entry.user == validator and entry.object_id == str(business.owner.pk)
    assert any("sme_registry.view_pii" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "role", [permissions.OPERATOR, permissions.MENTOR, permissions.ANALYST, permissions.EDITOR]
)
def test_roles_without_need_never_see_personal_data(client, business, django_user_model, role):
    client.force_login(user_with(django_user_model, role, "someone"))
    response = client.get(reverse("sme_registry_personal_data", args=[business.owner.pk]))
    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="sme_registry.view_pii").exists()
    search = client.post(reverse("sme_registry_nik_search"), {"nik": business.owner.nik})
    assert search.status_code in (302, 403)
    assert search.get("Location", "") != reverse(
        "sme_registry_personal_data", args=[business.owner.pk]
    )


def test_exact_nik_search_keeps_the_nik_out_of_addresses_and_is_audited(
    client, business, django_user_model, caplog
):
    client.force_login(user_with(django_user_model, permissions.VALIDATOR, "validator"))
    url = reverse("sme_registry_nik_search")
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        found = client.post(url, {"nik": business.owner.nik})
        missing = client.post(url, {"nik": "3201014506900999"})
    assert found.status_code == 302
    assert found["Location"] == reverse("sme_registry_personal_data", args=[business.owner.pk])
    assert business.owner.nik not in found["Location"]
    assert "Tidak ada pemilik dengan NIK ini" in missing.content.decode()
    messages = [r.getMessage() for r in caplog.records if "nik_search" in r.getMessage()]
    assert len(messages) == 2
    assert all(business.owner.nik not in m for m in messages)
    assert business.owner.masked_nik in messages[0]
