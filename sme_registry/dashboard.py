"""The admin dashboard: the mentor's to-do list, and a review queue that stays short."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page, Revision, TaskState

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
    list, filtered and paged.
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
        for task_state in latest[:REVIEW_PANEL_LIMIT]:  # one more was read: is there more?
            obj = task_state.revision.content_object
            if obj is None:  # the record is gone; its revision lingers
                continue
            context["states"].append(self._row(task_state, obj, request.user))
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
            "actions": task_state.task.specific.get_actions(obj, user),
            "workflow_tasks": task_state.workflow_state.all_tasks_with_status(),
            **names,
        }


def bound_review_panel(request, panels):
    panels[:] = [
        ReviewQueuePanel() if isinstance(panel, WorkflowObjectsToModeratePanel) else panel
        for panel in panels
    ]
