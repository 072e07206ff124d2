"""Local development: debug on, console e-mail, any host."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-7f3k2"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

# The demo admin account that `seed_demo` creates and prints (never in production).
DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = env("DEMO_ADMIN_PASSWORD", default="simbaumi-demo")
