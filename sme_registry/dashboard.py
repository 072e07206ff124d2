"""The mentor's to-do list on the admin dashboard."""

from django.utils import timezone

from wagtail.admin.ui.components import Component

from sme_registry import selectors

UPCOMING_DAYS = 14
LIMIT = 20


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
