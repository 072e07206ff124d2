import pytest

from django.urls import reverse

from core import roles
from core.models import RecordLogEntry
from tests.factories import UserFactory
from tests.sme_registry.factories import CIBINONG, BusinessFactory


@pytest.fixture
def business(db):
    return BusinessFactory(name="Dodol Betawi Citeureup")


@pytest.mark.parametrize("role", [roles.VALIDATOR, roles.ADMIN_DINAS])
def test_the_office_sees_unmasked_data_and_the_view_is_audited(client, business, caplog, role):
    office = UserFactory(username="petugas-dinas", role=role)
    client.force_login(office)
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = client.get(reverse("sme_registry_personal_data", args=[business.owner.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert business.owner.nik in html
    assert "0812-3456-7890" in html
    entry = RecordLogEntry.objects.get(action="sme_registry.view_pii")
    assert entry.user == office and entry.object_id == str(business.owner.pk)
    assert any("sme_registry.view_pii" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("role", [roles.OPERATOR, roles.MENTOR, roles.ANALYST, roles.EDITOR])
def test_roles_without_need_never_see_personal_data(client, business, role):
    # The operator works in the business's own kecamatan: the record is in scope, the data not.
    kecamatan = CIBINONG if role == roles.OPERATOR else None
    client.force_login(UserFactory(username="someone", role=role, kecamatan=kecamatan))
    response = client.get(reverse("sme_registry_personal_data", args=[business.owner.pk]))
    # Refused: an owner out of the role's scope is not even named (404), one in it is
    # refused for want of the permission.
    assert response.status_code in ((302, 403) if role == roles.OPERATOR else (302, 403, 404))
    assert business.owner.nik not in response.content.decode()
    assert not RecordLogEntry.objects.filter(action="sme_registry.view_pii").exists()
    search = client.post(reverse("sme_registry_nik_search"), {"nik": business.owner.nik})
    assert search.status_code in (302, 403)
    assert search.get("Location", "") != reverse(
        "sme_registry_personal_data", args=[business.owner.pk]
    )


def test_exact_nik_search_keeps_the_nik_out_of_addresses_and_is_audited(client, business, caplog):
    client.force_login(UserFactory(username="validator", role=roles.VALIDATOR))
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
