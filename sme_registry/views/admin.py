"""Registry views inside the Wagtail admin: staff entry, private files, owner links."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import audit
from core.spam import claim_submission
from sme_registry import (
    links,
    notifications,
    permissions,
    services,
    transitions,
    uploads,
    validators,
)
from sme_registry.forms import (
    CONSENT_VERSION,
    BusinessStepForm,
    DirectoryContactForm,
    FinanceStepForm,
    LocationStepForm,
    OwnerStepForm,
)
from sme_registry.models import (
    Business,
    BusinessPhoto,
    LegalDocument,
    OutreachSession,
    Owner,
    RegistrationPage,
    Source,
    Status,
)
from sme_registry.views.registration import SpamCheckForm, to_registration


class StaffConsentForm(DirectoryContactForm):
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The owner has read the data protection notice and agrees to the processing of this data."
        ),
        error_messages={"required": gettext_lazy("Registration needs the owner's consent.")},
    )

    class Meta(DirectoryContactForm.Meta):
        fields = ["consent", *DirectoryContactForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directory_opt_in"].label = gettext_lazy(
            "The owner wants to be listed in the public UMKM directory."
        )
        self.fields["directory_opt_in"].help_text = ""


class StaffOutreachForm(forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Outreach session"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("The session at which the owner registered, if any."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = permissions.scoped_outreach_sessions(
            user, OutreachSession.objects.select_related("desa")
        )


STAFF_SECTIONS = [
    ("pemilik", gettext_lazy("Owner"), OwnerStepForm),
    ("usaha", gettext_lazy("Business"), BusinessStepForm),
    ("lokasi", gettext_lazy("Location"), LocationStepForm),
    ("keuangan", gettext_lazy("Money and workers"), FinanceStepForm),
    ("persetujuan", gettext_lazy("Consent"), StaffConsentForm),
]


def staff_entry(request):
    """Staff register a business on behalf of its owner (e.g. on outreach days)."""
    if not permissions.business_policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    # Staff choose among the kecamatan they may enter records in; the service checks again.
    within = (
        None
        if permissions.sees_all_kecamatan(request.user)
        else permissions.area_kecamatan_ids(request.user)
    )
    sections = [
        (slug, title, cls(data, prefix=slug, **({"within": within} if slug == "lokasi" else {})))
        for slug, title, cls in STAFF_SECTIONS
    ]
    outreach = StaffOutreachForm(data, prefix="penyuluhan", user=request.user)
    sections.insert(-1, ("penyuluhan", _("Outreach session"), outreach))
    spam_form = SpamCheckForm(data)
    # A list, not a generator: every form is validated so every error is shown.
    valid = data is not None and all([f.is_valid() for _s, _t, f in sections])  # noqa: C419
    if valid and spam_form.is_valid():
        cleaned = {slug: form.cleaned_data for slug, _t, form in sections}
        registration = to_registration(cleaned, {})
        registration.consent_version = CONSENT_VERSION
        existing = Owner.objects.filter(nik=registration.owner["nik"]).first()
        if not claim_submission(spam_form.submission_nonce, "staff-entry"):
            messages.warning(request, _("This registration was already saved."))
            return redirect(reverse("wagtailsnippets_sme_registry_business:list"))
        try:
            with transaction.atomic():
                session = outreach.cleaned_data["session"]
                business = services.register_business(
                    registration,
                    source=Source.STAFF_ENTRY,
                    entered_by=request.user,
                    owner=existing,
                    referral_code=session.referral_code if session else "",
                )
        except ValidationError as exc:
            _show_errors(sections, exc)
        else:
            if existing:
                messages.info(
                    request,
                    _("The NIK was already registered: the business was added to that owner."),
                )
            messages.success(
                request,
                _("Registration saved with tracking code %(code)s.")
                % {"code": business.tracking_code_display},
            )
            return redirect(
                reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
            )
    return TemplateResponse(
        request,
        "sme_registry/admin/staff_entry.html",
        {"sections": sections, "spam_form": spam_form, "header_title": _("New registration")},
    )


def _show_errors(sections, exc):
    """Put the service's errors next to the field they name: a business's fields first."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    forms_by_slug = {slug: form for slug, _t, form in sections}
    order = ("usaha", "lokasi", "keuangan", "pemilik")
    for field, messages_ in errors.items():
        target = next(
            (forms_by_slug[slug] for slug in order if field in forms_by_slug[slug].fields),
            forms_by_slug["usaha"],
        )
        target.add_error(field if field in target.fields else None, messages_)


def private_file(request, kind, pk):
    """Product photos and document scans, for staff who may see the business."""
    businesses = permissions.scoped_businesses(request.user)
    if kind == "foto":
        obj = get_object_or_404(BusinessPhoto, pk=pk, business__in=businesses)
        name = obj.image.name
    elif kind == "dokumen":
        obj = get_object_or_404(LegalDocument, pk=pk, business__in=businesses)
        name = obj.file.name
    else:
        raise Http404
    if not name:
        raise Http404
    extension = name.rsplit(".", 1)[-1]
    return uploads.serve_private_file(
        request, name, filename_for_download=f"{kind}-{obj.business_id}-{pk}.{extension}"
    )


