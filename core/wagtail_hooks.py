from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from core import audit
from core.models import RecordLogEntry
from core.permissions import scoped_models


@hooks.register("register_log_actions")
def scoped_history(actions):
    """Scoped records keep their history in `RecordLogEntry`, which reads through their policies."""
    for model in scoped_models():
        actions.register_model(model, RecordLogEntry)
    actions.register_action(audit.VIEW_PII, _("View personal data"), _("Personal data viewed"))
    actions.register_action(audit.NIK_SEARCH, _("Search by NIK"), _("Searched by NIK"))
    actions.register_action(audit.EXPORT, _("Export"), _("Exported"))
    actions.register_action(audit.UNLOCK_SIGN_IN, _("Unlock sign-in"), _("Sign-in lockout lifted"))
