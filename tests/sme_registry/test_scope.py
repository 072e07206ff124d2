"""Every registry admin URL for every role: scope per role and per kecamatan, failing closed."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from sme_registry import permissions
from sme_registry.models import Kecamatan, StaffArea
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory

ROLES = [None, *permissions.ROLES, "superuser"]


@pytest.fixture
def world(db, home_page, django_user_model):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    other = Kecamatan.objects.exclude(pk=cibinong.pk).order_by("code").first()
    users = {}
    for role in ROLES:
        name = (role or "norole").replace(" ", "_").lower()
        user = django_user_model.objects.create_user(
            name, password="x", is_superuser=role == "superuser"
        )
        if role in permissions.ROLES:
            user.groups.add(Group.objects.get(name=role))
        users[role] = user
    area = StaffArea.objects.create(user=users[permissions.OPERATOR])
    area.kecamatan.add(cibinong)
    RegistrationPageFactory(parent=home_page)
    local = BusinessFactory(name="Usaha Cibinong", kecamatan=cibinong)
    far = BusinessFactory(
        name="Usaha Jauh",
        kecamatan=other,
        desa=other.desa_set.first(),
        mentor=users[permissions.MENTOR],
    )
    return users, local, far


def visible(role, business, local, far):
    if role in ("superuser", permissions.ADMIN_DINAS, permissions.VALIDATOR):
        return True
    if role == permissions.OPERATOR:
        return business == local
    if role == permissions.MENTOR:
        return business == far
    return False


PERMS = {
    "inspect": "view_business",
    "history": "change_business",
    "edit": "change_business",
    "delete": "delete_business",
    "usage": "change_business",
}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-role")
def test_every_business_url_respects_role_and_scope(client, world, role):
    users, local, far = world
    user = users[role]
    client.force_login(user)
    if role is None:
        # No admin access at all: every registry address sends to the login page.
        for business in (local, far):
            url = reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
            assert client.get(url).status_code == 302
        return
    for business in (local, far):
        for action, perm in PERMS.items():
            url = reverse(f"wagtailsnippets_sme_registry_business:{action}", args=[business.pk])
            status = client.get(url).status_code
            if not visible(role, business, local, far):
                assert status == 404, (role, action, business.name, status)
            elif user.has_perm(f"sme_registry.{perm}"):
                assert status == 200, (role, action, business.name, status)
            else:
                assert status in (302, 403), (role, action, business.name, status)
        link = client.get(reverse("sme_registry_owner_link", args=[business.pk])).status_code
        if user.has_perm("sme_registry.change_business"):
            assert link == (200 if visible(role, business, local, far) else 404), (role, link)
        owner_url = reverse("wagtailsnippets_sme_registry_owner:inspect", args=[business.owner.pk])
        owner_status = client.get(owner_url).status_code
        if not visible(role, business, local, far):
            assert owner_status == 404, (role, "owner", owner_status)
        merge = client.get(reverse("sme_registry_merge", args=[business.pk])).status_code
        if user.has_perm("sme_registry.change_business"):
            assert merge == (200 if visible(role, business, local, far) else 404), (role, merge)
        personal = client.get(reverse("sme_registry_personal_data", args=[business.owner.pk]))
        if permissions.can_see_pii(user):
            assert personal.status_code == 200, (role, "personal data")
        else:
            assert personal.status_code in (302, 403), (role, "personal data")
        # The owner chooser (used in the business edit form) offers owners in scope only.
        if user.has_perm("sme_registry.change_business"):
            chosen = client.get(
                reverse(
                    "wagtailsnippetchoosers_sme_registry_owner:chosen", args=[business.owner.pk]
                )
            ).status_code
            assert chosen == (200 if visible(role, business, local, far) else 404), (role, chosen)

    if user.has_perm("sme_registry.change_business"):
        choices = client.get(reverse("wagtailsnippetchoosers_sme_registry_owner:choose_results"))
        names = choices.content.decode()
        business_choices = client.get(
            reverse("wagtailsnippetchoosers_sme_registry_business:choose_results")
        ).content.decode()
        for business in (local, far):
            shown = visible(role, business, local, far)
            assert (business.owner.full_name in names) is shown
            assert (business.name in business_choices) is shown, (role, "business chooser")
            chosen = client.get(
                reverse("wagtailsnippetchoosers_sme_registry_business:chosen", args=[business.pk])
            ).status_code
            assert chosen == (200 if shown else 404), (role, "business chosen", chosen)

    listing = client.get(reverse("wagtailsnippets_sme_registry_business:list"))
    export = client.get(reverse("wagtailsnippets_sme_registry_business:list"), {"export": "csv"})
    if user.has_perm("sme_registry.view_business"):
        html = listing.content.decode()
        body = (
            b"".join(export.streaming_content).decode()
            if export.streaming
            else export.content.decode()
        )
        for business in (local, far):
            shown = visible(role, business, local, far)
            assert (business.name in html) is shown, (role, business.name)
            assert (business.name in body) is shown, (role, "export", business.name)
    else:
        assert listing.status_code in (302, 403)
        assert export.status_code in (302, 403)


def test_an_operator_cannot_register_outside_their_kecamatan(client, world):
    import time

    from core.spam import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token
    from sme_registry.models import Business
    from tests.sme_registry.flow import answers

    users, local, far = world
    client.force_login(users[permissions.OPERATOR])
    data = {
        TOKEN_FIELD: make_form_token(now=time.time() - 30),
        HONEYPOT_FIELD: "",
        "persetujuan-consent": "on",
    }
    for slug in ("pemilik", "usaha", "lokasi", "keuangan"):
        for key, value in answers()[slug].items():
            data[f"{slug}-{key}"] = value
    data["lokasi-kecamatan"] = str(far.kecamatan_id)
    data["lokasi-desa"] = str(far.desa_id)
    before = Business.objects.count()
    response = client.post(reverse("sme_registry_staff_entry"), data)
    assert response.status_code == 200
    assert Business.objects.count() == before
    data["lokasi-kecamatan"] = str(local.kecamatan_id)
    data["lokasi-desa"] = str(local.desa_id)
    assert client.post(reverse("sme_registry_staff_entry"), data).status_code == 302
    assert Business.objects.count() == before + 1


def test_an_operator_without_an_area_sees_nothing(db, django_user_model):
    BusinessFactory()
    user = django_user_model.objects.create_user("baru")
    user.groups.add(Group.objects.get(name=permissions.OPERATOR))
    assert not permissions.scoped_businesses(user).exists()
    assert not permissions.scoped_owners(user).exists()
