"""Participants in the Wagtail admin, through Wagtail's own model viewset."""

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms import modelform_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from core.exports import AuditedExportMixin
from core.viewsets import ScopedViewSetMixin
from sme_registry import permissions, selectors
from training_pages import services
from training_pages.models import ActivityPage, Participant, ParticipantStatus
from training_pages.permissions import open_activities_for_staff, scoped_activities


class StaffSignUpForm(WagtailAdminModelForm):
    """Staff sign a business up on its behalf (e.g. on the phone), by its tracking code.

    A tracking code instead of a list: there are far too many businesses for a
    drop-down, and the code is what the owner reads out.
    """

    tracking_code = forms.CharField(label=_("Tracking code of the business"), max_length=20)

    class Meta:
        model = Participant
        fields = ["page", "attendee_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Published, not over, and run by this user: an operator signs up for their own area's.
        self.fields["page"].queryset = open_activities_for_staff(self.for_user)
        self.fields["page"].label = _("Training or event")
        self.business = None

    def clean_tracking_code(self):
        business = selectors.business_for_tracking_code(self.cleaned_data["tracking_code"])
        if business is not None and self.for_user is not None:
            business = permissions.scoped_businesses(self.for_user).filter(pk=business.pk).first()
        if business is None:
            raise ValidationError(_("No business with this tracking code in your area."))
        self.business = business
        return self.cleaned_data["tracking_code"]


class ParticipantCreateView(CreateView):
    """Sign-up by staff goes through the same rules as the public sign-up."""

    def save_instance(self):
        participant, _created = services.sign_up(
            self.form.cleaned_data["page"],
            self.form.business,
            attendee_name=self.form.cleaned_data.get("attendee_name", ""),
            by_staff=self.request.user,
        )
        return participant

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.SignUpRefused as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)


class ParticipantFilterSet(WagtailFilterSet):
    page = django_filters.ModelChoiceFilter(
        label=_("Training or event"),
        queryset=ActivityPage.objects.order_by("-starts_at"),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            # Activities the user's participants take part in, not every draft of the office.
            seen = ParticipantViewSet.policy().filter_queryset(
                request.user, "view", Participant.objects.all()
            )
            self.filters["page"].queryset = ActivityPage.objects.filter(
                pk__in=seen.values("page_id")
            ).order_by("-starts_at")

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ParticipantStatus.choices)

    class Meta:
        model = Participant
        fields = []


class ParticipantIndexView(AuditedExportMixin, IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        # Only the activity's own staff decide; `runs` is annotated once for the whole page.
        if not (self.request.user.has_perm("training_pages.change_participant") and instance.runs):
            return buttons
        if instance.status in (ParticipantStatus.AWAITING_APPROVAL, ParticipantStatus.WAITLISTED):
            buttons.append(
                MenuItem(
                    _("Approve"), action_url(instance, "approve"), icon_name="check", priority=30
                )
            )
        if instance.status not in (
            ParticipantStatus.REJECTED,
            ParticipantStatus.CANCELLED,
            ParticipantStatus.ATTENDED,
            ParticipantStatus.NO_SHOW,
        ):
            buttons.append(
                MenuItem(
                    _("Reject"), action_url(instance, "reject"), icon_name="cross", priority=40
                )
            )
        if instance.status in services.CANCELLABLE_STATUSES:
            buttons.append(
                MenuItem(
                    _("Cancel participation"),
                    action_url(instance, "cancel"),
                    icon_name="bin",
                    priority=50,
                )
            )
        buttons.append(
            MenuItem(
                _("WhatsApp message"),
                reverse("training_participant_message", args=[instance.pk]),
                icon_name="mail",
                priority=60,
            )
        )
        return buttons

    def get_base_queryset(self):
        runs = scoped_activities(self.request.user).filter(pk=OuterRef("page_id"))
        return (
            super()
            .get_base_queryset()
            .select_related("business__owner", "page")
            .annotate(runs=Exists(runs))
        )


class ParticipantViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Participant
    icon = "group"
    menu_label = _("Participants")
    url_prefix = "training/participants"
    add_to_admin_menu = False  # listed in the Trainings submenu
    index_view_class = ParticipantIndexView
    add_view_class = ParticipantCreateView
    filterset_class = ParticipantFilterSet
    search_fields = ["business__name", "attendee_name", "business__tracking_code"]
    search_backend_name = None
    ordering = ["-queued_at"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        # A field name first, not a Column: the title column carries each row's buttons.
        "business",
        Column("attendee", label=_("Who attends"), accessor=lambda p: p.display_name),
        Column("page", label=_("Training or event"), accessor=lambda p: p.page.title),
        Column("status", label=_("Status"), accessor=lambda p: p.get_status_display()),
        DateColumn("queued_at", label=_("Signed up")),
    ]
    list_filter = None
    list_export = [
        "page.title",
        "business.tracking_code",
        "business.name",
        "display_name",
        "status",
        "queued_at",
    ]
    export_headings = {
        "page.title": _("Training or event"),
        "business.tracking_code": _("Tracking code"),
        "business.name": _("Business"),
        "display_name": _("Who attends"),
    }
    export_filename = "peserta-pelatihan"

    @staticmethod
    def policy():
        from training_pages.permissions import participant_policy

        return participant_policy

    def get_form_class(self, for_update=False):
        # Status changes go through the actions (approve, reject, cancel), never a free edit.
        if for_update:
            return modelform_factory(
                Participant, form=WagtailAdminModelForm, fields=["attendee_name", "note"]
            )
        return StaffSignUpForm


def action_url(participant, action):
    return reverse("training_participant_action", args=[participant.pk, action])
