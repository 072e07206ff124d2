"""Helpers that walk the public registration form with the Django test client."""

import time

from core.spam import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token
from sme_registry.models import Desa, Kecamatan
from tests.sme_registry.factories import nik_for


def spam_fields():
    return {TOKEN_FIELD: make_form_token(now=time.time() - 30), HONEYPOT_FIELD: ""}


def answers(**overrides):
    """Valid answers for every step, keyed by step slug."""
    kecamatan = Kecamatan.objects.get(code="32.01.01")
    desa = Desa.objects.filter(kecamatan=kecamatan).order_by("code").first()
    data = {
        "pemilik": {
            "full_name": "Siti Aminah",
            "nik": nik_for(),
            "sex": "P",
            "birth_date": "1990-06-05",
            "phone": "0812-3456-7890",
            "email": "siti@example.org",
            "address": "Jl. Raya Cibinong No. 10",
            "kecamatan": str(kecamatan.pk),
            "desa": str(desa.pk),
            "education": "sma",
        },
        "usaha": {
            "name": "Keripik Singkong Bu Siti",
            "main_product": "Keripik singkong",
            "kbli_category": "C",
            "kbli_code": "10794",
            "legal_form": "perorangan",
            "nib": "",
            "year_started": "2019",
            "description": "Keripik singkong pedas dan original.",
            "sells_on_marketplace": "on",
        },
        "lokasi": {
            "address": "Jl. Mayor Oking No. 5",
            "kecamatan": str(kecamatan.pk),
            "desa": str(desa.pk),
            "rt": "003",
            "rw": "007",
            "postal_code": "16911",
            "latitude": "-6.481234",
            "longitude": "106.854321",
        },
        "keuangan": {
            "capital": "Rp 15.000.000",
            "annual_sales": "180.000.000",
            "assets": "",
            "workers_male": "1",
            "workers_female": "2",
            "workers_disabled": "0",
            "reported_scale": "mikro",
        },
        "legalitas": {"pirt_number": "P-IRT 2063201010123-24"},
        "foto": {},
        "persetujuan": {"consent": "on"},
    }
    for key, value in overrides.items():
        step, _, field = key.partition("__")
        data[step][field] = value
    return data


def register(client, page, data=None, files=None):
    """Walk every step; return the response of the final submit."""
    data = data or answers()
    files = files or {}
    response = client.post(page.url, {**data["pemilik"], **spam_fields()})
    assert response.status_code == 302, response.content.decode()[:2000]
    step_url = response["Location"]
    for slug in ("usaha", "lokasi", "keuangan", "legalitas", "foto", "persetujuan"):
        assert step_url.endswith(f"/{slug}/"), step_url
        response = client.post(step_url, {**data[slug], **files.get(slug, {})})
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
        step_url = response["Location"]
    assert step_url.endswith("/periksa/")
    review = client.get(step_url)
    assert review.status_code == 200
    return client.post(step_url, spam_fields())
