"""Two people take the last seat at the same moment: exactly one gets it.

Needs real concurrent transactions, so it runs against PostgreSQL (the
suite's PostgreSQL stage); SQLite serialises every writer anyway.
"""

import threading
import time

import pytest

from django.db import connection, connections

from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory
from training_pages import services
from training_pages.models import ParticipantStatus


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_seat_at_once_exactly_one_gets_it(home_page, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL")
    counted = services.seats_taken

    def slow_count(page):
        # Widen the gap between counting and taking a seat, where a race would strike.
        taken = counted(page)
        time.sleep(0.5)
        return taken

    monkeypatch.setattr(services, "seats_taken", slow_count)
    index = TrainingIndexPageFactory(parent=home_page)
    training = TrainingPageFactory(parent=index, capacity=3)
    for _ in range(2):
        services.sign_up(training, BusinessFactory(validated=True), notify=False)
    contenders = [BusinessFactory(validated=True) for _ in range(2)]
    barrier = threading.Barrier(len(contenders))
    results, errors = [], []

    def take_seat(business):
        try:
            barrier.wait(timeout=10)
            participant, _ = services.sign_up(training, business, notify=False)
            results.append(participant.status)
        except Exception as exc:  # reported below, not swallowed
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_seat, args=(b,)) for b in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert sorted(results) == [ParticipantStatus.REGISTERED, ParticipantStatus.WAITLISTED]
    assert training.participants.filter(status=ParticipantStatus.REGISTERED).count() == 3
