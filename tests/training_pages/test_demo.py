import io

import pytest

from content.demo import demo_context, seed_content
from content.models import FormPage, MainMenu
from sme_registry.demo import seed_registry
from tests.conftest import built_once_per_module
from training_pages import selectors
from training_pages.demo import ACTIVITIES, seed_training
from training_pages.models import (
    ActivityPage,
    Certificate,
    EventPage,
    Participant,
    ParticipantStatus,
    TrainingIndexPage,
    TrainingPage,
)


def _seed():
    seed_content(io.StringIO())
    seed_registry(demo_context(io.StringIO()))
    out = io.StringIO()
    seed_training(demo_context(out))
    return out.getvalue()


_seeded = built_once_per_module(_seed)


@pytest.fixture
def demo(_seeded, db, settings):
    output, settings.PRIVATE_MEDIA_ROOT = _seeded
    return output


def test_demo_publishes_an_index_in_the_menu_with_varied_activities(demo, client, site):
    index = TrainingIndexPage.objects.get(slug="pelatihan")
    assert index.live
    assert MainMenu.for_site(site).items.filter(link_page=index).count() == 1
    assert demo.startswith(
        "Trainings: index in the main menu, 6 trainings, 1 events, feedback form;"
    )
    assert "Try a sign-up with the demo tracking code" in demo
    pages = ActivityPage.objects.child_of(index).live()
    upcoming = selectors.upcoming(pages)
    past = selectors.past(pages)
    assert TrainingPage.objects.filter(pk__in=upcoming).count() == 4
    assert TrainingPage.objects.filter(pk__in=past).count() == 2
    bazaar = EventPage.objects.get()
    assert bazaar.event_kind == EventPage.Kind.BAZAAR and bazaar.sign_up_state() == "open"
    # The variety the list, the filters and the sign-up rules need to show.
    upcoming = [p.specific for p in upcoming]
    assert len({p.kecamatan_id for p in upcoming if p.kecamatan_id}) >= 3
    assert any(p.is_online and p.online_link for p in upcoming)
    assert any(p.requires_approval for p in upcoming)
    assert any(p.capacity and p.capacity <= 15 for p in upcoming)
    assert any(p.sessions.count() == 2 for p in upcoming)
    assert any(p.eligibility == ActivityPage.Eligibility.VALIDATED for p in upcoming)
    assert len({t for p in upcoming for t in p.topics.names()}) >= 5
    past = [p.specific for p in past]
    assert any(p.gives_certificate for p in past)
    feedback = FormPage.objects.get(slug="umpan-balik-pelatihan")
    assert feedback.live and feedback.form_fields.count() >= 3
    assert any(p.feedback_page_id == feedback.pk for p in past)
    response = client.get(index.url)
    assert response.status_code == 200
    assert "Kelas Daring Pembukuan Sederhana" in response.content.decode()
    assert (
        client.get(index.url + "?waktu=lalu")
        .content.decode()
        .count('<article class="card activity-card"')
        == 2
    )


def test_demo_sign_ups_show_every_state_and_past_results(demo):
    states = set(Participant.objects.values_list("status", flat=True))
    assert {
        ParticipantStatus.REGISTERED,
        ParticipantStatus.WAITLISTED,
        ParticipantStatus.AWAITING_APPROVAL,
        ParticipantStatus.APPROVED,
        ParticipantStatus.ATTENDED,
        ParticipantStatus.NO_SHOW,
    } <= states
    full = TrainingPage.objects.get(slug="foto-produk-dengan-ponsel")
    assert selectors.seats_left(full) == 0
    assert Certificate.objects.filter(participant__status=ParticipantStatus.ATTENDED).exists()
    assert not Certificate.objects.exclude(participant__status=ParticipantStatus.ATTENDED).exists()


def test_running_the_demo_twice_adds_nothing(demo, site):
    def counts():
        return (
            ActivityPage.objects.count(),
            TrainingIndexPage.objects.count(),
            FormPage.objects.count(),
            MainMenu.for_site(site).items.count(),
            sum(p.sessions.count() for p in ActivityPage.objects.all()),
            Participant.objects.count(),
            Certificate.objects.count(),
        )

    before = counts()
    assert before[0] == len(ACTIVITIES)
    out = io.StringIO()
    seed_training(demo_context(out))
    assert counts() == before
    assert out.getvalue().split(".")[0] == demo.split(".")[0]
