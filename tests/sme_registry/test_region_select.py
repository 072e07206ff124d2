"""The region drop-downs are written by hand for speed; they must read as Django's own."""

import pytest

from django import forms

from sme_registry.forms import OwnerStepForm, RegionSelect

CHOICES = [
    ("", "— pilih —"),
    ("Cibinong", [(1, "Pakansari"), (2, "Tengah & <Sukahati>")]),
    ("Citeureup", [(3, 'Puspanegara "Baru"')]),
]


@pytest.mark.parametrize("value", [None, "", 2, "3"])
def test_the_region_select_writes_the_same_markup_as_djangos_select(value):
    attrs = {
        "id": "id_desa",
        "required": True,
        "aria-describedby": "id_desa_helptext",
        "disabled": False,
        "data-desa-select": "true",
    }
    ours = RegionSelect(attrs=attrs, choices=CHOICES).render("desa", value)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("desa", value)
    # The same elements and attributes, in the same order; only Django's blank lines go.
    assert ours == "\n".join(line for line in django.split("\n") if line.strip())


@pytest.mark.django_db
def test_the_owner_step_lists_every_desa_grouped_by_kecamatan():
    from sme_registry.models import Desa, Kecamatan

    html = str(OwnerStepForm()["desa"])
    assert html.count("<option value=") == Desa.objects.count() + 1
    assert html.count("<optgroup") == Kecamatan.objects.count()
