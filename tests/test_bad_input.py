"""Whatever a visitor types into an address or a form, the site answers: never a 500.

NUL cannot be stored in PostgreSQL text and FTS5 reads quotes and operators
in the search box; both used to end in a server error. Runs on SQLite and on
PostgreSQL (the suite's two database stages).
"""

import pytest

from django.utils.translation import gettext, override

from tests.content.factories import NewsIndexPageFactory, NewsPageFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    DirectoryPageFactory,
    RegistrationPageFactory,
)
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory

pytestmark = pytest.mark.django_db

CONTROL = ["\x00", "a\x00b", "\x07", "\x1b[2J", "\x7f"]
# Full-text syntax of SQLite's FTS5 and PostgreSQL's tsquery, SQL, and odd sizes.
SYNTAX = [
    '" OR 1=1 --',
    '"',
    "'",
    "OR",
    "NOT",
    "a AND",
    "NEAR(a b)",
    "kopi*",
    "-kopi",
    "^kopi",
    "col:kopi",
    "(kopi",
    "kopi & | !",
    "\\",
    "%",
    "99999999999999999999999",
    "x" * 5000,
    "kopi 😀 ñ",
    "   ",
    '""',
]


@pytest.fixture
def urls(home_page):
    """The public addresses that read a query parameter, by page type."""
    news = NewsIndexPageFactory(parent=home_page)
    NewsPageFactory(parent=news, title="Kopi Bogor mendunia")
    index = TrainingIndexPageFactory(parent=home_page)
    training = TrainingPageFactory(parent=index, title="Pelatihan kopi")
    registration = RegistrationPageFactory(parent=home_page)
    directory = DirectoryPageFactory(parent=home_page)
    BusinessFactory(validated=True, directory_opt_in=True, name="Kopi Halimun")
    return {
        "search": "/cari/?q={}",
        "search page": "/cari/?q=kopi&page={}",
        "news tag": news.url + "?tag={}",
        "news page": news.url + "?page={}",
        "training filter": index.url + "?q={}&kecamatan={}&topik={}&mode={}&waktu={}",
        "training list page": index.url + "?page={}",
        "calendar": index.url + "kalender/?bulan={}",
        "sign-up": training.url + "daftar/?pendaftaran={}",
        "registration": registration.url + "?kembali={}&ref={}",
        "status": registration.url + "status/?tracking_code={}&phone={}",
        "directory filter": directory.url + "?q={}&sektor={}&kecamatan={}&produk={}",
        "directory page": directory.url + "?page={}",
        "certificate": "/sertifikat/?code={}",
        "api search": "/api/v2/pages/?search={}",
        "api filters": "/api/v2/pages/?type={}&fields={}&order={}&limit={}&offset={}",
        "images api": "/api/v2/images/?search={}",
    }


def _fill(template, value):
    from urllib.parse import quote

    return template.replace("{}", quote(value, safe=""))


@pytest.mark.parametrize("value", CONTROL, ids=repr)
def test_control_characters_in_any_query_parameter_are_refused_in_indonesian(client, urls, value):
    for name, template in urls.items():
        response = client.get(_fill(template, value))
        assert response.status_code == 400, name
        if template.startswith("/api/"):
            # JSON callers get the API's error shape, in Indonesian too.
            [error] = response.json()["errors"]
            assert error["code"] == "control_characters", name
            assert error["message"].startswith("Permintaan ini memuat karakter"), name
            continue
        assert "text/html" in response["Content-Type"], name
        assert "Alamat atau isian ini memuat karakter yang tidak diizinkan" in (
            response.content.decode()
        ), name


@pytest.mark.parametrize("value", SYNTAX, ids=lambda v: repr(v[:20]))
def test_search_syntax_and_odd_values_answer_a_normal_page(client, urls, value):
    for name, template in urls.items():
        response = client.get(_fill(template, value))
        assert response.status_code < 500, (name, response.status_code)


def test_the_site_search_finds_pages_whatever_surrounds_the_words(client, urls):
    for query in ('"kopi"', "(kopi)", "kopi*", "KOPI -", "kopi,", "^kopi:"):
        response = client.get(_fill("/cari/?q={}", query))
        assert response.status_code == 200
        assert "Kopi Bogor mendunia" in response.content.decode(), query


def test_control_characters_in_a_form_value_are_refused(client, urls):
    response = client.post("/sertifikat/", {"code": "AB3DE\x00"})
    assert response.status_code == 400
    response = client.post(
        urls["sign-up"].replace("?pendaftaran={}", ""), {"tracking_code": "AB\x00CD"}
    )
    assert response.status_code == 400


def test_a_cookie_with_control_characters_is_refused(client, urls, settings):
    # Sent as a raw header, as a hostile client would: Python's cookie jar refuses to build it.
    cookie = f"{settings.SESSION_COOKIE_NAME}=abcdefgh\x00ijklmnop"
    assert client.get("/", HTTP_COOKIE=cookie).status_code == 400


def test_the_refusal_speaks_english_to_who_chose_english(client, urls, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/cari/?q=%00")
    assert response.status_code == 400
    with override("en"):
        assert gettext(
            "This address or form contains characters that are not allowed, such as "
            "invisible control characters. Nothing was saved."
        ) in (response.content.decode())


def test_line_breaks_and_tabs_stay_allowed(client, urls):
    response = client.get(_fill("/cari/?q={}", "kopi\tbubuk\r\nBogor"))
    assert response.status_code == 200
