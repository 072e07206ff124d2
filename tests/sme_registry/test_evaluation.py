"""Evaluation reports: live figures while a draft, frozen once final; who may do what."""

import re

import pytest

from django.urls import reverse
from django.utils import timezone

from core import roles
from sme_registry.models import EvaluationReport, Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    CIBINONG,
    BusinessFactory,
    MentoringVisitFactory,
    OutreachSessionFactory,
)

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_sme_registry_evaluationreport:"
EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'  # as the editor posts an empty field


@pytest.fixture
def month(db):
    """This month so far: 3 records submitted (2 validated, 1 sent back), one of them
    through an outreach session held today; one mentoring visit today."""
    session = OutreachSessionFactory(attendee_count=12)
    first = BusinessFactory(name="Satu", validated=True, outreach_session=session)
    BusinessFactory(name="Dua", validated=True)
    BusinessFactory(name="Tiga", state="changes_requested")
    MentoringVisitFactory(business=first)
    today = timezone.localdate()
    return {"start": today.replace(day=1), "end": today}


def _report(month, **more):
    more.setdefault("title", "Evaluasi bulan ini")
    return EvaluationReport.objects.create(
        kind=EvaluationReport.Kind.MONTH,
        period_start=month["start"],
        period_end=month["end"],
        **more,
    )


def _lines(html):
    """{line key: shown} of the report's figures."""
    return {
        key: re.sub(r"<[^>]+>", "", shown).strip()
        for key, shown in re.findall(
            r'<tr data-line="(\w+)"><th scope="row">[^<]*</th><td[^>]*>(.*?)</td></tr>', html
        )
    }


def _add_data(month, **more):
    return {
        "title": "Evaluasi Desember",
        "kind": "month",
        "period_start": month["start"].isoformat(),
        "period_end": month["end"].isoformat(),
        "kecamatan": "",
        "narrative": EMPTY_RICH_TEXT,
        "next_activities": EMPTY_RICH_TEXT,
        **more,
    }


def test_admin_dinas_writes_a_report_and_reads_its_live_figures(client, month):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    response = client.post(reverse(f"{LIST}add"), _add_data(month))
    assert response.status_code == 302
    report = EvaluationReport.objects.get()
    html = client.get(reverse(f"{LIST}inspect", args=[report.pk])).content.decode()
    lines = _lines(html)
    assert lines["registered"] == "3"
    assert lines["validated"] == "2"
    assert lines["changes_requested"] == "1"
    assert lines["sessions"] == "1" and lines["head_count"] == "12"
    assert lines["registrations"] == "1"
    assert lines["visits"] == "1" and lines["businesses"] == "1"
    assert "signed_up" in lines  # the trainings' section, from their app
    assert "Draf" in html


def test_a_reversed_period_is_refused_beside_the_field(client, month):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    data = _add_data(month, period_start=month["end"].isoformat(), period_end="2020-01-01")
    response = client.post(reverse(f"{LIST}add"), data)
    assert response.status_code == 200
    assert "Akhir periode lebih awal dari awalnya." in response.content.decode()
    assert not EvaluationReport.objects.exists()


def test_a_final_report_keeps_its_figures_and_cannot_be_changed(client, month):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    report = _report(month)
    finalise = reverse("sme_registry_evaluation_finalise", args=[report.pk])
    assert "tidak dapat diubah lagi" in client.get(finalise).content.decode()  # asks first
    assert client.post(finalise).status_code == 302
    report.refresh_from_db()
    assert report.is_final and report.figures["sections"]["registry"]["registered"] == 3

    BusinessFactory(name="Empat", validated=True)  # the data moves on
    inspect = reverse(f"{LIST}inspect", args=[report.pk])
    assert _lines(client.get(inspect).content.decode())["registered"] == "3"
    assert _lines(client.get(reverse(f"{LIST}add")).content.decode()) == {}
    draft = _report(month, title="Draf pembanding")
    assert (
        _lines(client.get(reverse(f"{LIST}inspect", args=[draft.pk])).content.decode())[
            "registered"
        ]
        == "4"
    )

    # Seen but not to be changed: refused (Wagtail sends the user back to the dashboard).
    edit = reverse(f"{LIST}edit", args=[report.pk])
    assert client.get(edit)["Location"] == reverse("wagtailadmin_home")
    assert client.post(edit, _add_data(month, title="Diubah"))["Location"] == reverse(
        "wagtailadmin_home"
    )
    assert client.post(finalise)["Location"] == reverse("wagtailadmin_home")
    report.refresh_from_db()
    assert report.title == "Evaluasi bulan ini"
    assert report.figures["sections"]["registry"]["registered"] == 3


def test_the_printable_version_stands_alone(client, month):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    report = _report(month, narrative="<p>Pendaftaran naik setelah penyuluhan.</p>")
    html = client.get(reverse("sme_registry_evaluation_print", args=[report.pk])).content.decode()
    assert "evaluation_print.css" in html and "sidebar" not in html
    assert "Pendaftaran naik setelah penyuluhan." in html
    assert _lines(html)["registered"] == "3"


