"""Participants in the admin: scoped lists, staff sign-up, decisions through the services."""

import pytest

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from sme_registry import permissions
from sme_registry.models import Kecamatan, StaffArea
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
)
from training_pages.models import Participant, ParticipantStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(django_user_model):
    user = django_user_model.objects.create_user("operator", password="x")
    user.groups.add(Group.objects.get(name=permissions.OPERATOR))
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="training_pages", codename__endswith="_participant"
        ),
    )
    area = StaffArea.objects.create(user=user)
    area.kecamatan.add(Kecamatan.objects.get(code="32.01.01"))
    return user


def far_business(**kwargs):
    other = Kecamatan.objects.exclude(code="32.01.01").order_by("code").first()
    return BusinessFactory(kecamatan=other, desa=other.desa_set.first(), **kwargs)


def test_an_operator_sees_their_area_and_their_kecamatans_activities_only(client, operator, index):
    here = TrainingPageFactory(parent=index, title="Pelatihan Cibinong")
    elsewhere = TrainingPageFactory(
        parent=index,
        title="Pelatihan Jauh",
        kecamatan=Kecamatan.objects.exclude(code="32.01.01").first(),
    )
    local = ParticipantFactory(page=elsewhere, business=BusinessFactory(name="Usaha Dekat"))
    visitor = ParticipantFactory(page=here, business=far_business(name="Usaha Tamu"))
    hidden = ParticipantFactory(page=elsewhere, business=far_business(name="Usaha Asing"))
    client.force_login(operator)
    html = client.get(reverse("training_pages_participant:index")).content.decode()
    assert "Usaha Dekat" in html and "Usaha Tamu" in html
    assert "Usaha Asing" not in html
    for participant, expected in ((local, 200), (visitor, 200), (hidden, 404)):
        url = reverse("training_pages_participant:edit", args=[participant.pk])
        assert client.get(url).status_code == expected
        action = reverse("training_participant_action", args=[participant.pk, "cancel"])
        assert client.get(action).status_code == expected


def test_list_queries_do_not_grow_with_rows(admin_client, index, django_assert_max_num_queries):
    training = TrainingPageFactory(parent=index)
    ParticipantFactory.create_batch(2, page=training)
    url = reverse("training_pages_participant:index")
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    ParticipantFactory.create_batch(10, page=training)
    with CaptureQueriesContext(connection) as many:
        assert "Keripik" in admin_client.get(url).content.decode()
    assert len(many) == len(few)


def test_staff_sign_up_by_tracking_code_uses_the_same_rules(client, operator, index):
    training = TrainingPageFactory(parent=index, capacity=1)
    ParticipantFactory(page=training)
    business = BusinessFactory(validated=True)
    client.force_login(operator)
    url = reverse("training_pages_participant:add")
    response = client.post(
        url, {"page": training.pk, "tracking_code": business.tracking_code, "attendee_name": ""}
    )
    assert response.status_code == 302
    participant = Participant.objects.get(business=business)
    assert participant.status == ParticipantStatus.WAITLISTED
    outside = far_business(validated=True)
    response = client.post(url, {"page": training.pk, "tracking_code": outside.tracking_code})
    assert response.status_code == 200
    assert "Tidak ada usaha dengan kode pelacakan ini di wilayah Anda" in response.content.decode()
    assert not Participant.objects.filter(business=outside).exists()


def test_approve_and_reject_with_a_required_reason(admin_client, admin_user, index):
    training = TrainingPageFactory(parent=index, requires_approval=True)
    first = ParticipantFactory(page=training, status=ParticipantStatus.AWAITING_APPROVAL)
    second = ParticipantFactory(page=training, status=ParticipantStatus.AWAITING_APPROVAL)
    response = admin_client.post(reverse("training_participant_action", args=[first.pk, "approve"]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ParticipantStatus.APPROVED and first.decided_by == admin_user

    reject = reverse("training_participant_action", args=[second.pk, "reject"])
    response = admin_client.post(reject, {"reason": ""})
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.status == ParticipantStatus.AWAITING_APPROVAL
    admin_client.post(reject, {"reason": "Kuota untuk kecamatan ini sudah terpenuhi."})
    second.refresh_from_db()
    assert second.status == ParticipantStatus.REJECTED
    assert second.note == "Kuota untuk kecamatan ini sudah terpenuhi."


def test_someone_without_the_permission_cannot_decide(client, django_user_model, index):
    user = django_user_model.objects.create_user("viewer", password="x")
    user.groups.add(Group.objects.get(name=permissions.VALIDATOR))
    participant = ParticipantFactory(page=TrainingPageFactory(parent=index))
    client.force_login(user)
    response = client.post(reverse("training_participant_action", args=[participant.pk, "cancel"]))
    assert response.status_code in (302, 403)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REGISTERED


def test_exports_are_audited(admin_client, index, caplog):
    ParticipantFactory(page=TrainingPageFactory(parent=index))
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = admin_client.get(reverse("training_pages_participant:index") + "?export=csv")
    assert response.status_code == 200
    assert "participant" in caplog.text
