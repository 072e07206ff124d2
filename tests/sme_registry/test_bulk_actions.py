from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from sme_registry import permissions, services
from sme_registry.models import Business, Kecamatan, StaffArea, Status
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory


def in_review(**kwargs):
    business = BusinessFactory(**kwargs)
    business.save_revision()
    services.start_review(business)
    return business


def operator(django_user_model):
    user = django_user_model.objects.create_user("operator", password="x")
    user.groups.add(Group.objects.get(name=permissions.OPERATOR))
    StaffArea.objects.create(user=user).kecamatan.add(Kecamatan.objects.get(code="32.01.01"))
    return user


def url(action, *businesses):
    query = "&".join(f"id={b.pk}" for b in businesses)
    return reverse("wagtail_bulk_action", args=("sme_registry", "business", action)) + f"?{query}"


def test_operator_approves_several_at_once_in_their_kecamatan_only(client, db, django_user_model):
    client.force_login(operator(django_user_model))
    first, second = in_review(name="Usaha Satu"), in_review(name="Usaha Dua")
    elsewhere_kecamatan = Kecamatan.objects.get(code="32.01.02")
    far = in_review(
        name="Usaha Jauh", kecamatan=elsewhere_kecamatan, desa=elsewhere_kecamatan.desa_set.first()
    )
    confirm = client.get(url("approve", first, second, far))
    html = confirm.content.decode()
    assert "Usaha Satu" in html and "Usaha Jauh" not in html  # outside the scope: not even named
    client.post(url("approve", first, second, far))
    statuses = dict(Business.objects.values_list("name", "status"))
    assert statuses == {
        "Usaha Satu": Status.IN_REVIEW,
        "Usaha Dua": Status.IN_REVIEW,
        "Usaha Jauh": Status.SUBMITTED,
    }
    assert first.current_workflow_state.current_task_state.task.name == "Validasi PUM"


def test_bulk_approval_checks_the_rules_again(client, db, django_user_model):
    client.force_login(operator(django_user_model))
    ok = in_review(name="Usaha Baik")
    stale = in_review(name="Usaha NIB Bentrok", nib="1234567890123")
    BusinessFactory(name="Pemilik NIB", nib="1234567890123")  # the NIB was taken meanwhile
    client.post(url("approve", ok, stale))
    assert Business.objects.get(pk=ok.pk).status == Status.IN_REVIEW
    assert Business.objects.get(pk=stale.pk).status == Status.SUBMITTED


def test_request_changes_in_bulk_needs_a_reason_and_tells_each_applicant(
    client, home_page, django_user_model, django_capture_on_commit_callbacks
):
    RegistrationPageFactory(parent=home_page)
    client.force_login(operator(django_user_model))
    first, second = in_review(), in_review()
    response = client.post(url("request_changes", first, second), {"reason": ""})
    assert response.status_code == 200
    assert Business.objects.filter(status=Status.CHANGES_REQUESTED).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("request_changes", first, second), {"reason": "Alamat usaha belum lengkap."}
        )
    assert Business.objects.filter(status=Status.CHANGES_REQUESTED).count() == 2
    assert len([m for m in mail.outbox if "Alamat usaha belum lengkap." in m.body]) == 2


def test_export_selected_is_scoped_masked_and_audited(client, db, django_user_model, caplog):
    client.force_login(operator(django_user_model))
    mine = in_review(name="=Usaha Saya")
    elsewhere_kecamatan = Kecamatan.objects.get(code="32.01.02")
    far = in_review(
        name="Usaha Jauh", kecamatan=elsewhere_kecamatan, desa=elsewhere_kecamatan.desa_set.first()
    )
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = client.post(url("export", mine, far))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=Usaha Saya" in body  # not run as a formula by a spreadsheet
    assert "Usaha Jauh" not in body
    assert mine.owner.nik not in body and mine.owner.masked_nik in body
    assert any(
        "query='selected'" in r.getMessage() and "rows=1" in r.getMessage() for r in caplog.records
    )
