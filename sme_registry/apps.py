from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmeRegistryConfig(AppConfig):
    name = "sme_registry"
    verbose_name = _("SME registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Before any viewset asks Wagtail for a policy (it would create a fallback one).
        from core.permissions import register_scoped_policy
        from sme_registry.permissions import POLICIES

        for model_name, policy in POLICIES.items():
            register_scoped_policy(self.get_model(model_name), policy)

        from sme_registry import review_notifications

        review_notifications.connect()
