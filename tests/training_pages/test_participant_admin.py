"""Participants in the admin: scoped lists, staff sign-up, decisions through the services."""

import csv
import io

import pytest

from django.urls import reverse
from django.utils import timezone

from core import audit, roles
from core.models import RecordLogEntry
from sme_registry.models import Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
)
from training_pages.models import Participant, ParticipantStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(role=roles.OPERATOR, kecamatan="32.01.01")


def answer(response):
    """The status code, reading Wagtail's redirect home for a refused admin view as 403."""
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return 403
    return response.status_code


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
    # Seen with the business of their area, handled only where they run the activity.
    for participant, seen, handled in ((local, 200, 403), (visitor, 200, 200), (hidden, 404, 404)):
        inspect = reverse("training_pages_participant:inspect", args=[participant.pk])
        assert answer(client.get(inspect)) == seen
        edit = reverse("training_pages_participant:edit", args=[participant.pk])
        assert answer(client.get(edit)) == handled
        action = reverse("training_participant_action", args=[participant.pk, "cancel"])
        assert answer(client.get(action)) == handled
    cancel = reverse("training_participant_action", args=[local.pk, "cancel"])
    assert answer(client.post(cancel)) == 403
    local.refresh_from_db()
    assert local.status == ParticipantStatus.REGISTERED


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


def test_someone_without_the_permission_cannot_decide(client, index):
    user = UserFactory(role=roles.VALIDATOR)
    participant = ParticipantFactory(page=TrainingPageFactory(parent=index))
    client.force_login(user)
    response = client.post(reverse("training_participant_action", args=[participant.pk, "cancel"]))
    assert response.status_code in (302, 403)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REGISTERED


def test_exports_are_audited(admin_client, admin_user, index, caplog):
    training = TrainingPageFactory(parent=index, title="Pelatihan Ekspor")
    tricky = ParticipantFactory(page=training, attendee_name='=HYPERLINK("http://x.example")')
    ParticipantFactory(page=training)
    url = reverse("training_pages_participant:index")
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = admin_client.get(url, {"export": "csv", "status": "registered"})
        assert response.status_code == 200
        # The entry is written once the last row has gone out, with the real count.
        assert not RecordLogEntry.objects.filter(action=audit.EXPORT).exists()
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "simbaumi.audit"]
    assert line.startswith(audit.EXPORT) and f"user={admin_user.pk}" in line
    assert "object=participant" in line and "rows=2" in line
    entry = RecordLogEntry.objects.get(action=audit.EXPORT)
    assert entry.object_id == "" and entry.user == admin_user
    assert entry.data == {"format": "csv", "query": "status=registered", "rows": 2}

    header, *rows = csv.reader(io.StringIO(body))
    assert len(rows) == 2
    row = next(r for r in rows if tricky.business.tracking_code in r)
    # Cells a person reads: the status label and local time; a formula is defused.
    assert row == [
        "Pelatihan Ekspor",
        tricky.business.tracking_code,
        tricky.business.name,
        "'" + tricky.attendee_name,
        "terdaftar",  # ParticipantStatus.REGISTERED.label, in Indonesian
        timezone.localtime(tricky.queued_at).strftime("%Y-%m-%d %H:%M"),
    ]


def test_staff_sign_up_offers_only_published_activities_the_operator_runs(client, operator, index):
    here = TrainingPageFactory(parent=index, title="Pelatihan Cibinong")
    elsewhere = TrainingPageFactory(
        parent=index,
        title="Pelatihan Jauh",
        kecamatan=Kecamatan.objects.exclude(code="32.01.01").first(),
    )
    draft = TrainingPageFactory(parent=index, title="Pelatihan Belum Terbit")
    draft.unpublish()
    online = TrainingPageFactory(
        parent=index,
        title="Kelas Daring Dinas",
        mode="online",
        online_link="https://meet.example.org/x",
        kecamatan=None,
    )
    business = BusinessFactory(validated=True)
    client.force_login(operator)
    url = reverse("training_pages_participant:add")
    offered = set(client.get(url).context["form"].fields["page"].queryset)
    assert {page.pk for page in offered} == {here.pk}
    for page in (elsewhere, draft, online):
        response = client.post(
            url, {"page": page.pk, "tracking_code": business.tracking_code, "attendee_name": ""}
        )
        assert response.status_code == 200  # the form again, with the choice refused
        assert not Participant.objects.filter(page=page).exists()
    client.post(url, {"page": here.pk, "tracking_code": business.tracking_code})
    assert Participant.objects.filter(page=here, business=business).exists()


def test_an_operator_cannot_decide_on_the_offices_online_activity(client, operator, index):
    online = TrainingPageFactory(
        parent=index,
        title="Kelas Daring Dinas",
        mode="online",
        online_link="https://meet.example.org/x",
        kecamatan=None,
        requires_approval=True,
    )
    waiting = ParticipantFactory(
        page=online, business=BusinessFactory(), status=ParticipantStatus.AWAITING_APPROVAL
    )
    client.force_login(operator)
    url = reverse("training_participant_action", args=[waiting.pk, "approve"])
    assert answer(client.post(url, {})) in (403, 404)
    waiting.refresh_from_db()
    assert waiting.status == ParticipantStatus.AWAITING_APPROVAL
