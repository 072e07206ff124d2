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
