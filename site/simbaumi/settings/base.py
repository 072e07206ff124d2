"""Settings shared by every environment.

Everything that differs between machines is read from the environment (see the
README, "Configuration"), so the same code runs on a laptop with SQLite and in
production on PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE

from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core",
    "core.lockouts",
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
    # django-ninja (the registry API): listed so that its docs page uses its own static files.
    "ninja",
    "django_tasks_db",
    "axes",
    "csp",
    "corsheaders",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer by itself (the API's 400 for control characters).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that renders a page, so that error pages get the headers too.
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "simbaumi.middleware.LanguageCookieMiddleware",
    # After the language is chosen (its page speaks it), before anything reads the input.
    "core.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Public pages kept whole for visitors (core.page_cache): after the user and the
    # messages are known, inside everything that adds headers to every answer.
    "core.page_cache.PageCacheMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
if not DATABASES["default"].get("ENGINE"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not a database address (postgres://user:password@host:5432/name "
        "or sqlite:////path/to/db.sqlite3); unset it to use the project's SQLite file."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on the embedded database: every transaction takes the write
    # lock when it begins (a deferred one that reads first and then writes fails at
    # once with "database is locked"), waits up to the busy timeout for it, and WAL
    # lets readers go on while one transaction writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: process-local by default; CACHE_URL (e.g. redis://127.0.0.1:6379/1 or
# filecache:///var/cache/simbaumi) shares it between gunicorn workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://simbaumi")}
# How long a public page is kept for visitors at most (core.page_cache; 0 turns it off).
# Any write a page can show drops every kept page at once; this bounds what only time
# changes (a training that has started). Only with a cache that every process shares
# (CACHE_URL): with a cache per process, a write in one would not reach the others.
PAGE_CACHE_SECONDS = env.int(
    "PAGE_CACHE_SECONDS", default=300 if env.str("CACHE_URL", default="") else 0
)

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
# The project's catalogue, then Indonesian for Wagtail's own strings that Wagtail's
# catalogue lacks (wagtail_locale/): both read before the apps' catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "wagtail_locale"]
LANGUAGE_COOKIE_NAME = "simbaumi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise (compressed, cache-busted names in
# production); media from MEDIA_ROOT.
STATIC_URL = env("DJANGO_STATIC_URL", default="/static/")
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "static_collected")
# Front-end libraries from package.json's dependencies (`make install` runs `npm ci`),
# served by the site itself under /static/vendor/ (no CDN).
STATICFILES_DIRS = [
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
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

# Background tasks (Wagtail's image renditions and reference index, the outbox's
# e-mails): stored in the database by the request and run by the worker,
# `manage.py db_worker` (`make run` starts one; see the README for the service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "SI MBA UMI"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
# The pages API (/api/v2/) names the public address in its own links (detail_url), not
# whatever host a proxy passes on, and gives at most 50 items a request.
WAGTAILAPI_BASE_URL = env("WAGTAILAPI_BASE_URL", default=WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 50

# Front ends on other origins (a kecamatan app in the browser) may call the APIs under
# /api/, and only those: each origin named, e.g. https://app.example.go.id; none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key", "accept-language")
CORS_EXPOSE_HEADERS = ["Idempotent-Replayed", "Retry-After"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's database search (PostgreSQL full text, SQLite FTS5), with search terms
# that cannot break FTS5's syntax (see core/search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# Every upload goes through the checks of core.uploads: images are decoded and stored
# as clean copies (no EXIF/GPS) at most UPLOAD_EDITOR_IMAGE_MAX_SIDE px, documents are
# checked by their content (no scripts, macros or programs), avatars likewise.
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.uploads.admin.SafeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.uploads.admin.SafeDocumentForm"
UPLOAD_EDITOR_IMAGE_MAX_SIDE = env.int("UPLOAD_EDITOR_IMAGE_MAX_SIDE", default=3000)
# Documents are sent by the site's own view (privacy checks, no-sniff, CSP) and always
# as a download, never shown inline where a PDF viewer would run it.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# Pixels that one request may decode across all its images (about 4 bytes each), so
# a few small files that unpack to huge pictures cannot take a worker's memory.
UPLOAD_PIXEL_BUDGET = env.int("UPLOAD_PIXEL_BUDGET", default=24_000_000)
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
# A signed-in session ends after this long without a request (0: only SESSION_COOKIE_AGE
# ends it). Public visitors have no sign-in, and their language is kept in its own cookie.
SESSION_IDLE_SECONDS = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failed passwords for one
# account, or from one client address, sign-in is refused (even with the right password)
# for LOGIN_LOCKOUT_MINUTES, or until Admin Dinas unlocks it (Settings > Sign-in lockouts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "core.lockouts.login_name"
AXES_CLIENT_IP_CALLABLE = "core.lockouts.client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockouts.views.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False


def _origins(*urls):
    """The scheme and host of each absolute URL (static files on a CDN, the admin's address)."""
    parts = (urlsplit(url) for url in urls)
    return sorted({f"{p.scheme}://{p.netloc}" for p in parts if p.scheme and p.netloc})


# The map's background (Analisis → Peta, the registration's location step): a tile server
# address with {z}/{x}/{y}, and the credit its licence asks for. Empty: no background, the
# points and boundaries still show.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Up to this many businesses in the filters, the map shows each one; above, counts per
# square of about 1 km (an analyst always gets the squares, small ones left out).
MAP_POINTS_MAX = env.int("MAP_POINTS_MAX", default=20000)
# A boundary file bigger than this is refused (GeoJSON of 40 kecamatan, simplified: ~2 MB).
MAP_BOUNDARY_MAX_BYTES = env.int("MAP_BOUNDARY_MAX_BYTES", default=25 * 1024 * 1024)
# Its hosts ({s}: Leaflet's default subdomains a, b and c) may send images to the pages.
_TILES = _origins(*(MAP_TILE_URL.replace("{s}", sub) for sub in "abc")) if MAP_TILE_URL else []

# Content-Security-Policy (django-csp). The public site runs no inline script or style;
# a template that needs one gives it nonce="{{ request.csp_nonce }}".
_OWN = [SELF, *_origins(STATIC_URL, MEDIA_URL, WAGTAILADMIN_BASE_URL)]
# Video embeds (Wagtail's embed block) come in frames from these hosts.
CSP_FRAME_HOSTS = env.list(
    "CSP_FRAME_HOSTS",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [*_OWN, NONCE],
        "style-src": [*_OWN, NONCE],
        "img-src": [*_OWN, "data:", *_TILES],
        "font-src": [*_OWN, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *CSP_FRAME_HOSTS],
        "media-src": [*_OWN],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin (under /admin/, and the live preview it frames) still uses inline
# scripts, inline styles and compiled templates (new Function): it gets its own policy.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [*_OWN, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [*_OWN, UNSAFE_INLINE],
        "img-src": [*_OWN, "data:", "blob:", *_TILES],
        "media-src": [*_OWN, "blob:"],
        "worker-src": [SELF, "blob:"],
    }
}
CSP_ADMIN_PATH_PREFIX = "/admin/"
# Staff avatars would come from gravatar.com: none, and no staff e-mail hashes sent there.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Features no page of the site uses, refused for the site and anything it frames.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Failed and locked-out sign-ins are warnings; axes' step-by-step notes are not.
        "axes": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", default="WARNING")},
    },
}

