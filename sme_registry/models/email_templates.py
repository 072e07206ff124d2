from django.db import models
from django.utils.translation import gettext_lazy as _


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

    def render(self, values):
        class Blank(dict):
            def __missing__(self, key):
                return "{" + key + "}"

        filled = Blank({k: "" if v is None else str(v) for k, v in values.items()})
        return self.subject.format_map(filled), self.body.format_map(filled)
