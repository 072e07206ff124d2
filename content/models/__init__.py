from .forms import FormField, FormPage
from .news import NewsIndexPage, NewsPage, NewsPageTag
from .pages import HomePage, StandardPage
from .site_settings import MainMenu, MenuItem, OfficeSettings

__all__ = [
    "FormField",
    "FormPage",
    "HomePage",
    "MainMenu",
    "MenuItem",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "OfficeSettings",
    "StandardPage",
]
