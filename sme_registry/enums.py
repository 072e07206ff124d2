"""Where a registry record stands, and the review actions that move it.

The one list of states and of workflow action names. Only
`sme_registry.transitions` writes a state; forms never do.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a record stands, in the words the applicant reads.

    A record that was validated once stays VALIDATED while later changes are
    reviewed: its live version is the validated one.
    """

    SUBMITTED = "submitted", _("Submitted")  # waiting for the kecamatan check
    IN_REVIEW = "in_review", _("Under review")  # checked by the kecamatan, at PUM
    CHANGES_REQUESTED = "changes_requested", _("Needs correction")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")  # refused; kept, never deleted
    ARCHIVED = "archived", _("Archived")  # out of the registry: merged or closed


# States in which a record was never validated and is still being worked on.
IN_PROGRESS = (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)
# States that end a record's place in the registry.
CLOSED = (Status.REJECTED, Status.ARCHIVED)


class ReviewAction(models.TextChoices):
    """The action names of a review step, as Wagtail's workflow engine knows them.

    Wagtail calls sending a version back for changes "reject"; in this project
    that is REQUEST_CHANGES, and REJECT refuses the registration for good.
    """

    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "reject", _("Request changes")
    REJECT = "refuse", _("Reject")


# The actions that need a reason the applicant can read.
NEEDS_REASON = (ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT)
