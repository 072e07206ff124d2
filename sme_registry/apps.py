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

        from sme_registry import figures, review_notifications

        figures.register()

        review_notifications.connect()

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from sme_registry import analysis

        # Any write the figures count drops the figures kept in the cache.
        for name, signal in (
            ("saved", post_save),
            ("deleted", post_delete),
            ("linked", m2m_changed),
        ):
            signal.connect(analysis.on_write, dispatch_uid=f"sme_registry.analysis.{name}")