# Registry
# Uploads of the registry (photos, legal documents) live outside MEDIA_ROOT so
# that no web server lists or serves them; staff get them through a checked view.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Exports of admin lists: XLSX, and CSV of more rows than this, are written by the
# background worker, shown with their progress and offered to their requester for
# EXPORT_KEEP_HOURS hours (then purge_registration_drafts deletes them).
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=20_000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
# Private files that no record names (left by a failed request) are deleted by
# purge_registration_drafts once they are older than this.
PRIVATE_ORPHAN_GRACE_HOURS = env.int("PRIVATE_ORPHAN_GRACE_HOURS", default=48)
# How long the registry API keeps its answer to an Idempotency-Key (a retry replays it);
# purge_registration_drafts deletes older ones.
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)
# Staff API tokens (Settings → API tokens) stop working this many days after they were made.
API_TOKEN_MAX_AGE_DAYS = env.int("API_TOKEN_MAX_AGE_DAYS", default=90)
# The bulk import (Registri UMKM → Impor): the largest file, and the largest sheet; an
# XLSX that unpacks to more than IMPORT_XLSX_MAX_UNZIPPED_BYTES is refused unopened.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_XLSX_MAX_UNZIPPED_BYTES = env.int(
    "IMPORT_XLSX_MAX_UNZIPPED_BYTES", default=400 * 1024 * 1024
)
# An import's rows (personal data) are deleted this many days after the batch was last used.
IMPORT_KEEP_DAYS = env.int("IMPORT_KEEP_DAYS", default=30)
# How long an owner's private update link works.
OWNER_LINK_MAX_AGE_SECONDS = env.int("OWNER_LINK_MAX_AGE_SECONDS", default=7 * 24 * 3600)
# Per-client limits per hour (counted in the default cache).
REGISTRATION_DRAFTS_PER_HOUR = env.int("REGISTRATION_DRAFTS_PER_HOUR", default=30)
REGISTRATIONS_PER_HOUR = env.int("REGISTRATIONS_PER_HOUR", default=10)
STATUS_LOOKUPS_PER_HOUR = env.int("STATUS_LOOKUPS_PER_HOUR", default=60)
OWNER_LINKS_PER_HOUR = env.int("OWNER_LINKS_PER_HOUR", default=10)
TRAINING_SIGN_UPS_PER_HOUR = env.int("TRAINING_SIGN_UPS_PER_HOUR", default=30)
FORM_SUBMISSIONS_PER_HOUR = env.int("FORM_SUBMISSIONS_PER_HOUR", default=20)
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
# A search of those lists counts its matches up to this many, then says "more than".
REGISTRY_SEARCH_COUNT_LIMIT = env.int("REGISTRY_SEARCH_COUNT_LIMIT", default=1_000)
