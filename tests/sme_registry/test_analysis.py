"""Analisis → Registri: every figure on a small registry, counted by hand; scope; suppression."""

import datetime
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import roles
from sme_registry.models import Desa, Kecamatan, Source
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory, nik_for
from tests.test_background_tasks import database_tasks  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/registry/"
LIST = "/admin/registry/businesses/"
HERE, THERE = "32.01.01", "32.01.02"


def _years_ago(years, month, day):
    today = timezone.localdate()
    return datetime.date(today.year - years, month, day)


def _owner(serial, sex, birth):
    return {
        "owner__nik": nik_for(birth=birth, sex=sex, serial=serial),
        "owner__sex": sex,
        "owner__birth_date": birth,
    }


@pytest.fixture
def registry(db):
    """Four records counted and one merged away, written out:

    | record | kecamatan | desa | sector | scale | owner | status    | source      |
    | A      | here      | 1st  | C      | mikro | P, 36 | validated | public form |
    | B      | here      | 1st  | G      | mikro | L, 22 | submitted | staff entry |
    | C      | here      | 2nd  | C      | kecil | P, 66 | in review | public form |
    | D      | there     | 1st  | I      | mikro | P, 36 | validated | public form |
    | E      | here: merged into A, counted nowhere                              |
    """
    here, there = Kecamatan.objects.get(code=HERE), Kecamatan.objects.get(code=THERE)
    desa = list(Desa.objects.filter(kecamatan=here).order_by("code")[:2])
    # Ages are on birthdays already passed this year (January), so they hold all year.
    a = BusinessFactory(
        name="Usaha A",
        kecamatan=here,
        desa=desa[0],
        kbli_category="C",
        validated=True,
        **_owner(101, "P", _years_ago(36, 1, 2)),
    )
    BusinessFactory(
        name="Usaha B",
        kecamatan=here,
        desa=desa[0],
        kbli_category="G",
        source=Source.STAFF_ENTRY,
        **_owner(102, "L", _years_ago(22, 1, 3)),
    )
    BusinessFactory(
        name="Usaha C",
        kecamatan=here,
        desa=desa[1],
        kbli_category="C",
        state="in_review",
        capital=2_000_000_000,
        annual_sales=5_000_000_000,
        **_owner(103, "P", _years_ago(66, 1, 4)),
    )
    BusinessFactory(
        name="Usaha D",
        kecamatan=there,
        desa=Desa.objects.filter(kecamatan=there).first(),
        kbli_category="I",
        validated=True,
        **_owner(104, "P", _years_ago(36, 1, 5)),
    )
    BusinessFactory(name="Usaha E", kecamatan=here, desa=desa[0], merged_into=a)
    return {"here": here, "there": there, "desa": desa}


def figure(html, slug):
    """{row label: shown count} of one figure's table."""
    section = html.split(f'id="figure-{slug}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for label, cell in re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="analysis-table__number">(.*?)</td>', body, re.S
    ):
        rows[label.strip()] = re.sub(r"<[^>]+>", "", cell).strip()
    return rows


def nonzero(rows):
    return {label: count for label, count in rows.items() if count != "0"}


def test_every_figure_counts_the_records_as_written_out(client, registry):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL).content.decode()
    assert "4 catatan dihitung" in html
    here, there = registry["here"].name, registry["there"].name
    assert nonzero(figure(html, "kecamatan")) == {here: "3", there: "1"}
    assert len(figure(html, "kecamatan")) == 40  # every kecamatan, with its 0
    assert nonzero(figure(html, "status")) == {
        "Tervalidasi": "2",
        "Diajukan": "1",
        "Sedang diperiksa": "1",
    }
    assert nonzero(figure(html, "sector")) == {
        "C - Industri Pengolahan": "2",
        "G - Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor": "1",
        "I - Penyediaan Akomodasi dan Penyediaan Makan Minum": "1",
    }
    assert nonzero(figure(html, "computed_scale")) == {"mikro": "3", "kecil": "1"}
    assert nonzero(figure(html, "sex")) == {"perempuan": "3", "laki-laki": "1"}
    assert nonzero(figure(html, "age")) == {
        "di bawah 25": "1",
        "35 sampai 44": "2",
        "65 ke atas": "1",
    }
    assert nonzero(figure(html, "source")) == {"formulir publik": "3", "input petugas": "1"}
    month = timezone.localdate().strftime("%m-%Y")
    assert nonzero(figure(html, "month")) == {month: "4"}
    # No single kecamatan chosen: no desa figure.
    assert 'id="figure-desa"' not in html


