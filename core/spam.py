"""Spam protection and exactly-once submission for every public form.

A form mixin adds two hidden fields: a honeypot that people never see (bots
fill every input) and a signed token holding the time the form was shown and a
random nonce. The time refuses forms posted faster than a person can type; the
nonce is claimed once in the database, so a double click or a browser retry of
the same form never stores a second record.

A program sending a form over JSON (the registry API) never saw the form, so it
has no token to send back: such a form is built with ``browser=False``, which
keeps the honeypot and leaves the time and the nonce to the API's per-client
limit and its Idempotency-Key.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
_SALT = "simbaumi.forms.token"


def make_form_token(now=None):
    """A signed token carrying the time the form was shown and a fresh nonce."""
    shown_at = int(now if now is not None else time.time())
    return signing.dumps({"t": shown_at, "n": secrets.token_urlsafe(16)}, salt=_SALT)


def read_form_token(token):
    """Return (shown_at, nonce) of a genuine token, or None."""
    try:
        data = signing.loads(token or "", salt=_SALT)
        return int(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class SpamProtectionMixin(forms.Form):
    """Mix into any public form (before the form's own base class)."""

    spam_error_messages = {
        "honeypot": _("Your submission could not be accepted."),
        "invalid": _("This form has expired. Please check your answers and send it again."),
        "too_fast": _(
            "That was quicker than a person can fill in this form. "
            "Please check your answers and send it again."
        ),
    }

    def __init__(self, *args, browser=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_browser = browser
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[TOKEN_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=make_form_token
        )
        self.submission_nonce = None

    def _renew_token(self):
        # Bound forms render the posted value; give the person a fresh token.
        self.data = self.data.copy()
        self.data[self.add_prefix(TOKEN_FIELD)] = make_form_token()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(self.spam_error_messages["honeypot"], code="spam")
        if self.from_browser:
            self._check_token(cleaned.get(TOKEN_FIELD))
        cleaned.pop(HONEYPOT_FIELD, None)
        cleaned.pop(TOKEN_FIELD, None)
        return cleaned

    def _check_token(self, value):
        token = read_form_token(value)
        now = time.time()
        if token is None or now - token[0] > settings.FORM_MAX_AGE_SECONDS:
            self._renew_token()
            raise forms.ValidationError(self.spam_error_messages["invalid"], code="spam")
        if now - token[0] < settings.FORM_MIN_FILL_SECONDS:
            raise forms.ValidationError(self.spam_error_messages["too_fast"], code="spam")
        self.submission_nonce = token[1]

    @property
    def visible_fields_without_spam(self):
        return [f for f in self.visible_fields() if f.name != HONEYPOT_FIELD]


def claim_submission(nonce, purpose):
    """Record that the form with this nonce was processed.

    Returns False when it already was (a repeat of the same submission). Runs
    in a savepoint so that the caller's transaction survives the conflict.
    """
    from core.models import SubmissionClaim

    cutoff = timezone.now() - timezone.timedelta(seconds=settings.FORM_MAX_AGE_SECONDS * 2)
    try:
        with transaction.atomic():
            SubmissionClaim.objects.create(nonce=nonce, purpose=purpose)
    except IntegrityError:
        return False
    # Claims older than any token that could still be accepted are useless.
    SubmissionClaim.objects.filter(created_at__lt=cutoff).delete()
    return True
