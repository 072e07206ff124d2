import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# {nama}, {usaha}, ...: the only thing in a text that is not sent as written.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = ("nama", "usaha", "kode", "tautan", "alasan")


class EmailTemplate(models.Model):
    """Wording of a registry e-mail that the office may adjust without a developer.

    Without one, the built-in Indonesian text is used. Placeholders in braces are
    filled in; anything else is sent as written (no template code runs).
    """

    class Kind(models.TextChoices):
        TRACKING_CODE = "tracking_code", _("Tracking code after registering")
        LINK_REQUESTED = "owner_link_requested", _("Private link the owner asked for")
        LINK_NIK_REUSED = "owner_link_nik_reused", _("Someone registered with the owner's NIK")
        LINK_STALE = "owner_link_stale", _("Reminder: data not updated for a long time")
        CHANGES_REQUESTED = "owner_link_changes_requested", _("Changes requested")
        REJECTED = "owner_link_rejected", _("Registration rejected")
        VALIDATED = "owner_link_validated", _("Registration validated")

    kind = models.CharField(_("e-mail"), max_length=40, choices=Kind.choices, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "You can use {nama}, {usaha}, {kode}, {tautan} and {alasan}; they are replaced "
            "by the owner's name, the business name, the tracking code, the link and the "
            "reviewer's reason."
        ),
    )

    class Meta:
        verbose_name = _("e-mail text")
        verbose_name_plural = _("e-mail texts")

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        """Name an unknown placeholder while the office writes, not when a message goes out."""
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            unknown = sorted(set(PLACEHOLDER.findall(getattr(self, field))) - set(PLACEHOLDERS))
            if unknown:
                errors[field] = _("Unknown placeholder: %(names)s. You can use: %(allowed)s.") % {
                    "names": ", ".join(f"{{{n}}}" for n in unknown),
                    "allowed": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
                }
        if errors:
            raise ValidationError(errors)

    def render(self, values):
        """Fill the known placeholders; every other character is sent as written.

        Never raises: a stray brace or an unknown name stays in the text, so a
        mistake in the wording can never stop a message from reaching the outbox.
        """
        filled = {k: "" if v is None else str(v) for k, v in values.items()}

        def fill(text):
            return PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), text)

        return fill(self.subject), fill(self.body)
