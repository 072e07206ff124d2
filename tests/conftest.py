import os

import pytest

from wagtail.models import Site

from content.models import HomePage


@pytest.fixture
def home_page(db):
    """The HomePage that the data migration creates as the site root."""
    return HomePage.objects.get()


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


def built_once_per_module(build):
    """A module-scoped fixture giving (what `build()` returned, its private upload folder).

    The demo takes seconds to seed; built once, in a transaction that the module's end
    rolls back, it serves every test of the module. Each test still runs in its own
    savepoint inside it (pytest-django's `db`), so what one test changes is gone for
    the next. Use it through a function fixture that also asks for `db`, and only in a
    module whose every test uses it: a test that does not would still see the data.
    """

    @pytest.fixture(scope="module")
    def built(django_db_setup, django_db_blocker, tmp_path_factory):
        from django.db import transaction
        from django.test import override_settings

        root = tmp_path_factory.mktemp("private")
        with (
            django_db_blocker.unblock(),
            override_settings(PRIVATE_MEDIA_ROOT=root),
            transaction.atomic(),
        ):
            yield build(), root
            transaction.set_rollback(True)

    return built


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a closed network and a root user in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_tool(message):
    """A browser-stage tool is absent: a failure under CI (`make test`), a skip elsewhere."""
    if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium fails under CI."""
    if not os.path.exists(CHROMIUM):
        missing_tool(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in
    # the test body are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_page(browser, live_server, settings):
    """A fresh browser tab (a phone-sized one unless a test resizes it)."""
    settings.FORM_MIN_FILL_SECONDS = 1
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def assert_accessible(page):
    """No serious or critical axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached settings must not leak from one test to another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    """pytest-django's superuser, built like every other test user."""
    from tests.factories import UserFactory

    return UserFactory(username="admin", superuser=True)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Registry uploads go to a temporary folder, never into the project's private_media/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language, whatever an earlier request activated.

    A request (an English language cookie, an admin user's preference) leaves its
    language active in the thread; messages built outside a request would then
    depend on which test ran before.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# The public address the API tests serve the site at (see `public_address`).
PUBLIC_BASE = "https://simbaumi.example.go.id"


@pytest.fixture
def public_address(settings, site):
    """The site served at PUBLIC_BASE: the Site row (html_url) and the API's links (detail_url)."""
    from content.demo import at_public_address

    settings.WAGTAILADMIN_BASE_URL = PUBLIC_BASE
    settings.WAGTAILAPI_BASE_URL = PUBLIC_BASE
    at_public_address(site)
    return PUBLIC_BASE
