"""The registry's rules live on the models: the public form, the admin and the database agree.

For each rule, a bad value is refused by the public step form (next to the
field, in Indonesian), by the admin's edit form, and where the database can
hold the rule, by the database itself when code writes around the models.
"""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import roles
from sme_registry.forms import FinanceStepForm, LegalStepForm, LocationStepForm, OwnerStepForm
from sme_registry.models import Business, EvaluationReport, Kecamatan, LegalDocument
from tests.admin_forms import form_data
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory
from training_pages.models import ActivitySession

pytestmark = pytest.mark.django_db

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _other_desa():
    here = Kecamatan.objects.get(code="32.01.01")
    return Kecamatan.objects.exclude(pk=here.pk).order_by("code").first().desa_set.first()


def _here():
    return Kecamatan.objects.get(code="32.01.01")


# (public form, its data, admin field overrides, the field the message is next to, the message)
def cases():
    here = _here()
    desa_here = here.desa_set.order_by("code").first()
    return [
        (
            LocationStepForm,
            {"address": "Jl. 1", "kecamatan": here.pk, "desa": _other_desa().pk},
            {"desa": _other_desa().pk},
            "desa",
            "Desa/kelurahan ini tidak berada di kecamatan yang dipilih.",
        ),
        (
            FinanceStepForm,
            {"workers_male": 1, "workers_female": 0, "workers_disabled": 2, "capital": "1000"},
            {"workers_male": 1, "workers_female": 0, "workers_disabled": 2},
            "workers_disabled",
            "Tidak boleh lebih dari jumlah tenaga kerja laki-laki dan perempuan.",
        ),
        (
            FinanceStepForm,
            {"workers_male": 1, "workers_female": 0, "workers_disabled": 0},
            {"capital": "", "annual_sales": ""},
            "annual_sales",
            "Isi omzet atau modal (perkiraan pun boleh).",
        ),
        (
            LocationStepForm,
            {"address": "Jl. 1", "kecamatan": here.pk, "desa": desa_here.pk, "latitude": "-6.5"},
            {"latitude": "-6.5", "longitude": ""},
            "latitude",
            "Isi lintang dan bujur sekaligus, atau kosongkan keduanya.",
        ),
        (
            LocationStepForm,
            {"address": "Jl. 1", "kecamatan": here.pk, "desa": desa_here.pk, "rt": "12a"},
            {"rt": "12a"},
            "rt",
            "Paling banyak 3 angka.",
        ),
    ]


def _messages(form, field):
    return " ".join(str(m) for m in form.errors.get(field, []))


@pytest.mark.parametrize("index", range(5))
def test_the_public_form_and_the_admin_refuse_the_same(client, index):
    form_class, data, admin_overrides, field, message = cases()[index]
    public = form_class(data)
    assert not public.is_valid()
    assert message in _messages(public, field), public.errors

    business = BusinessFactory()
    client.force_login(UserFactory(role=roles.VALIDATOR))
    url = reverse("wagtailsnippets_sme_registry_business:edit", args=[business.pk])
    form = client.get(url).context["form"]
    before = business.latest_revision_id
    response = client.post(url, form_data(form, **{k: str(v) for k, v in admin_overrides.items()}))
    assert response.status_code == 200, "the admin accepted what the public form refused"
    assert message in _messages(response.context["form"], field)
    assert Business.objects.get(pk=business.pk).latest_revision_id == before


def test_owner_rules_are_the_models_for_the_form_and_the_admin(client):
    data = {
        "full_name": "Siti",
        "nik": "3201014506900001",
        "sex": "P",
        "birth_date": TOMORROW,
        "phone": "0812-3456-7890",
        "address": "Jl. 1",
    }
    form = OwnerStepForm(data)
    assert not form.is_valid()
    assert "Tanggal lahir tidak boleh di masa depan." in _messages(form, "birth_date")
    owner = BusinessFactory().owner
    client.force_login(UserFactory(role=roles.VALIDATOR))
    url = reverse("wagtailsnippets_sme_registry_owner:edit", args=[owner.pk])
    admin_form = client.get(url).context["form"]
    response = client.post(url, form_data(admin_form, birth_date=TOMORROW))
    assert response.status_code == 200
    assert "Tanggal lahir tidak boleh di masa depan." in _messages(
        response.context["form"], "birth_date"
    )


