from sme_registry.enums import Status

from .businesses import Business, BusinessPhoto, IndicatorSnapshot, LegalDocument
from .choices import DocumentKind, Education, LegalForm, Sex, Source
from .directory import DirectoryPage
from .drafts import RegistrationDraft
from .email_templates import EmailTemplate
from .evaluation import EvaluationReport
from .imports import ImportBatch, ImportMapping, ImportRow
from .maps import BoundaryFile
from .mentoring import FollowUp, MentoringVisit
from .outbox import OutboxEmail
from .outreach import OutreachAttendee, OutreachPhoto, OutreachSession
from .owners import Owner
from .pages import RegistrationPage, RegistrationQuestion
from .regions import CoverageTarget, Desa, Kecamatan
from .review import RegistryReviewTask
from .staff import StaffArea, UpdateReminder

__all__ = [
    "BoundaryFile",
    "Business",
    "BusinessPhoto",
    "CoverageTarget",
    "Desa",
    "DirectoryPage",
    "DocumentKind",
    "Education",
    "EmailTemplate",
    "EvaluationReport",
    "FollowUp",
    "ImportBatch",
    "ImportMapping",
    "ImportRow",
    "IndicatorSnapshot",
    "Kecamatan",
    "LegalDocument",
    "LegalForm",
    "MentoringVisit",
    "OutboxEmail",
    "OutreachAttendee",
    "OutreachPhoto",
    "OutreachSession",
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
