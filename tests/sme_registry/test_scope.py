"""Staff entry keeps to the operator's kecamatan; an operator without an area sees nothing.

Every admin address for every role is in tests/test_admin_scope.py.
"""

import time

import pytest

from django.urls import reverse

from core import roles
from core.spam import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token
from sme_registry import permissions
from sme_registry.models import Business, Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.flow import answers

pytestmark = pytest.mark.django_db


def _staff_entry_data(kecamatan, desa):
    data = {
        TOKEN_FIELD: make_form_token(now=time.time() - 30),
        HONEYPOT_FIELD: "",
        "persetujuan-consent": "on",
    }
    for slug in ("pemilik", "usaha", "lokasi", "keuangan"):
        for key, value in answers()[slug].items():
            data[f"{slug}-{key}"] = value
    data["lokasi-kecamatan"] = str(kecamatan.pk)
    data["lokasi-desa"] = str(desa.pk)
    return data


def test_an_operator_cannot_register_outside_their_kecamatan(client, home_page):
    here = Kecamatan.objects.get(code="32.01.01")
    there = Kecamatan.objects.exclude(pk=here.pk).order_by("code").first()
    RegistrationPageFactory(parent=home_page)
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=here))
    form = client.get(reverse("sme_registry_staff_entry")).context["sections"][2][2]
    offered = {value for value, _label in form.fields["kecamatan"].choices if value}
    assert offered == {here.pk}
    response = client.post(
        reverse("sme_registry_staff_entry"),
        _staff_entry_data(there, there.desa_set.order_by("code").first()),
    )
    assert response.status_code == 200
    assert not Business.objects.exists()
    response = client.post(
        reverse("sme_registry_staff_entry"),
        _staff_entry_data(here, here.desa_set.order_by("code").first()),
    )
    assert response.status_code == 302
    assert Business.objects.get().kecamatan == here


def test_the_service_checks_the_kecamatan_whatever_the_form_offered():
    from django.core.exceptions import ValidationError

    from sme_registry import services
    from tests.sme_registry.factories import OwnerAnswersFactory

    here = Kecamatan.objects.get(code="32.01.01")
    there = Kecamatan.objects.exclude(pk=here.pk).order_by("code").first()
    operator = UserFactory(role=roles.OPERATOR, kecamatan=here)
    registration = services.RegistrationInput(
        owner=OwnerAnswersFactory(),
        business={
            "name": "Usaha Di Luar",
            "kbli_category": "C",
            "main_product": "Keripik",
            "year_started": 2020,
            "address": "Jl. 1",
            "kecamatan_id": there.pk,
            "desa_id": there.desa_set.order_by("code").first().pk,
            "annual_sales": 1_000_000,
        },
    )
    with pytest.raises(ValidationError) as exc:
        services.register_business(registration, entered_by=operator)
    assert "kecamatan" in exc.value.message_dict
    assert not Business.objects.exists()


def test_an_operator_without_an_area_sees_nothing():
    BusinessFactory()
    user = UserFactory(role=roles.OPERATOR)
    assert not permissions.scoped_businesses(user).exists()
    assert not permissions.scoped_owners(user).exists()
