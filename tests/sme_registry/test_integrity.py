"""A validated record was checked by the kecamatan and by PUM, whatever door was tried.

Each test is a way around the review or the scope that a real user once had:
the edit form's status and kecamatan, the add view, Wagtail's publish and
cancel buttons, a script, the notification e-mails.
"""

import pytest

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core import roles
from sme_registry import transitions
from sme_registry.models import Business, Kecamatan, Status
from tests.admin_forms import form_data
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    RegistrationPageFactory,
    kecamatan_reviewer,
    pum_validator,
)
from tests.sme_registry.flow import answers, register

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_sme_registry_business:edit"


@pytest.fixture
def here():
    return Kecamatan.objects.get(code="32.01.01")


@pytest.fixture
def there(here):
    return Kecamatan.objects.exclude(pk=here.pk).order_by("code").first()


@pytest.fixture
def operator(here):
    return UserFactory(role=roles.OPERATOR, kecamatan=here)


def _edit_form(client, business):
    response = client.get(reverse(EDIT, args=[business.pk]))
    assert response.status_code == 200
    return response.context["form"], response.content.decode()


def test_an_operator_can_neither_validate_by_the_form_nor_move_a_record_away(
    client, home_page, operator, there
):
    page = RegistrationPageFactory(parent=home_page)
    business = BusinessFactory(registration_page=page)
    client.force_login(operator)
    form, html = _edit_form(client, business)
    assert "status" not in form.fields
    # Only the operator's own kecamatan is offered.
    assert list(form.fields["kecamatan"].queryset) == [business.kecamatan]
    data = form_data(
        form,
        status=Status.VALIDATED,
        kecamatan=str(there.pk),
        desa=str(there.desa_set.order_by("code").first().pk),
        **{"action-draft": "Simpan"},
    )
    client.post(reverse(EDIT, args=[business.pk]), data)
    business.refresh_from_db()
    assert business.status == Status.SUBMITTED and not business.live
    draft = business.get_latest_revision_as_object()
    assert draft.kecamatan_id == business.kecamatan_id  # the draft did not move either
    status = client.get(page.url + "status/", {"code": business.tracking_code})
    assert "Diajukan" in status.content.decode() and "Tervalidasi" not in status.content.decode()


def test_the_add_view_leads_to_the_staff_entry_and_creates_nothing(client, operator):
    client.force_login(operator)
    url = reverse("wagtailsnippets_sme_registry_business:add")
    assert client.get(url)["Location"] == reverse("sme_registry_staff_entry")
    response = client.post(url, {"name": "Usaha Tanpa Kode", "status": "validated"})
    assert response["Location"] == reverse("sme_registry_staff_entry")
    assert not Business.objects.exists()


@pytest.mark.parametrize("who", ["validator", "superuser"])
def test_nobody_publishes_around_the_review(client, who):
    business = BusinessFactory()
    user = pum_validator() if who == "validator" else UserFactory(superuser=True)
    client.force_login(user)
    form, html = _edit_form(client, business)
    assert 'name="action-publish"' not in html and "action-publish" not in html
    client.post(reverse(EDIT, args=[business.pk]), form_data(form, **{"action-publish": "1"}))
    business.refresh_from_db()
    assert not business.live and business.status == Status.SUBMITTED
    assert business.current_workflow_state.current_task_state.task.name == "Pemeriksaan kecamatan"


def test_an_operator_cannot_cancel_the_review(client, here):
    # The operator who entered it started the workflow: Wagtail would let them cancel it.
    operator = kecamatan_reviewer(here)
    business = BusinessFactory()
    client.force_login(operator)
    form, html = _edit_form(client, business)
    assert "action-cancel-workflow" not in html and "action-restart-workflow" not in html
    client.post(
        reverse(EDIT, args=[business.pk]), form_data(form, **{"action-cancel-workflow": "1"})
    )
    state = Business.objects.get(pk=business.pk).current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS
    confirm = reverse(
        "wagtailsnippets_sme_registry_business:confirm_workflow_cancellation", args=[business.pk]
    )
    client.post(confirm)
    assert Business.objects.get(pk=business.pk).current_workflow_state.status == "in_progress"


def test_a_script_cannot_validate_or_set_a_state_either():
    business = BusinessFactory()
    with pytest.raises(PermissionDenied):
        business.latest_revision.publish()
    with pytest.raises(PermissionDenied):
        Business.objects.filter(pk=business.pk).update(status=Status.VALIDATED)
    business.status = Status.VALIDATED
    with pytest.raises(PermissionDenied):
        business.save()
    business = Business.objects.get(pk=business.pk)
    assert business.status == Status.SUBMITTED and not business.live