def owner_link(request, pk):
    """A private update link for the owner: by e-mail, or a ready WhatsApp message for staff."""
    business = permissions.business_policy.get_object(
        request.user, "change", Business.objects.select_related("owner"), pk=pk
    )
    page = business.registration_page.specific if business.registration_page_id else None
    if not isinstance(page, RegistrationPage):
        page = RegistrationPage.objects.live().first()
    if page is None:
        messages.error(request, _("Publish a registration page first: the link points to it."))
        return redirect(reverse("wagtailsnippets_sme_registry_business:inspect", args=[pk]))
    owner = business.owner
    link = links.owner_link(owner, page, request)
    if request.method == "POST" and owner.email:
        notifications.send_owner_link.enqueue(owner.pk, link, "requested")
        messages.success(request, _("The link has been sent to the owner's e-mail."))
        return redirect(reverse("wagtailsnippets_sme_registry_business:inspect", args=[pk]))
    days = links.link_days()
    message = ngettext(
        "Hello %(name)s, this is Dinas Koperasi dan UKM Kabupaten Bogor. Use this private link "
        "to update the data of %(business)s in SI MBA UMI (valid for %(days)s day, do not "
        "share it): %(link)s",
        "Hello %(name)s, this is Dinas Koperasi dan UKM Kabupaten Bogor. Use this private link "
        "to update the data of %(business)s in SI MBA UMI (valid for %(days)s days, do not "
        "share it): %(link)s",
        days,
    ) % {"name": owner.full_name, "business": business.name, "link": link, "days": days}
    if business.status == Status.VALIDATED and not business.has_unpublished_changes:
        # The validation notice, for an owner the office reaches by WhatsApp.
        message = (
            _(
                "Hello %(name)s, the data of %(business)s has been checked by the kecamatan and "
                "validated by Dinas Koperasi dan UKM Kabupaten Bogor; it is now in the registry."
            )
            % {"name": owner.full_name, "business": business.name}
            + "\n\n"
            + message
        )
    if business.status in (Status.CHANGES_REQUESTED, Status.REJECTED) and business.review_note:
        message += "\n\n" + _("Reason: %(reason)s") % {"reason": business.review_note}
    whatsapp_url = links.whatsapp_url(owner.phone, message)
    return TemplateResponse(
        request,
        "sme_registry/admin/owner_link.html",
        {
            "business": business,
            "owner": owner,
            "has_email": bool(owner.email),
            "whatsapp_url": whatsapp_url,
            "message": message,
            "header_title": _("Private update link"),
        },
    )


class NikSearchForm(forms.Form):
    nik = forms.CharField(label=gettext_lazy("NIK"), max_length=24)

    def clean_nik(self):
        return validators.parse_nik(self.cleaned_data["nik"]).nik


def _require_pii(request):
    if not permissions.can_see_personal_data(request.user):
        raise PermissionDenied


def owner_personal_data(request, pk):
    """The owner's unmasked personal data: for roles that need it, always audited."""
    owner = get_object_or_404(permissions.scoped_owners(request.user), pk=pk)
    _require_pii(request)
    audit.record(request.user, audit.VIEW_PII, owner)
    response = TemplateResponse(
        request,
        "sme_registry/admin/personal_data.html",
        {
            "owner": owner,
            "phone": validators.format_phone_national(owner.phone),
            "businesses": permissions.scoped_businesses(request.user).filter(owner=owner),
            "header_title": _("Personal data"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def nik_search(request):
    """Exact NIK search. The NIK travels in the POST body, never in an address."""
    _require_pii(request)
    form = NikSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        owner = permissions.scoped_owners(request.user).filter(nik=form.cleaned_data["nik"]).first()
        audit.record(
            request.user,
            audit.NIK_SEARCH,
            model=Owner,
            nik=validators.mask_nik(form.cleaned_data["nik"]),
            found=owner.pk if owner else None,
        )
        if owner is not None:
            return redirect(reverse("sme_registry_personal_data", args=[owner.pk]))
        form.add_error("nik", _("No owner with this NIK in your scope."))
    return TemplateResponse(
        request,
        "sme_registry/admin/nik_search.html",
        {"form": form, "header_title": _("Search by NIK")},
    )


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=Business.objects.none(),
        widget=forms.RadioSelect,
        label=gettext_lazy("Likely duplicate"),
    )
    keep = forms.ChoiceField(
        label=gettext_lazy("Record to keep"),
        choices=[("this", gettext_lazy("This record")), ("other", gettext_lazy("The duplicate"))],
        widget=forms.RadioSelect,
        initial="this",
    )


def merge(request, pk):
    """Merge a likely duplicate: choose the survivor; everything moves to it."""
    business = permissions.business_policy.get_object(
        request.user, "change", Business.objects.filter(merged_into__isnull=True), pk=pk
    )
    from sme_registry.selectors import merge_candidates

    form = MergeForm(request.POST or None)
    form.fields["other"].queryset = merge_candidates(business, request.user)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        survivor, duplicate = (
            (business, other) if form.cleaned_data["keep"] == "this" else (other, business)
        )
        transitions.merge(survivor, duplicate, user=request.user)
        messages.success(
            request,
            _("%(duplicate)s was merged into %(survivor)s.")
            % {"duplicate": duplicate, "survivor": survivor},
        )
        return redirect(
            reverse("wagtailsnippets_sme_registry_business:inspect", args=[survivor.pk])
        )
    return TemplateResponse(
        request,
        "sme_registry/admin/merge.html",
        {"business": business, "form": form, "header_title": _("Merge duplicates")},
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: the business has closed. Kept in the record's history."
        ),
    )


def archive(request, pk):
    """Take a record out of the registry; nothing is deleted, the history stays."""
    business = permissions.business_policy.get_object(
        request.user, "archive", Business.objects.exclude(status=Status.ARCHIVED), pk=pk
    )
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transitions.archive(business, request.user, form.cleaned_data["reason"])
        except transitions.TransitionRefused as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(business)s was archived.") % {"business": business})
            return redirect(
                reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
            )
    return TemplateResponse(
        request,
        "sme_registry/admin/archive.html",
        {"business": business, "form": form, "header_title": _("Archive a record")},
    )
