"""The pages API (/api/v2/pages/): what another front end gets to render the public site."""

import io
import json

import pytest
import wagtail_factories

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction, Site

from content.demo import at_public_address
from content.models import FormField
from core.links import public_host_and_port
from tests.conftest import PUBLIC_BASE as BASE
from tests.content.factories import (
    PAGE_FACTORIES,
    FormPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from tests.pages_api import META
from tests.pages_api import api_item as _one
from tests.pages_api import api_items as _items
from tests.sme_registry.factories import RegistrationPageFactory, RegistrationQuestionFactory
from tests.training_pages.test_api import CONTRACT as TRAINING_CONTRACT

# The exact keys of a page of each type with ?fields=*.
CONTRACT = {
    "content.HomePage": {
        "id",
        "meta",
        "title",
        "hero_title",
        "hero_text",
        "hero_image",
        "hero_cta_label",
        "hero_cta_page",
        "intro",
        "body",
        "news_count",
    },
    "content.StandardPage": {"id", "meta", "title", "intro", "body"},
    "content.NewsIndexPage": {"id", "meta", "title", "intro"},
    "content.NewsPage": {"id", "meta", "title", "date", "intro", "image", "body", "tags"},
    "content.FormPage": {
        "id",
        "meta",
        "title",
        "intro",
        "form_fields",
        "submit_label",
        "thank_you_text",
    },
    "sme_registry.RegistrationPage": {
        "id",
        "meta",
        "title",
        "intro",
        "privacy_text",
        "questions",
        "done_text",
    },
    # Its introduction; the businesses it lists are in the registry API (/directory/).
    "sme_registry.DirectoryPage": {"id", "meta", "title", "intro"},
}
FORM_FIELD_KEYS = {"name", "label", "type", "required", "help_text", "choices", "default_value"}


def _all_bodies(client):
    """Every page of every type, listed with all fields and one by one."""
    bodies = []
    for type_name in sorted(CONTRACT) + sorted(TRAINING_CONTRACT):
        response = client.get("/api/v2/pages/", {"type": type_name, "fields": "*"})
        assert response.status_code == 200, type_name
        bodies.append(response.content.decode())
        for item in response.json()["items"]:
            detail = client.get(f"/api/v2/pages/{item['id']}/")
            assert detail.status_code == 200
            bodies.append(detail.content.decode())
    return bodies


def test_every_page_type_has_a_contract():
    types = {model._meta.label for model in PAGE_FACTORIES}
    assert types == set(CONTRACT) | set(TRAINING_CONTRACT)


@pytest.mark.parametrize("type_name", sorted(CONTRACT))
def test_each_type_gives_exactly_its_keys(client, home_page, type_name):
    factories = {model._meta.label: factory for model, factory in PAGE_FACTORIES.items()}
    if type_name != "content.HomePage":
        parent = home_page
        if type_name == "content.NewsPage":
            parent = NewsIndexPageFactory(parent=home_page)
        factories[type_name](parent=parent)
    [item] = _items(client, type=type_name)
    assert set(item) == CONTRACT[type_name]
    assert set(item["meta"]) == META


def test_a_home_page_with_hero_links_and_rich_text(
    client, home_page, public_address, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    news_index = NewsIndexPageFactory(parent=home_page, slug="berita")
    news = NewsPageFactory(parent=news_index, slug="kopi-bogor", title="Kopi Bogor mendunia")
    home_page.hero_image = wagtail_factories.ImageFactory(
        title="Pasar UMKM", file__width=1600, file__height=900
    )
    home_page.hero_cta_label = "Baca kabarnya"
    home_page.hero_cta_page = news
    home_page.intro = f'<p>Baca <a linktype="page" id="{news.pk}">kabar terbaru</a>.</p>'
    home_page.save_revision().publish()

    item = _one(client, home_page)

    assert item["meta"]["html_url"] == f"{BASE}/"
    assert item["intro"] == '<p>Baca <a href="/berita/kopi-bogor/">kabar terbaru</a>.</p>'
    assert item["hero_cta_label"] == "Baca kabarnya"
    assert item["hero_cta_page"] == {"id": news.pk, "html_url": f"{BASE}/berita/kopi-bogor/"}
    image = item["hero_image"]
    assert (image["width"], image["height"], image["alt"]) == (1200, 675, "Pasar UMKM")
    assert image["url"].startswith("/media/images/") and ".fill-1200x675-c100" in image["url"]
    assert image["full_url"] == BASE + image["url"]
    assert item["news_count"] == 3


def test_body_blocks_give_what_a_front_end_draws(
    client, home_page, public_address, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    target = StandardPageFactory(parent=home_page, slug="profil", title="Profil dinas")
    photo = wagtail_factories.ImageFactory(title="Tim PUM", file__width=1600, file__height=900)
    guide = wagtail_factories.DocumentFactory(title="Panduan OSS", file__filename="panduan.pdf")
    body = [
        {"type": "heading", "value": {"text": "Layanan", "level": "h2"}},
        {
            "type": "paragraph",
            "value": f'<p>Lihat <a linktype="page" id="{target.pk}">profil</a> dan '
            f'<a linktype="document" id="{guide.pk}">panduan</a>.</p>',
        },
        {
            "type": "image",
            "value": {
                "image": photo.pk,
                "alt_text": "",
                "caption": "Pendataan",
                "credit": "Diskop",
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "title": "Daftar",
                "text": "",
                "button_label": "Mulai",
                "page": target.pk,
                "external_url": "",
            },
        },
        {
            "type": "document",
            "value": {"document": guide.pk, "title": "", "description": "Langkah demi langkah."},
        },
        {
            "type": "accordion",
            "value": {
                "title": "Tanya jawab",
                "items": [
                    {
                        "question": "Di mana profilnya?",
                        "answer": f'<p>Di <a linktype="page" id="{target.pk}">sini</a>.</p>',
                    }
                ],
            },
        },
        {
            "type": "embed",
            "value": {"embed": "https://www.youtube.com/watch?v=abc123", "caption": "Video"},
        },
    ]
    page = StandardPageFactory(parent=home_page, slug="layanan", body=json.dumps(body))

    values = [(block["type"], block["value"]) for block in _one(client, page)["body"]]

    document_url = f"{BASE}/documents/{guide.pk}/panduan.pdf"
    [image_value] = [value for kind, value in values if kind == "image"]
    rendition = image_value.pop("image")
    assert (rendition["width"], rendition["height"]) == (1200, 675)
    assert rendition["full_url"] == BASE + rendition["url"]
    assert values == [
        ("heading", {"text": "Layanan", "level": "h2"}),
        (
            "paragraph",
            f'<p>Lihat <a href="/profil/">profil</a> dan '
            f'<a href="/documents/{guide.pk}/panduan.pdf">panduan</a>.</p>',
        ),
        ("image", {"alt_text": "Tim PUM", "caption": "Pendataan", "credit": "Diskop"}),
        (
            "call_to_action",
            {
                "title": "Daftar",
                "text": "",
                "button_label": "Mulai",
                "page": target.pk,
                "url": f"{BASE}/profil/",
            },
        ),
        (
            "document",
            {
                "document": {
                    "id": guide.pk,
                    "title": "Panduan OSS",
                    "url": document_url,
                    "file_extension": "pdf",
                    "file_size": guide.file_size,
                },
                "title": "Panduan OSS",
                "description": "Langkah demi langkah.",
            },
        ),
        (
            "accordion",
            {
                "title": "Tanya jawab",
                "items": [
                    {
                        "question": "Di mana profilnya?",
                        "answer": '<p>Di <a href="/profil/">sini</a>.</p>',
                    }
                ],
            },
        ),
        ("embed", {"embed": "https://www.youtube.com/watch?v=abc123", "caption": "Video"}),
    ]


def test_no_rich_text_anywhere_leaks_database_markup(client, home_page):
    from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory

    target = StandardPageFactory(parent=home_page, slug="tujuan")
    link = f'<p><a linktype="page" id="{target.pk}">tujuan</a></p>'
    body = json.dumps(
        [
            {"type": "paragraph", "value": link},
            {
                "type": "accordion",
                "value": {"title": "", "items": [{"question": "Q", "answer": link}]},
            },
        ]
    )
    home_page.intro = link
    home_page.body = body
    home_page.save_revision().publish()
    StandardPageFactory(parent=home_page, body=body)
    news_index = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=news_index, body=body)
    FormPageFactory(parent=home_page, intro=link, thank_you_text=link)
    RegistrationPageFactory(parent=home_page, intro=link, privacy_text=link, done_text=link)
    index = TrainingIndexPageFactory(parent=home_page, intro=link)
    TrainingPageFactory(parent=index, body=body)

    bodies = _all_bodies(client)
    assert not [body_text for body_text in bodies if "linktype" in body_text]
    # Each of the seven pages above, listed and alone, links to the target by its address.
    assert sum('href=\\"/tujuan/\\"' in body_text for body_text in bodies) == 14


def test_rich_text_comes_as_html_only(client, home_page):
    assert client.get("/api/v2/pages/", {"rich_text_format": "html"}).status_code == 200
    for other in ("db_html", "db_markdown", "markdown", "x"):
        response = client.get("/api/v2/pages/", {"rich_text_format": other, "fields": "*"})
        assert response.status_code == 400, other
        assert "html" in response.json()["message"]


def test_a_form_page_describes_its_fields_and_never_its_recipients(client, home_page):
    form = FormPageFactory(
        parent=home_page,
        submit_label="Kirim pesan",
        to_address="pum-rahasia@example.org",
        from_address="no-reply-internal@example.org",
        subject="Subjek internal",
        fields=[("Nama", "singleline", True)],
    )
    FormField.objects.create(
        page=form,
        sort_order=1,
        label="Jenis usaha",
        field_type="dropdown",
        required=False,
        choices="Kuliner\nKerajinan\nFesyen",
        help_text="Pilih yang paling sesuai.",
    )
    FormField.objects.create(
        page=form,
        sort_order=2,
        label="Topik yang diminati",
        field_type="checkboxes",
        required=False,
        choices="Pemasaran, Keuangan",
        default_value="Pemasaran",
    )

    item = _one(client, form)

    assert item["intro"] == "<p>Kirim pesan.</p>"
    assert item["thank_you_text"] == "<p>Pesan Anda sudah kami terima.</p>"
    assert item["submit_label"] == "Kirim pesan"
    assert item["form_fields"] == [
        {
            "name": "nama",
            "label": "Nama",
            "type": "singleline",
            "required": True,
            "help_text": "",
            "choices": [],
            "default_value": "",
        },
        {
            "name": "jenis_usaha",
            "label": "Jenis usaha",
            "type": "dropdown",
            "required": False,
            "help_text": "Pilih yang paling sesuai.",
            "choices": ["Kuliner", "Kerajinan", "Fesyen"],
            "default_value": "",
        },
        {
            "name": "topik_yang_diminati",
            "label": "Topik yang diminati",
            "type": "checkboxes",
            "required": False,
            "help_text": "",
            "choices": ["Pemasaran", "Keuangan"],
            "default_value": ["Pemasaran"],
        },
    ]
    body = "".join(_all_bodies(client))
    for secret in ("pum-rahasia@example.org", "no-reply-internal@example.org", "Subjek internal"):
        assert secret not in body


def test_a_registration_page_gives_its_texts_and_extra_questions(client, home_page):
    page = RegistrationPageFactory(
        parent=home_page,
        privacy_text="<p>Data dipakai untuk pembinaan.</p>",
        done_text="<p>Terima kasih.</p>",
    )
    RegistrationQuestionFactory(
        page=page,
        label="Dari mana Anda tahu?",
        field_type="radio",
        required=True,
        choices="Teman, Media sosial",
    )

    item = _one(client, page)

    assert item["meta"]["type"] == "sme_registry.RegistrationPage"
    assert item["intro"] == "<p>Isi formulir pendaftaran UMKM.</p>"
    assert item["privacy_text"] == "<p>Data dipakai untuk pembinaan.</p>"
    assert item["done_text"] == "<p>Terima kasih.</p>"
    assert item["questions"] == [
        {
            "name": "dari_mana_anda_tahu",
            "label": "Dari mana Anda tahu?",
            "type": "radio",
            "required": True,
            "help_text": "",
            "choices": ["Teman", "Media sosial"],
            "default_value": "",
        }
    ]
    assert set(item["questions"][0]) == FORM_FIELD_KEYS


def test_addresses_name_the_configured_public_address(client, home_page, public_address):
    news_index = NewsIndexPageFactory(parent=home_page, slug="berita")
    news = NewsPageFactory(parent=news_index, slug="kopi-bogor")

    data = client.get("/api/v2/pages/", HTTP_HOST="127.0.0.1:8001").json()

    for item in data["items"]:
        assert item["meta"]["html_url"].startswith(f"{BASE}/"), item
        assert item["meta"]["detail_url"] == f"{BASE}/api/v2/pages/{item['id']}/"
    detail = client.get(f"/api/v2/pages/{news.pk}/", HTTP_HOST="127.0.0.1:8001").json()
    assert detail["meta"]["html_url"] == f"{BASE}/berita/kopi-bogor/"
    assert detail["meta"]["parent"]["meta"]["html_url"] == f"{BASE}/berita/"


@pytest.mark.parametrize(
    ("base_url", "host_and_port", "root_url"),
    [
        ("http://localhost:8000", ("localhost", 8000), "http://localhost:8000"),
        ("https://simbaumi.bogorkab.go.id", ("simbaumi.bogorkab.go.id", 443), None),
        ("http://simbaumi.local/", ("simbaumi.local", 80), "http://simbaumi.local"),
    ],
)
def test_the_site_takes_the_host_and_port_of_the_base_url(
    settings, site, base_url, host_and_port, root_url
):
    settings.WAGTAILADMIN_BASE_URL = base_url
    assert public_host_and_port() == host_and_port
    at_public_address(site)
    site.refresh_from_db()
    assert (site.hostname, site.port) == host_and_port
    assert site.root_url == (root_url or base_url)


def test_the_demo_serves_its_pages_at_the_configured_address(client, db, settings):
    settings.WAGTAILADMIN_BASE_URL = BASE
    settings.WAGTAILAPI_BASE_URL = BASE
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("simbaumi.example.go.id", 443)
    items = _items(client, limit=50)
    assert len(items) > 10
    for item in items:
        assert item["meta"]["html_url"].startswith(f"{BASE}/"), item["meta"]
        assert item["meta"]["detail_url"].startswith(f"{BASE}/api/v2/pages/")


def test_restricted_and_draft_pages_are_left_out(client, home_page):
    shown = StandardPageFactory(parent=home_page, title="Profil dinas")
    secret = StandardPageFactory(parent=home_page, title="Rapat internal")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="r4hasia")
    under_secret = StandardPageFactory(parent=secret, title="Notulen rapat")
    members = StandardPageFactory(parent=home_page, title="Khusus pegawai")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    draft = StandardPageFactory(parent=home_page, title="Rancangan", live=False)

    listed = {item["id"] for item in _items(client, type="content.StandardPage")}
    assert listed == {shown.pk}
    everything = {item["id"] for item in _items(client)}
    assert shown.pk in everything
    assert not everything & {secret.pk, under_secret.pk, members.pk, draft.pk}
    for page in (secret, under_secret, members, draft):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert client.get("/api/v2/pages/", {"child_of": secret.pk}).status_code == 400
    found = _items(client, search="rapat")
    assert not {item["id"] for item in found} & {secret.pk, under_secret.pk}


@pytest.mark.parametrize(
    "query", ['"', '"kopi', 'kopi"', "kopi OR teh", "OR", "AND", "NOT kopi", "kopi*", "(kopi"]
)
def test_search_with_any_syntax_answers(client, home_page, query):
    from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory

    news_index = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=news_index, title="Kopi Bogor mendunia")
    TrainingPageFactory(parent=TrainingIndexPageFactory(parent=home_page), title="Kopi dan teh")
    for params in (
        {"search": query},
        {"search": query, "type": "content.NewsPage", "fields": "*"},
        {"search": query, "type": "training_pages.TrainingPage", "fields": "*"},
        {"search": query, "search_operator": "or"},
        {"search": query, "order": "title"},
    ):
        response = client.get("/api/v2/pages/", params)
        assert response.status_code == 200, (params, response.content)
    # Quotes and brackets are no syntax: what they surround is searched as a word.
    if query in ('"kopi', 'kopi"', "kopi*", "(kopi"):
        titles = {item["title"] for item in _items(client, search=query)}
        assert "Kopi Bogor mendunia" in titles, query


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_a_search_operator_other_than_and_or_is_refused(client, home_page, endpoint):
    url = f"/api/v2/{endpoint}/"
    for operator in ("and", "or"):
        response = client.get(url, {"search": "kopi", "search_operator": operator})
        assert response.status_code == 200, operator
    for operator in ("xor", "", "AND"):
        response = client.get(url, {"search": "kopi", "search_operator": operator})
        assert response.status_code == 400, operator
        assert response.json() == {"message": "search_operator must be 'and' or 'or'"}


