"""Signing up for a training or event, and the participant's private page.

A business identifies itself in one of three ways, none of which involves the
NIK: its tracking code, the registration it has just sent (when the visitor
registered on the way here), or the owner's private link. Every way ends in
`services.sign_up`.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.spam import SpamProtectionMixin
from core.views import too_many_requests
from sme_registry import links, selectors
from sme_registry.models import RegistrationDraft
from training_pages import services
from training_pages.models import Participant, ParticipantStatus


class AttendeeForm(forms.Form):
    """What the owner's private link asks: the link itself proves who signs up."""

    attendee_name = forms.CharField(
        label=_("Name of the person who will attend"),
        max_length=100,
        required=False,
        help_text=_("Leave empty if the owner attends."),
    )

    def __init__(self, *args, identified=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.identified = identified


class SignUpForm(SpamProtectionMixin, AttendeeForm):
    """The public form: a tracking code, or a registration just sent, and the spam checks."""

    tracking_code = forms.CharField(
        label=_("Tracking code of your business"),
        max_length=20,
        help_text=_("The 12-character code you got when you registered, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    field_order = ["tracking_code", "attendee_name"]

    def __init__(self, *args, identified=None, **kwargs):
        super().__init__(*args, identified=identified, **kwargs)
        if identified is not None:
            # The business is already known; no code to type.
            del self.fields["tracking_code"]

    def clean_tracking_code(self):
        value = self.cleaned_data["tracking_code"]
        business = selectors.business_for_tracking_code(value)
        if business is None:
            raise ValidationError(
                _("We do not know this tracking code. Check it against your registration."),
                code="unknown",
            )
        self.identified = business
        return value


def _business_from_draft(page, token):
    """The business of a registration just sent on the way to this page."""
    if not token:
        return None
    draft = (
        RegistrationDraft.objects.select_related("business")
        .filter(token=token, completed_at__isnull=False)
        .first()
    )
    if draft is None or draft.business is None:
        return None
    if (draft.data.get("context") or {}).get("return_page") != page.pk:
        return None
    return draft.business


def _business_from_owner_link(signed, business_id):
    owner = links.owner_for_token(signed or "")
    if owner is None or not str(business_id or "").isdigit():
        return None
    return owner.businesses.filter(pk=int(business_id)).first()


def _render(request, page, form, **extra):
    context = page.get_context(request)
    registration_page = selectors.registration_page_for(request)
    context.update(
        form=form,
        window_problem=services.window_problem(page),
        registration_url=(
            f"{registration_page.url}?kembali={page.pk}" if registration_page else ""
        ),
        **extra,
    )
    response = TemplateResponse(request, "training_pages/sign_up.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def sign_up(request, page):
    draft_token = request.POST.get("pendaftaran") or request.GET.get("pendaftaran") or ""
    signed = request.POST.get("tautan", "")
    identified = _business_from_draft(page, draft_token)
    if identified is None and signed:
        identified = _business_from_owner_link(signed, request.POST.get("business"))
        if identified is None:
            raise Http404
    hidden = {
        "pendaftaran": draft_token if identified else "",
        "tautan": signed,
        "business": identified.pk if signed and identified else "",
    }

    form_class = AttendeeForm if signed else SignUpForm
    if request.method != "POST":
        form = form_class(identified=identified)
        return _render(request, page, form, identified=identified, hidden=hidden)

    if sign_ups_limited(request):
        return too_many_requests(request)
    form = form_class(request.POST, identified=identified)
    if not form.is_valid():
        return _render(request, page, form, identified=form.identified, hidden=hidden)
    try:
        participant = sign_up_identified(page, form, proven_owner=bool(signed or identified))
    except services.SignUpRefused as exc:
        form.add_error(None, exc.messages)
        # Already signed up by a tracking code: the form asks for a code again.
        shown = None if exc.code == "already_signed_up" else form.identified
        return _render(request, page, form, identified=shown, hidden=hidden)
    return redirect(participation_path(page, participant))


def sign_ups_limited(request):
    """Count one sign-up attempt of this client (the page and the API count together)."""
    return ratelimit.is_limited(
        request, "training-sign-up", settings.TRAINING_SIGN_UPS_PER_HOUR, 3600
    )


def sign_up_identified(page, form, *, proven_owner):
    """The participation of the business a valid sign-up form identified, or SignUpRefused.

    A tracking code proves less than the private link or the registration just sent:
    it may sign a business up, never open (or cancel) a participation it did not create.
    """
    with transaction.atomic():
        participant, _created = services.sign_up(
            page,
            form.identified,
            attendee_name=form.cleaned_data.get("attendee_name", ""),
            existing_ok=proven_owner,
        )
    return participant


def participation_path(page, participant):
    return page.url + page.reverse_subpage("participation", kwargs={"token": participant.token})


def state_sentence(participant, position):
    """What the participation page (and the sign-up API) says of a seat held, waited for or
    awaiting approval; empty for the other states, which the page words itself."""
    from django.utils.translation import gettext

    if participant.status == ParticipantStatus.WAITLISTED:
        return gettext(
            "The activity is full. You are number %(position)s on the waiting list; if a "
            "place becomes free it goes to the first in the queue and we will let you know."
        ) % {"position": position}
    if participant.status == ParticipantStatus.AWAITING_APPROVAL:
        return gettext("The officers will check your sign-up and let you know.")
    if participant.status not in (ParticipantStatus.REGISTERED, ParticipantStatus.APPROVED):
        return ""
    if selectors.contact_email(participant.business):
        return gettext(
            "Your place is confirmed. We have sent the details to your e-mail, with a "
            "calendar file."
        )
    return gettext(
        "Your place is confirmed. We have no e-mail address for this business, so keep the "
        "address of this page: it is your confirmation, and the office can send you the "
        "details by WhatsApp."
    )


def participation(request, page, token):
    participant = (
        Participant.objects.select_related("business__owner", "page", "certificate")
        .filter(page=page, token=token)
        .first()
    )
    if participant is None:
        raise Http404
    message = ""
    if request.method == "POST" and request.POST.get("action") == "cancel":
        if request.POST.get("confirm") != "yes":
            message = "confirm_needed"
        else:
            try:
                services.cancel(participant)
            except services.SignUpRefused:
                # Already over (e.g. attended): the page shows where it stands.
                return redirect(participation_path(page, participant))
            return redirect(participation_path(page, participant) + "?dibatalkan=1")
    certificate = getattr(participant, "certificate", None) if page.is_past else None
    context = page.get_context(request)
    context.update(
        certificate=certificate if certificate and certificate.is_valid else None,
        certificate_url=page.url
        + page.reverse_subpage("certificate", kwargs={"token": participant.token}),
        feedback_url=(
            page.feedback_page.url
            if page.is_past
            and page.feedback_page_id
            and page.feedback_page.live
            and participant.status == ParticipantStatus.ATTENDED
            else ""
        ),
        show_check_in=participant.is_accepted and not page.is_past and not page.is_online,
        participant=participant,
        business=participant.business,
        sessions=page.ordered_sessions(),
        state_sentence=state_sentence(participant, services.waitlist_position(participant)),
        can_cancel=participant.status in services.CANCELLABLE_STATUSES and not page.is_past,
        show_link=participant.is_accepted and page.is_online and page.online_link,
        cancelled_now=request.GET.get("dibatalkan") == "1",
        confirm_needed=message == "confirm_needed",
        statuses=ParticipantStatus,
    )
    response = TemplateResponse(request, "training_pages/participation.html", context)
    response["Cache-Control"] = "private, no-store"
    # The page address is a private key: never send it to other sites.
    response["Referrer-Policy"] = "same-origin"
    return response
