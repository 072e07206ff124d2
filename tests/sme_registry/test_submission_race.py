"""Concurrent API retries with one Idempotency-Key on PostgreSQL: one registration.

PostgreSQL runs the twins' transactions at the same time, so the unique key is
what stops the second; SQLite serialises writers (tests/test_concurrency.py).
"""

import threading
import urllib.parse

import pytest

from django.db import connection

from sme_registry.models import Business
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.test_submission_api import document
from tests.test_concurrency import json_post


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's serialised writers are tested in tests/test_concurrency.py",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twins_with_one_key_store_one_registration(live_server, home_page):
    RegistrationPageFactory(parent=home_page)
    body = document()
    url = urllib.parse.urlsplit(live_server.url)
    address = (url.hostname, url.port)
    barrier = threading.Barrier(6)
    answers = []

    def send():
        barrier.wait(timeout=30)
        answers.append(
            json_post(
                address, "/api/registry/v1/registrations/", body, {"Idempotency-Key": "kembar"}
            )
        )

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert [status for status, _text in answers] == [201] * 6, answers
    assert len({text for _status, text in answers}) == 1
    assert Business.objects.count() == 1
