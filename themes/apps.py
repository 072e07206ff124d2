from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    """The public theme: templates, static files and template tags."""

    name = "themes"
    verbose_name = _("Public theme")
