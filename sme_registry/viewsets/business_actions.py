"""What staff can do with one business, beyond editing it: one list for the record's pages.

The business list links each row's name to its record page (and shows the review
comparison when a record has one); every other action sits on the record's inspect and
edit pages. Fifty rows of action menus made the list about 300 KB of HTML and most of its
rendering time.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import Button, ListingButton

from sme_registry import permissions


def changes_since_review_url(business, user):
    """After a correction, the reviewer compares exactly what the applicant changed."""
    if not permissions.business_policy.user_has_permission(user, "change"):
        return None
    from sme_registry.selectors import last_reviewed_revision_id

    reviewed = last_reviewed_revision_id(business)
    if not reviewed:
        return None
    return reverse(
        "wagtailsnippets_sme_registry_business:revisions_compare",
        args=[business.pk, reviewed, "latest"],
    )


def list_buttons(business, user):
    """The row's own link beside its name: what changed since its last review."""
    buttons = []
    if compare := changes_since_review_url(business, user):
        buttons.append(
            ListingButton(
                _("Changes since the last review"), url=compare, icon_name="history", priority=20
            )
        )
    return buttons


def record_buttons(business, user):
    """The record page's further actions (its header's menu), each for those who may."""
    buttons = []
    may_change = permissions.business_policy.user_has_permission(user, "change")
    if compare := changes_since_review_url(business, user):
        buttons.append(
            Button(
                _("Changes since the last review"), url=compare, icon_name="history", priority=40
            )
        )
    if may_change:
        buttons.append(
            Button(
                _("Update link for the owner"),
                url=reverse("sme_registry_owner_link", args=[business.pk]),
                icon_name="link",
                priority=60,
            )
        )
    if permissions.mentoring_policy.user_has_permission(user, "add") and (
        permissions.sees_all_kecamatan(user) or business.mentor_id == user.pk
    ):
        buttons.append(
            Button(
                _("Record a mentoring visit"),
                url=reverse("wagtailsnippets_sme_registry_mentoringvisit:add")
                + f"?business={business.pk}",
                icon_name="calendar-check",
                priority=65,
            )
        )
    if may_change:
        buttons.append(
            Button(
                _("Merge duplicates"),
                url=reverse("sme_registry_merge", args=[business.pk]),
                icon_name="resubmit",
                priority=70,
            )
        )
    return buttons
