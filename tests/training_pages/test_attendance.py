"""Attendance: the rules, the tick list per session, QR check-in, and the SME's record."""

import re

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingPageFactory,
)
from tests.training_pages.staff import CIBINONG, other_kecamatan, running_session
from training_pages import attendance, qr
from training_pages.models import ActivityPage, Attendance, ParticipantStatus

S = ParticipantStatus


@pytest.fixture
def training(index):
    return TrainingPageFactory(parent=index, sessions=[3, 4])


@pytest.fixture
def admin_dinas(db):
    return UserFactory(role=roles.ADMIN_DINAS)


@pytest.fixture
def operator(db):
    return UserFactory(role=roles.OPERATOR, kecamatan=CIBINONG)


def sessions_of(page):
    return page.ordered_sessions()


# The rules


def test_recording_is_idempotent_and_only_for_accepted_participants(index, admin_dinas):
    # Two seats, given out by the office: one approved, one still awaiting, then a queue.
    training = TrainingPageFactory(
        parent=index, sessions=[3, 4], capacity=2, requires_approval=True
    )
    first, _second = sessions_of(training)
    participant = ParticipantFactory(page=training, status=S.APPROVED)
    assert attendance.record_attendance(participant, first, method="list", user=admin_dinas)
    assert not attendance.record_attendance(participant, first, method="qr", user=admin_dinas)
    assert Attendance.objects.get().method == "list"
    for status in (S.AWAITING_APPROVAL, S.WAITLISTED, S.CANCELLED, S.REJECTED):
        other = ParticipantFactory(page=training, status=status)
        with pytest.raises(attendance.NotAccepted):
            attendance.record_attendance(other, first, method="list")
    assert Attendance.objects.count() == 1


def test_a_session_of_another_activity_is_refused(index, training):
    other = TrainingPageFactory(parent=index, sessions=[5])
    participant = ParticipantFactory(page=training)
    with pytest.raises(ValidationError):
        attendance.record_attendance(participant, sessions_of(other)[0], method="list")
    assert not Attendance.objects.exists()


def test_recording_shows_in_the_business_history(training, admin_dinas, client):
    participant = ParticipantFactory(page=training)
    attendance.record_attendance(participant, sessions_of(training)[0], method="qr")
    client.force_login(admin_dinas)
    url = reverse("wagtailsnippets_sme_registry_business:history", args=[participant.business.pk])
    assert training.title in client.get(url).content.decode()


def test_settling_marks_attended_and_no_show_and_leaves_the_others(index):
    ended = TrainingPageFactory(parent=index, sessions=[-3, -2], capacity=4)
    came, stayed_home = ParticipantFactory(page=ended), ParticipantFactory(page=ended)
    # Then the office began approving sign-ups: the first two keep their seats.
    ended.requires_approval = True
    ended.save()
    approved_absent = ParticipantFactory(page=ended, status=S.APPROVED)
    # The last seat awaits approval; after it, people queue.
    untouched = {
        status: ParticipantFactory(page=ended, status=status)
        for status in (S.AWAITING_APPROVAL, S.WAITLISTED, S.CANCELLED, S.REJECTED)
    }
    assert came.status == stayed_home.status == S.REGISTERED
    attendance.record_attendance(came, sessions_of(ended)[1], method="list")
    assert attendance.settle_attendance(ended) == (1, 2)
    assert attendance.settle_attendance(ended) == (0, 0)
    for participant, status in (
        (came, S.ATTENDED),
        (stayed_home, S.NO_SHOW),
        (approved_absent, S.NO_SHOW),
    ):
        participant.refresh_from_db()
        assert participant.status == status
    for status, participant in untouched.items():
        participant.refresh_from_db()
        assert participant.status == status
    # Ticked afterwards: they came after all; un-ticked again: they did not.
    attendance.record_attendance(stayed_home, sessions_of(ended)[0], method="list")
    stayed_home.refresh_from_db()
    assert stayed_home.status == S.ATTENDED
    attendance.remove_attendance(stayed_home, sessions_of(ended)[0])
    stayed_home.refresh_from_db()
    assert stayed_home.status == S.NO_SHOW


def test_nothing_is_settled_before_the_last_session_ends(training):
    participant = ParticipantFactory(page=training)
    assert attendance.settle_attendance(training) == (0, 0)
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED


# The tick list


def sheet_url(session):
    return reverse("training_attendance_sheet", args=[session.pk])


