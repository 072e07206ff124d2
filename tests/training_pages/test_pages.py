from tests.content.factories import StandardPageFactory
from tests.training_pages.factories import (
    EventPageFactory,
    TrainingPageFactory,
    at,
)
from training_pages.models import ActivityPage, EventPage, TrainingIndexPage, TrainingPage


def test_trainings_and_events_live_only_under_a_training_index(home_page, index):
    about = StandardPageFactory(parent=home_page)
    assert TrainingIndexPage.can_create_at(home_page)
    assert TrainingIndexPage.can_create_at(about)
    assert TrainingPage.can_create_at(index) and EventPage.can_create_at(index)
    assert not TrainingPage.can_create_at(home_page)
    assert not EventPage.can_create_at(about)
    assert not ActivityPage.is_creatable


def test_a_page_knows_its_first_start_and_last_end_from_its_sessions(index):
    training = TrainingPageFactory(parent=index, sessions=[5, 3])
    training.refresh_from_db()
    assert training.starts_at == at(3, 9)
    assert training.ends_at == at(5, 12)
    event = EventPageFactory(parent=index, sessions=[10])
    assert ActivityPage.objects.child_of(index).order_by("starts_at").specific()[1] == event