def test_document_dates_are_checked_everywhere():
    form = LegalStepForm({"pirt_issued_on": "2024-05-01", "pirt_expires_on": "2023-01-01"})
    assert not form.is_valid()
    assert "Tanggal berlaku sampai lebih awal dari tanggal terbit." in _messages(
        form, "pirt_expires_on"
    )
    form = LegalStepForm({"halal_issued_on": TOMORROW})
    assert not form.is_valid()
    assert "Tanggal terbit tidak boleh di masa depan." in _messages(form, "halal_issued_on")
    business = BusinessFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalDocument.objects.create(
            business=business,
            kind="pirt",
            issued_on=datetime.date(2024, 5, 1),
            expires_on=datetime.date(2023, 1, 1),
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"workers_disabled": 9},
        {"capital": None, "annual_sales": None},
        {"capital": -1},
        {"annual_sales": -5},
        {"latitude": "-6.5", "longitude": None},
    ],
)
def test_the_database_holds_the_rules_too(fields):
    business = BusinessFactory()
    # Written around the models (a bulk update): the database still refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Business.objects.filter(pk=business.pk).update(**fields)


def test_a_record_is_never_merged_into_itself():
    business = BusinessFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Business.objects.filter(pk=business.pk).update(merged_into=business)


def test_a_session_ends_after_it_starts(home_page):
    page = TrainingPageFactory(parent=TrainingIndexPageFactory(parent=home_page))
    session = page.sessions.first()
    session.ends_at = session.starts_at
    with pytest.raises(Exception) as exc:
        session.full_clean()
    assert "Sesi harus selesai setelah dimulai." in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivitySession.objects.filter(pk=session.pk).update(ends_at=session.starts_at)


# Every check constraint of a model with rules, and a value that breaks it: written out here,
# so a constraint added without its rule fails below (`full_clean()` leaves the constraints
# to the database and judges the same fields through the rules).
BREAKS = {
    "business_disabled_within_workers": {
        "workers_male": 0,
        "workers_female": 1,
        "workers_disabled": 2,
    },
    "business_sales_or_capital": {"capital": None, "annual_sales": None},
    "business_capital_not_negative": {"capital": -1},
    "business_annual_sales_not_negative": {"annual_sales": -1},
    "business_assets_not_negative": {"assets": -5},
    "business_coordinates_both_or_neither": {"latitude": Decimal("-6.48"), "longitude": None},
    "business_not_merged_into_itself": {"merged_into_id": "self"},
    "legal_document_expires_after_issue": {
        "issued_on": datetime.date(2024, 5, 2),
        "expires_on": datetime.date(2024, 5, 1),
    },
    "activity_session_ends_after_start": {"starts": 0, "ends": 0},
    "evaluation_period_in_order": {
        "period_start": datetime.date(2026, 11, 30),
        "period_end": datetime.date(2026, 11, 1),
    },
    "evaluation_final_has_figures": {"finalised_at": "now", "figures": None},
}


def _check_constraints():
    from django.apps import apps
    from django.db import models

    from core.rules import RulesMixin

    for model in apps.get_models():
        if issubclass(model, RulesMixin):
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.CheckConstraint):
                    yield model, constraint


def test_every_check_constraint_is_in_the_table():
    assert {c.name for _m, c in _check_constraints()} == set(BREAKS)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_full_clean_refuses_what_each_check_constraint_refuses(name, home_page):
    model, constraint = next((m, c) for m, c in _check_constraints() if c.name == name)
    values = dict(BREAKS[name])
    if model is Business:
        obj = BusinessFactory()
        if values.get("merged_into_id") == "self":
            values["merged_into_id"] = obj.pk
    elif model is LegalDocument:
        obj = LegalDocument(business=BusinessFactory(), kind="pirt")
    elif model is EvaluationReport:
        obj = EvaluationReport(
            title="Evaluasi",
            kind="month",
            period_start=datetime.date(2026, 11, 1),
            period_end=datetime.date(2026, 11, 30),
        )
        if values.get("finalised_at") == "now":
            values["finalised_at"] = timezone.now()
    else:
        page = TrainingPageFactory(parent=TrainingIndexPageFactory(parent=home_page))
        start = timezone.now()
        obj = ActivitySession(page=page, starts_at=start, ends_at=start)
        values = {}
    for field, value in values.items():
        setattr(obj, field, value)
    with pytest.raises(ValidationError) as refused:
        obj.full_clean(validate_constraints=False)
    messages = [m for ms in refused.value.message_dict.values() for m in ms]
    assert str(constraint.violation_error_message) in messages