def test_the_sheet_lists_accepted_participants_only_and_saves_ticks(client, index, operator):
    training = TrainingPageFactory(parent=index, sessions=[3, 4], capacity=2)
    session = sessions_of(training)[0]
    coming = ParticipantFactory(page=training, business__name="Warung Bu Sari")
    # The office began approving sign-ups after the first one came in.
    training.requires_approval = True
    training.save()
    approved = ParticipantFactory(page=training, status=S.APPROVED, business__name="Kopi Puncak")
    # Both seats are taken: the next ones queue.
    waiting = ParticipantFactory(page=training, status=S.WAITLISTED, business__name="Batik Tunggu")
    cancelled = ParticipantFactory(page=training, status=S.CANCELLED, business__name="Sambal Batal")
    client.force_login(operator)
    html = client.get(sheet_url(session)).content.decode()
    assert "Warung Bu Sari" in html and "Kopi Puncak" in html
    assert "Batik Tunggu" not in html and "Sambal Batal" not in html
    # The operator sees the phone masked.
    assert coming.business.owner.phone not in html

    response = client.post(
        sheet_url(session), {"present": [coming.pk, approved.pk, waiting.pk, cancelled.pk]}
    )
    assert response.status_code == 302
    assert set(session.attendances.values_list("participant_id", flat=True)) == {
        coming.pk,
        approved.pk,
    }
    html = client.get(sheet_url(session)).content.decode()
    assert re.search(rf'value="{coming.pk}"[^>]*checked', html)
    assert "2 of 2 present" in html or "2 dari 2" in html

    client.post(sheet_url(session), {"present": [approved.pk]})
    assert list(session.attendances.values_list("participant_id", flat=True)) == [approved.pk]
    html = client.get(sheet_url(session)).content.decode()
    assert not re.search(rf'value="{coming.pk}"[^>]*checked', html)


def test_the_sheet_shows_phones_to_roles_that_see_personal_data(client, training, admin_dinas):
    participant = ParticipantFactory(page=training)
    client.force_login(admin_dinas)
    html = client.get(sheet_url(sessions_of(training)[0])).content.decode()
    assert participant.business.owner.phone in html


def test_the_sheet_query_count_does_not_grow_with_participants(
    client, training, admin_dinas, django_assert_max_num_queries
):
    session = sessions_of(training)[0]
    client.force_login(admin_dinas)
    ParticipantFactory.create_batch(2, page=training)
    with django_assert_max_num_queries(30) as few:
        client.get(sheet_url(session))
    ParticipantFactory.create_batch(10, page=training)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(sheet_url(session))


def test_viewers_see_the_sheet_but_cannot_save(client, training):
    session = sessions_of(training)[0]
    participant = ParticipantFactory(page=training)
    # Analysts work with figures, not with named participants.
    client.force_login(UserFactory(role=roles.ANALYST))
    assert client.get(sheet_url(session)).status_code in (302, 403, 404)
    client.force_login(UserFactory(role=roles.VALIDATOR))
    assert client.get(sheet_url(session)).status_code == 200
    assert client.post(sheet_url(session), {"present": [participant.pk]}).status_code in (
        302,
        403,
    )
    assert not Attendance.objects.exists()


def test_operators_work_only_on_activities_in_their_kecamatan(client, index, operator):
    far = other_kecamatan()
    away = TrainingPageFactory(parent=index, kecamatan=far, sessions=[1])
    online = TrainingPageFactory(
        parent=index,
        mode=ActivityPage.Mode.ONLINE,
        kecamatan=None,
        online_link="https://meet.example.org/x",
        sessions=[1],
    )
    client.force_login(operator)
    listing = client.get(reverse("training_attendance")).content.decode()
    assert away.title not in listing and online.title not in listing
    for page in (away, online):
        assert client.get(sheet_url(sessions_of(page)[0])).status_code == 404
        participant = ParticipantFactory(page=page)
        check_in = reverse("training_check_in", args=[participant.token])
        assert client.get(check_in).status_code == 404


def test_the_attendance_list_puts_today_first_with_counts(client, index, admin_dinas):
    past = TrainingPageFactory(parent=index, title="Pelatihan Lama", sessions=[-10])
    today = TrainingPageFactory(parent=index, title="Pelatihan Hari Ini", sessions=[])
    running_session(today)
    later = TrainingPageFactory(parent=index, title="Pelatihan Nanti", sessions=[5])
    client.force_login(admin_dinas)
    html = client.get(reverse("training_attendance")).content.decode()
    positions = [html.index(p.title) for p in (today, later, past)]
    assert positions == sorted(positions)


