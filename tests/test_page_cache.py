"""Public pages kept whole for visitors: served without the database, dropped on a write."""

import re

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import HomePage
from core.spam import HONEYPOT_FIELD, TOKEN_FIELD
from tests.content.factories import NewsIndexPageFactory, NewsPageFactory
from tests.factories import UserFactory
from tests.sme_registry.factories import RegistrationPageFactory
from tests.sme_registry.flow import answers
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def visit(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def test_a_visitors_second_view_of_a_page_needs_no_database(client):
    news = NewsPageFactory(parent=NewsIndexPageFactory(parent=HomePage.objects.get()))
    visit(client, news.url)  # the site's first page ever also stores its menu and settings
    first, first_queries = visit(client, news.url)
    second, second_queries = visit(client, news.url)
    assert first_queries > 0
    assert second_queries == 0
    assert second == first


def test_a_published_change_reaches_the_next_visitor(client):
    news = NewsPageFactory(
        parent=NewsIndexPageFactory(parent=HomePage.objects.get()), title="Kabar lama"
    )
    assert "Kabar lama" in visit(client, news.url)[0]
    news.title = "Kabar baru"
    news.save_revision().publish()
    html, _queries = visit(client, news.url)
    assert "Kabar baru" in html and "Kabar lama" not in html


def test_a_sign_up_changes_the_seats_the_next_visitor_reads(client):
    index = TrainingIndexPageFactory(parent=HomePage.objects.get())
    training = TrainingPageFactory(parent=index, capacity=5)
    assert "Sisa 5 dari 5 tempat" in visit(client, training.url)[0]
    ParticipantFactory(page=training)
    html, _queries = visit(client, training.url)
    assert "Sisa 4 dari 5 tempat" in html


def test_signed_in_staff_neither_get_nor_leave_a_kept_page(client):
    home = HomePage.objects.get()
    visit(client, home.url)  # kept for visitors
    editor = UserFactory(superuser=True)
    client.force_login(editor)
    html, queries = visit(client, home.url)
    assert queries > 0  # rendered for this user, with the editor's bar
    assert "wagtail-userbar" in html
    client.logout()
    visitor_html, _queries = visit(client, home.url)
    assert "wagtail-userbar" not in visitor_html


def test_pages_with_forms_and_filtered_lists_are_never_kept(client):
    index = TrainingIndexPageFactory(parent=HomePage.objects.get())
    training = TrainingPageFactory(parent=index)
    for path in (training.url + "daftar/", index.url + "?kecamatan=1", "/cari/?q=pelatihan"):
        client.get(path)
        _html, queries = visit(client, path)
        assert queries > 0, path


def test_each_language_has_its_own_copy(client, settings):
    home = HomePage.objects.get()
    indonesian, _queries = visit(client, home.url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _queries = visit(client, home.url)
    assert 'lang="id"' in indonesian and 'lang="en"' in english


def test_the_language_links_keep_the_choice_and_go_back(client, settings):
    response = client.get("/bahasa/en/", {"next": "/berita/"})
    assert response.status_code == 302 and response["Location"] == "/berita/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    elsewhere = client.get("/bahasa/id/", {"next": "https://contoh.example/"})
    assert elsewhere["Location"] == "/"
    assert client.get("/bahasa/fr/").status_code == 404


def test_every_table_left_out_of_the_invalidation_exists():
    # A misspelt label would leave a noisy table dropping every page, unnoticed.
    from django.apps import apps

    from core.page_cache import _QUIET_APPS, _QUIET_MODELS

    labels = {model._meta.label_lower for model in apps.get_models()}
    assert _QUIET_MODELS - labels == set()
    assert _QUIET_APPS - {config.label for config in apps.get_app_configs()} == set()


def _tokens(html):
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', html).group(1)
    return csrf, form


def test_the_registrations_first_step_is_kept_with_each_visitors_own_tokens(settings):
    from django.test import Client

    settings.FORM_MIN_FILL_SECONDS = 0
    page = RegistrationPageFactory(parent=HomePage.objects.get())
    visit(Client(), page.url)  # the site's first page ever also stores its menu and settings
    first_visitor = Client(enforce_csrf_checks=True)
    first, _queries = visit(first_visitor, page.url)
    second_visitor = Client(enforce_csrf_checks=True)
    second, second_queries = visit(second_visitor, page.url)
    assert second_queries == 0
    # The same page, but for the two tokens, which are the visitor's own.
    assert _tokens(first)[0] != _tokens(second)[0] and _tokens(first)[1] != _tokens(second)[1]
    assert re.sub(r'value="[^"]{40,}"', "", first) == re.sub(r'value="[^"]{40,}"', "", second)
    assert "\x00" not in second
    # The kept page's tokens work: its visitor gets past the CSRF and spam checks.
    csrf, form_token = _tokens(second)
    answer = second_visitor.post(
        page.url,
        {
            **answers()["pemilik"],
            "csrfmiddlewaretoken": csrf,
            TOKEN_FIELD: form_token,
            HONEYPOT_FIELD: "",
        },
    )
    assert answer.status_code == 302 and "/draf/" in answer["Location"]
    # A draft's steps are that visitor's own: never kept.
    draft_step = answer["Location"]
    assert visit(second_visitor, draft_step)[1] > 0
    assert visit(second_visitor, draft_step)[1] > 0


def test_a_kept_form_page_with_two_forms_is_not_kept():
    from core.page_cache import _cut_holes

    one = b'<input name="csrfmiddlewaretoken" value="abc"><input name="form_token" value="t1">'
    assert _cut_holes(one) == (
        b'<input name="csrfmiddlewaretoken" value="\x00csrf-token\x00">'
        b'<input name="form_token" value="\x00form-token\x00">'
    )
    assert _cut_holes(one + one) is None
