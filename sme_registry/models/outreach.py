import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from core import codes
from core.rules import Rule, RulesMixin
from sme_registry import validators
from sme_registry.models.regions import REGION_RULES

REFERRAL_LENGTH = 6
REFERRAL_RE = re.compile(r"^[A-Z0-9]{4,12}$")


def new_referral_code():
    """Read off a poster or dictated over the phone, so in the unambiguous alphabet."""
    return codes.unused_readable_code(REFERRAL_LENGTH, OutreachSession.objects, "referral_code")


class OutreachSession(RulesMixin, ClusterableModel):
    """A penyuluhan: staff introduce the registry to UMKM in a desa.

    Its referral code travels on the session's short link and QR poster, so
    registrations made from it are counted for it.
    """

    date = models.DateField(_("date"), db_index=True)
    kecamatan = models.ForeignKey(
        "sme_registry.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
    )
    desa = models.ForeignKey(
        "sme_registry.Desa",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
    )
    place = models.CharField(
        _("place"), max_length=200, help_text=_("For example: Aula Kantor Desa.")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="outreach_sessions",
    )
    notes = models.TextField(_("notes"), blank=True)
    attendee_count = models.PositiveIntegerField(
        _("number of attendees"), default=0, validators=[MinValueValidator(0)]
    )
    referral_code = models.CharField(
        _("referral code"),
        max_length=12,
        unique=True,
        editable=False,
        validators=[RegexValidator(REFERRAL_RE)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    rules = REGION_RULES

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("outreach session")
        verbose_name_plural = _("outreach sessions")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.desa.name if self.desa_id else ''}, {self.place}"

    def save(self, *args, **kwargs):
        if not self.referral_code:
            self.referral_code = new_referral_code()
        super().save(*args, **kwargs)


class OutreachPhoto(Orderable):
    """A photo of the event (not of anyone's documents): kept as a Wagtail image."""

    session = ParentalKey(OutreachSession, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=150, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or str(self.image)


def _attendee_phone(attendee):
    """Stored as +62…, however it was typed."""
    if attendee.phone:
        attendee.phone = validators.normalize_phone(attendee.phone)


def _attendee_named(attendee):
    if not attendee.name.strip() and attendee.business_id is None:
        raise ValidationError(
            _("Give the attendee's name, or choose their business if it is registered."),
            code="attendee_unnamed",
        )


class OutreachAttendee(RulesMixin, Orderable):
    """Someone who came to the session: named, with a phone to follow up, or the business
    when it is registered already. The head count stays the session's own figure."""

    session = ParentalKey(OutreachSession, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    business = models.ForeignKey(
        "sme_registry.Business",
        verbose_name=_("registered business"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_attendances",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("phone")]),
        FieldPanel("business"),
    ]
    rules = (
        Rule(("phone",), _attendee_phone),
        Rule(("name", "business"), _attendee_named, "name"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return self.name or str(self.business)

    @property
    def masked_phone(self):
        return validators.mask_phone(self.phone)
