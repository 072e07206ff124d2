"""The admin dashboard: the mentor's to-do list, and a review queue that stays short."""

import copy
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.admin_url_finder import AdminURLFinder, finder_classes
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page, Revision, TaskState, WorkflowTask
from wagtail.permissions import policy_registry

from sme_registry import selectors

UPCOMING_DAYS = 14
LIMIT = 20
REVIEW_PANEL_LIMIT = 10


class MentoringPanel(Component):
    """Overdue follow-ups and visits due soon, for the businesses the user mentors.

    A personal list: everyone, Admin Dinas included, sees only the businesses
    assigned to them; the office's overview is the visit list and its filters.
    """

    name = "mentoring"
    template_name = "sme_registry/admin/panels/mentoring.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        overdue = list(selectors.overdue_follow_ups(self.user, today)[:LIMIT])
        upcoming = list(selectors.upcoming_visits(self.user, today, UPCOMING_DAYS)[:LIMIT])
        return {
            "overdue": overdue,
            "upcoming": upcoming,
            "upcoming_days": UPCOMING_DAYS,
            "today": today,
        }


def add_mentoring_panel(request, panels):
    user = request.user
    if user.is_authenticated and user.mentored_businesses.exists():
        panels.append(MentoringPanel(user))


class ReviewQueuePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review", the latest few only, then a link to the whole queue.

    Wagtail's own panel lists every task the user may review, with a few queries each: for
    an operator whose kecamatan has thousands of registrations waiting (after an outreach
    week or an import) the dashboard would never load. The queue itself is the registry
    list, filtered and paged. Its rows cost the same few queries however many are shown:
    the edit links' permission, the tasks' progress and the actions are read for all rows
    at once.
    """

    template_name = "sme_registry/admin/panels/review_queue.html"

    def get_context_data(self, parent_context):
        context = Component.get_context_data(self, parent_context)
        request = parent_context["request"]
        context.update(request=request, csrf_token=parent_context["csrf_token"], states=[])
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return context
        latest = list(
            TaskState.objects.reviewable_by(request.user)
            .select_related(
                "revision", "revision__user", "workflow_state", "workflow_state__workflow"
            )
            .prefetch_related(
                "revision__content_object", "revision__content_object__latest_revision"
            )
            .annotate(previous_revision_id=Revision.objects.previous_revision_id_subquery())
            .order_by("-started_at")[: REVIEW_PANEL_LIMIT + 1]
        )
        # One more was read than is shown (is there more?). A record that is gone leaves
        # its revision behind, with nothing to review.
        shown = [s for s in latest[:REVIEW_PANEL_LIMIT] if s.revision.content_object]
        progress = tasks_with_status([state.workflow_state for state in shown])
        for task_state in shown:
            obj = task_state.revision.content_object
            row = self._row(task_state, obj, request.user)
            row["workflow_tasks"] = progress[task_state.workflow_state_id]
            context["states"].append(row)
        context["admin_url_finder"] = PrimedURLFinder(
            request.user, [row["obj"] for row in context["states"]]
        )
        if len(latest) > REVIEW_PANEL_LIMIT:
            context["queue_url"] = reverse("wagtailsnippets_sme_registry_business:list") + (
                "?status=submitted"
            )
        return context

    @staticmethod
    def _row(task_state, obj, user):
        """What Wagtail's panel template reads of one task (its own names)."""
        if isinstance(obj, Page):
            names = {
                "workflow_action_url_name": "wagtailadmin_pages:workflow_action",
                "workflow_preview_url_name": "wagtailadmin_pages:workflow_preview",
                "revisions_compare_url_name": "wagtailadmin_pages:revisions_compare",
            }
        else:
            viewset = obj.snippet_viewset
            names = {
                key: viewset.get_url_name(action)
                for key, action in (
                    ("workflow_action_url_name", "workflow_action"),
                    ("workflow_preview_url_name", "workflow_preview"),
                    ("revisions_compare_url_name", "revisions_compare"),
                )
            }
        if not getattr(obj, "is_previewable", False):
            names["workflow_preview_url_name"] = None
        return {
            "obj": obj,
            "revision": task_state.revision,
            "previous_revision_id": task_state.previous_revision_id,
            "live_revision_id": obj.live_revision_id,
            "task_state": task_state,
            "actions": _actions(task_state.task.specific, obj, user),
            **names,
        }


def _actions(task, obj, user):
    """The review buttons of a task the queue already found the user may review."""
    if hasattr(task, "review_actions"):  # a registry step: the queue checked its scope
        return task.review_actions()
    return task.get_actions(obj, user)


def tasks_with_status(workflow_states):
    """For each workflow state (by id), its workflow's tasks with their status, as Wagtail's
    `WorkflowState.all_tasks_with_status()` gives them, in two queries for all states."""
    steps = defaultdict(list)
    for link in (
        WorkflowTask.objects.filter(workflow_id__in={s.workflow_id for s in workflow_states})
        .select_related("task")
        .order_by("sort_order")
    ):
        steps[link.workflow_id].append(link.task)
    states = defaultdict(list)
    for task_state in (
        TaskState.objects.filter(workflow_state__in=workflow_states)
        .select_related("revision")
        .only("workflow_state", "task", "status", "started_at", "revision__created_at")
        .order_by("started_at", "id")
    ):
        states[task_state.workflow_state_id].append(task_state)
    choices = dict(TaskState.STATUS_CHOICES)
    result = {}
    for workflow_state in workflow_states:
        applicable = states[workflow_state.pk]
        if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False) and applicable:
            # Only what was decided on the latest revision counts.
            latest = max(applicable, key=lambda s: (s.revision.created_at, s.revision_id))
            applicable = [s for s in applicable if s.revision_id == latest.revision_id]
        status = {s.task_id: s.status for s in applicable}  # oldest first: the latest wins
        tasks = []
        for task in steps[workflow_state.workflow_id]:
            task = copy.copy(task)
            task.status = status.get(task.pk)
            task.status_display = choices.get(task.status, _("Not started"))
            tasks.append(task)
        result[workflow_state.pk] = tasks
    return result


class PrimedURLFinder(AdminURLFinder):
    """Wagtail's edit-link finder, with the user's right to edit the listed records read
    in one query per model instead of one per row."""

    def __init__(self, user, instances):
        super().__init__(user)
        by_model = defaultdict(set)
        for instance in instances:
            if not isinstance(instance, Page):
                by_model[type(instance)].add(instance.pk)
        self.editable = {}
        for model, pks in by_model.items():
            policy = policy_registry.get_by_type(model)
            if policy is None:
                continue
            allowed = policy.instances_user_has_permission_for(user, "change").filter(pk__in=pks)
            self.editable[model] = set(allowed.values_list("pk", flat=True))

    def get_edit_url(self, instance):
        allowed = self.editable.get(type(instance))
        if allowed is None:
            return super().get_edit_url(instance)
        finder = finder_classes.get(instance)
        if instance.pk not in allowed or finder is None:
            return None
        return finder(self.user).construct_edit_url(instance)


def bound_review_panel(request, panels):
    panels[:] = [
        ReviewQueuePanel() if isinstance(panel, WorkflowObjectsToModeratePanel) else panel
        for panel in panels
    ]
