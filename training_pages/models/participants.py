"""Who signed up for a training or event, who came, and their certificates.

A participant is a registered business (the SME's record), never an anonymous
person: attendance and certificates become part of that record.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import codes

TOKEN_BYTES = 24
CERTIFICATE_CODE_LENGTH = 10


def new_participant_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class ParticipantStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITLISTED = "waitlisted", _("on the waiting list")
    AWAITING_APPROVAL = "awaiting", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")
    ATTENDED = "attended", _("attended")
    NO_SHOW = "no_show", _("did not come")


# Who holds a seat: counted against the capacity.
SEAT_STATUSES = (
    ParticipantStatus.REGISTERED,
    ParticipantStatus.AWAITING_APPROVAL,
    ParticipantStatus.APPROVED,
    ParticipantStatus.ATTENDED,
    ParticipantStatus.NO_SHOW,
)
# Who is accepted: sees the meeting link and may attend.
ACCEPTED_STATUSES = (
    ParticipantStatus.REGISTERED,
    ParticipantStatus.APPROVED,
    ParticipantStatus.ATTENDED,
    ParticipantStatus.NO_SHOW,
)


class Participant(models.Model):
    """One business signed up for one training or event (at most one row per pair)."""

    page = models.ForeignKey(
        "training_pages.ActivityPage",
        verbose_name=_("training or event"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    business = models.ForeignKey(
        "sme_registry.Business",
        verbose_name=_("business"),
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ParticipantStatus.choices, db_index=True
    )
    attendee_name = models.CharField(
        _("who attends"),
        max_length=100,
        blank=True,
        help_text=_("Empty: the owner of the business."),
    )
    # The private confirmation link and the QR code scanned at the door.
    token = models.CharField(
        max_length=40, unique=True, default=new_participant_token, editable=False
    )
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    # The waiting list is served in this order (reset when someone signs up again).
    queued_at = models.DateTimeField(_("in the queue since"), db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    feedback_sent_at = models.DateTimeField(_("feedback link sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["page", "queued_at"]
        constraints = [
            models.UniqueConstraint(fields=["page", "business"], name="one_participation_each")
        ]
        indexes = [models.Index(fields=["page", "status", "queued_at"])]

    def __str__(self):
        return f"{self.business} – {self.page}"

    @classmethod
    def rows_kept_on_merge(cls, survivor, duplicate):
        """When duplicates merge, the survivor keeps its own participation in a shared activity."""
        return cls.objects.filter(
            business=duplicate, page__in=cls.objects.filter(business=survivor).values("page")
        )

    @property
    def holds_seat(self):
        return self.status in SEAT_STATUSES

    @property
    def is_accepted(self):
        return self.status in ACCEPTED_STATUSES

    @property
    def display_name(self):
        return self.attendee_name or self.business.owner.full_name


class Attendance(models.Model):
    """A participant present at one session, ticked on a list or scanned at the door."""

    class Method(models.TextChoices):
        LIST = "list", _("ticked on the list")
        QR = "qr", _("QR code scanned")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        "training_pages.ActivitySession", on_delete=models.CASCADE, related_name="attendances"
    )
    method = models.CharField(_("recorded by"), max_length=4, choices=Method.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="present_once")
        ]

    def __str__(self):
        return f"{self.participant} @ {self.session}"


def new_certificate_code():
    return codes.readable_code(CERTIFICATE_CODE_LENGTH)


class Certificate(models.Model):
    """Proof of attendance; anyone can check its code on the public verification page."""

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(
        _("verification code"), max_length=10, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code_display

    @property
    def code_display(self):
        return f"{self.code[:5]}-{self.code[5:]}"

    @property
    def is_valid(self):
        return self.revoked_at is None
