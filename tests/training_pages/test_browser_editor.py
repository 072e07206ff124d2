"""Editors publish a training in the Wagtail admin; visitors find it on a phone, in Chromium."""

import datetime

import pytest

from django.utils import timezone

from core import roles
from sme_registry.models import Kecamatan
from tests.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.training_pages.factories import TrainingPageFactory
from training_pages.models import TrainingPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role=roles.EDITOR)


def admin_datetime(days, hour):
    moment = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=days), datetime.time(hour)
    )
    return moment.strftime("%d-%m-%Y %H:%M")


def test_editor_publishes_a_training_with_two_sessions(browser_page, index, editor):
    tab = browser_page
    tab.goto("/admin/login/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", PASSWORD)
    tab.locator("form button[type=submit]").click()
    tab.wait_for_url("**/admin/")

    tab.goto(f"/admin/pages/add/training_pages/trainingpage/{index.pk}/")
    tab.fill("#id_title", "Pelatihan Kemasan Ramah Lingkungan")
    tab.fill("#id_summary", "Mengganti plastik sekali pakai dengan kemasan kertas dan daun.")
    for number, (days, start, end) in enumerate([(6, 9, 12), (7, 13, 16)]):
        # A training needs at least one session, so the first form is already there.
        if not tab.locator(f"#id_sessions-{number}-starts_at").count():
            # Close the date picker of the previous field before it hides the button.
            tab.keyboard.press("Escape")
            tab.locator("#id_summary").click()
            tab.locator("#id_sessions-ADD").click()
            tab.locator(f"#id_sessions-{number}-title").wait_for()
        tab.fill(f"#id_sessions-{number}-title", f"Pertemuan {number + 1}")
        tab.fill(f"#id_sessions-{number}-starts_at", admin_datetime(days, start))
        tab.fill(f"#id_sessions-{number}-ends_at", admin_datetime(days, end))
    tab.fill("#id_venue_name", "Balai Desa Leuwimekar")
    tab.fill("#id_venue_address", "Jl. Raya Leuwiliang No. 5")
    leuwiliang = Kecamatan.objects.get(code="32.01.14")
    tab.select_option("#id_kecamatan", str(leuwiliang.pk))
    tab.locator("footer [data-w-dropdown-target='toggle']").last.click()
    tab.locator("button[name='action-publish']").click()
    tab.wait_for_url(f"**/admin/pages/{index.pk}/")

    training = TrainingPage.objects.get(title="Pelatihan Kemasan Ramah Lingkungan")
    assert training.live and training.sessions.count() == 2
    assert training.kecamatan == leuwiliang
    assert timezone.localtime(training.starts_at).hour == 9

    tab.goto(index.url)
    card = tab.locator("article.activity-card", has_text="Pelatihan Kemasan Ramah Lingkungan")
    assert "Leuwiliang" in card.inner_text()
    card.get_by_role("link").click()
    assert "Pertemuan 2" in tab.locator("main").inner_text()


def test_visitor_on_a_phone_finds_a_training_by_topic_and_kecamatan(browser_page, index):
    citeureup = Kecamatan.objects.get(code="32.01.03")
    TrainingPageFactory(
        parent=index, title="Sertifikasi Halal", topics=["halal"], kecamatan=citeureup
    )
    TrainingPageFactory(parent=index, title="Halal di Cibinong", topics=["halal"])
    TrainingPageFactory(parent=index, title="Foto Produk", topics=["foto"], kecamatan=citeureup)
    tab = browser_page
    tab.set_viewport_size({"width": 360, "height": 740})
    tab.goto(index.url)
    assert_accessible(tab)
    tab.locator("#id_topik").select_option("halal")
    tab.locator("#id_kecamatan").select_option(str(citeureup.pk))
    tab.locator("form.filter-form button[type=submit]").click()
    tab.wait_for_url("**/pelatihan/?*")
    cards = tab.locator("article.activity-card")
    assert cards.count() == 1
    # Nothing sticks out sideways on a narrow phone.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    cards.get_by_role("link", name="Sertifikasi Halal").click()
    assert tab.locator("h1").inner_text() == "Sertifikasi Halal"
    assert_accessible(tab)

    tab.goto(index.url + "kalender/")
    assert "Sertifikasi Halal" in tab.locator("main").inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(tab)
