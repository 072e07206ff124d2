"""Every change of where a registry record stands, by name: the only writer of `status`.

    submit ──▶ [kecamatan check] ──approve_step──▶ [PUM validation] ──approve_step──▶ validate
       ▲             │                                  │
       │   request_changes / reject          request_changes / reject
       └─── (the applicant's fix) ◀──┘                  ▼
                                               rejected (kept, never deleted)
    archive: a merged duplicate, or a business that closed.

Review steps are Wagtail workflow tasks (`RegistryReviewTask`); every way of
acting on one (the edit view's action menu, the workflow action view, bulk
actions, the demo and the API) ends here. A version becomes live only through
`validate`, which runs only while the last step is being approved, so a
validated record was checked by the kecamatan and by PUM: Wagtail's publish
button, a revision restored from history or a script calling
`revision.publish()` raise instead. With `WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`
on, a version edited after the kecamatan approved goes back to the kecamatan.
"""

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from sme_registry.enums import NEEDS_REASON, ReviewAction, Status

ARCHIVE_ACTION = "sme_registry.archive"
MERGE_ACTION = "sme_registry.merge"

_validating = contextvars.ContextVar("registry_validating", default=False)
_writing_state = contextvars.ContextVar("registry_writing_state", default=False)


class TransitionRefused(ValidationError):
    """The record is not in a state where this can happen (shown to the person as it is)."""


def _business_model():
    from sme_registry.models import Business

    return Business


def state_write_allowed():
    """True inside a transition: the model refuses a change of `status` anywhere else."""
    return _writing_state.get()


def _set(business, status=None, **fields):
    """Write the record's own state columns (never through its revisions)."""
    if status is not None:
        fields["status"] = status
    token = _writing_state.set(True)
    try:
        _business_model().objects.filter(pk=business.pk).update(**fields)
    finally:
        _writing_state.reset(token)
    for name, value in fields.items():
        setattr(business, name, value)
    if status is not None:
        business._loaded_status = status


# --- Entering review -----------------------------------------------------------------------


def submit(business, user=None):
    """The latest version enters review: a new registration, a fix, or staff submitting an edit.

    A record sent back for changes resumes at the step that sent it back; any
    other record starts the workflow at the kecamatan check.
    """
    state = business.current_workflow_state
    if state is not None:
        if state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(user=user)
            if not business.live:
                _set(business, _status_at_current_step(business), review_note="")
        return state
    if business.status == Status.ARCHIVED:
        raise TransitionRefused(
            _("This record is archived and cannot be reviewed again."), code="archived"
        )
    workflow = business.get_workflow()
    if workflow is None or not workflow.active:
        raise TransitionRefused(_("The validation workflow is not set up."), code="no_workflow")
    state = workflow.start(business, user)
    if not business.live:
        _set(business, Status.SUBMITTED, review_note="")
    return state


def _status_at_current_step(business):
    state = _business_model().objects.get(pk=business.pk).current_workflow_state
    if state is None or state.current_task_state is None:
        return Status.SUBMITTED
    first = state.workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True)
    return (
        Status.SUBMITTED
        if state.current_task_state.task_id == first.first()
        else (Status.IN_REVIEW)
    )


# --- Acting on a review step ---------------------------------------------------------------


def current_step(business, user, action):
    """The task state and task of the record's current step if `user` may take `action` there."""
    state = business.current_workflow_state
    if state is None or state.current_task_state is None:
        return None, None
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    names = [name for name, *_rest in task.get_actions(business, user)]
    return (task_state, task) if action in names else (None, None)


def review(business, user, action, *, comment="", task_state=None):
    """Take a review action on the current step; returns True when it was taken.

    Without `task_state` (bulk actions, the API) an action the user may not
    take returns False; with it (Wagtail's own views name the step) it raises.
    """
    action = ReviewAction(action)
    if task_state is None:
        task_state, _task = current_step(business, user, action)
        if task_state is None:
            return False
    else:
        allowed = [name for name, *_rest in task_state.task.specific.get_actions(business, user)]
        if action not in allowed:
            raise PermissionDenied
    if action in NEEDS_REASON and not (comment or "").strip():
        raise TransitionRefused(_("Give the reason; it is sent to the applicant."), code="reason")
    {
        ReviewAction.APPROVE: _approve_step,
        ReviewAction.REQUEST_CHANGES: _request_changes,
        ReviewAction.REJECT: _reject,
    }[action](business, user, task_state, comment or "")
    return True


