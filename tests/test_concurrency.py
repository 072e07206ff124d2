"""Many people writing at the same moment on the embedded SQLite database.

The suite's SQLite database lives in memory and is shared by one connection,
so it cannot show how SQLite locks. These tests copy it into a file, serve the
site from a real threaded HTTP server (as `runserver` does) whose request
threads each open their own connection to that file, with the settings that
`settings/base.py` builds, and fire the requests together. PostgreSQL's row
locks are tested in tests/training_pages/test_last_seat_race.py.
"""

import http.client
import json
import re
import shutil
import sqlite3
import threading
import urllib.parse
from collections import Counter
from contextlib import closing
from http.cookies import SimpleCookie

import pytest

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection, connections

from content.models import HomePage
from simbaumi.settings import base
from sme_registry.models import Business, RegistrationDraft
from tests.sme_registry.factories import BusinessFactory, RegistrationPageFactory
from tests.sme_registry.flow import answers, spam_fields
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory
from training_pages.models import Participant, ParticipantStatus

pytestmark = pytest.mark.django_db

STEPS = ("usaha", "lokasi", "keuangan", "legalitas", "foto", "persetujuan")


def in_thread(function, *args):
    """Run `function` in a thread of its own, so it uses that thread's connection (the file)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the thread did not finish"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture(scope="session")
def migrated_database_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """The freshly migrated test database, copied into a file before any test opens a transaction.

    (SQLite cannot back up a database from a connection inside a write transaction,
    which every test that uses the database holds.)
    """
    if connection.vendor != "sqlite":
        return None
    path = tmp_path_factory.mktemp("concurrency") / "migrated.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
    return path


@pytest.fixture
def file_database(migrated_database_file, db, tmp_path):
    """A file database for every connection opened from now on, the test's own excepted.

    The test's thread keeps its in-memory connection (closing it would destroy
    the suite's database) and writes nothing there; other threads read
    `connections.settings`, swapped here for a copy that names the file and
    has the options of settings/base.py.
    """
    if migrated_database_file is None:
        pytest.skip("SQLite's locking is tested here; PostgreSQL in test_last_seat_race.py")
    path = tmp_path / "concurrency.sqlite3"
    shutil.copyfile(migrated_database_file, path)
    original = connections.settings
    copied = {alias: dict(conf) for alias, conf in original.items()}
    copied["default"]["NAME"] = str(path)
    # The options production gets (the test settings drop some for the in-memory database).
    copied["default"]["OPTIONS"] = dict(base.DATABASES["default"]["OPTIONS"])
    assert copied["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    connections.__dict__["settings"] = copied
    try:
        yield path
    finally:
        connections.__dict__["settings"] = original


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(ThreadedWSGIServer):
    # Every contender is accepted at once, not queued behind a short backlog.
    request_queue_size = 128


@pytest.fixture
def server(file_database, settings):
    """The site on a free local port: one thread and one database connection per request."""
    # The per-client hourly limits are not what these tests are about.
    settings.REGISTRATIONS_PER_HOUR = 1000
    settings.TRAINING_SIGN_UPS_PER_HOUR = 1000
    httpd = _Server(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield httpd.server_address
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def http_request(address, method, path, fields=None, cookies=""):
    """One HTTP request; returns (status, headers, body)."""
    body = urllib.parse.urlencode(fields or {}, doseq=True)
    headers = {"Cookie": cookies}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(*address, timeout=120)
    try:
        conn.request(method, path, body=body if method == "POST" else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


def csrf_for(address, path):
    """The CSRF cookie and form token that a visitor gets with the form at `path`."""
    status, headers, body = http_request(address, "GET", path)
    assert status == 200, body[:2000]
    cookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return f"csrftoken={cookie['csrftoken'].value}", token


def all_at_once(count, send):
    """Call `send(i)` from `count` threads released together; returns the statuses."""
    barrier = threading.Barrier(count)
    statuses = [None] * count

    def contender(i):
        barrier.wait(timeout=30)
        try:
            statuses[i] = send(i)
        except Exception as exc:  # a dropped connection is an answer too
            statuses[i] = repr(exc)

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses


def _answered_well(status):
    return isinstance(status, int) and 200 <= status < 400


def _registration_at_review():
    """A registration walked to its last step with the test client (the helpers' answers)."""
    from django.test import Client

    page = RegistrationPageFactory(parent=HomePage.objects.get())
    client = Client()
    data = answers()
    response = client.post(page.url, {**data["pemilik"], **spam_fields()})
    assert response.status_code == 302, response.content.decode()[:2000]
    step_url = response["Location"]
    for slug in STEPS:
        assert step_url.endswith(f"/{slug}/"), step_url
        response = client.post(step_url, data[slug])
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        step_url = response["Location"]
    assert step_url.endswith("/periksa/")
    return step_url


def test_twenty_final_submits_of_one_registration_all_answer_and_store_one_record(server):
    review_url = in_thread(_registration_at_review)
    cookies, token = csrf_for(server, review_url)

    def submit(_i):
        # Each with a form token of its own: the draft itself must stop the repeats.
        fields = {"csrfmiddlewaretoken": token, **spam_fields()}
        return http_request(server, "POST", review_url, fields, cookies)[0]

    statuses = all_at_once(20, submit)

    assert all(_answered_well(s) for s in statuses), Counter(statuses)
    assert in_thread(Business.objects.count) == 1
    assert in_thread(lambda: RegistrationDraft.objects.get().is_completed)


def _training_and_businesses(capacity, people):
    index = TrainingIndexPageFactory(parent=HomePage.objects.get())
    training = TrainingPageFactory(parent=index, capacity=capacity)
    codes = [BusinessFactory(validated=True).tracking_code for _ in range(people)]
    return training.pk, training.url + "daftar/", codes


def _participants_by_status(training_id):
    statuses = Participant.objects.filter(page_id=training_id).values_list("status", flat=True)
    return sorted(statuses)


def test_thirty_sign_ups_for_five_seats_all_answer_and_give_exactly_five_seats(server):
    training_id, sign_up_url, codes = in_thread(_training_and_businesses, 5, 30)
    cookies, token = csrf_for(server, sign_up_url)

    def sign_up(i):
        fields = {"csrfmiddlewaretoken": token, "tracking_code": codes[i], **spam_fields()}
        return http_request(server, "POST", sign_up_url, fields, cookies)[0]

    statuses = all_at_once(30, sign_up)

    assert all(_answered_well(s) for s in statuses), Counter(statuses)
    given = in_thread(_participants_by_status, training_id)
    assert given.count(ParticipantStatus.REGISTERED) == 5
    assert given.count(ParticipantStatus.WAITLISTED) == 25


def json_post(address, path, document, headers):
    """One JSON POST; returns (status, body)."""
    conn = http.client.HTTPConnection(*address, timeout=120)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(document),
            headers={"Content-Type": "application/json", **headers},
        )
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_ten_api_posts_with_one_idempotency_key_store_one_registration(server):
    from tests.sme_registry.test_submission_api import document

    in_thread(lambda: RegistrationPageFactory(parent=HomePage.objects.get()))
    body = in_thread(document)

    def send(_i):
        return json_post(
            server, "/api/registry/v1/registrations/", body, {"Idempotency-Key": "sekali-saja"}
        )

    answers_ = all_at_once(10, send)

    assert [status for status, _body in answers_] == [201] * 10, answers_
    assert len({text for _status, text in answers_}) == 1  # the same answer, replayed
    assert in_thread(Business.objects.count) == 1
