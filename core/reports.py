"""Wagtail's workflow reports, reading through the records' permission policies.

Wagtail lists every workflow of a snippet model to anyone who may change that
model; for the registry that would show an operator the names of businesses
of every kecamatan waiting for review. These views filter the states of
scoped models to the records the user may see, and leave pages to Wagtail.
The site history report needs no override: it reads `RecordLogEntry`, whose
manager applies the same policies. `core.admin_urls` serves these on
Wagtail's own addresses (see the project's urls.py).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView

from core.permissions import policy_for, scoped_models


def scoped_object_condition(user, prefix=""):
    """A Q on (content type, object id) columns: other models pass, scoped ones per policy."""
    scoped_types = []
    allowed = Q(pk__in=[])
    for model in scoped_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        scoped_types.append(content_type.pk)
        policy = policy_for(model)
        if policy.user_has_permission(user, "view"):
            allowed |= Q(**{f"{prefix}base_content_type": content_type}) & policy.object_id_filter(
                user, "view", field=f"{prefix}object_id"
            )
    return ~Q(**{f"{prefix}base_content_type__in": scoped_types}) | allowed


class ScopedWorkflowView(WorkflowView):
    def get_queryset(self):
        return super().get_queryset().filter(scoped_object_condition(self.request.user))


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(scoped_object_condition(self.request.user, prefix="workflow_state__"))
        )
