from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmeRegistryConfig(AppConfig):
    name = "sme_registry"
    verbose_name = _("SME registry")
    default_auto_field = "django.db.models.BigAutoField"
