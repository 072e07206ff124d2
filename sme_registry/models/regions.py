from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.rules import Rule


class Kecamatan(models.Model):
    """One of the 40 districts of Kabupaten Bogor (official Kemendagri code)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name

    @property
    def nik_prefix(self):
        """The first six digits of a NIK issued in this kecamatan."""
        return self.code.replace(".", "")


class Desa(models.Model):
    """A village: desa (rural) or kelurahan (urban)."""

    class Kind(models.TextChoices):
        DESA = "desa", _("desa")
        KELURAHAN = "kelurahan", _("kelurahan")

    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="desa_set"
    )
    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kecamatan__name", "name"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self):
        return self.name


def _desa_in_kecamatan(instance):
    desa = instance.desa if instance.desa_id else None
    if desa is not None and instance.kecamatan_id and desa.kecamatan_id != instance.kecamatan_id:
        raise ValidationError(
            _("This desa/kelurahan is not in the chosen kecamatan."), code="desa_outside"
        )


def _kecamatan_with_desa(instance):
    if instance.desa_id and not instance.kecamatan_id:
        raise ValidationError(_("Choose the kecamatan too."), code="kecamatan_missing")


# The one definition of "a desa lies in its kecamatan", for every model with both.
REGION_RULES = (
    Rule(("kecamatan", "desa"), _desa_in_kecamatan, "desa"),
    Rule(("kecamatan", "desa"), _kecamatan_with_desa, "kecamatan"),
)


class CoverageTarget(models.Model):
    """The office's estimate of how many UMKM a kecamatan has: what its coverage is read against.

    Entered by Admin Dinas (from BPS's economic census, the kecamatan's own count, ...);
    Analisis shows each kecamatan's registered and validated records as a share of it.
    """

    kecamatan = models.OneToOneField(
        Kecamatan,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="coverage_target",
    )
    estimated_businesses = models.PositiveIntegerField(
        _("estimated UMKM"),
        validators=[MinValueValidator(1)],
        help_text=_("How many micro, small and medium businesses the office estimates there."),
    )
    source = models.CharField(
        _("source of the estimate"),
        max_length=200,
        blank=True,
        help_text=_("For example: BPS Sensus Ekonomi 2016, the kecamatan's own count of 2026."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kecamatan__name"]
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")

    def __str__(self):
        return f"{self.kecamatan}: {self.estimated_businesses}"
