"""Bulk actions on the business list: approve or send back several records at once.

Each record goes through the same workflow step a reviewer would take on it
alone, in the user's scope only, and its rules are checked again first.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from sme_registry import permissions
from sme_registry.models import Business


def _review_step(business, user, action):
    """The current task state and task if `user` may take `action` on it now."""
    state = business.current_workflow_state
    if state is None or state.current_task_state is None:
        return None, None
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    names = [name for name, *_rest in task.get_actions(business, user)]
    return (task_state, task) if action in names else (None, None)


class ScopedBulkAction(SnippetBulkAction):
    """Selected records outside the user's scope are not even named: 404 when none remain."""

    models = [Business]
    template_name = "sme_registry/admin/bulk_review.html"

    def get_queryset(self, model, object_ids):
        objects = list(permissions.scoped_businesses(self.request.user).filter(pk__in=object_ids))
        if not objects:
            raise Http404
        return objects


class ReviewBulkAction(ScopedBulkAction):
    workflow_action = ""

    def check_perm(self, business):
        return _review_step(business, self.request.user, self.workflow_action)[0] is not None

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = skipped = 0
        for business in objects:
            task_state, task = _review_step(business, user, cls.workflow_action)
            if task_state is None or not cls.still_valid(business):
                skipped += 1
                continue
            task.on_action(task_state, user, cls.workflow_action, **cls.action_kwargs(kwargs))
            done += 1
        return done, skipped

    @staticmethod
    def still_valid(business):
        return True

    @staticmethod
    def action_kwargs(kwargs):
        return {}


class ApproveBulkAction(ReviewBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected registrations")
    workflow_action = "approve"
    action_priority = 20

    @staticmethod
    def still_valid(business):
        """The version under review must still pass every rule (e.g. a NIB taken since)."""
        from sme_registry.selectors import nib_taken_by_other_owner

        candidate = business.get_latest_revision_as_object()
        try:
            candidate.full_clean(exclude=["tracking_code"])
        except ValidationError:
            return False
        return not nib_taken_by_other_owner(candidate.nib, candidate.owner_id, candidate.pk)

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = ngettext(
            "%(count)d registration approved.",
            "%(count)d registrations approved.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
        if num_child_objects:
            message += " " + ngettext(
                "%(count)d skipped: it no longer passes the rules; open it to see why.",
                "%(count)d skipped: they no longer pass the rules; open them to see why.",
                num_child_objects,
            ) % {"count": num_child_objects}
        return message


class ReasonBulkForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RequestChangesBulkAction(ReviewBulkAction):
    display_name = _("Request changes")
    action_type = "request_changes"
    aria_label = _("Request changes to the selected registrations")
    workflow_action = "reject"
    action_priority = 25
    form_class = ReasonBulkForm

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "reason": self.cleaned_form.cleaned_data["reason"],
        }

    @staticmethod
    def action_kwargs(kwargs):
        return {"comment": kwargs["reason"]}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Changes requested for %(count)d registration.",
            "Changes requested for %(count)d registrations.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class ExportBulkAction(ScopedBulkAction):
    """The selected records as a spreadsheet: the same columns, masking and audit as the list."""

    display_name = _("Export selected")
    action_type = "export"
    aria_label = _("Export the selected registrations")
    action_priority = 40

    def check_perm(self, business):
        return self.request.user.has_perm("sme_registry.view_business")

    def form_valid(self, form):
        from core import audit
        from sme_registry.viewsets import BusinessViewSet

        objects, _without_access = self.get_actionable_objects()
        rows = Business.objects.filter(pk__in=[b.pk for b in objects]).select_related(
            "owner", "kecamatan", "desa"
        )
        audit.record(
            self.request.user,
            audit.EXPORT,
            model="business",
            format="csv",
            query="selected",
            rows=len(rows),
        )
        return csv_response(rows, BusinessViewSet.list_export, BusinessViewSet.export_headings)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(objects), 0


def csv_response(rows, fields, headings):
    import csv

    from django.http import HttpResponse

    from wagtail.coreutils import multigetattr

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registri-umkm-terpilih.csv"'
    writer = csv.writer(response)
    writer.writerow([str(headings.get(f, f)) for f in fields])
    for row in rows:
        writer.writerow([_cell(multigetattr(row, f)) for f in fields])
    return response


def _cell(value):
    text = "" if value is None else str(value)
    # Spreadsheet programs run cells that start like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class AssignMentorForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=permissions.mentor_candidates(),
        required=False,
        empty_label=_("No mentor"),
        help_text=_("Leave empty to remove the mentor from the selected businesses."),
    )


class AssignMentorBulkAction(ScopedBulkAction):
    """Give the selected businesses a mentor in one step (e.g. after an outreach day)."""

    display_name = _("Assign mentor")
    action_type = "assign_mentor"
    aria_label = _("Assign a mentor to the selected businesses")
    action_priority = 30
    form_class = AssignMentorForm
    template_name = "sme_registry/admin/bulk_assign_mentor.html"

    def check_perm(self, business):
        return self.request.user.has_perm("sme_registry.change_business")

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "user": self.request.user,
            "mentor": self.cleaned_form.cleaned_data["mentor"],
        }

    @classmethod
    def execute_action(cls, objects, user=None, mentor=None, **kwargs):
        from sme_registry import services

        return services.assign_mentor(objects, mentor, user=user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        mentor = self.cleaned_form.cleaned_data["mentor"]
        if mentor is None:
            return ngettext(
                "Mentor removed from %(count)d business.",
                "Mentor removed from %(count)d businesses.",
                num_parent_objects,
            ) % {"count": num_parent_objects}
        return ngettext(
            "%(mentor)s now mentors %(count)d business.",
            "%(mentor)s now mentors %(count)d businesses.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "mentor": mentor.get_full_name() or mentor}