def test_a_listing_gives_at_most_fifty(client, home_page):
    assert client.get("/api/v2/pages/", {"limit": 50}).status_code == 200
    response = client.get("/api/v2/pages/", {"limit": 51})
    assert response.status_code == 400
    assert "50" in response.json()["message"]


def _count_queries(client, params):
    client.get("/api/v2/pages/", params)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    return len(queries), response.json()["items"]


@pytest.mark.parametrize("type_name", ["content.NewsPage", "content.FormPage"])
def test_query_count_does_not_grow_with_the_pages_listed(
    client, home_page, settings, tmp_path, type_name
):
    settings.MEDIA_ROOT = tmp_path
    images = [wagtail_factories.ImageFactory(), wagtail_factories.ImageFactory()]
    news_index = NewsIndexPageFactory(parent=home_page)
    params = {"type": type_name, "fields": "*", "limit": 50}

    def add(n):
        for i in range(n):
            if type_name == "content.NewsPage":
                page = NewsPageFactory(parent=news_index, image=images[i % 2])
                page.tags.add("pelatihan", "kuliner")
                page.save()
            else:
                FormPageFactory(parent=home_page, slug=f"formulir-{Page.objects.count()}")

    add(10)
    ten, items = _count_queries(client, params)
    assert len(items) == 10
    add(20)
    thirty, items = _count_queries(client, params)
    assert len(items) == 30
    assert thirty == ten, f"{ten} queries for 10 pages, {thirty} for 30"
    if type_name == "content.NewsPage":
        assert all(item["tags"] == ["kuliner", "pelatihan"] and item["image"] for item in items)
    else:
        assert all(len(item["form_fields"]) == 3 for item in items)
