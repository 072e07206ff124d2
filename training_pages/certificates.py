"""Certificates of attendance: issue, revoke and verify, the one place for these rules."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from core.codes import READABLE_ALPHABET
from training_pages.models import Certificate, Participant, ParticipantStatus
from training_pages.models.participants import CERTIFICATE_CODE_LENGTH

CERTIFICATE_ISSUED = "training_pages.certificate_issued"
CERTIFICATE_REVOKED = "training_pages.certificate_revoked"

_CODE = re.compile(rf"^[{READABLE_ALPHABET}]{{{CERTIFICATE_CODE_LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]+")


def normalise_code(text):
    """What people type or read aloud: any case, spaces and dashes ("abcde-fghjk")."""
    return _SEPARATORS.sub("", text or "").upper()


def is_well_formed(code):
    return bool(_CODE.match(code))


def issue_certificates(page, *, user=None):
    """A certificate for each ATTENDED participant who has none yet; returns how many."""
    if not page.gives_certificate:
        return 0
    waiting = Participant.objects.filter(
        page=page, status=ParticipantStatus.ATTENDED, certificate__isnull=True
    ).select_related("business", "page")
    issued = 0
    for participant in waiting:
        certificate = _create(participant)
        if certificate is not None:
            issued += 1
            log(
                instance=participant.business,
                action=CERTIFICATE_ISSUED,
                user=user,
                data={"training": page.title, "code": certificate.code_display},
            )
    return issued


def _create(participant, attempts=5):
    """Create the certificate; None when another run issued it first."""
    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                return Certificate.objects.create(participant=participant)
        except IntegrityError:
            if Certificate.objects.filter(participant=participant).exists():
                return None
            # Otherwise the random code was taken: draw another.
    raise RuntimeError("No free certificate code found")


def revoke_certificate(certificate, *, reason, user=None):
    """Withdraw a certificate (e.g. issued by mistake); the reason is shown on verification."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    if not certificate.is_valid:
        raise ValidationError(_("This certificate was already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = user
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    participant = certificate.participant
    log(
        instance=participant.business,
        action=CERTIFICATE_REVOKED,
        user=user,
        data={"training": participant.page.title, "code": certificate.code_display},
    )
    return certificate


def verify(code):
    """The certificate with this code (valid or revoked), or None."""
    code = normalise_code(code)
    if not is_well_formed(code):
        return None
    return (
        Certificate.objects.select_related("participant__page", "participant__business__owner")
        .filter(code=code)
        .first()
    )
