import pytest

from wagtail.models import Page, get_page_models

from content.models import FormPage, HomePage, NewsIndexPage, NewsPage, StandardPage
from sme_registry.models import DirectoryPage, RegistrationPage
from tests.content.factories import PAGE_FACTORIES

EXPECTED_PARENTS = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    NewsIndexPage: {HomePage},
    NewsPage: {NewsIndexPage},
    FormPage: {HomePage, StandardPage},
    RegistrationPage: {HomePage, StandardPage},
    DirectoryPage: {HomePage, StandardPage},
}


@pytest.mark.parametrize("model", list(EXPECTED_PARENTS), ids=lambda m: m.__name__)
def test_each_page_type_only_lives_under_its_parents(model):
    project_models = {m for m in get_page_models() if m in EXPECTED_PARENTS or m is Page}
    allowed = set(model.allowed_parent_page_models()) & project_models
    assert allowed == EXPECTED_PARENTS[model]


def test_leaf_page_types_accept_no_children():
    assert NewsPage.allowed_subpage_models() == []
    assert FormPage.allowed_subpage_models() == []
    assert RegistrationPage.allowed_subpage_models() == []
    assert DirectoryPage.allowed_subpage_models() == []


def test_a_second_home_page_cannot_be_created(home_page):
    root = Page.get_first_root_node()
    assert not HomePage.can_create_at(root)


def test_editors_cannot_put_news_outside_a_news_index(home_page):
    about = PAGE_FACTORIES[StandardPage](parent=home_page)
    assert not NewsPage.can_create_at(home_page)
    assert not NewsPage.can_create_at(about)
    assert not NewsIndexPage.can_create_at(about)


def test_every_project_page_type_has_a_factory():
    project_page_models = {
        m
        for m in get_page_models()
        if m._meta.app_label in {"content", "training_pages", "sme_registry"} and m.is_creatable
    }
    missing = project_page_models - set(PAGE_FACTORIES)
    assert not missing, f"page types without a factory: {missing}"
