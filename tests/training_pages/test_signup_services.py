import datetime

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from core import roles
from sme_registry.models import Status
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
)
from tests.training_pages.staff import CIBINONG, other_kecamatan
from training_pages import services
from training_pages.models import ActivityPage, ParticipantStatus

pytestmark = pytest.mark.django_db


def test_a_free_seat_registers_at_once(index):
    training = TrainingPageFactory(parent=index, capacity=2)
    participant, created = services.sign_up(training, BusinessFactory(validated=True))
    assert created and participant.status == ParticipantStatus.REGISTERED


def test_signing_up_twice_keeps_one_participation(index):
    training = TrainingPageFactory(parent=index)
    business = BusinessFactory(validated=True)
    first, _ = services.sign_up(training, business)
    again, created = services.sign_up(training, business)
    assert not created and again.pk == first.pk
    assert training.participants.count() == 1


def test_when_full_people_queue_and_a_cancellation_promotes_the_first(
    index, django_capture_on_commit_callbacks
):
    training = TrainingPageFactory(parent=index, capacity=1)
    seated, _ = services.sign_up(training, BusinessFactory(validated=True))
    first_waiting, _ = services.sign_up(training, BusinessFactory(validated=True))
    second_waiting, _ = services.sign_up(training, BusinessFactory(validated=True))
    assert first_waiting.status == second_waiting.status == ParticipantStatus.WAITLISTED
    assert services.waitlist_position(first_waiting) == 1
    assert services.waitlist_position(second_waiting) == 2

    services.cancel(seated)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == ParticipantStatus.REGISTERED
    assert second_waiting.status == ParticipantStatus.WAITLISTED
    assert services.waitlist_position(second_waiting) == 1


def test_approval_activities_hold_the_seat_while_waiting_for_staff(index, admin_user):
    training = TrainingPageFactory(parent=index, capacity=1, requires_approval=True)
    waiting, _ = services.sign_up(training, BusinessFactory(validated=True))
    queued, _ = services.sign_up(training, BusinessFactory(validated=True))
    assert waiting.status == ParticipantStatus.AWAITING_APPROVAL
    assert queued.status == ParticipantStatus.WAITLISTED

    services.approve(waiting, user=admin_user)
    waiting.refresh_from_db()
    assert waiting.status == ParticipantStatus.APPROVED and waiting.decided_by == admin_user
    with pytest.raises(ValidationError, match="penuh"):
        services.approve(queued, user=admin_user)


def test_rejecting_frees_the_seat_for_the_queue_and_keeps_the_reason(index, admin_user):
    training = TrainingPageFactory(parent=index, capacity=1, requires_approval=True)
    waiting, _ = services.sign_up(training, BusinessFactory(validated=True))
    queued, _ = services.sign_up(training, BusinessFactory(validated=True))
    services.reject(waiting, user=admin_user, reason="Bukan usaha kuliner.")
    waiting.refresh_from_db()
    queued.refresh_from_db()
    assert waiting.status == ParticipantStatus.REJECTED
    assert waiting.note == "Bukan usaha kuliner."
    assert queued.status == ParticipantStatus.AWAITING_APPROVAL


def test_a_cancelled_business_can_sign_up_again_at_the_back_of_the_queue(index):
    training = TrainingPageFactory(parent=index, capacity=1)
    business = BusinessFactory(validated=True)
    participant, _ = services.sign_up(training, business)
    services.cancel(participant)
    other, _ = services.sign_up(training, BusinessFactory(validated=True))
    again, created = services.sign_up(training, business)
    assert created and again.pk == participant.pk
    assert other.status == ParticipantStatus.REGISTERED
    assert again.status == ParticipantStatus.WAITLISTED


def test_raising_the_capacity_and_publishing_fills_the_new_seats(index, admin_user):
    training = TrainingPageFactory(parent=index, capacity=1)
    services.sign_up(training, BusinessFactory(validated=True))
    queued, _ = services.sign_up(training, BusinessFactory(validated=True))
    training = ActivityPage.objects.get(pk=training.pk).specific
    training.capacity = 2
    training.save_revision(user=admin_user).publish(user=admin_user)
    queued.refresh_from_db()
    assert queued.status == ParticipantStatus.REGISTERED


