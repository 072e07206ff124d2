from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockoutsConfig(AppConfig):
    """Sign-in throttling (django-axes) and the admin screen that unlocks it."""

    name = "core.lockouts"
    label = "core_lockouts"
    verbose_name = _("Sign-in lockouts")
