from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BoundaryFile(models.Model):
    """The kecamatan boundaries the map shades by a figure (a choropleth).

    Kept as the checked, trimmed GeoJSON (`sme_registry.boundaries.read`): one feature
    per kecamatan with its code and name, coordinates rounded to about a metre, so
    the map downloads a fraction of what BIG or BPS publish. The newest one is used;
    without one the map shows its points only.
    """

    file_name = models.CharField(_("file name"), max_length=255)
    code_property = models.CharField(_("property holding the kecamatan code"), max_length=100)
    geojson = models.JSONField(_("boundaries (GeoJSON)"))
    feature_count = models.PositiveIntegerField(_("kecamatan"))
    left_out = models.PositiveIntegerField(
        _("features outside Kabupaten Bogor left out"), default=0
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("kecamatan boundary file")
        verbose_name_plural = _("kecamatan boundary files")

    def __str__(self):
        return self.file_name