def test_an_analyst_reads_reports_with_small_counts_hidden_and_writes_none(client, month):
    client.force_login(UserFactory(role=roles.ANALYST))
    report = _report(month)
    html = client.get(reverse(f"{LIST}inspect", args=[report.pk])).content.decode()
    assert _lines(html)["registered"] == "disembunyikan"
    assert "sme_registry_evaluation_finalise" not in html
    for url, data in (
        (reverse(f"{LIST}add"), _add_data(month)),
        (reverse("sme_registry_evaluation_finalise", args=[report.pk]), {}),
        (reverse(f"{LIST}edit", args=[report.pk]), _add_data(month, title="Diubah")),
    ):
        assert client.post(url, data).status_code in (302, 403, 404), url
    assert EvaluationReport.objects.count() == 1
    report.refresh_from_db()
    assert report.title == "Evaluasi bulan ini" and not report.is_final


def test_an_operator_reads_only_their_kecamatan_s_reports(client, month):
    home = Kecamatan.objects.get(code=CIBINONG)
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=home))
    whole = _report(month, title="Kabupaten")
    theirs = _report(month, title="Cibinong", kecamatan=home)
    listing = client.get(reverse(f"{LIST}list")).content.decode()
    assert "Cibinong" in listing and "Kabupaten</a>" not in listing
    assert client.get(reverse(f"{LIST}inspect", args=[whole.pk])).status_code == 404
    assert client.get(reverse("sme_registry_evaluation_print", args=[whole.pk])).status_code == 404
    assert client.get(reverse(f"{LIST}inspect", args=[theirs.pk])).status_code == 200


@pytest.mark.parametrize("role", [roles.EDITOR, roles.MENTOR])
def test_roles_without_reports_are_refused(client, month, role):
    client.force_login(UserFactory(role=role))
    report = _report(month)
    assert client.get(reverse(f"{LIST}inspect", args=[report.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("sme_registry_evaluation_print", args=[report.pk])).status_code == 404


COMPARE = "sme_registry_evaluation_compare"


def _compared(html):
    """{line key: [cell per report]} of the comparison table."""
    return {
        key: [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells)
        ]
        for key, cells in re.findall(
            r'<tr data-line="(\w+)">\s*<th scope="row">[^<]*</th>(.*?)</tr>', html, re.S
        )
    }


def test_periods_compare_side_by_side_the_final_one_as_it_was(client, month):
    admin = UserFactory(role=roles.ADMIN_DINAS)
    client.force_login(admin)
    closed = _report(month, title="Ditutup")
    client.post(reverse("sme_registry_evaluation_finalise", args=[closed.pk]))
    BusinessFactory(name="Empat", validated=True)  # after finalising: only the draft sees it
    draft = _report(month, title="Masih draf")

    listing = client.get(reverse(f"{LIST}list")).content.decode()
    assert reverse(COMPARE) in listing
    html = client.get(reverse(COMPARE), {"reports": [draft.pk, closed.pk]}).content.decode()
    lines = _compared(html)
    # Columns in period order, then by age: the final report first.
    assert lines["registered"] == ["3", "4"]
    assert lines["validated"] == ["2", "3"]
    assert lines["visits"] == ["1", "1"]
    assert html.index("Ditutup") < html.index("Masih draf", html.index('data-figure="comparison"'))


def test_comparing_needs_two_reports_and_keeps_what_was_ticked(client, month):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    only = _report(month)
    html = client.get(reverse(COMPARE), {"reports": [only.pk]}).content.decode()
    assert "Pilih setidaknya dua laporan." in html
    assert f'value="{only.pk}" ' in html and "checked" in html
    assert 'data-figure="comparison"' not in html


def test_an_operator_compares_only_their_kecamatan_s_reports(client, month):
    home = Kecamatan.objects.get(code=CIBINONG)
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=home))
    whole = _report(month, title="Kabupaten")
    theirs = _report(month, title="Cibinong", kecamatan=home)
    also = _report(month, title="Cibinong lagi", kecamatan=home)
    page = client.get(reverse(COMPARE)).content.decode()
    assert "Cibinong lagi" in page and "Kabupaten" not in page
    html = client.get(reverse(COMPARE), {"reports": [theirs.pk, whole.pk]}).content.decode()
    assert 'data-figure="comparison"' not in html and "Kabupaten" not in html
    assert "Laporan yang dipilih tidak ada atau tidak boleh Anda baca." in html
    html = client.get(reverse(COMPARE), {"reports": [theirs.pk, also.pk]}).content.decode()
    assert _compared(html)["registered"] == ["3", "3"]


def test_an_analyst_compares_with_small_counts_hidden(client, month):
    client.force_login(UserFactory(role=roles.ANALYST))
    first, second = _report(month, title="A"), _report(month, title="B")
    lines = _compared(
        client.get(reverse(COMPARE), {"reports": [first.pk, second.pk]}).content.decode()
    )
    assert lines["registered"] == ["disembunyikan", "disembunyikan"]
    assert lines["head_count"] == ["12", "12"]


@pytest.mark.parametrize("role", [roles.EDITOR, roles.MENTOR])
def test_roles_without_reports_may_not_compare(client, month, role):
    client.force_login(UserFactory(role=role))
    first, second = _report(month, title="Laporan A"), _report(month, title="Laporan B")
    response = client.get(reverse(COMPARE), {"reports": [first.pk, second.pk]})
    assert response.status_code in (302, 403) and b"Laporan A" not in response.content
