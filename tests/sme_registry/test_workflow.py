"""Validation through Wagtail's moderation workflow: kecamatan check, then PUM."""

import pytest

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.models import TaskState

from core import roles
from sme_registry import services
from sme_registry.enums import ReviewAction
from sme_registry.models import Business, IndicatorSnapshot, Status
from sme_registry.models.review import ReasonForm
from tests.factories import UserFactory
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import answers, register


@pytest.fixture
def people(db):
    return {
        "operator": UserFactory(username="operator", role=roles.OPERATOR, kecamatan="32.01.01"),
        "other_operator": UserFactory(
            username="operator2", role=roles.OPERATOR, kecamatan="32.01.02"
        ),
        "validator": UserFactory(username="validator", role=roles.VALIDATOR),
    }


@pytest.fixture
def submitted(client, home_page, django_capture_on_commit_callbacks):
    RegistrationPageFactory(parent=home_page)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, home_page.get_children().get(slug="daftar").specific, answers())
    mail.outbox.clear()
    return Business.objects.get()


def current(business):
    business.refresh_from_db()
    state = business.current_workflow_state
    return state, state.current_task_state.specific if state and state.current_task_state else None


def test_a_registration_enters_the_workflow_at_the_kecamatan_step(submitted, people):
    state, task_state = current(submitted)
    assert task_state.task.name == "Pemeriksaan kecamatan"
    task = task_state.task.specific
    assert [a[0] for a in task.get_actions(submitted, people["operator"])] == [
        ReviewAction.APPROVE,  # "approve"
        ReviewAction.APPROVE,  # with a comment
        ReviewAction.REQUEST_CHANGES,  # "reject", Wagtail's name for sending back
        ReviewAction.REJECT,  # "refuse": the registration is rejected
    ]
    assert ReviewAction.REQUEST_CHANGES == "reject" and ReviewAction.REJECT == "refuse"
    assert task.get_actions(submitted, people["other_operator"]) == []
    assert task.get_actions(submitted, people["validator"]) == []
    assert submitted.status == Status.SUBMITTED


def test_request_changes_fix_and_approve(
    submitted, people, client, django_capture_on_commit_callbacks
):
    _state, task_state = current(submitted)
    task_state.task.specific.on_action(task_state, people["operator"], "approve")
    state, task_state = current(submitted)
    assert task_state.task.name == "Validasi PUM"
    assert Business.objects.get().status == Status.IN_REVIEW
    # The validator is told that the record waits for them (and no one else is).
    assert [m.to for m in mail.outbox] == [[people["validator"].email]]
    assert "Validasi PUM" in mail.outbox[0].subject
    mail.outbox.clear()

    # The validator asks for a correction, with a reason, through the admin.
    client.force_login(people["validator"])
    url = reverse(
        "wagtailsnippets_sme_registry_business:workflow_action",
        args=[submitted.pk, "reject", task_state.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "Foto produk belum ada, mohon dilengkapi."})
    assert response.status_code in (200, 302)
    business = Business.objects.get()
    assert business.status == Status.CHANGES_REQUESTED
    assert business.review_note == "Foto produk belum ada, mohon dilengkapi."
    assert len(mail.outbox) == 1
    assert "Foto produk belum ada" in mail.outbox[0].body and "/perbarui/" in mail.outbox[0].body
    status_page = client.get("/daftar/status/", {"code": business.tracking_code}).content.decode()
    assert "Perlu perbaikan" in status_page and "Foto produk belum ada" in status_page

    # The applicant fixes the same record; it goes back to the validator.
    registration = services.RegistrationInput(
        owner={}, business={"description": "Keripik singkong pedas, dengan foto."}
    )
    services.update_by_owner(business, registration)
    state, task_state = current(business)
    assert state.status == state.STATUS_IN_PROGRESS
    assert task_state.task.name == "Validasi PUM"
    assert Business.objects.get().status == Status.IN_REVIEW

    # The kecamatan approved the earlier version, not the fix: after PUM approves
    # the fix, the kecamatan checks it too before it is validated.
    task_state.task.specific.on_action(task_state, people["validator"], "approve")
    state, task_state = current(business)
    assert task_state.task.name == "Pemeriksaan kecamatan"
    business = Business.objects.get()
    assert not business.live and business.status == Status.SUBMITTED
    assert task_state.task.specific.get_actions(business, people["other_operator"]) == []

    task_state.task.specific.on_action(task_state, people["operator"], "approve")
    business = Business.objects.get()
    assert business.live and business.status == Status.VALIDATED
    assert business.description == "Keripik singkong pedas, dengan foto."
    assert IndicatorSnapshot.objects.filter(business=business).count() == 1
    assert business.current_workflow_state is None
    # The validated version was approved at both steps.
    approvals = {
        (t.task.name, t.finished_by.username)
        for t in business.live_revision.task_states.filter(status=TaskState.STATUS_APPROVED)
    }
    assert approvals == {("Pemeriksaan kecamatan", "operator"), ("Validasi PUM", "validator")}


def test_rejecting_keeps_the_record_with_a_reason(
    submitted, people, django_capture_on_commit_callbacks
):
    _state, task_state = current(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, people["operator"], "refuse", comment="Bukan usaha di Kabupaten Bogor."
        )
    business = Business.objects.get()  # kept, never deleted
    assert business.status == Status.REJECTED and not business.live
    assert business.review_note == "Bukan usaha di Kabupaten Bogor."
    assert business.current_workflow_state is None
    assert "Bukan usaha di Kabupaten Bogor." in mail.outbox[0].body


def test_a_version_goes_live_only_by_approving_the_last_step(submitted, people):
    """Neither Wagtail's publish nor a script publishing a revision validates a record."""
    with pytest.raises(PermissionDenied):
        submitted.latest_revision.publish()
    _state, task_state = current(submitted)
    task_state.task.specific.on_action(task_state, people["operator"], "approve")
    business = Business.objects.get()
    with pytest.raises(PermissionDenied):
        business.latest_revision.publish(user=people["validator"])
    business = Business.objects.get()
    assert not business.live and business.status == Status.IN_REVIEW
    assert not IndicatorSnapshot.objects.filter(business=business).exists()


def test_requesting_changes_or_rejecting_needs_a_reason():
    assert not ReasonForm({"comment": ""}).is_valid()
    assert ReasonForm({"comment": "NIB tidak sesuai."}).is_valid()
