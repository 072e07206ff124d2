"""The registry for staff over JSON: contracts, paging, filters, review, export and tokens."""

import csv
import datetime
import io
import json

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import audit, roles, tokens
from core.models import RecordLogEntry
from sme_registry.models import Business, Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

API = "/api/registry/v1/staff/"
HERE = "32.01.01"
THERE = "32.01.02"


def bearer(user):
    _token, plaintext = tokens.issue(user, name="aplikasi kecamatan")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.fixture
def office(db):
    return UserFactory(username="admin_dinas", role=roles.ADMIN_DINAS)


@pytest.fixture
def operator(db):
    return UserFactory(username="operator_sini", role=roles.OPERATOR, kecamatan=HERE)


def _there():
    there = Kecamatan.objects.get(code=THERE)
    return {"kecamatan": there, "desa": there.desa_set.order_by("code").first()}


# --- Contracts ------------------------------------------------------------------------------

SUMMARY_KEYS = {
    "id",
    "tracking_code",
    "name",
    "status",
    "status_label",
    "kecamatan",
    "desa",
    "kbli_category",
    "kbli_code",
    "main_product",
    "reported_scale",
    "computed_scale",
    "scale_mismatch",
    "source",
    "owner",
    "submitted_at",
    "updated_at",
}
DETAIL_KEYS = SUMMARY_KEYS | {
    "owner_confirmed",
    "nib",
    "legal_form",
    "description",
    "year_started",
    "address",
    "rt",
    "rw",
    "postal_code",
    "latitude",
    "longitude",
    "workers_male",
    "workers_female",
    "workers_disabled",
    "capital",
    "annual_sales",
    "assets",
    "has_shop",
    "sells_on_marketplace",
    "uses_social_media",
    "accepts_qris",
    "online_store_links",
    "directory_opt_in",
    "public_phone",
    "public_link",
    "consent_given_at",
    "consent_version",
    "extra_answers",
    "legal_documents",
    "mentor",
    "review",
}
OWNER_KEYS = {
    "id",
    "full_name",
    "masked",
    "nik",
    "sex",
    "birth_date",
    "phone",
    "email",
    "address",
    "kecamatan",
    "desa",
    "education",
    "has_disability",
}


def test_the_list_item_and_the_record_have_exactly_these_keys(client, office):
    business = BusinessFactory(
        name="Dodol Bu Euis",
        owner__full_name="Euis Kurniasih",
        owner__nik="3201014506900001",
        owner__phone="+6281234567890",
        owner__email="euis@example.org",
        owner__address="Kp. Sukamaju RT 01",
        documents=[{"kind": "pirt", "number": "P-IRT 123", "issued_on": datetime.date(2025, 1, 2)}],
    )
    auth = bearer(office)
    listed = client.get(f"{API}businesses/", **auth).json()
    assert set(listed) == {"items", "next", "limit"}
    (item,) = listed["items"]
    assert set(item) == SUMMARY_KEYS
    assert item["owner"] == {
        "id": business.owner_id,
        "full_name": "Euis Kurniasih",
        "nik": "3201********0001",
    }
    assert item["kecamatan"] == {"code": HERE, "name": "Cibinong"}
    assert item["status"] == "submitted"
    assert item["tracking_code"] == business.tracking_code_display

    record = client.get(f"{API}businesses/{business.pk}/", **auth).json()
    assert set(record) == DETAIL_KEYS
    assert set(record["owner"]) == OWNER_KEYS
    # Masked unless asked for: no NIK, phone, e-mail, birth date or home address in clear.
    assert record["owner"]["masked"] is True
    assert record["owner"]["nik"] == "3201********0001"
    assert record["owner"]["phone"] == "+628*******890"
    assert record["owner"]["email"] == "e***@example.org"
    assert record["owner"]["birth_date"] is None
    assert record["owner"]["address"] is None
    raw = client.get(f"{API}businesses/{business.pk}/", **auth).content.decode()
    for secret in ("3201014506900001", "81234567890", "euis@example.org", "Sukamaju", "1990-06"):
        assert secret not in raw
    assert record["legal_documents"] == [
        {
            "kind": "pirt",
            "label": "PIRT (izin pangan industri rumah tangga)",
            "number": "P-IRT 123",
            "issued_on": "2025-01-02",
            "expires_on": None,
            "expiry": "",
        }
    ]
    assert record["annual_sales"] == 120_000_000
    assert record["review"] == {
        "step": "Pemeriksaan kecamatan",
        "actions": ["approve", "request_changes", "reject"],
        "note": "",
    }


