import pytest

from tests.training_pages.factories import TrainingIndexPageFactory


@pytest.fixture
def index(home_page):
    """The list of trainings and events, under the home page."""
    return TrainingIndexPageFactory(parent=home_page)
