"""The staff API answers each role by the admin's own hand-written table, reads and writes.

The oracle is `tests/test_admin_scope.py`'s: which businesses each role sees
(VISIBLE), who may take the kecamatan check (`_can(..., "review", ...)`) and
who may see personal data; none of it is computed by the code under test. For
every role, with its own personal token: the list, the export, each record,
its snapshots, its personal data and a review POST. A record outside the
role's scope answers 404 and stays exactly as it was; one in it that the role
may not act on answers 403 and stays as it was.
"""

import csv
import io

import pytest

from django.contrib.auth.models import Permission

from core import tokens
from tests import test_admin_scope
from tests.test_admin_scope import NAMES, ROLES, VISIBLE, _can, fingerprint

pytestmark = pytest.mark.django_db
world = test_admin_scope.world  # the same users and records as the admin's table

API = "/api/registry/v1/staff/"
BUSINESSES = ("business_here", "business_there")
# Roles that may read registry records at all (the others get 403 on lists).
READERS = {"admin", "validator", "operator", "operator_without_area", "mentor", "superuser"}
PERSONAL_DATA = {"admin", "validator", "superuser"}


def _bearer(user):
    _token, plaintext = tokens.issue(user, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def _visible(role):
    return VISIBLE[role].get("business", set())


def _name(key):
    return NAMES["business"][0 if key == "business_here" else 1]


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_the_export_show_exactly_the_roles_businesses(client, world, role):
    users, records = world
    auth = _bearer(users[role])
    listed = client.get(f"{API}businesses/", **auth)
    exported = client.get(f"{API}businesses/export.csv", **auth)
    if role not in READERS:
        assert listed.status_code == 403
        assert exported.status_code == 403
        return
    assert listed.status_code == 200, listed.content
    expected = {_name(key) for key in _visible(role)}
    assert {item["name"] for item in listed.json()["items"]} == expected
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == expected


@pytest.mark.parametrize("role", ROLES)
def test_each_record_answers_by_the_table(client, world, role):
    users, records = world
    auth = _bearer(users[role])
    problems = []
    for key in BUSINESSES:
        business = records[key]
        visible = key in _visible(role)
        for suffix in ("", "snapshots/"):
            url = f"{API}businesses/{business.pk}/{suffix}"
            got = client.get(url, **auth).status_code
            want = 200 if visible else (404 if role in READERS else {403, 404})
            if got != want and not (isinstance(want, set) and got in want):
                problems.append(f"GET {url} ({key}): {got}, expected {want}")
        unmasked = client.get(f"{API}businesses/{business.pk}/?personal_data=true", **auth)
        if visible:
            want = 200 if role in PERSONAL_DATA else 403
        else:
            want = 404 if role in READERS else 403
        if unmasked.status_code != want:
            problems.append(f"personal data of {key}: {unmasked.status_code}, expected {want}")
        if unmasked.status_code == 200:
            assert unmasked.json()["owner"]["nik"] == business.owner.nik
    assert not problems, f"{role}:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_a_review_post_changes_only_what_the_role_may_review(client, world, role):
    users, records = world
    auth = _bearer(users[role])
    problems = []
    for key in BUSINESSES:
        business = records[key]
        visible = key in _visible(role)
        allowed = visible and _can(role, "business", "review", key)
        before = fingerprint(business)
        for action, comment in (("request_changes", "uji"), ("reject", "uji"), ("approve", "")):
            if allowed:
                continue
            response = client.post(
                f"{API}businesses/{business.pk}/review/",
                {"action": action, "comment": comment},
                content_type="application/json",
                **auth,
            )
            want = 403 if visible else (404 if role in READERS else 403)
            if response.status_code != want:
                problems.append(f"{action} {key}: {response.status_code}, expected {want}")
        if not allowed:
            if fingerprint(business) != before:
                problems.append(f"{key} changed: {before} -> {fingerprint(business)}")
            continue
        response = client.post(
            f"{API}businesses/{business.pk}/review/",
            {"action": "approve"},
            content_type="application/json",
            **auth,
        )
        if response.status_code != 200 or response.json()["status"] != "in_review":
            problems.append(f"approve {key}: {response.status_code} {response.content[:200]}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_a_role_without_admin_access_gets_nothing_with_a_token_it_once_made(client, world):
    users, records = world
    operator = users["operator"]
    auth = _bearer(operator)
    assert client.get(f"{API}businesses/", **auth).status_code == 200
    operator.groups.clear()
    operator.user_permissions.remove(
        *Permission.objects.filter(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    # A fresh request loads the user again, without the role's permissions.
    response = client.get(f"{API}businesses/", **auth)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthorized"