def test_validated_means_both_steps_saw_the_version_that_went_live(here):
    business = BusinessFactory(state="in_review")
    # A change after the kecamatan approved it: PUM's approval sends it back to the kecamatan.
    draft = business.get_latest_revision_as_object()
    draft.name = "Nama Sesudah Pemeriksaan"
    draft.save_revision()
    assert transitions.approve_step(Business.objects.get(pk=business.pk), pum_validator())
    business = Business.objects.get(pk=business.pk)
    assert not business.live and business.status == Status.SUBMITTED
    assert business.current_workflow_state.current_task_state.task.name == "Pemeriksaan kecamatan"
    assert transitions.approve_step(business, kecamatan_reviewer(here))
    # PUM's earlier approval was of the version before the change: PUM approves this one.
    business = Business.objects.get(pk=business.pk)
    assert not business.live and business.status == Status.IN_REVIEW
    assert transitions.approve_step(business, pum_validator())
    business = Business.objects.get(pk=business.pk)
    assert business.live and business.status == Status.VALIDATED
    assert business.name == "Nama Sesudah Pemeriksaan"
    approvals = business.current_workflow_state or business.workflow_states.get()
    approved_by = {
        (state.task.name, state.finished_by.username)
        for state in approvals.task_states.filter(
            status="approved", revision=business.live_revision
        )
    }
    assert approved_by == {
        ("Pemeriksaan kecamatan", f"pemeriksa-{here.code}"),
        ("Validasi PUM", "validator-pum"),
    }


def test_the_review_e_mail_goes_only_to_those_who_may_review(
    client, home_page, here, there, django_capture_on_commit_callbacks
):
    mine = UserFactory(role=roles.OPERATOR, kecamatan=here, email="sini@example.org")
    UserFactory(role=roles.OPERATOR, kecamatan=there, email="sana@example.org")
    UserFactory(role=roles.OPERATOR, email="tanpa-wilayah@example.org")
    office = UserFactory(role=roles.ADMIN_DINAS, email="dinas@example.org")
    UserFactory(role=roles.VALIDATOR, email="pum@example.org")  # not at the first step
    page = RegistrationPageFactory(parent=home_page)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, page, answers())
    to = {address for message in mail.outbox for address in message.to}
    reviewers = to - {answers()["pemilik"]["email"]}
    assert reviewers == {mine.email, office.email}


def test_only_the_office_archives_and_nothing_is_deleted(client):
    business = BusinessFactory(validated=True)
    client.force_login(kecamatan_reviewer(business.kecamatan))
    url = reverse("sme_registry_archive", args=[business.pk])
    response = client.post(url, {"reason": "Tutup"})
    assert response.status_code in (302, 403)
    assert Business.objects.get(pk=business.pk).status == Status.VALIDATED
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is needed
    client.post(url, {"reason": "Usaha sudah tutup."})
    business = Business.objects.get(pk=business.pk)
    assert business.status == Status.ARCHIVED and business.review_note == "Usaha sudah tutup."
    # No more review, sign-up or edit for it; the record itself stays.
    with pytest.raises(transitions.TransitionRefused):
        transitions.submit(business)
    edit = client.get(reverse(EDIT, args=[business.pk]))
    assert edit.status_code in (302, 403)


def _approve_from_the_edit_page(client, business, **changes):
    form, html = _edit_form(client, business)
    task_state = business.current_workflow_task_state
    data = form_data(form, **changes)
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    client.post(reverse(EDIT, args=[business.pk]), data)
    return Business.objects.get(pk=business.pk), task_state


def test_approving_from_the_edit_page_moves_the_record_on(client, here):
    business = BusinessFactory()
    client.force_login(kecamatan_reviewer(here))
    business, _state = _approve_from_the_edit_page(client, business)
    assert business.status == Status.IN_REVIEW
    assert business.current_workflow_state.current_task_state.task.name == "Validasi PUM"
    client.force_login(pum_validator())
    business, _state = _approve_from_the_edit_page(client, business, name="Nama Dikoreksi PUM")
    # PUM corrected the name and approved: the kecamatan sees the corrected version again.
    assert business.status == Status.SUBMITTED and not business.live
    client.force_login(kecamatan_reviewer(here))
    business, _state = _approve_from_the_edit_page(client, business)
    assert business.live and business.status == Status.VALIDATED
    assert business.name == "Nama Dikoreksi PUM"


def test_the_status_page_tells_an_archived_record_as_it_is(client, home_page):
    page = RegistrationPageFactory(parent=home_page)
    business = BusinessFactory(registration_page=page, state="archived")
    html = client.get(page.url + "status/", {"code": business.tracking_code}).content.decode()
    assert "Diarsipkan" in html and "Usaha sudah tutup (data uji)." in html
    assert "Tervalidasi" not in html and "Petugas akan segera memeriksanya" not in html
