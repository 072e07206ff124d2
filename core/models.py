"""Shared records: processed public forms, and the scoped history of registry records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionClaim(models.Model):
    """One row per processed public form, keyed by the nonce of its signed token.

    The unique nonce is what makes a repeated POST of the same form a no-op.
    """

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    purpose = models.CharField(_("purpose"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission claim")
        verbose_name_plural = _("form submission claims")

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
