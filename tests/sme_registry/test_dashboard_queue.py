"""The operator's admin home stays short however long the kecamatan's review queue grows."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sme_registry.dashboard import REVIEW_PANEL_LIMIT
from sme_registry.models import Kecamatan
from tests.sme_registry.factories import BusinessFactory, kecamatan_reviewer


def awaiting_review(html):
    """The business names listed in the "Awaiting your review" panel."""
    panel = html.split('id="awaiting-review', 1)[1].split("</table>", 1)[0]
    return re.findall(r"Usaha Antre \d+", panel)


def test_the_dashboard_lists_the_latest_ten_to_review_and_links_the_whole_queue(client, db):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    operator = kecamatan_reviewer(cibinong)
    client.force_login(operator)
    for number in range(3):
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
