"""Staff decisions on participants: approve, reject, cancel. Each calls the service."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training_pages import services
from training_pages.models import Participant
from training_pages.permissions import participant_policy

ACTIONS = {
    "approve": (_("Approve"), _("%(name)s is accepted for %(page)s.")),
    "reject": (_("Reject"), _("The sign-up of %(name)s for %(page)s is rejected.")),
    "cancel": (_("Cancel participation"), _("The participation of %(name)s is cancelled.")),
}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the participant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


def participant_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    # Decided only by those who run the activity: 404 outside the scope, 403 if only seen.
    participant = participant_policy.get_object(
        request.user, "change", Participant.objects.select_related("business", "page"), pk=pk
    )
    title, done_message = ACTIONS[action]
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data, reason_required=action == "reject")
    if request.method == "POST" and form.is_valid():
        try:
            if action == "approve":
                services.approve(participant, user=request.user)
            elif action == "reject":
                services.reject(participant, user=request.user, reason=form.cleaned_data["reason"])
            else:
                services.cancel(participant, user=request.user)
        except services.SignUpRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                done_message % {"name": participant.business.name, "page": participant.page.title},
            )
            return redirect(reverse("training_pages_participant:index"))
    return TemplateResponse(
        request,
        "training_pages/admin/participant_action.html",
        {
            "participant": participant,
            "form": form,
            "action": action,
            "header_title": title,
            "show_reason": action == "reject",
        },
    )


def participant_message(request, pk):
    """The participant's notice (sign-up, waiting list, promotion, approval) ready for WhatsApp.

    For owners without e-mail, and for anyone the office prefers to reach by phone.
    """
    from sme_registry import links
    from sme_registry.selectors import contact_email, contact_phone
    from training_pages.notifications import whatsapp_text

    participant = participant_policy.get_object(
        request.user, "change", Participant.objects.select_related("business__owner", "page"), pk=pk
    )
    message = whatsapp_text(participant)
    return TemplateResponse(
        request,
        "training_pages/admin/participant_message.html",
        {
            "participant": participant,
            "message": message,
            "whatsapp_url": links.whatsapp_url(contact_phone(participant.business), message),
            "has_email": bool(contact_email(participant.business)),
            "header_title": _("Message to the participant"),
        },
    )
