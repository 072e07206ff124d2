from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffArea(models.Model):
    """The kecamatan a kecamatan operator works in (one or more)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="registry_area",
    )
    kecamatan = models.ManyToManyField(
        "sme_registry.Kecamatan", verbose_name=_("kecamatan"), related_name="+"
    )

    class Meta:
        verbose_name = _("operator area")
        verbose_name_plural = _("operator areas")

    def __str__(self):
        return str(self.user)


class UpdateReminder(models.Model):
    """A validated business whose data has not been updated for a long time.

    Kept apart from the business row: a business's own fields are restored from
    its revisions when a version is published, and reminders must survive that.
    """

    business = models.OneToOneField(
        "sme_registry.Business",
        verbose_name=_("business"),
        on_delete=models.CASCADE,
        related_name="update_reminder",
    )
    flagged_at = models.DateTimeField(_("flagged at"))
    emailed_at = models.DateTimeField(_("link e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("update reminder")
        verbose_name_plural = _("update reminders")

    def __str__(self):
        return str(self.business)
