import datetime
import io

import pytest

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page

from content.models import HomePage, MainMenu, MenuItem, NewsPage
from tests.content.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())


def test_every_live_page_of_the_demo_renders(client, demo):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    seen_types = set()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()
        seen_types.add(type(page).__name__)
    assert seen_types == {
        "HomePage",
        "StandardPage",
        "NewsIndexPage",
        "NewsPage",
        "FormPage",
        "RegistrationPage",
        "DirectoryPage",
        "TrainingIndexPage",
        "TrainingPage",
        "EventPage",
    }


def test_seed_demo_twice_creates_nothing_new(demo):
    before = Page.objects.count(), NewsPage.objects.count(), MenuItem.objects.count()
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())
    after = Page.objects.count(), NewsPage.objects.count(), MenuItem.objects.count()
    assert before == after


def test_home_page_lists_the_newest_news_first(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    today = timezone.localdate()
    for days, title in [
        (5, "Kabar lama"),
        (1, "Kabar terbaru"),
        (3, "Kabar tengah"),
        (9, "Kabar usang"),
    ]:
        NewsPageFactory(parent=index, title=title, date=today - datetime.timedelta(days=days))
    html = client.get("/").content.decode()
    assert html.index("Kabar terbaru") < html.index("Kabar tengah") < html.index("Kabar lama")
    assert "Kabar usang" not in html  # only the three newest


def test_news_index_paginates_ten_to_a_page(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    for i in range(12):
        NewsPageFactory(
            parent=index,
            title=f"Berita nomor {i:02d}",
            date=timezone.localdate() - datetime.timedelta(days=i),
        )
    first = client.get(index.url).content.decode()
    second = client.get(index.url + "?page=2").content.decode()
    assert first.count('class="card"') == 10
    assert second.count('class="card"') == 2
    assert "Berita nomor 11" in second and "Berita nomor 11" not in first
    assert client.get(index.url + "?page=abc").status_code == 200


def test_news_index_filters_by_tag(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    halal = NewsPageFactory(parent=index, title="Sertifikat halal gratis")
    halal.tags.add("halal")
    halal.save_revision().publish()
    NewsPageFactory(parent=index, title="Bazar akhir tahun")
    html = client.get(index.url + "?tag=halal").content.decode()
    assert "Sertifikat halal gratis" in html
    assert "Bazar akhir tahun" not in html


def test_draft_pages_are_not_shown_to_the_public(client, home_page):
    draft = StandardPageFactory(parent=home_page, title="Rancangan rahasia", live=False)
    assert client.get(draft.url or f"/{draft.slug}/").status_code == 404


def test_main_menu_is_managed_by_editors(client, home_page, site):
    about = StandardPageFactory(parent=home_page, title="Profil dinas")
    menu = MainMenu.for_site(site)
    MenuItem.objects.create(menu=menu, sort_order=0, link_page=about, link_text="Profil")
    MenuItem.objects.create(menu=menu, sort_order=1, link_url="https://oss.go.id/", link_text="OSS")
    html = client.get(about.url).content.decode()
    nav = html[
        html.index('class="main-nav"') : html.index("</nav>", html.index('class="main-nav"'))
    ]
    assert f'href="{about.url}" aria-current="page">Profil</a>' in nav
    assert 'href="https://oss.go.id/">OSS</a>' in nav


def test_breadcrumbs_show_the_path_to_the_page(client, home_page):
    parent = StandardPageFactory(parent=home_page, title="Layanan")
    child = StandardPageFactory(parent=parent, title="Fasilitasi legalitas")
    html = client.get(child.url).content.decode()
    crumbs = html[html.index('class="breadcrumbs') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert "Beranda" in crumbs and "Layanan" in crumbs and "Fasilitasi legalitas" in crumbs


def test_home_page_has_no_breadcrumbs(client, home_page):
    assert 'class="breadcrumbs' not in client.get("/").content.decode()


def test_search_finds_live_pages_only(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=index, title="Pelatihan kemasan produk", intro="Kemasan menarik.")
    StandardPageFactory(parent=home_page, title="Kemasan rahasia", live=False)
    html = client.get("/cari/", {"q": "kemasan"}).content.decode()
    assert "Pelatihan kemasan produk" in html
    assert "Kemasan rahasia" not in html
    empty = client.get("/cari/", {"q": "zzzxxyy"}).content.decode()
    assert "Tidak ada hasil" in empty


def test_unknown_address_gets_a_friendly_404(client, home_page):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'href="/cari/"' in html


def test_sitemap_lists_live_pages_only(client, home_page):
    live = StandardPageFactory(parent=home_page, title="Profil", slug="profil")
    StandardPageFactory(parent=home_page, title="Rancangan", slug="rancangan", live=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/profil/" in xml
    assert "/rancangan/" not in xml
    assert live.full_url in xml


def test_robots_txt_points_to_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_home_page_sections_come_from_hooks(client, home_page):
    from django.utils.safestring import mark_safe

    from wagtail import hooks

    def section(request, page):
        return mark_safe("<section id='from-hook'>Pelatihan mendatang</section>")

    with hooks.register_temporarily("content_home_sections", section):
        html = client.get("/").content.decode()
    assert "<section id='from-hook'>" in html
    assert isinstance(home_page, HomePage)


def test_api_lists_live_pages(client, home_page):
    StandardPageFactory(parent=home_page, title="Profil dinas")
    StandardPageFactory(parent=home_page, title="Rancangan", live=False)
    data = client.get("/api/v2/pages/").json()
    titles = {item["title"] for item in data["items"]}
    assert "Profil dinas" in titles and "Rancangan" not in titles


def test_server_error_page_needs_no_database_or_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Terjadi gangguan" in response.content.decode()


def test_wagtail_admin_speaks_indonesian(client, home_page):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="id"' in html
    assert "Masuk" in html
