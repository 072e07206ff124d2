from django.forms import HiddenInput
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.users.views import api_tokens

from core import audit, tokens
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


def _expiry(token):
    text = date_format(tokens.expires_at(token), "j M Y")
    return gettext("%(date)s (expired)") % {"date": text} if tokens.is_expired(token) else text


class _TokenIndexView(api_tokens.IndexView):
    @cached_property
    def columns(self):
        return [*super().columns, Column("expires", label=_("Expires"), accessor=_expiry)]


class _TokenCreateView(api_tokens.CreateView):
    """A token is for oneself unless one may manage others': then the choice is offered."""

    def get_initial(self):
        return {**super().get_initial(), "user": self.request.user.pk}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if list(form.fields["user"].queryset.values_list("pk", flat=True)) == [
            self.request.user.pk
        ]:
            form.fields["user"].widget = HiddenInput()
        return form


class _TokenViewSet(api_tokens.APITokenViewSet):
    """Wagtail's token screens, with the expiry the registry API enforces (`core.tokens`)."""

    index_view_class = _TokenIndexView
    add_view_class = _TokenCreateView


@hooks.register("register_admin_viewset")
def api_token_viewset():
    return _TokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")
