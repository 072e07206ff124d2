"""Production settings refuse to start half-configured, and say what is missing.

Each case imports the settings module in a fresh Python with an environment
the test controls, as gunicorn would on the server.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "s" * 60


def settings_in_subprocess(module, expression, **environ):
    """Evaluate `expression` with the settings module `module` imported in a fresh Python."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print({expression})"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_without_database_url_production_refuses_to_start_and_says_why():
    result = settings_in_subprocess(
        "simbaumi.settings.production",
        's.DATABASES["default"]["NAME"]',
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="simbaumi.example.org",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL is not set" in result.stderr
    assert "postgres://" in result.stderr


def test_a_database_url_that_is_no_address_is_refused_too():
    for value in ("", "  ", "not-a-database"):
        result = settings_in_subprocess(
            "simbaumi.settings.production",
            "1",
            DATABASE_URL=value,
            DJANGO_SECRET_KEY=SECRET,
            DJANGO_ALLOWED_HOSTS="simbaumi.example.org",
        )
        assert result.returncode != 0, value
        assert "ImproperlyConfigured: DATABASE_URL is" in result.stderr, (value, result.stderr)


def test_with_database_url_production_uses_that_database():
    result = settings_in_subprocess(
        "simbaumi.settings.production",
        's.DATABASES["default"]["ENGINE"], s.DATABASES["default"]["NAME"]',
        DATABASE_URL="postgres://simbaumi:rahasia@db.internal:5432/simbaumi",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="simbaumi.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "simbaumi"]


def test_development_still_falls_back_to_the_project_sqlite_file():
    result = settings_in_subprocess("simbaumi.settings.dev", 's.DATABASES["default"]["NAME"]')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")