def approve_step(business, user, comment=""):
    return review(business, user, ReviewAction.APPROVE, comment=comment)


def request_changes(business, user, reason):
    return review(business, user, ReviewAction.REQUEST_CHANGES, comment=reason)


def reject(business, user, reason):
    return review(business, user, ReviewAction.REJECT, comment=reason)


@transaction.atomic
def _approve_step(business, user, task_state, comment):
    with _validation_allowed():
        # On the last step Wagtail finishes the workflow and publishes: see `validate`.
        task_state.approve(user=user, comment=comment)
    business.refresh_from_db()
    if not business.live and business.status != Status.VALIDATED:
        _set(business, _status_at_current_step(business))


@transaction.atomic
def _request_changes(business, user, task_state, reason):
    """The applicant must correct the record: tell them why, with a private link.

    The version sent back is remembered so the reviewer can compare the fix with it.
    """
    from sme_registry.services import review as review_services

    task_state.reject(user=user, comment=reason)
    fields = {"review_note": reason, "review_base_revision": task_state.revision}
    if not business.live:
        fields["status"] = Status.CHANGES_REQUESTED
    _set(business, **fields)
    review_services.notify_owner(business, "changes_requested", reason)


@transaction.atomic
def _reject(business, user, task_state, reason):
    """Refuse the registration: kept with its reason, never deleted.

    For a record that was validated before, only the change under review is
    refused: the validated version stays live and the draft is discarded.
    """
    from sme_registry.services import review as review_services

    task_state.reject(user=user, comment=reason)
    task_state.workflow_state.cancel(user=user)
    if business.live:
        _set(
            business,
            review_note=reason,
            latest_revision_id=business.live_revision_id,
            has_unpublished_changes=False,
        )
    else:
        _set(business, Status.REJECTED, review_note=reason)
        review_services.notify_owner(business, "rejected", reason)


# --- Validation ----------------------------------------------------------------------------


@contextlib.contextmanager
def _validation_allowed():
    token = _validating.set(True)
    try:
        yield
    finally:
        _validating.reset(token)


def validation_in_progress():
    return _validating.get()


def check_publication_allowed():
    """Called by `Business.publish`: only the last review step may make a version live."""
    if not _validating.get():
        raise PermissionDenied(
            "A business is validated only by approving the last step of its review."
        )


def validate(business, revision, user=None):
    """The last step approved a version and Wagtail published it: the record is validated.

    Its owner's pending changes go live with it, and an indicator snapshot is taken.
    """
    from sme_registry.services import review as review_services
    from sme_registry.services import snapshots

    business = _business_model().objects.select_related("owner").get(pk=business.pk)
    owner = business.owner
    if owner.latest_revision_id and (not owner.live or owner.has_unpublished_changes):
        # Part of validating the business: the review step has checked the user.
        owner.latest_revision.publish(user=user, skip_permission_checks=True)
    _set(business, Status.VALIDATED, review_note="", review_base_revision=None)
    snapshots.take_snapshot(business, revision=revision)
    review_services.notify_owner(business, "validated")


# --- Leaving the registry ------------------------------------------------------------------


@transaction.atomic
def archive(business, user, reason, *, merged_into=None):
    """Take a record out of the registry (a duplicate merged away, a business that closed).

    Nothing is deleted: the record, its history and its versions stay, and its
    review, if any, ends.
    """
    if business.status == Status.ARCHIVED:
        raise TransitionRefused(_("This record is already archived."), code="archived")
    state = business.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    fields = {"review_note": reason}
    if merged_into is not None:
        fields["merged_into"] = merged_into
    _set(business, Status.ARCHIVED, **fields)
    log(business, ARCHIVE_ACTION, user=user, data={"reason": reason})
    return business


@transaction.atomic
def merge(survivor, duplicate, user=None):
    """Fold a duplicate into the survivor; the duplicate is archived with a pointer to it."""
    from sme_registry.services import merge as merge_services

    if survivor.pk == duplicate.pk or duplicate.merged_into_id or survivor.merged_into_id:
        raise TransitionRefused(_("These records cannot be merged."), code="merge")
    merge_services.move_everything(survivor, duplicate)
    archive(
        duplicate,
        user,
        _("Merged into %(code)s.") % {"code": survivor.tracking_code_display},
        merged_into=survivor,
    )
    data = {"survivor": survivor.pk, "duplicate": duplicate.pk}
    log(survivor, MERGE_ACTION, user=user, data=data)
    log(duplicate, MERGE_ACTION, user=user, data=data)
    return survivor