@pytest.mark.parametrize(
    ("page_kwargs", "business_kwargs", "message"),
    [
        ({"eligibility": "validated"}, {"status": Status.SUBMITTED}, "sudah divalidasi"),
        (
            {"eligible_sector": "I"},
            {"validated": True, "kbli_category": "C"},
            "hanya untuk usaha di",
        ),
        ({"eligible_scale": "kecil"}, {"validated": True}, "hanya untuk usaha kecil"),
        ({}, {"status": Status.REJECTED}, "tidak diterima"),
    ],
)
def test_eligibility_is_checked_with_a_reason(index, page_kwargs, business_kwargs, message):
    training = TrainingPageFactory(parent=index, **page_kwargs)
    business = BusinessFactory(**business_kwargs)
    business.refresh_scale()
    business.save()
    with pytest.raises(ValidationError) as exc:
        services.sign_up(training, business)
    assert message in " ".join(exc.value.messages)
    assert not training.participants.exists()


def test_an_unvalidated_business_may_join_an_open_training(index):
    training = TrainingPageFactory(parent=index)
    participant, _ = services.sign_up(training, BusinessFactory(status=Status.SUBMITTED))
    assert participant.status == ParticipantStatus.REGISTERED


def test_the_sign_up_window_is_enforced_for_visitors_but_not_for_staff(index):
    now = timezone.now()
    training = TrainingPageFactory(
        parent=index,
        registration_opens_at=now + datetime.timedelta(days=1),
    )
    operator = UserFactory(role=roles.OPERATOR, kecamatan=CIBINONG)
    with pytest.raises(ValidationError):
        services.sign_up(training, BusinessFactory(validated=True))
    participant, _ = services.sign_up(training, BusinessFactory(validated=True), by_staff=operator)
    assert participant.status == ParticipantStatus.REGISTERED
    past = TrainingPageFactory(parent=index, sessions=[-3])
    with pytest.raises(ValidationError):
        services.sign_up(past, BusinessFactory(validated=True), by_staff=operator)


def test_staff_sign_up_only_for_published_activities_they_run(index):
    operator = UserFactory(role=roles.OPERATOR, kecamatan=CIBINONG)
    business = BusinessFactory(validated=True)
    elsewhere = TrainingPageFactory(parent=index, kecamatan=other_kecamatan())
    draft = TrainingPageFactory(parent=index, live=False)
    for page in (elsewhere, draft):
        with pytest.raises(services.SignUpRefused) as refused:
            services.sign_up(page, business, by_staff=operator)
        assert refused.value.code == "out_of_scope"
        assert not page.participants.exists()
    # The office runs every published activity, the one elsewhere too.
    office = UserFactory(role=roles.ADMIN_DINAS)
    participant, created = services.sign_up(elsewhere, business, by_staff=office)
    assert created and participant.status == ParticipantStatus.REGISTERED


def test_a_merged_record_signs_up_as_the_one_it_joined(index):
    survivor = BusinessFactory(validated=True)
    duplicate = BusinessFactory(validated=True, merged_into=survivor)
    participant, _ = services.sign_up(TrainingPageFactory(parent=index), duplicate)
    assert participant.business == survivor


def test_attended_participations_cannot_be_cancelled(index):
    participant = ParticipantFactory(
        page=TrainingPageFactory(parent=index, sessions=[-2]), status=ParticipantStatus.ATTENDED
    )
    with pytest.raises(ValidationError):
        services.cancel(participant)


def test_merging_duplicates_moves_participations_without_doubling_one(index, admin_user):
    from sme_registry import transitions

    shared = TrainingPageFactory(parent=index)
    only_duplicate = TrainingPageFactory(parent=index)
    survivor = BusinessFactory(validated=True)
    duplicate = BusinessFactory(validated=True)
    kept = ParticipantFactory(page=shared, business=survivor)
    left = ParticipantFactory(page=shared, business=duplicate)
    moved = ParticipantFactory(page=only_duplicate, business=duplicate)

    transitions.merge(survivor, duplicate, user=admin_user)

    for participant in (kept, left, moved):
        participant.refresh_from_db()
    assert kept.business == survivor and moved.business == survivor
    assert left.business == duplicate  # stays with the archived record, nothing deleted
