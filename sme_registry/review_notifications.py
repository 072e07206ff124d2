"""Who is told that a registration waits at a review step: only those who may review it.

Wagtail e-mails every member of a step's groups; for a step open to operators
of the record's own kecamatan that would tell all forty kecamatan (and
operators without an area) about every registration, with its name. This
notifier keeps Wagtail's message and narrows the recipients to the users the
step itself would let act (`RegistryReviewTask.may_review`).
"""

import contextlib
import contextvars

from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import TaskState
from wagtail.signals import task_submitted

# The same uid as Wagtail's own handler: connected first (this app is listed
# before wagtail.admin), ours takes its place and Wagtail's connect is a no-op.
DISPATCH_UID = "group_approval_task_submitted_email_notification"


_quiet = contextvars.ContextVar("registry_review_notices_quiet", default=False)


@contextlib.contextmanager
def without_notices():
    """No e-mail about review steps or outcomes, to reviewers or owners (a bulk import).

    An import of thousands of rows would otherwise send each reviewer one message
    per record, and every owner a message about a change they did not make; the
    import's own report tells staff what entered their queue.
    """
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def notices_suppressed():
    return _quiet.get()


class ScopedTaskSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    def __call__(self, instance=None, **kwargs):
        if notices_suppressed():
            return False
        return super().__call__(instance=instance, **kwargs)

    def get_recipient_users(self, task_state, **kwargs):
        from sme_registry.models import RegistryReviewTask

        recipients = super().get_recipient_users(task_state, **kwargs)
        task = task_state.task.specific
        if not isinstance(task, RegistryReviewTask):
            return recipients
        obj = task_state.workflow_state.content_object
        allowed = [user.pk for user in recipients.distinct() if task.may_review(obj, user)]
        return recipients.model.objects.filter(pk__in=allowed)


notifier = ScopedTaskSubmissionNotifier()


def connect():
    task_submitted.connect(notifier, sender=TaskState, dispatch_uid=DISPATCH_UID)
