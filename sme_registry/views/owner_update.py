"""Self-service for registered owners through a private, signed, expiring link."""

from django import forms
from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from core import ratelimit
from core.spam import SpamProtectionMixin, claim_submission
from core.views import too_many_requests
from sme_registry import links, notifications, selectors, services, validators
from sme_registry.enums import CLOSED
from sme_registry.forms import (
    DOCUMENT_KINDS,
    PHOTO_FIELDS,
    BusinessStepForm,
    DirectoryContactForm,
    FinanceStepForm,
    LegalStepForm,
    LocationStepForm,
    OwnerStepForm,
    PhotoStepForm,
)
from sme_registry.models import Business, Owner, RegistrationDraft
from sme_registry.views.registration import (
    SpamCheckForm,
    clean_uploads,
    steps_for,
    to_registration,
)

EDIT_SECTIONS = [
    ("pemilik", _("Owner"), OwnerStepForm),
    ("usaha", _("Business"), BusinessStepForm),
    ("lokasi", _("Location"), LocationStepForm),
    ("keuangan", _("Money and workers"), FinanceStepForm),
    ("direktori", _("Public UMKM directory"), DirectoryContactForm),
]
# Sections with files: documents are renewed or added by kind, photos by slot.
FILE_SECTIONS = [
    ("legalitas", _("Legal documents"), LegalStepForm),
    ("foto", _("Photos"), PhotoStepForm),
]
# Files accepted on a page that had errors are carried to the next submission in a
# signed field, so the owner need not choose them again; unsent ones are swept later.
FILE_SLUGS = frozenset(slug for slug, _title, _form in FILE_SECTIONS)
UPLOADS_FIELD = "stored_uploads"
UPLOADS_MAX_AGE = 24 * 3600