# QR check-in


def check_in_url(participant):
    return reverse("training_check_in", args=[participant.token])


def test_the_qr_code_holds_the_admin_check_in_address_and_no_personal_data(training):
    participant = ParticipantFactory(page=training)
    url = qr.check_in_url(participant)
    assert url == f"http://testserver/admin/training/check-in/{participant.token}/"
    svg = qr.check_in_qr(participant)
    assert svg.startswith("<svg") and "path" in svg
    assert participant.business.name not in url and participant.display_name not in url


def test_the_check_in_include_renders_the_code_and_a_caption(training):
    from django.template.loader import render_to_string

    participant = ParticipantFactory(page=training)
    html = render_to_string("training_pages/includes/checkin_qr.html", {"participant": participant})
    assert "<svg" in html and "<figcaption" in html


def test_check_in_records_the_running_session_once(client, training, operator):
    session = running_session(training)
    participant = ParticipantFactory(page=training, attendee_name="Ibu Sari")
    client.force_login(operator)
    page = client.get(check_in_url(participant)).content.decode()
    assert "Ibu Sari" in page and participant.business.name in page
    assert f'name="session" value="{session.pk}"' in page

    response = client.post(check_in_url(participant), {"session": session.pk}, follow=True)
    attendance_row = Attendance.objects.get()
    assert (attendance_row.session, attendance_row.method) == (session, "qr")
    assert attendance_row.recorded_by == operator
    assert [m.level_tag for m in response.context["messages"]] == ["success"]

    response = client.post(check_in_url(participant), {"session": session.pk}, follow=True)
    assert Attendance.objects.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["info"]


def test_check_in_refuses_participants_who_are_not_accepted(client, index, operator):
    training = TrainingPageFactory(parent=index, sessions=[3, 4], capacity=1)
    session = running_session(training)
    ParticipantFactory(page=training)  # takes the only seat
    participant = ParticipantFactory(page=training, status=S.WAITLISTED)
    client.force_login(operator)
    page = client.get(check_in_url(participant)).content.decode()
    assert "Confirm attendance" not in page and "Konfirmasi" not in page
    response = client.post(check_in_url(participant), {"session": session.pk}, follow=True)
    assert not Attendance.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_check_in_without_a_session_today_offers_all_sessions(client, training, operator):
    participant = ParticipantFactory(page=training)
    client.force_login(operator)
    page = client.get(check_in_url(participant)).content.decode()
    for session in sessions_of(training):
        assert f'value="{session.pk}"' in page
    assert 'type="radio"' in page and " checked" not in page


def test_check_in_needs_a_login_and_the_right_to_take_attendance(client, training):
    participant = ParticipantFactory(page=training)
    response = client.get(check_in_url(participant))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(role=roles.ANALYST))
    assert client.get(check_in_url(participant)).status_code in (302, 403)
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    assert client.get(reverse("training_check_in", args=["x" * 32])).status_code == 404


# The SME's record


def test_the_business_inspect_view_lists_its_trainings(client, index, admin_dinas):
    business = BusinessFactory(validated=True)
    ended = TrainingPageFactory(
        parent=index, title="Pelatihan Label Halal", sessions=[-5, -4], gives_certificate=True
    )
    coming = TrainingPageFactory(parent=index, title="Pelatihan Foto Produk", sessions=[6])
    attended = ParticipantFactory(page=ended, business=business)
    ParticipantFactory(page=coming, business=business)
    attendance.record_attendance(attended, sessions_of(ended)[0], method="list")
    attendance.settle_attendance(ended)
    from training_pages.certificates import issue_certificates

    issue_certificates(ended)
    certificate = attended.certificate
    client.force_login(admin_dinas)
    html = client.get(
        reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
    ).content.decode()
    assert "Pelatihan Label Halal" in html and "Pelatihan Foto Produk" in html
    assert certificate.code_display in html
    assert "1 / 2" in html

    history = list(attendance.training_history(business))
    assert [p.page.title for p in history] == ["Pelatihan Foto Produk", "Pelatihan Label Halal"]
    assert history[1].sessions_attended == 1 and history[1].sessions_total == 2
