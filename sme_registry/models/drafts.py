import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_draft_token():
    return secrets.token_urlsafe(24)


class RegistrationDraft(models.Model):
    """A registration in progress, kept on the server between steps.

    The token in the resume link is random and carries no personal data. The
    raw answers of each step are kept as typed and validated again, all
    together, when the person finally sends the form.
    """

    token = models.CharField(max_length=40, unique=True, default=new_draft_token, editable=False)
    page = models.ForeignKey(
        "sme_registry.RegistrationPage", on_delete=models.CASCADE, related_name="drafts"
    )
    owner = models.ForeignKey(
        "sme_registry.Owner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Set when a registered owner adds another business from a private link.",
    )
    data = models.JSONField(default=dict)
    files = models.JSONField(default=dict)
    business = models.ForeignKey(
        "sme_registry.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("registration draft")
        verbose_name_plural = _("registration drafts")

    def __str__(self):
        return f"draft {self.pk} ({self.updated_at:%Y-%m-%d})"

    @property
    def is_completed(self):
        return self.completed_at is not None

    # What a completed draft still needs: where the person came from (a training to
    # sign up for) and the form's nonce. The answers now live in the business record.
    KEPT_WHEN_COMPLETED = ("context", "nonce")

    def complete(self, business):
        """The registration is stored: keep the link to it, drop the answers as typed.

        The NIK, phone, address and the rest served their purpose once the business
        and its owner were saved; a completed draft keeps no personal data.
        """
        self.business = business
        self.completed_at = timezone.now()
        self.data = {k: v for k, v in self.data.items() if k in self.KEPT_WHEN_COMPLETED}
        self.files = {}
        self.save(update_fields=["business", "completed_at", "data", "files", "updated_at"])