def test_personal_data_is_given_when_asked_by_a_role_that_may_and_is_audited(client, office):
    business = BusinessFactory(owner__nik="3201014506900001", owner__address="Kp. Sukamaju")
    response = client.get(f"{API}businesses/{business.pk}/?personal_data=true", **bearer(office))
    assert response.status_code == 200
    owner = response.json()["owner"]
    assert owner["masked"] is False
    assert owner["nik"] == "3201014506900001"
    assert owner["address"] == "Kp. Sukamaju"
    assert owner["birth_date"] == "1990-06-05"
    assert "no-store" in response["Cache-Control"]
    entry = RecordLogEntry.objects.get(action=audit.VIEW_PII)
    assert entry.user == office
    assert entry.object_id == str(business.owner_id)
    assert entry.data == {"via": "api"}
    # The masked answer writes nothing to the audit trail.
    client.get(f"{API}businesses/{business.pk}/", **bearer(office))
    assert RecordLogEntry.objects.filter(action=audit.VIEW_PII).count() == 1


def test_an_operator_asking_for_personal_data_is_refused_in_indonesian_and_in_english(
    client, operator
):
    business = BusinessFactory()
    auth = bearer(operator)
    url = f"{API}businesses/{business.pk}/?personal_data=true"
    refused = client.get(url, **auth)
    assert refused.status_code == 403
    assert refused.json()["errors"] == [
        {
            "field": "personal_data",
            "code": "forbidden",
            "message": "Peran Anda tidak boleh melihat data pribadi.",
        }
    ]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert english.json()["errors"][0]["message"] == "Your role may not see personal data."
    assert not RecordLogEntry.objects.filter(action=audit.VIEW_PII).exists()


def test_who_am_i_names_the_role_the_area_and_the_expiry(client, operator):
    token, plaintext = tokens.issue(operator, name="tablet kecamatan")
    response = client.get(f"{API}me/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    body = response.json()
    expires = datetime.datetime.fromisoformat(body.pop("token_expires_at"))
    assert abs(expires - (token.created + datetime.timedelta(days=90))) < datetime.timedelta(
        milliseconds=1
    )
    assert body == {
        "username": "operator_sini",
        "name": operator.get_full_name(),
        "roles": ["Operator Kecamatan"],
        "kecamatan": [{"code": HERE, "name": "Cibinong"}],
        "sees_all_kecamatan": False,
        "may_see_personal_data": False,
        "token_name": "tablet kecamatan",
    }


# --- Paging ---------------------------------------------------------------------------------


def _pages(client, url, auth):
    names, pages = [], 0
    while url:
        body = client.get(url, **auth).json()
        names += [item["name"] for item in body["items"]]
        url = body["next"]
        pages += 1
    return names, pages


def test_the_cursor_walks_every_record_once_also_while_records_are_added(client, office):
    for number in range(7):
        BusinessFactory(name=f"Usaha {number}")
    auth = bearer(office)
    first = client.get(f"{API}businesses/?limit=3", **auth).json()
    assert [item["name"] for item in first["items"]] == ["Usaha 0", "Usaha 1", "Usaha 2"]
    # Registered while the client pages: it comes at the end, nothing repeats or hides.
    BusinessFactory(name="Usaha baru")
    rest, pages = _pages(client, first["next"], auth)
    assert rest == ["Usaha 3", "Usaha 4", "Usaha 5", "Usaha 6", "Usaha baru"]
    assert pages == 2
    assert first["next"].startswith("http://testserver/api/registry/v1/staff/businesses/?")


def test_ordered_by_last_change_a_changed_record_comes_again_at_the_end(client, office):
    businesses = [BusinessFactory(name=f"Usaha {number}") for number in range(4)]
    auth = bearer(office)
    first = client.get(f"{API}businesses/?order=updated_at&limit=2", **auth).json()
    assert [item["name"] for item in first["items"]] == ["Usaha 0", "Usaha 1"]
    Business.objects.filter(pk=businesses[0].pk).update(
        updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    rest, _pages_count = _pages(client, first["next"], auth)
    assert rest == ["Usaha 2", "Usaha 3", "Usaha 0"]


def test_a_forged_or_foreign_cursor_is_refused_beside_the_cursor(client, office):
    BusinessFactory.create_batch(3)
    auth = bearer(office)
    by_id = client.get(f"{API}businesses/?limit=1", **auth).json()["next"]
    cursor = by_id.split("cursor=")[1].split("&")[0]
    for url in (
        f"{API}businesses/?cursor=abc:def",
        f"{API}businesses/?order=updated_at&cursor={cursor}",
        f"{API}businesses/?cursor={cursor[:-2]}xx",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 422, url
        assert response.json()["errors"][0]["field"] == "cursor"
        assert "halaman pertama" in response.json()["errors"][0]["message"]


def test_a_page_costs_the_same_queries_for_five_or_forty_records(client, office):
    auth = bearer(office)

    def count():
        client.get(f"{API}businesses/?limit=100", **auth)  # the token's last-used time
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}businesses/?limit=100", **auth)
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    BusinessFactory.create_batch(5)
    few = count()
    BusinessFactory.create_batch(35)
    many = count()
    assert (few[1], many[1]) == (5, 40)
    assert few[0] == many[0]


# --- Filters --------------------------------------------------------------------------------


def test_filters_and_search_are_the_admin_lists(client, office):
    keripik = BusinessFactory(name="Keripik Tempe Mang Ujang", owner__full_name="Ujang Sutisna")
    BusinessFactory(name="Dodol Garut", kbli_category="C", **_there())
    BusinessFactory(name="Warung Bu Imas", kbli_category="G", state="validated")
    auth = bearer(office)

    def names(query):
        response = client.get(f"{API}businesses/?{query}", **auth)
        assert response.status_code == 200, response.content
        return sorted(item["name"] for item in response.json()["items"])

    assert names(f"kecamatan={THERE}") == ["Dodol Garut"]
    assert names("status=validated") == ["Warung Bu Imas"]
    assert names("sector=G") == ["Warung Bu Imas"]
    assert names("q=sutisna") == ["Keripik Tempe Mang Ujang"]
    assert names("q=tempe ujang") == ["Keripik Tempe Mang Ujang"]
    assert names(f"q={keripik.tracking_code.lower()}") == ["Keripik Tempe Mang Ujang"]
    assert names(f"kecamatan={HERE}&status=submitted") == ["Keripik Tempe Mang Ujang"]


def test_an_operator_cannot_filter_on_another_kecamatan(client, operator):
    BusinessFactory(name="Dodol Garut", **_there())
    response = client.get(f"{API}businesses/?kecamatan={THERE}", **bearer(operator))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "kecamatan"
    assert error["code"] == "invalid_choice"


def test_a_malformed_filter_is_refused_by_field(client, office):
    response = client.get(f"{API}businesses/?kecamatan=Cibinong&limit=500", **bearer(office))
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"kecamatan", "limit"}


# --- Review ---------------------------------------------------------------------------------


def review(client, business, auth, key=None, **body):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        f"{API}businesses/{business.pk}/review/",
        json.dumps(body),
        content_type="application/json",
        **auth,
        **headers,
    )


