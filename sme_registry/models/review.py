"""The validation workflow of the registry, on Wagtail's moderation workflows.

Each step is a `RegistryReviewTask`: members of its groups review, and a step
marked "own kecamatan only" is open to operators of the record's kecamatan
alone. Reviewers approve (optionally with a comment), request changes with a
reason (the applicant gets a private link to fix the same record) or reject
with a reason (the record is kept, never deleted). What each action does to
the record is in `sme_registry.transitions`.
"""

from django import forms
from django.db import models
from django.db.models import BigIntegerField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, TaskState

from sme_registry import permissions
from sme_registry.enums import NEEDS_REASON, ReviewAction


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

    def _in_step_scope(self, user):
        """The records this step's reviewer may review: scope, narrowed to the area if asked."""
        businesses = permissions.scoped_businesses(user)
        if self.own_kecamatan_only and not permissions.sees_all_kecamatan(user):
            businesses = businesses.filter(kecamatan_id__in=permissions.area_kecamatan_ids(user))
        return businesses

    def may_review(self, obj, user):
        if not (user.is_active and (user.is_superuser or self._user_in_groups(user))):
            return False
        return self._in_step_scope(user).filter(pk=obj.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self.may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_review(obj, user)

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.may_review(obj, user):
            return []
        return self.review_actions()

    def review_actions(self):
        """The buttons of this step, for a reviewer already known to be in its scope."""
        return [
            (ReviewAction.APPROVE.value, ReviewAction.APPROVE.label, False),
            (ReviewAction.APPROVE.value, _("Approve with comment"), True),
            (ReviewAction.REQUEST_CHANGES.value, ReviewAction.REQUEST_CHANGES.label, True),
            (ReviewAction.REJECT.value, ReviewAction.REJECT.label, True),
        ]

    def get_form_for_action(self, action):
        return ReasonForm if action in NEEDS_REASON else TaskStateCommentForm

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not (user.is_active and (user.is_superuser or self._user_in_groups(user))):
            return TaskState.objects.none()
        # Each task waiting here looks up its own record by primary key: the cost follows
        # the queue, not the kecamatan (a subquery of every record in scope would read
        # tens of thousands of ids per dashboard view at a million records).
        from django.contrib.contenttypes.models import ContentType

        from sme_registry.models import Business

        in_scope = self._in_step_scope(user).filter(
            pk=Cast(OuterRef("workflow_state__object_id"), output_field=BigIntegerField())
        )
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=ContentType.objects.get_for_model(Business),
        ).filter(Exists(in_scope))

    def on_action(self, task_state, user, action_name, **kwargs):
        from sme_registry import transitions

        business = task_state.workflow_state.content_object
        transitions.review(
            business, user, action_name, comment=kwargs.get("comment", ""), task_state=task_state
        )
