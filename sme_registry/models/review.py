"""The validation workflow of the registry, on Wagtail's moderation workflows.

Each step is a `RegistryReviewTask`: members of its groups review, and a step
marked "own kecamatan only" is open to operators of the record's kecamatan
alone. Reviewers approve, request changes with a reason (the applicant gets a
private link to fix the same record) or reject with a reason (the record is
archived, never deleted).
"""

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, TaskState

from sme_registry import permissions


class ReasonForm(TaskStateCommentForm):
    """Requesting changes or rejecting needs a reason the applicant can read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].label = _("Reason (sent to the applicant)")
        self.fields["comment"].widget = forms.Textarea(attrs={"rows": 4})


class RegistryReviewTask(AbstractGroupApprovalTask):
    own_kecamatan_only = models.BooleanField(
        _("own kecamatan only"),
        default=False,
        help_text=_(
            "Members of the groups review only records of the kecamatan assigned to them, "
            "unless they see every kecamatan (Admin Dinas, Validator PUM)."
        ),
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["own_kecamatan_only"]

    class Meta:
        verbose_name = _("registry review")
        verbose_name_plural = _("registry reviews")

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups review a registry record")

    def may_review(self, obj, user):
        if user.is_superuser:
            return True
        if not self._user_in_groups(user):
            return False
        if not self.own_kecamatan_only or permissions.sees_everything(user):
            return True
        return permissions.scoped_businesses(user).filter(pk=obj.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self.may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_review(obj, user)

    def get_actions(self, obj, user):
        if not self.may_review(obj, user):
            return []
        return [
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
            ("reject", _("Request changes"), True),
            ("archive", _("Reject"), True),
        ]

    def get_form_for_action(self, action):
        return ReasonForm if action in ("reject", "archive") else TaskStateCommentForm

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not (user.is_superuser or self._user_in_groups(user)):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if (
            self.own_kecamatan_only
            and not permissions.sees_everything(user)
            and not user.is_superuser
        ):
            ids = permissions.scoped_businesses(user).values_list("pk", flat=True)
            states = states.filter(workflow_state__object_id__in=[str(pk) for pk in ids])
        return states

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from sme_registry import services

        business = task_state.workflow_state.content_object
        reason = kwargs.get("comment", "")
        if action_name == "approve":
            task_state.approve(user=user, **kwargs)
            services.after_review_step(business)
        elif action_name == "reject":
            task_state.reject(user=user, **kwargs)
            services.request_changes(
                business, reason, user=user, reviewed_revision=task_state.revision
            )
        elif action_name == "archive":
            task_state.reject(user=user, **kwargs)
            task_state.workflow_state.cancel(user=user)
            services.reject_business(business, reason, user=user)
