"""Validation through Wagtail's moderation workflow: kecamatan check, then PUM."""

import pytest

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from sme_registry import permissions, services
from sme_registry.models import Business, IndicatorSnapshot, Kecamatan, StaffArea, Status
from sme_registry.models.review import ReasonForm
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import answers, register


@pytest.fixture
def people(db, django_user_model):
    def make(name, role, kecamatan=None):
        user = django_user_model.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get(name=role))
        if kecamatan:
            StaffArea.objects.create(user=user).kecamatan.add(kecamatan)
        return user

    cibinong = Kecamatan.objects.get(code="32.01.01")
    elsewhere = Kecamatan.objects.get(code="32.01.02")
    return {
        "operator": make("operator", permissions.OPERATOR, cibinong),
        "other_operator": make("operator2", permissions.OPERATOR, elsewhere),
        "validator": make("validator", permissions.VALIDATOR),
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
        "approve",
        "approve",
        "reject",
        "archive",
    ]
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

    task_state.task.specific.on_action(task_state, people["validator"], "approve")
    business = Business.objects.get()
    assert business.live and business.status == Status.VALIDATED
    assert business.description == "Keripik singkong pedas, dengan foto."
    assert IndicatorSnapshot.objects.filter(business=business).count() == 1
    assert business.current_workflow_state is None


def test_rejecting_archives_with_a_reason(submitted, people, django_capture_on_commit_callbacks):
    _state, task_state = current(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, people["operator"], "archive", comment="Bukan usaha di Kabupaten Bogor."
        )
    business = Business.objects.get()  # archived, never deleted
    assert business.status == Status.REJECTED and not business.live
    assert business.review_note == "Bukan usaha di Kabupaten Bogor."
    assert business.current_workflow_state is None
    assert "Bukan usaha di Kabupaten Bogor." in mail.outbox[0].body


def test_requesting_changes_or_rejecting_needs_a_reason():
    assert not ReasonForm({"comment": ""}).is_valid()
    assert ReasonForm({"comment": "NIB tidak sesuai."}).is_valid()