def test_the_kecamatan_approves_then_pum_validates_over_the_api(client, operator):
    business = BusinessFactory()
    checked = review(client, business, bearer(operator), action="approve")
    assert checked.status_code == 200
    assert checked.json()["status"] == "in_review"
    assert checked.json()["review"]["step"] == "Validasi PUM"
    assert checked.json()["review"]["actions"] == []  # the operator has no say at PUM
    validator = UserFactory(username="validator", role=roles.VALIDATOR)
    validated = review(client, business, bearer(validator), action="approve")
    assert validated.json()["status"] == "validated"
    business.refresh_from_db()
    assert business.live
    assert business.snapshots.count() == 1
    snapshots = client.get(f"{API}businesses/{business.pk}/snapshots/", **bearer(validator))
    (snapshot,) = snapshots.json()
    assert snapshot["annual_sales"] == 120_000_000
    assert snapshot["origin"] == "validation"
    assert snapshot["scale"] == "mikro"


def test_asking_for_changes_needs_a_reason_that_reaches_the_applicant(client, operator, mailoutbox):
    business = BusinessFactory(owner__email="pemilik@example.org")
    auth = bearer(operator)
    refused = review(client, business, auth, action="request_changes")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "comment",
            "code": "reason",
            "message": "Tuliskan alasannya; alasan ini dikirim kepada pendaftar.",
        }
    ]
    business.refresh_from_db()
    assert business.status == "submitted"
    sent = review(client, business, auth, action="request_changes", comment="Foto KTP buram.")
    assert sent.json()["status"] == "changes_requested"
    assert sent.json()["review"]["note"] == "Foto KTP buram."


def test_a_retried_approval_replays_and_does_not_approve_the_next_step(client, office):
    business = BusinessFactory()
    auth = bearer(office)
    first = review(client, business, auth, key="setuju-1", action="approve")
    again = review(client, business, auth, key="setuju-1", action="approve")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    business.refresh_from_db()
    assert business.status == "in_review"  # Admin Dinas could have approved PUM too
    assert not business.live


def test_a_record_not_in_review_answers_conflict(client, office):
    business = BusinessFactory(state="validated")
    response = review(client, business, bearer(office), action="approve")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "not_in_review"


# --- Export ---------------------------------------------------------------------------------


