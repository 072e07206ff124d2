"""Background tasks leave the request: stored in the database, run by `manage.py db_worker`."""

import signal
from pathlib import Path

import pytest
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from django.core.cache import cache
from django.core.management import call_command

from tests.test_production_settings import settings_in_subprocess

ROOT = Path(__file__).resolve().parents[1]
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@task()
def remember(key, value):
    """A task with an effect the test can see, run only by whoever runs the queue."""
    cache.set(key, value)
    return f"{key}={value}"


def test_production_and_make_run_store_tasks_in_the_database(tmp_path):
    production = settings_in_subprocess(
        "simbaumi.settings.production",
        's.TASKS["default"]["BACKEND"]',
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="simbaumi.example.org",
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == DATABASE_BACKEND
    # `make run` serves the development settings, next to a worker.
    development = settings_in_subprocess("simbaumi.settings.dev", 's.TASKS["default"]["BACKEND"]')
    assert development.stdout.strip() == DATABASE_BACKEND, development.stderr
    makefile = (ROOT / "Makefile").read_text()
    assert "scripts/run-with-worker.sh" in makefile
    assert "manage.py db_worker" in (ROOT / "scripts" / "run-with-worker.sh").read_text()


@pytest.fixture
def database_tasks(settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from simbaumi.settings import base

    settings.TASKS = base.TASKS
    # The worker drops connections that are not in autocommit, as the test's own connection
    # is (it runs inside the test's transaction here, not in a process of its own).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    assert settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND
    # The worker installs its own SIGINT/SIGTERM handlers; give the test runner its own back.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


@pytest.mark.django_db
def test_an_enqueued_task_is_stored_and_the_worker_runs_it(database_tasks):
    result = remember.enqueue("greeting", "selamat pagi")

    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == TaskResultStatus.READY
    assert stored.task_path == "tests.test_background_tasks.remember"
    assert cache.get("greeting") is None  # not run by the request

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.SUCCESSFUL, stored.exception_class_path
    assert stored.return_value == "greeting=selamat pagi"
    assert cache.get("greeting") == "selamat pagi"


def test_the_tests_still_run_tasks_at_once(settings):
    assert (
        settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    )