class LinkRequestForm(SpamProtectionMixin, forms.Form):
    identifier = forms.CharField(
        label=_("NIK or tracking code"),
        max_length=24,
        help_text=_("The NIK of the owner, or the tracking code you received after registering."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def find_owner(identifier):
    digits = "".join(ch for ch in identifier if ch.isdigit())
    if len(digits) == 16:
        return Owner.objects.filter(nik=digits).first()
    business = selectors.business_for_tracking_code(identifier)
    return business.owner if business else None


def link_requests_limited(request):
    """Count one link request of this client (the page and the API count together)."""
    return ratelimit.is_limited(request, "owner-link", settings.OWNER_LINKS_PER_HOUR, 3600)


def send_link_if_registered(request, page, form):
    """Send the private link to the owner a valid LinkRequestForm names, if any has an e-mail.

    Nothing tells the caller whether a link went out. A form from a browser is
    processed once per form token; the API's form has none (its Idempotency-Key
    does that).
    """
    owner = find_owner(form.cleaned_data["identifier"])
    if owner is None or not owner.email:
        return
    if form.from_browser and not claim_submission(form.submission_nonce, "owner-link"):
        return
    link = links.owner_link(owner, page, request)
    notifications.send_owner_link.enqueue(owner.pk, link, "requested")


def request_link(request, page):
    """Always the same answer, so the form cannot be used to test whether a NIK is registered."""
    sent = False
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if link_requests_limited(request):
            return too_many_requests(request)
        send_link_if_registered(request, page, form)
        sent = True
    context = page.get_context(request)
    context.update(form=form, sent=sent, link_days=links.link_days())
    return TemplateResponse(request, "sme_registry/update_request.html", context)


def _owner_or_404(signed):
    owner = links.owner_for_token(signed)
    if owner is None:
        raise Http404
    return owner


OWNER_SECTIONS_HOOK = "sme_registry_owner_sections"


def owner_home(request, page, signed):
    owner = _owner_or_404(signed)
    businesses = owner.businesses.order_by("name")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm":
            business = businesses.filter(pk=request.POST.get("business")).first()
            if business is None:
                raise Http404
            services.confirm_by_owner(business)
            return redirect(request.path + "?dikonfirmasi=1")
        if action == "directory_out":
            business = businesses.filter(pk=request.POST.get("business")).first()
            if business is None:
                raise Http404
            services.withdraw_from_directory(business, via="owner")
            return redirect(request.path + "?direktori=keluar")
        if action == "add":
            first = steps_for(page)[0]
            draft = RegistrationDraft.objects.create(
                page=page, owner=owner, data={first.slug: owner_initial(owner)}
            )
            return redirect(page.url + f"draf/{draft.token}/{steps_for(page)[1].slug}/")
    directory_page = selectors.directory_page_for(request)
    rows = []
    for business in businesses:
        label, text = selectors.public_status(business)
        rows.append(
            {
                "business": business,
                "status": label,
                "status_text": text,
                **directory_state(business, directory_page, request),
            }
        )
    context = page.get_context(request)
    context.update(
        owner=owner,
        rows=rows,
        signed=signed,
        confirmed=request.GET.get("dikonfirmasi") == "1",
        left_directory=request.GET.get("direktori") == "keluar",
        # Other apps add what an owner can do with their link (e.g. sign up for a training).
        sections=[
            section(request, owner, signed) for section in hooks.get_hooks(OWNER_SECTIONS_HOOK)
        ],
    )
    response = TemplateResponse(request, "sme_registry/owner_home.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def directory_state(business, directory_page, request):
    """Where the business stands in the public directory, for the owner's page.

    "listed" (shown now, with its address), "requested" (the owner asked to be
    listed: shown once staff validate it) or "not_listed".
    """
    if selectors.is_listed(business):
        url = directory_page.business_url(business, request) if directory_page else ""
        return {"directory": "listed", "directory_url": url}
    draft = business.get_latest_revision_as_object() if business.latest_revision_id else business
    if draft.directory_opt_in and business.status not in CLOSED:
        return {"directory": "requested", "directory_url": ""}
    return {"directory": "not_listed", "directory_url": ""}


def owner_initial(owner):
    return {
        "full_name": owner.full_name,
        "nik": owner.nik,
        "sex": owner.sex,
        "birth_date": owner.birth_date.isoformat() if owner.birth_date else "",
        "phone": validators.format_phone_national(owner.phone) if owner.phone else "",
        "email": owner.email,
        "address": owner.address,
        "kecamatan": owner.kecamatan_id,
        "desa": owner.desa_id,
        "education": owner.education,
        "has_disability": owner.has_disability,
        "disability_note": owner.disability_note,
    }


def business_initial(business):
    names = [
        *BusinessStepForm.base_fields,
        *LocationStepForm.base_fields,
        *FinanceStepForm.base_fields,
    ]
    initial = {name: getattr(business, name, None) for name in names}
    initial["kecamatan"] = business.kecamatan_id
    initial["desa"] = business.desa_id
    return initial


def directory_initial(draft):
    return {
        "directory_opt_in": draft.directory_opt_in,
        "public_phone": validators.format_phone_national(draft.public_phone),
        "public_link": draft.public_link,
    }


def documents_initial(draft):
    """The legal section as on record: number and dates per kind (the NIB number is in Business)."""
    initial = {}
    for doc in sorted(draft.legal_documents.all(), key=lambda doc: doc.sort_order or 0):
        if f"{doc.kind}_issued_on" in initial:
            continue
        initial[f"{doc.kind}_number"] = doc.number
        initial[f"{doc.kind}_issued_on"] = doc.issued_on
        initial[f"{doc.kind}_expires_on"] = doc.expires_on
    return initial


def files_on_record(draft):
    """Field name to stored file, for the files the draft already has (shown as kept)."""
    files = {}
    for doc in draft.legal_documents.all():
        if doc.file and doc.kind in DOCUMENT_KINDS:
            files.setdefault(f"{doc.kind}_file", doc.file.name)
    photos = sorted(draft.photos.all(), key=lambda photo: photo.sort_order or 0)
    for name, photo in zip(PHOTO_FIELDS, photos, strict=False):
        files[name] = photo.image.name
    return files


def _uploads_salt(business):
    return f"sme_registry.owner-uploads.{business.pk}"


def carried_uploads(data, business):
    """The files accepted on this business's page before, from the signed field; {} if forged."""
    token = data.get(UPLOADS_FIELD) if data is not None else None
    if not token:
        return {}
    try:
        carried = signing.loads(token, salt=_uploads_salt(business), max_age=UPLOADS_MAX_AGE)
    except signing.BadSignature:
        return {}
    return {k: v for k, v in carried.items() if isinstance(k, str) and isinstance(v, str)}


def edit_business(request, page, signed, business_id):
    owner = _owner_or_404(signed)
    business = Business.objects.filter(pk=business_id, owner=owner).first()
    if business is None:
        raise Http404
    owner_draft = owner.get_latest_revision_as_object() if owner.latest_revision_id else owner
    draft = business.get_latest_revision_as_object() if business.latest_revision_id else business
    initial = {
        "pemilik": owner_initial(owner_draft),
        **dict.fromkeys(("usaha", "lokasi", "keuangan"), business_initial(draft)),
        "direktori": directory_initial(draft),
        "legalitas": documents_initial(draft),
        "foto": {},
    }
    data = request.POST if request.method == "POST" else None
    files = request.FILES if data is not None else None
    uploaded = carried_uploads(data, business)
    shown_files = {**files_on_record(draft), **uploaded}
    sections = []
    for slug, title, form_class in EDIT_SECTIONS + FILE_SECTIONS:
        kwargs = {"stored_files": shown_files} if slug in FILE_SLUGS else {}
        form = form_class(data, files, prefix=slug, initial=initial[slug], **kwargs)
        if slug == "pemilik":
            # The NIK identifies the owner; staff correct it if it is wrong.
            form.fields["nik"].disabled = True
        sections.append((slug, title, form))
    spam_form = SpamCheckForm(data)
    saved = False
    if data is not None:
        forms_valid = all(form.is_valid() for _slug, _title, form in sections)
        # Each file is checked like at registration; a refused one is told beside its field.
        # A carried file that is replaced is left to the sweep, which keeps it if a
        # version names it (the same page sent twice).
        for slug, _title, form in sections:
            if slug in FILE_SLUGS:
                clean_uploads(form, uploaded)
                form.stored_files.update(uploaded)
        forms_valid = forms_valid and not any(form.errors for _s, _t, form in sections)
        if forms_valid and spam_form.is_valid():
            if claim_submission(spam_form.submission_nonce, f"owner-update-{business.pk}"):
                cleaned = {slug: form.cleaned_data for slug, _title, form in sections}
                registration = to_registration(cleaned, uploaded)
                registration.photos = [uploaded.get(name, "") for name in PHOTO_FIELDS]
                try:
                    services.update_by_owner(business, registration)
                except forms.ValidationError as exc:
                    _add_service_errors(sections, exc)
                    return _render_edit(
                        request, page, owner, business, sections, spam_form, False, uploaded
                    )
                if not registration.business.get("directory_opt_in"):
                    # Leaving the directory is consent withdrawn: it applies now, unreviewed.
                    services.withdraw_from_directory(business, via="owner")
            saved = True
        else:
            for error in spam_form.non_field_errors():
                sections[0][2].add_error(None, error)
    return _render_edit(request, page, owner, business, sections, spam_form, saved, uploaded)


def _add_service_errors(sections, exc):
    """Put the service's refusals beside their fields: business, documents or listing."""
    by_slug = {slug: form for slug, _title, form in sections}
    for field, messages in exc.message_dict.items():
        target = next(
            (by_slug[slug] for slug in ("legalitas", "direktori") if field in by_slug[slug].fields),
            by_slug["usaha"],
        )
        target.add_error(field if field in target.fields else None, messages)


def _render_edit(request, page, owner, business, sections, spam_form, saved, uploaded):
    context = page.get_context(request)
    context.update(
        owner=owner,
        business=business,
        sections=sections,
        has_errors=any(form.errors for _slug, _title, form in sections),
        spam_form=spam_form,
        saved=saved,
        home_url=request.path.split("usaha/")[0],
        uploads_field=UPLOADS_FIELD,
        uploads_token=signing.dumps(uploaded, salt=_uploads_salt(business)) if uploaded else "",
    )
    response = TemplateResponse(request, "sme_registry/owner_edit.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
