"""Bulk actions on the business list: review, export or give a mentor to several records at once.

Each record goes through the same transition a reviewer would take on it
alone, in the user's scope only, and its rules are checked again first.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import audit
from core.exports import Exporter
from core.viewsets import ScopedBulkAction
from sme_registry import permissions, selectors, transitions
from sme_registry.enums import ReviewAction
from sme_registry.models import Business


class BusinessBulkAction(ScopedBulkAction):
    models = [Business]
    template_name = "sme_registry/admin/bulk_review.html"


class ReviewBulkAction(BusinessBulkAction):
    """One review action on each selected record the user may take it on."""

    review_action = None
    # Reviewers need to see the record; the review step decides the rest.
    permission_action = "view"

    def check_perm(self, business):
        return (
            transitions.current_step(business, self.request.user, self.review_action)[0] is not None
        )

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = skipped = 0
        for business in objects:
            if not cls.still_valid(business):
                skipped += 1
                continue
            taken = transitions.review(
                business, user, cls.review_action, comment=kwargs.get("reason", "")
            )
            done += 1 if taken else 0
            skipped += 0 if taken else 1
        return done, skipped

    @staticmethod
    def still_valid(business):
        return True


class ApproveBulkAction(ReviewBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected registrations")
    review_action = ReviewAction.APPROVE
    action_priority = 20

    @staticmethod
    def still_valid(business):
        """The version under review must still pass every rule (e.g. a NIB taken since)."""
        candidate = business.get_latest_revision_as_object()
        try:
            candidate.full_clean(exclude=["tracking_code"])
        except ValidationError:
            return False
        return True

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
    review_action = ReviewAction.REQUEST_CHANGES
    action_priority = 25
    form_class = ReasonBulkForm

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "reason": self.cleaned_form.cleaned_data["reason"],
        }

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Changes requested for %(count)d registration.",
            "Changes requested for %(count)d registrations.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class ExportBulkAction(BusinessBulkAction):
    """The selected records as a spreadsheet: the same columns, cells and audit as the list."""

    display_name = _("Export selected")
    action_type = "export"
    aria_label = _("Export the selected registrations")
    action_priority = 40
    permission_action = "view"

    def form_valid(self, form):
        from sme_registry.viewsets import BusinessViewSet

        objects, _without_access = self.get_actionable_objects()
        rows = selectors.with_listing_relations(
            Business.objects.filter(pk__in=[b.pk for b in objects])
        )
        exporter = Exporter(
            Business,
            BusinessViewSet.list_export,
            BusinessViewSet.export_headings,
            filename="registri-umkm-terpilih",
        )
        user = self.request.user

        def done(count):
            audit.record(
                user, audit.EXPORT, model=Business, format="csv", query="selected", rows=count
            )

        return exporter.csv_response(rows, on_done=done)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(objects), 0


class AssignMentorForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=None,
        required=False,
        empty_label=_("No mentor"),
        help_text=_("Leave empty to remove the mentor from the selected businesses."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = permissions.mentor_candidates()


class AssignMentorBulkAction(BusinessBulkAction):
    """Give the selected businesses a mentor in one step (e.g. after an outreach day)."""

    display_name = _("Assign mentor")
    action_type = "assign_mentor"
    aria_label = _("Assign a mentor to the selected businesses")
    action_priority = 30
    form_class = AssignMentorForm
    template_name = "sme_registry/admin/bulk_assign_mentor.html"
    permission_action = "view"

    def check_perm(self, business):
        return self.request.user.has_perm(permissions.ASSIGN_MENTOR)

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
