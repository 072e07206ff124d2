from .businesses import Business, BusinessPhoto, IndicatorSnapshot, LegalDocument
from .choices import DocumentKind, Education, LegalForm, Sex, Source, Status
from .drafts import RegistrationDraft
from .email_templates import EmailTemplate
from .outbox import OutboxEmail
from .owners import Owner
from .pages import RegistrationPage, RegistrationQuestion
from .regions import Desa, Kecamatan
from .review import RegistryReviewTask
from .staff import StaffArea, UpdateReminder

__all__ = [
    "Business",
    "BusinessPhoto",
    "Desa",
    "DocumentKind",
    "Education",
    "EmailTemplate",
    "IndicatorSnapshot",
    "Kecamatan",
    "LegalDocument",
    "LegalForm",
    "OutboxEmail",
    "Owner",
    "RegistrationDraft",
    "RegistrationPage",
    "RegistrationQuestion",
    "RegistryReviewTask",
    "Sex",
    "Source",
    "StaffArea",
    "Status",
    "UpdateReminder",
]
