"""The Content-Security-Policy refuses nothing the site itself runs, in real Chromium.

Chromium reports each refused script, style or frame as a console error and a
`securitypolicyviolation` event; both are collected over every page of a
journey through the public site, the sign-in, the admin and the userbar.
"""

import io

import pytest

from django.core.management import call_command

from content.models import HomePage, StandardPage
from core import roles
from tests.factories import PASSWORD, UserFactory
from tests.sme_registry.factories import BusinessFactory
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Registered before any script of a page runs (not itself subject to the page's policy).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched_tab(browser, live_server, settings):
    """A browser tab, and the list of policy violations and script errors it has seen."""
    settings.FORM_MIN_FILL_SECONDS = 1
    # The userbar loads its scripts from the admin's address: here, the live server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_VIOLATIONS)
    tab = context.new_page()
    problems = []
    tab.on(
        "console",
        lambda message: (
            problems.append(f"{tab.url}: {message.text}")
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    tab.on("pageerror", lambda error: problems.append(f"{tab.url}: script error {error}"))
    yield tab, problems
    context.close()


def test_the_public_pages_run_their_scripts_under_the_policy(watched_tab):
    tab, problems = watched_tab
    index = TrainingIndexPageFactory(
        parent=HomePage.objects.get(), slug="pelatihan-uji", title="Pelatihan uji"
    )
    training = TrainingPageFactory(parent=index, title="Pelatihan Foto Produk", sessions=[5])
    participant = ParticipantFactory(page=training, business=BusinessFactory(validated=True))

    # The menu button (site.js) on a phone.
    tab.set_viewport_size({"width": 360, "height": 740})
    tab.goto("/")
    toggle = tab.locator(".main-nav__toggle")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert tab.evaluate("document.documentElement.classList.contains('js')")

    for path in (
        "/cari/?q=pelatihan",
        "/cari/?q=%22%20OR%201%3D1%20--",
        "/halaman-yang-tidak-ada/",
        "/cari/?q=%00",
        index.url,
        index.url + "kalender/",
        training.url,
        training.url + "daftar/",
        training.url
        + training.reverse_subpage("participation", kwargs={"token": participant.token}),
        "/sertifikat/",
    ):
        tab.goto(path)
    assert tab.locator("main").count() == 1

    # The registration form: the desa list follows the kecamatan (desa-filter.js).
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto("/daftar/")
    assert tab.locator("progress.steps__bar").count() == 1
    tab.locator("#id_kecamatan").select_option(index=2)
    groups = tab.locator("#id_desa optgroup")
    assert tab.locator("#id_desa optgroup:not([hidden])").count() == 1 < groups.count()

    assert not problems, "\n".join(problems)


def test_sign_in_the_admin_and_the_userbar_run_under_their_policies(watched_tab):
    tab, problems = watched_tab
    UserFactory(username="redaksi", role=roles.EDITOR)
    page = StandardPage.objects.live().first()

    tab.goto("/admin/login/")
    tab.fill("#id_username", "redaksi")
    tab.fill("#id_password", PASSWORD)
    tab.locator("form button[type=submit]").click()
    tab.wait_for_url("**/admin/")

    # The page editor: StreamField, rich text (Draftail), the preview panel.
    tab.goto(f"/admin/pages/{page.pk}/edit/")
    tab.locator("#id_title").wait_for()
    tab.locator(".Draftail-Editor, [data-streamfield-stream-container]").first.wait_for()
    tab.locator("[data-side-panel-toggle='preview']").click()
    tab.locator("iframe.w-preview__iframe").last.content_frame.locator("main").wait_for()

    # The userbar on the public page, for someone signed in.
    tab.goto(page.url)
    tab.locator("wagtail-userbar").wait_for(state="attached")
    trigger = tab.locator("wagtail-userbar").locator("[data-wagtail-userbar-trigger]")
    trigger.click()
    assert trigger.get_attribute("aria-expanded") == "true"

    assert not problems, "\n".join(problems)


def test_the_registry_api_documentation_runs_under_the_public_policy(watched_tab):
    tab, problems = watched_tab
    tab.goto("/api/registry/v1/docs/")
    # Swagger UI (from the site's static files) read the schema and lists the operations.
    tab.locator(".opblock-summary-path").first.wait_for()
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/registry/v1/statistics/" in paths
    assert not problems, "\n".join(problems)
