from training_pages.models.pages import (
    ActivityPage,
    ActivitySession,
    ActivityTopicTag,
    EventPage,
    TrainingIndexPage,
    TrainingPage,
)
from training_pages.models.participants import (
    Attendance,
    Certificate,
    Participant,
    ParticipantStatus,
)

__all__ = [
    "ActivityPage",
    "ActivitySession",
    "ActivityTopicTag",
    "Attendance",
    "Certificate",
    "EventPage",
    "Participant",
    "ParticipantStatus",
    "TrainingIndexPage",
    "TrainingPage",
]
