import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

# The environment the README documents for production.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "simbaumi.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a",
    "DJANGO_ALLOWED_HOSTS": "simbaumi.bogorkab.go.id",
    "DATABASE_URL": "postgres://simbaumi:secret@127.0.0.1:5432/simbaumi",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.bogorkab.go.id:587",
    "CACHE_URL": "locmemcache://",
}


def run_manage(*args, env):
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_strong_secret_key():
    env = dict(PRODUCTION_ENV, DJANGO_SECRET_KEY="short")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