def test_filters_in_the_address_narrow_every_figure_and_add_the_desa(client, registry):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    here, desa = registry["here"], registry["desa"]
    html = client.get(URL, {"kecamatan": here.pk}).content.decode()
    assert "3 catatan dihitung" in html
    assert nonzero(figure(html, "desa")) == {desa[0].name: "2", desa[1].name: "1"}
    assert figure(html, "kecamatan") == {here.name: "3"}
    html = client.get(URL, {"kecamatan": here.pk, "sector": "C"}).content.decode()
    assert nonzero(figure(html, "computed_scale")) == {"mikro": "1", "kecil": "1"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    html = client.get(URL, {"period_from": tomorrow.isoformat()}).content.decode()
    assert "0 catatan dihitung" in html


def test_a_wrong_filter_is_explained_beside_it_and_the_rest_still_applies(client, registry):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    today = timezone.localdate()
    response = client.get(
        URL,
        {
            "period_from": today.isoformat(),
            "period_to": (today - datetime.timedelta(days=3)).isoformat(),
            "sector": "C",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Akhir periode lebih awal dari awalnya." in html
    assert "2 catatan dihitung" in html  # the sector still filters
    assert client.get(URL, {"period_from": "kemarin"}).status_code == 200


def test_each_count_opens_the_registry_list_behind_it(client, registry):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    here = registry["here"]
    html = client.get(URL).content.decode()
    section = html.split('id="figure-kecamatan"', 1)[1].split("</section>", 1)[0]
    link = re.search(rf'<th scope="row">{here.name}</th>\s*<td[^>]*><a href="([^"]+)"', section)
    assert link, section[:2000]
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    names = set(re.findall(r'<span id="snippet_\d+_title">([^<]+)</span>', listing))
    assert names == {"Usaha A", "Usaha B", "Usaha C"}  # not the merged one's survivor twice


def test_an_operator_sees_the_figures_of_their_kecamatan_only(client, registry):
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=HERE))
    html = client.get(URL).content.decode()
    assert "3 catatan dihitung" in html
    assert registry["there"].name not in html
    # Their one kecamatan: the desa figure comes without choosing it.
    assert nonzero(figure(html, "desa")) == {
        registry["desa"][0].name: "2",
        registry["desa"][1].name: "1",
    }
    # Asking for another kecamatan is refused beside the field; the figures stay theirs.
    html = client.get(URL, {"kecamatan": registry["there"].pk}).content.decode()
    assert "3 catatan dihitung" in html
    assert "Masukkan pilihan yang valid" in html  # Django's own words, beside the field


def test_an_analyst_sees_aggregates_only_with_small_cells_hidden(client, registry):
    analyst = UserFactory(role=roles.ANALYST)
    client.force_login(analyst)
    html = client.get(URL).content.decode()
    assert "Kurang dari 5 catatan dihitung" in html  # four: the total is a small cell too
    rows = figure(html, "kecamatan")
    assert rows[registry["here"].name] == "disembunyikan"
    assert rows[registry["there"].name] == "disembunyikan"
    assert set(rows.values()) == {"disembunyikan", "0"}
    assert LIST not in html  # no way to the records behind a figure
    assert "Usaha A" not in html


@pytest.mark.parametrize("role", [roles.EDITOR, roles.MENTOR])
def test_roles_without_figures_are_refused(client, registry, role):
    client.force_login(UserFactory(role=role))
    response = client.get(URL, follow=True)
    assert "catatan dihitung" not in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"  # Wagtail's "no permission" message
    assert "/admin/analysis/" not in client.get("/admin/").content.decode()


def test_the_menu_offers_the_figures_to_whoever_may_see_them(client, db):
    for role, kwargs in (
        (roles.ADMIN_DINAS, {}),
        (roles.VALIDATOR, {}),
        (roles.ANALYST, {}),
        (roles.OPERATOR, {"kecamatan": HERE}),
    ):
        client.force_login(UserFactory(role=role, **kwargs))
        assert URL in client.get("/admin/").content.decode(), role


def test_a_new_registration_shows_at_once_and_the_queries_do_not_grow(client, registry):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    client.get(URL)
    with CaptureQueriesContext(connection) as cached:
        html = client.get(URL).content.decode()
    assert "4 catatan dihitung" in html
    BusinessFactory.create_batch(6, kecamatan=registry["there"])
    with CaptureQueriesContext(connection) as fresh:
        html = client.get(URL).content.decode()
    assert "10 catatan dihitung" in html
    assert nonzero(figure(html, "kecamatan"))[registry["there"].name] == "7"
    with CaptureQueriesContext(connection) as again:
        client.get(URL)
    assert len(again) == len(cached)
    assert len(fresh) < 40


def test_at_a_million_records_the_kept_figures_show_while_new_ones_are_counted(
    client, registry, monkeypatch, django_capture_on_commit_callbacks
):
    """Counting that takes long is redone by the worker: the viewer gets the kept figures,
    told of their time, and the new ones on the next view."""
    from sme_registry import analysis

    monkeypatch.setattr(analysis, "INLINE_SECONDS", -1)  # as if every count were slow
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL).content.decode()
    assert "4 catatan dihitung" in html and "sedang dihitung" not in html  # the first view
    BusinessFactory(kecamatan=registry["there"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        html = client.get(URL).content.decode()
    assert "4 catatan dihitung" in html
    assert "angka baru sedang dihitung" in html
    assert len(callbacks) == 1  # one refresh enqueued
    with django_capture_on_commit_callbacks(execute=False) as again:
        client.get(URL)
    assert again == []  # not a second one while the first runs
    callbacks[0]()  # the worker (the test settings run a task at once)
    html = client.get(URL).content.decode()
    assert "5 catatan dihitung" in html and "sedang dihitung" not in html


@pytest.mark.usefixtures("database_tasks")
def test_the_worker_counts_the_figures_again(
    client, registry, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from sme_registry import analysis

    monkeypatch.setattr(analysis, "INLINE_SECONDS", -1)
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    here = registry["here"]
    client.get(URL, {"kecamatan": here.pk, "period_from": "2000-01-01"})
    BusinessFactory(kecamatan=here)
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(URL, {"kecamatan": here.pk, "period_from": "2000-01-01"})
    html = html.content.decode()
    assert "3 catatan dihitung" in html and "sedang dihitung" in html
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    html = client.get(URL, {"kecamatan": here.pk, "period_from": "2000-01-01"}).content.decode()
    assert "4 catatan dihitung" in html and "sedang dihitung" not in html


def test_an_analyst_narrowing_to_a_handful_sees_no_total_either(client, registry):
    """Two records in one desa: the total would be a cell of two; it is hidden too."""
    client.force_login(UserFactory(role=roles.ANALYST))
    here, desa = registry["here"], registry["desa"][0]
    html = client.get(URL, {"kecamatan": here.pk, "desa": desa.pk}).content.decode()
    assert "Kurang dari 5 catatan dihitung" in html
    assert "catatan dihitung." not in html.replace("Kurang dari 5 catatan dihitung", "")
    assert "Persentase dari:" not in html
    facts = html.split("analysis-facts", 1)[1].split("</section>", 1)[0]
    assert "disembunyikan" in facts and ">2<" not in facts
    # Staff who may open the records see the number itself.
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL, {"kecamatan": here.pk, "desa": desa.pk}).content.decode()
    assert "2 catatan dihitung." in html


def _table(html, slug):
    """{first cell: (the other cells, as shown)} of one figure's table."""
    section = html.split(f'id="figure-{slug}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
        rows[cells[0]] = tuple(cells[1:])
    return rows


def _backlog(html):
    """{step: (waiting, over 14 days, oldest since)}."""
    return _table(html, "backlog")


def test_the_backlog_counts_what_waits_at_each_step_and_the_median_time_to_validation(
    client, registry
):
    """By hand: B waits at the kecamatan check (for 20 days), C at PUM (today); A took 10
    days and D 4 from submission to validation: the median is 7 days. An imported record
    validated after 100 days is left out of the median."""
    from wagtail.models import TaskState

    from sme_registry.models import Business

    now = timezone.now()
    for name, days in (("Usaha A", 10), ("Usaha D", 4)):
        business = Business.objects.get(name=name)
        Business.objects.filter(pk=business.pk).update(
            submitted_at=business.first_published_at - datetime.timedelta(days=days)
        )
    imported = BusinessFactory(
        kecamatan=registry["there"], validated=True, source=Source.IMPORT, name="Usaha Impor"
    )
    Business.objects.filter(pk=imported.pk).update(
        submitted_at=imported.first_published_at - datetime.timedelta(days=100)
    )
    b = Business.objects.get(name="Usaha B")
    TaskState.objects.filter(pk=b.current_workflow_task_state.pk).update(
        started_at=now - datetime.timedelta(days=20)
    )
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    html = client.get(URL).content.decode()
    twenty_days_ago = timezone.localdate() - datetime.timedelta(days=20)
    backlog = _backlog(html)
    assert backlog["Pemeriksaan kecamatan"][:2] == ("1", "1")
    assert backlog["Pemeriksaan kecamatan"][2].endswith(str(twenty_days_ago.year))
    assert str(twenty_days_ago.day) in backlog["Pemeriksaan kecamatan"][2]
    assert backlog["Validasi PUM"][:2] == ("1", "0")
    assert backlog["Dikembalikan: menunggu perbaikan pemohon"][0] == "0"
    facts = html.split("analysis-facts", 1)[1].split("</section>", 1)[0]
    assert "7,0 hari" in facts
    assert "atas 2 catatan" in facts
    # The step's count opens the records waiting there.
    section = html.split('id="figure-backlog"', 1)[1].split("</section>", 1)[0]
    link = re.search(r'Pemeriksaan kecamatan</th>\s*<td[^>]*><a href="([^"]+)"', section)
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    names = set(re.findall(r'<span id="snippet_\d+_title">([^<]+)</span>', listing))
    assert names == {"Usaha B"}


def test_a_change_of_a_validated_record_waits_in_the_backlog_too(client, registry):
    from sme_registry import services
    from sme_registry.models import Business

    a = Business.objects.get(name="Usaha A")
    services.update_by_owner(
        a, services.RegistrationInput(owner={}, business={"main_product": "Keripik pedas"})
    )
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    backlog = _backlog(client.get(URL).content.decode())
    assert backlog["Pemeriksaan kecamatan"][0] == "2"  # B, and A's change


def _coverage(html):
    """{kecamatan: (estimate, registered, %, validated, %)} (the bar cell left out)."""
    return {label: cells[:5] for label, cells in _table(html, "coverage").items()}


def test_coverage_is_read_against_the_estimate_admin_dinas_enters(client, registry):
    """Here: 3 registered (the merged one not), 1 validated, of 30 estimated → 10,0 % and
    3,3 %. There: 1 and 1 of 2 → 50,0 %. No estimate: no share."""
    from django.urls import reverse

    from sme_registry.models import CoverageTarget

    here, there = registry["here"], registry["there"]
    admin = UserFactory(role=roles.ADMIN_DINAS)
    client.force_login(admin)
    add = reverse("wagtailsnippets_sme_registry_coveragetarget:add")
    response = client.post(add, {"kecamatan": here.pk, "estimated_businesses": "30"})
    assert response.status_code == 302
    response = client.post(add, {"kecamatan": here.pk, "estimated_businesses": "0"})
    assert response.status_code == 200  # refused beside the fields, nothing stored
    assert CoverageTarget.objects.filter(kecamatan=here).get().estimated_businesses == 30
    CoverageTarget.objects.create(kecamatan=there, estimated_businesses=2, source="BPS 2016")
    html = client.get(URL).content.decode()
    rows = _coverage(html)
    assert rows[here.name] == ("30", "3", "10,0", "1", "3,3")
    assert rows[there.name] == ("2", "1", "50,0", "1", "50,0")
    third = Kecamatan.objects.exclude(pk__in=[here.pk, there.pk]).order_by("name").first()
    assert rows[third.name] == ("–", "0", "–", "0", "–")
    # The sector filter narrows the other figures, not coverage: the estimate counts every UMKM.
    rows = _coverage(client.get(URL, {"sector": "G"}).content.decode())
    assert rows[here.name] == ("30", "3", "10,0", "1", "3,3")
    assert list(_coverage(client.get(URL, {"kecamatan": there.pk}).content.decode())) == [
        there.name
    ]


@pytest.mark.parametrize(
    "role", [roles.VALIDATOR, roles.OPERATOR, roles.ANALYST, roles.EDITOR, roles.MENTOR]
)
def test_only_admin_dinas_enters_an_estimate(client, registry, role):
    from django.urls import reverse

    from sme_registry.models import CoverageTarget

    client.force_login(UserFactory(role=role, kecamatan=HERE if role == roles.OPERATOR else None))
    add = reverse("wagtailsnippets_sme_registry_coveragetarget:add")
    response = client.post(add, {"kecamatan": registry["here"].pk, "estimated_businesses": "30"})
    assert response.status_code in (302, 403)
    assert not CoverageTarget.objects.exists()


def test_an_analyst_sees_the_backlog_and_coverage_with_small_cells_hidden(client, registry):
    from sme_registry.models import CoverageTarget

    CoverageTarget.objects.create(kecamatan=registry["here"], estimated_businesses=30)
    client.force_login(UserFactory(role=roles.ANALYST))
    html = client.get(URL).content.decode()
    backlog = _backlog(html)
    assert backlog["Pemeriksaan kecamatan"] == ("disembunyikan", "–", "–")
    assert backlog["Validasi PUM"] == ("disembunyikan", "–", "–")
    assert _coverage(html)[registry["here"].name] == (
        "30",
        "disembunyikan",
        "–",
        "disembunyikan",
        "–",
    )
    assert "Isi atau perbaiki perkiraan" not in html  # the estimates are Admin Dinas's
    assert LIST not in html
