"""Test settings: fast hashing, e-mail kept in memory, tasks run immediately."""

import copy

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-secret-key-not-used-anywhere-else-0123456789abcdefghijklmnop"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off: a test's rolled-back rows would leave pages behind for the next test. The page
# cache's own tests turn it on.
PAGE_CACHE_SECONDS = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True

# The suite's SQLite database lives in memory with a shared cache, where a transaction that
# begins IMMEDIATE makes every other connection (the live server's request threads) fail
# at once instead of waiting. tests/test_concurrency.py runs base.py's options on a file.
DATABASES = copy.deepcopy(DATABASES)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)