def test_the_export_has_the_admins_columns_masked_and_is_audited_with_its_count(client, office):
    BusinessFactory(name="=HYPERLINK(1)", owner__nik="3201014506900001")
    BusinessFactory(name="Dodol Garut", **_there())
    response = client.get(f"{API}businesses/export.csv?kecamatan={HERE}", **bearer(office))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Kode pelacakan", "Nama usaha", "Pemilik", "NIK"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][3] == "3201********0001"
    entry = RecordLogEntry.objects.get(action=audit.EXPORT)
    assert entry.user == office
    assert entry.data == {"format": "csv", "query": f"kecamatan={HERE}", "rows": 1, "via": "api"}


# --- Tokens ---------------------------------------------------------------------------------


def test_no_token_or_a_wrong_one_is_refused_with_401(client, office):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wagtail_salah"}):
        response = client.get(f"{API}businesses/", **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["errors"][0]["code"] == "unauthorized"


def test_a_token_call_starts_no_session(client, office):
    from django.contrib.sessions.models import Session

    response = client.get(f"{API}businesses/", **bearer(office))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_a_signed_in_admin_session_is_not_a_token(client, office):
    client.force_login(office)
    assert client.get(f"{API}businesses/").status_code == 401


def test_a_token_stops_when_it_expires_or_its_owner_is_deactivated(client, office, settings):
    auth = bearer(office)
    assert client.get(f"{API}businesses/", **auth).status_code == 200
    settings.API_TOKEN_MAX_AGE_DAYS = 0
    assert client.get(f"{API}businesses/", **auth).status_code == 401
    settings.API_TOKEN_MAX_AGE_DAYS = 90
    office.is_active = False
    office.save()
    assert client.get(f"{API}businesses/", **auth).status_code == 401


def test_an_operator_makes_a_token_sees_it_once_and_revokes_it_in_the_admin(client, operator):
    from wagtail.models import APIToken, ModelLogEntry

    client.force_login(operator)
    index = client.get(reverse("wagtailusers_api_tokens:index"))
    assert index.status_code == 200
    made = client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Tablet kecamatan", "user": operator.pk}
    )
    assert made.status_code == 200
    plaintext = made.context["token"]
    assert plaintext.startswith("wagtail_")
    assert plaintext in made.content.decode()
    token = APIToken.objects.get()
    assert token.user == operator
    assert plaintext not in (token.key_hash, token.prefix)  # only a digest is stored
    listing = client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    assert plaintext not in listing
    assert "Kedaluwarsa" in listing
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert client.get(f"{API}businesses/", **auth).status_code == 200

    revoked = client.post(reverse("wagtailusers_api_tokens:delete", args=[token.pk]))
    assert revoked.status_code == 302
    assert client.get(f"{API}businesses/", **auth).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None  # kept for the audit trail
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(token.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["wagtail.apitoken.create", "wagtail.apitoken.revoke"]


def test_an_operator_cannot_make_or_revoke_a_token_of_someone_else(client, operator, office):
    from wagtail.models import APIToken

    theirs, _plaintext = tokens.issue(office, name="sistem provinsi")
    client.force_login(operator)
    made = client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Curang", "user": office.pk}
    )
    assert made.status_code == 200
    assert "user" in made.context["form"].errors
    assert APIToken.objects.filter(user=office).count() == 1
    revoke = client.post(reverse("wagtailusers_api_tokens:delete", args=[theirs.pk]))
    assert revoke.status_code == 404
    rename = client.post(
        reverse("wagtailusers_api_tokens:edit", args=[theirs.pk]), {"name": "Diambil alih"}
    )
    assert rename.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert theirs.name == "sistem provinsi"
    assert (
        "sistem provinsi"
        not in client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    )


def test_an_editor_has_no_api_token_screen(client):
    editor = UserFactory(username="redaktur", role=roles.EDITOR)
    client.force_login(editor)
    response = client.get(reverse("wagtailusers_api_tokens:index"))
    assert response.status_code == 302  # Wagtail's "no permission": back to the dashboard


def test_the_export_costs_the_same_queries_for_three_or_thirty_registrations(
    client, office, home_page
):
    from tests.sme_registry.factories import RegistrationPageFactory, RegistrationQuestionFactory

    page = RegistrationPageFactory(parent=home_page)
    RegistrationQuestionFactory(page=page, label="Punya rekening bank?")
    auth = bearer(office)

    def count():
        client.get(f"{API}me/", **auth)  # the token's last-used time
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}businesses/export.csv", **auth)
            rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        return len(queries), len(rows) - 1

    BusinessFactory.create_batch(3, registration_page=page)
    few = count()
    BusinessFactory.create_batch(27, registration_page=page)
    many = count()
    assert (few[1], many[1]) == (3, 30)
    assert few[0] == many[0]
