"""Settings shared by every environment.

Everything that differs between machines is read from the environment (see the
README, "Configuration"), so the same code runs on a laptop with SQLite and in
production on PostgreSQL.
"""

from pathlib import Path

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core",
    "content",
    "sme_registry",
    "training_pages",
    "themes",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "simbaumi.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "simbaumi.urls"
WSGI_APPLICATION = "simbaumi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise
# (postgres://user:password@host:5432/name in production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: process-local by default; CACHE_URL (e.g. redis://127.0.0.1:6379/1 or
# filecache:///var/cache/simbaumi) shares it between gunicorn workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://simbaumi")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", "Bahasa Indonesia"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "simbaumi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise (compressed, cache-busted names in
# production); media from MEDIA_ROOT.
STATIC_URL = env("DJANGO_STATIC_URL", default="/static/")
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "static_collected")
MEDIA_URL = env("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587;
# the console in development.
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="SI MBA UMI <no-reply@simbaumi.bogorkab.go.id>"
)
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Background tasks (used by Wagtail for image renditions and reference index;
# later by the registry's outbox).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "SI MBA UMI"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# A version edited after a step approved it goes through that step again, so a validated
# record is one the kecamatan and PUM both saw as it is (pages are moderated the same way).
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_DATE_FORMAT = "%d-%m-%Y"
WAGTAIL_DATETIME_FORMAT = "%d-%m-%Y %H:%M"
# Each language also accepts the formats above (see simbaumi/formats/admin_inputs.py).
FORMAT_MODULE_PATH = ["simbaumi.formats"]

# Public forms: how soon after the form was shown a submission is accepted.
# Bots post within a second; a person needs longer to read and type.
FORM_MIN_FILL_SECONDS = env.int("FORM_MIN_FILL_SECONDS", default=3)
# A form shown longer ago than this is refused as stale (replayed token).
FORM_MAX_AGE_SECONDS = env.int("FORM_MAX_AGE_SECONDS", default=60 * 60 * 24)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", default="WARNING")},
    },
}

# Registry
# Uploads of the registry (photos, legal documents) live outside MEDIA_ROOT so
# that no web server lists or serves them; staff get them through a checked view.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# How long an owner's private update link works.
OWNER_LINK_MAX_AGE_SECONDS = env.int("OWNER_LINK_MAX_AGE_SECONDS", default=7 * 24 * 3600)
# Per-client limits per hour (counted in the default cache).
REGISTRATION_DRAFTS_PER_HOUR = env.int("REGISTRATION_DRAFTS_PER_HOUR", default=30)
REGISTRATIONS_PER_HOUR = env.int("REGISTRATIONS_PER_HOUR", default=10)
STATUS_LOOKUPS_PER_HOUR = env.int("STATUS_LOOKUPS_PER_HOUR", default=60)
OWNER_LINKS_PER_HOUR = env.int("OWNER_LINKS_PER_HOUR", default=10)
TRAINING_SIGN_UPS_PER_HOUR = env.int("TRAINING_SIGN_UPS_PER_HOUR", default=30)
# Behind a proxy, the request header with the client's address (e.g. HTTP_X_REAL_IP).
RATELIMIT_CLIENT_IP_HEADER = env("RATELIMIT_CLIENT_IP_HEADER", default="")
# Unfinished registration drafts are deleted after this many days.
REGISTRATION_DRAFT_DAYS = env.int("REGISTRATION_DRAFT_DAYS", default=30)
# Validated records not updated for this many months get an update reminder.
REGISTRY_STALE_AFTER_MONTHS = env.int("REGISTRY_STALE_AFTER_MONTHS", default=6)
# An e-mail that keeps failing is given up after this many attempts (it stays in the outbox).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
# Unfiltered admin lists of bigger tables show PostgreSQL's estimate instead of COUNT(*).
REGISTRY_ESTIMATED_COUNT_ABOVE = env.int("REGISTRY_ESTIMATED_COUNT_ABOVE", default=100_000)
