import json

import pytest

from django.core import mail
from django.urls import reverse

from core import roles
from sme_registry import links
from sme_registry.models import Business
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory, approve_all
from tests.sme_registry.flow import spam_fields


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


@pytest.fixture
def validated(db):
    return BusinessFactory(name="Kopi Gunung Salak", annual_sales=300_000_000, validated=True)


def link_path(owner, page):
    return links.owner_link(owner, page).replace("http://testserver", "")


def test_asking_for_a_link_answers_the_same_whether_or_not_the_nik_exists(
    client, page, validated, django_capture_on_commit_callbacks
):
    url = page.url + "perbarui/"
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"identifier": validated.owner.nik, **spam_fields()})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"identifier": "3201014506900999", **spam_fields()})
    assert known.status_code == unknown.status_code == 200

    def notice(response):
        html = response.content.decode()
        return html[html.index('role="status"') : html.index("</div>", html.index('role="status"'))]

    assert notice(known) == notice(unknown)
    assert [m.to for m in mail.outbox] == [[validated.owner.email]]
    assert "/perbarui/" in mail.outbox[0].body


def test_the_link_opens_the_owners_businesses_only(client, page, validated):
    response = client.get(link_path(validated.owner, page))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kopi Gunung Salak" in html
    assert response["Cache-Control"] == "private, no-store"
    stranger = BusinessFactory(name="Usaha Orang Lain")
    other = client.get(link_path(validated.owner, page) + f"usaha/{stranger.pk}/")
    assert other.status_code == 404


def test_a_forged_or_expired_link_is_refused(client, page, validated, settings):
    path = link_path(validated.owner, page)
    assert client.get(path.replace("/perbarui/", "/perbarui/x")).status_code == 404
    settings.OWNER_LINK_MAX_AGE_SECONDS = -1
    assert client.get(path).status_code == 404


def test_an_update_waits_as_a_draft_and_the_validated_version_stays_live(client, page, validated):
    edit_url = link_path(validated.owner, page) + f"usaha/{validated.pk}/"
    form = client.get(edit_url)
    assert form.status_code == 200
    data = _edit_data(
        form.context,
        **{"usaha-name": "Kopi Gunung Salak Premium", "keuangan-annual_sales": "450.000.000"},
    )
    response = client.post(edit_url, data)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "Perubahan terkirim" in response.content.decode()
    live = Business.objects.get(pk=validated.pk)
    assert live.name == "Kopi Gunung Salak"
    assert live.annual_sales == 300_000_000
    assert live.live and live.has_unpublished_changes
    pending = live.get_latest_revision_as_object()
    assert pending.name == "Kopi Gunung Salak Premium"
    assert pending.annual_sales == 450_000_000
    # Validation (kecamatan, then PUM) makes the change live and records the new figures.
    live = approve_all(live)
    assert live.name == "Kopi Gunung Salak Premium"
    assert list(live.snapshots.values_list("annual_sales", flat=True)) == [300_000_000, 450_000_000]


def test_owner_confirms_a_business_registered_with_their_nik(client, page):
    owner = BusinessFactory().owner
    business = BusinessFactory(owner=owner, owner_confirmed=False)
    assert not business.owner_confirmed  # as submitted, before the owner confirmed it
    path = link_path(owner, page)
    client.post(path, {"action": "confirm", "business": business.pk})
    business.refresh_from_db()
    assert business.owner_confirmed
    # Validation publishes the revision taken before the confirmation: the flag stays.
    business = approve_all(business)
    assert business.live and business.owner_confirmed


def _edit_data(context, **overrides):
    data = {}
    for _slug, _title, form in context["sections"]:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = str(value)
    data.update(spam_fields())
    data.update(overrides)
    return data


def test_errors_in_several_sections_are_summed_up_once_and_the_answers_kept(
    client, page, validated
):
    edit_url = link_path(validated.owner, page) + f"usaha/{validated.pk}/"
    form = client.get(edit_url)
    data = _edit_data(form.context, **{"usaha-name": "", "keuangan-annual_sales": "banyak"})
    html = client.post(edit_url, data).content.decode()
    assert html.count('id="error-summary-title"') == 1
    assert html.count('class="field__error"') >= 2
    assert Business.objects.get(pk=validated.pk).name == "Kopi Gunung Salak"


def test_every_message_about_the_link_says_the_validity_the_office_configured(
    client, page, validated, settings, django_capture_on_commit_callbacks
):
    settings.OWNER_LINK_MAX_AGE_SECONDS = 3 * 24 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(
            page.url + "perbarui/", {"identifier": validated.owner.nik, **spam_fields()}
        ).content.decode()
    assert "Tautan berlaku 3 hari." in html
    assert "7 hari" not in html
    assert "Tautan berlaku 3 hari. Jangan dibagikan" in mail.outbox[0].body
    answer = client.post(
        "/api/registry/v1/owner-link/",
        json.dumps({"identifier": validated.owner.nik}),
        content_type="application/json",
    )
    assert "Tautan berlaku 3 hari." in answer.json()["message"]
    # The ready-made WhatsApp message the office sends from the admin.
    office = UserFactory(username="admin_dinas_tautan", role=roles.ADMIN_DINAS)
    client.force_login(office)
    owner_link = client.get(reverse("sme_registry_owner_link", args=[validated.pk]))
    assert "berlaku 3 hari, jangan dibagikan" in owner_link.context["message"]
