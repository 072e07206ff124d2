import io

import pytest

from content.demo import demo_context, seed_content
from content.models import MainMenu
from core import roles
from sme_registry.demo import BUSINESSES, seed_registry
from sme_registry.models import (
    Business,
    DirectoryPage,
    IndicatorSnapshot,
    Owner,
    RegistrationPage,
    RegistrationQuestion,
    Status,
)
from tests.conftest import built_once_per_module


def _seed():
    seed_content(io.StringIO())
    out = io.StringIO()
    seed_registry(demo_context(out))
    return out.getvalue()


_seeded = built_once_per_module(_seed)


@pytest.fixture
def demo(_seeded, db, settings):
    output, settings.PRIVATE_MEDIA_ROOT = _seeded
    return output


def test_demo_fills_the_registry_in_every_state(demo):
    assert Business.objects.count() >= 30
    statuses = set(Business.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Business.objects.values("kecamatan").distinct().count() >= 12
    validated = Business.objects.filter(status=Status.VALIDATED)
    assert validated.count() >= Business.objects.count() // 3
    assert all(b.live for b in validated)
    assert IndicatorSnapshot.objects.filter(business=validated.first()).exists()
    # Every demo registration, and the duplicate of the first that the office merged.
    assert demo.startswith(f"Registry: registration page, {len(BUSINESSES) + 1} businesses")
    merged = Business.objects.get(status=Status.ARCHIVED)
    assert merged.merged_into.name == merged.name
    # A validated business whose owner sent changes that wait for validation.
    assert Business.objects.filter(
        status=Status.VALIDATED, live=True, has_unpublished_changes=True
    ).exists()
    # A likely duplicate pair in the same desa.
    twin = Business.objects.get(name="Warung Nasi Ibu Imas")
    assert [b.name for b in twin.possible_duplicates.all()] == ["Warung Nasi Bu Imas"]
    # A business registered with an NIK that was already registered.
    reused = Business.objects.get(owner_confirmed=False)
    assert reused.owner.businesses.count() == 2
    assert reused.owner_claim["full_name"] != reused.owner.full_name
    # Owners with an NIK from outside Kabupaten Bogor.
    assert Owner.objects.filter(nik_outside_bogor=True).count() == 2
    assert not Owner.objects.filter(birth_date_mismatch=True).exists()


def test_registration_page_has_the_extra_question_and_a_menu_item(demo, client, site):
    page = RegistrationPage.objects.get(slug="daftar")
    assert page.live
    question = RegistrationQuestion.objects.get(page=page)
    assert question.field_type == "dropdown"
    answers = Business.objects.exclude(extra_answers={}).values_list("extra_answers", flat=True)
    assert answers and all(question.clean_name in a for a in answers)
    menu = MainMenu.for_site(site)
    assert menu.items.filter(link_page=page, link_text="Daftar UMKM").count() == 1
    assert client.get(page.url).status_code == 200


def test_running_the_demo_twice_adds_nothing(demo, site):
    counts = (
        Business.objects.count(),
        Owner.objects.count(),
        IndicatorSnapshot.objects.count(),
        RegistrationPage.objects.count(),
        RegistrationQuestion.objects.count(),
        DirectoryPage.objects.count(),
        MainMenu.for_site(site).items.count(),
    )
    seed_content(io.StringIO())
    out = io.StringIO()
    seed_registry(demo_context(out))
    assert (
        Business.objects.count(),
        Owner.objects.count(),
        IndicatorSnapshot.objects.count(),
        RegistrationPage.objects.count(),
        RegistrationQuestion.objects.count(),
        DirectoryPage.objects.count(),
        MainMenu.for_site(site).items.count(),
    ) == counts
    assert out.getvalue() == demo


def test_the_directory_lists_the_validated_demo_businesses_whose_owners_opted_in(
    demo, client, site
):
    page = DirectoryPage.objects.get(slug="direktori")
    assert page.live and page.get_parent().specific == site.root_page.specific
    menu = MainMenu.for_site(site)
    assert menu.items.filter(link_page=page, link_text="Direktori UMKM").count() == 1
    html = client.get(page.url).content.decode()
    listed = {
        "Warung Nasi Bu Imas",
        "Keripik Singkong Mak Euis",
        "Konveksi Nur Collection",
        "Dapur Bu Nining Catering",
        "Kedai Kopi Rindang",
        "Iis Hijab Store",
        "Ayam Geprek Mas Eko",
    }
    assert {b.name for b in Business.objects.all() if b.name in html} == listed
    assert "Jumlah usaha: 7" in html
    assert html.count("/foto/") == 7
    assert "Directory: page 'direktori', 7 businesses listed." in demo
    # Iis Hijab Store's new shop link waits for validation: the validated one is shown.
    iis = Business.objects.get(name="Iis Hijab Store")
    detail = client.get(page.specific.business_url(iis)).content.decode()
    assert "https://shopee.co.id/iishijabstore" in detail
    assert "tokopedia" not in detail


def test_demo_has_outreach_sessions_and_a_mentor_with_work_to_do(demo):
    import datetime

    from django.utils import timezone

    from sme_registry import selectors
    from sme_registry.models import FollowUp, MentoringVisit, OutreachSession

    sessions = OutreachSession.objects.all()
    assert sessions.count() == 4
    assert sessions.values("kecamatan").distinct().count() == 4
    attributed = Business.objects.filter(outreach_session__isnull=False)
    assert attributed.count() >= 3
    assert all(b.outreach_session.kecamatan_id == b.kecamatan_id for b in attributed)
    mentor = MentoringVisit.objects.first().mentor
    assert mentor.groups.filter(name=roles.MENTOR).exists()
    assert Business.objects.filter(mentor=mentor).count() == 3
    today = timezone.localdate()
    assert selectors.overdue_follow_ups(mentor, today).exists()
    assert selectors.upcoming_visits(mentor, today).exists()
    assert IndicatorSnapshot.objects.filter(origin=IndicatorSnapshot.Origin.MENTORING).count() == 1
    counts = (sessions.count(), MentoringVisit.objects.count(), FollowUp.objects.count())
    seed_registry(demo_context(io.StringIO()))
    assert (sessions.count(), MentoringVisit.objects.count(), FollowUp.objects.count()) == counts
    assert "Outreach: 4 sessions" in demo
    assert today - datetime.timedelta(days=90) < sessions.last().date < today


def test_demo_records_sit_in_the_workflow_state_their_status_names(demo):
    """A record shown as "changes requested" waits for its owner, not in a reviewer's queue;
    a rejected one is out of review; one in review waits at the PUM step."""
    from wagtail.models import WorkflowState

    expected = {
        # status: (workflow state, the task it waits at or None)
        Status.SUBMITTED: (WorkflowState.STATUS_IN_PROGRESS, "Pemeriksaan kecamatan"),
        Status.IN_REVIEW: (WorkflowState.STATUS_IN_PROGRESS, "Validasi PUM"),
        Status.CHANGES_REQUESTED: (WorkflowState.STATUS_NEEDS_CHANGES, None),
        Status.REJECTED: (WorkflowState.STATUS_CANCELLED, None),
    }
    seen = set()
    for business in Business.objects.filter(live=False).exclude(status=Status.ARCHIVED):
        state = WorkflowState.objects.for_instance(business).order_by("-created_at", "-pk").first()
        assert state is not None, business.name
        status, task = expected[business.status]
        assert state.status == status, (business.name, business.status, state.status)
        if task is not None:
            assert state.current_task_state.task.name == task, business.name
        seen.add(business.status)
    assert seen == set(expected)
