"""The operator's admin home stays short however long the kecamatan's review queue grows."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sme_registry.dashboard import REVIEW_PANEL_LIMIT, tasks_with_status
from sme_registry.models import Business, Kecamatan
from tests.sme_registry.factories import (
    BusinessFactory,
    kecamatan_reviewer,
    move_to,
)


def awaiting_review(html):
    """The business names listed in the "Awaiting your review" panel."""
    panel = html.split('id="awaiting-review', 1)[1].split("</table>", 1)[0]
    return re.findall(r"Usaha Antre \d+", panel)


def test_the_dashboard_lists_the_latest_ten_to_review_and_links_the_whole_queue(client, db):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    operator = kecamatan_reviewer(cibinong)
    client.force_login(operator)
    BusinessFactory(name="Usaha Antre 0", kecamatan=cibinong)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/")
    for number in range(1, 3):
        BusinessFactory(name=f"Usaha Antre {number}", kecamatan=cibinong)
    html = client.get("/admin/").content.decode()
    assert sorted(awaiting_review(html)) == ["Usaha Antre 0", "Usaha Antre 1", "Usaha Antre 2"]
    assert "seluruh antrean pemeriksaan" not in html

    for number in range(3, 14):
        BusinessFactory(name=f"Usaha Antre {number}", kecamatan=cibinong)
    with CaptureQueriesContext(connection) as fourteen:
        html = client.get("/admin/").content.decode()
    shown = awaiting_review(html)
    assert len(shown) == REVIEW_PANEL_LIMIT == 10
    # The latest first: the last four registered are among them, the first one is not.
    assert {"Usaha Antre 13", "Usaha Antre 10"} <= set(shown) and "Usaha Antre 0" not in shown
    assert "seluruh antrean pemeriksaan" in html
    assert "/admin/registry/businesses/?status=submitted" in html

    for number in range(14, 30):
        BusinessFactory(name=f"Usaha Antre {number}", kecamatan=cibinong)
    with CaptureQueriesContext(connection) as thirty:
        client.get("/admin/")
    assert len(thirty) == len(fourteen)
    # One row or ten: the same queries (edit links, task progress and buttons read in bulk).
    assert len(fourteen) == len(one)


def test_each_row_links_its_edit_view_and_shows_the_review_buttons(client, db):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    operator = kecamatan_reviewer(cibinong)
    business = BusinessFactory(name="Usaha Antre 1", kecamatan=cibinong)
    client.force_login(operator)
    html = client.get("/admin/").content.decode()
    panel = html.split('id="awaiting-review', 1)[1].split("</table>", 1)[0]
    assert f'href="/admin/registry/businesses/edit/{business.pk}/"' in panel
    # The step's four buttons, in the user's language.
    for label in ("Setujui", "Setujui dengan komentar", "Minta perbaikan", "Tolak"):
        assert f">{label}<" in panel or f'"{label}"' in panel, label


def test_task_progress_is_what_wagtail_itself_reports(db):
    """The bulk reading gives each row the same steps and statuses as Wagtail's own
    per-record `all_tasks_with_status()`: a fresh registration and one half-way."""
    cibinong = Kecamatan.objects.get(code="32.01.01")
    fresh = BusinessFactory(kecamatan=cibinong)
    half = move_to(BusinessFactory(kecamatan=cibinong), "in_review")
    states = [Business.objects.get(pk=b.pk).current_workflow_state for b in (fresh, half)]
    states = [s for s in states if s is not None]
    assert len(states) == 2
    progress = tasks_with_status(states)
    for state in states:
        expected = [
            (t.name, t.status, str(t.status_display)) for t in state.all_tasks_with_status()
        ]
        assert [(t.name, t.status, str(t.status_display)) for t in progress[state.pk]] == expected
    # Written out: the half-way record's first step is approved, the second under way.
    assert [t.status for t in progress[states[1].pk]] == ["approved", "in_progress"]
    assert [t.status for t in progress[states[0].pk]] == ["in_progress", None]
