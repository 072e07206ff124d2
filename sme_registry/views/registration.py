"""The public multi-step registration, handled on the server so it works without JavaScript."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core import uploads as core_uploads
from core.middleware import permissions_policy
from core.spam import SpamProtectionMixin, claim_submission
from core.views import too_many_requests
from sme_registry import links, maps, notifications, services, uploads
from sme_registry.forms import (
    CONSENT_VERSION,
    DOCUMENT_KINDS,
    FILE_STEPS,
    PHOTO_FIELDS,
    STEPS,
)
from sme_registry.models import Desa, DocumentKind, Kecamatan, RegistrationDraft, Source
from sme_registry.models.outreach import REFERRAL_RE


class SpamCheckForm(SpamProtectionMixin):
    """The hidden honeypot and timing token, checked on the first and the last step."""


def entry_context(params):
    """Where a registration came from, read from the first request of the form.

    ``ref`` is the referral code of an outreach session (printed on its QR
    poster); ``kembali`` is the id of a page to return to when the
    registration is sent (a training the visitor wanted to sign up for). Both
    travel as hidden fields of the first step and are kept in the draft.
    """
    context = {}
    ref = (params.get("ref") or "").strip().upper()
    if REFERRAL_RE.match(ref):
        context["ref"] = ref
    back = (params.get("kembali") or "").strip()
    if back.isdigit() and len(back) < 12:
        context["return_page"] = int(back)
    return context


def return_link(draft):
    """The page the person came from and the address that continues there, if any.

    A page takes part by defining ``registration_return_url(draft)``.
    """
    from wagtail.models import Page

    page_id = (draft.data.get("context") or {}).get("return_page")
    if not page_id:
        return None, ""
    page = Page.objects.live().public().filter(pk=page_id).first()
    page = page.specific if page else None
    if page is None or not hasattr(page, "registration_return_url"):
        return None, ""
    return page, page.registration_return_url(draft)


def steps_for(page):
    has_extra = page.extra_form_class() is not None
    return [s for s in STEPS if s.slug != "tambahan" or has_extra]


def _step_by_slug(page, slug):
    for index, step in enumerate(steps_for(page)):
        if step.slug == slug:
            return index, step
    raise Http404


def _form_class(page, step):
    return page.extra_form_class() if step.slug == "tambahan" else step.form_class


def build_form(page, step, draft=None, data=None, files=None):
    form_class = _form_class(page, step)
    kwargs = {}
    if step.slug in FILE_STEPS:
        kwargs["stored_files"] = draft.files if draft else {}
    if step.slug == "tambahan":
        kwargs["page"] = page
    if data is not None:
        return form_class(data, files, **kwargs)
    initial = draft.data.get(step.slug, {}) if draft else {}
    return form_class(initial=initial, **kwargs)


def raw_values(form):
    """The answers as typed (files aside), kept in the draft and validated again at the end."""
    values = {}
    for name, field in form.fields.items():
        if field.widget.needs_multipart_form and hasattr(field, "allow_empty_file"):
            continue
        values[name] = field.widget.value_from_datadict(form.data, form.files, name)
    return values


def clean_uploads(form, stored):
    """Clean each file sent with ``form`` and store it at once, so a later error does not lose it.

    ``stored`` maps field names to stored names and is updated in place; the names it
    held before are returned as replaced (to delete once the change is committed). A
    refused file gets its message beside its field, once: it takes the place of what
    the field itself said (its own "empty file" check says the same thing less
    helpfully). Stored files follow the request's transaction (``uploads.store_private``).
    """
    replaced = []
    for name in form.fields:
        uploaded = form.files.get(form.add_prefix(name))
        if not uploaded:
            continue
        cleaner = uploads.clean_image if name in PHOTO_FIELDS else uploads.clean_document
        try:
            content = cleaner(uploaded)
        except ValidationError as exc:
            form.errors.pop(name, None)
            form.add_error(name, exc)
            continue
        if stored.get(name):
            replaced.append(stored[name])
        stored[name] = uploads.store_private(content)
    return replaced


def store_uploads(form, draft, step):
    """Clean and store the step's files in the draft, which is locked while they change.

    The lock makes a parallel request for the same draft wait and then see the files
    stored by this one, so neither leaves a file that the draft no longer names. A
    replaced file is deleted only when the new name is committed.
    """
    if not any(form.files.get(form.add_prefix(name)) for name in form.fields):
        return
    with transaction.atomic():
        locked = RegistrationDraft.objects.select_for_update().only("files").get(pk=draft.pk)
        draft.files = dict(locked.files)
        storage = uploads.private_storage()
        for previous in clean_uploads(form, draft.files):
            core_uploads.delete_on_commit(storage, previous)


def _draft(page, token):
    draft = RegistrationDraft.objects.filter(page=page, token=token).first()
    if draft is None:
        raise Http404
    return draft


def _step_url(page, draft, slug):
    return page.url + f"draf/{draft.token}/{slug}/"


def _location_map():
    """The location step's map and "use my location" (progressive: the typed fields work
    alone). The map loads only when the owner asks for it: tiles cost a phone's data."""
    return {
        **maps.map_settings(),
        "zoom": 11,
        "leaflet_js": static("vendor/leaflet/leaflet.js"),
        "leaflet_css": static("vendor/leaflet/leaflet.css"),
        "strings": {
            "show": _("Choose on a map"),
            "locate": _("Use my location"),
            "locating": _("Looking for your location..."),
            "found": _(
                "Latitude and longitude filled in from your location. Check them on the map or correct them."
            ),
            "denied": _("Your location could not be read. Type the numbers or tap the map."),
            "tap": _(
                "Tap the map where your business is: the latitude and longitude are filled in."
            ),
            "placed": _("Latitude and longitude filled in from the map."),
            "map": _("Map for choosing the business location"),
        },
    }


def _render(request, page, step, form, draft=None, spam_form=None, extra=None):
    steps = steps_for(page)
    index = steps.index(step)
    context = page.get_context(request)
    context.update(
        step=step,
        steps=steps,
        step_number=index + 1,
        step_total=len(steps),
        form=form,
        spam_form=spam_form,
        draft=draft,
        resume_url=request.build_absolute_uri(page.url + f"draf/{draft.token}/") if draft else "",
        previous_step=steps[index - 1] if index else None,
        region_select=step.slug in {"pemilik", "lokasi"},
        location_map=_location_map() if step.slug == "lokasi" else None,
        entry_context=entry_context(request.POST or request.GET) if draft is None else {},
        **(extra or {}),
    )
    response = TemplateResponse(request, "sme_registry/registration_step.html", context)
    if step.slug == "lokasi":
        # "Use my location": this page alone may ask for the phone's position.
        response.headers["Permissions-Policy"] = permissions_policy(geolocation=["self"])
    return response


def start(request, page):
    first = steps_for(page)[0]
    if request.method != "POST":
        return _render(request, page, first, build_form(page, first), spam_form=SpamCheckForm())
    if ratelimit.is_limited(
        request, "registration-start", settings.REGISTRATION_DRAFTS_PER_HOUR, 3600
    ):
        return too_many_requests(request)
    form = build_form(page, first, data=request.POST)
    spam_form = SpamCheckForm(request.POST)
    if not spam_form.is_valid():
        form.is_valid()
        for error in spam_form.non_field_errors():
            form.add_error(None, error)
        return _render(request, page, first, form, spam_form=spam_form)
    if not form.is_valid():
        return _render(request, page, first, form, spam_form=spam_form)
    if not claim_submission(spam_form.submission_nonce, "registration-start"):
        # The same first step sent twice: continue with the draft it created.
        draft = RegistrationDraft.objects.filter(
            page=page, data__nonce=spam_form.submission_nonce
        ).first()
        if draft:
            return redirect(_step_url(page, draft, steps_for(page)[1].slug))
    draft = RegistrationDraft.objects.create(
        page=page,
        data={
            first.slug: raw_values(form),
            "nonce": spam_form.submission_nonce,
            "context": entry_context(request.POST),
        },
    )
    return redirect(_step_url(page, draft, steps_for(page)[1].slug))


def resume(request, page, token):
    draft = _draft(page, token)
    if draft.is_completed:
        return redirect(page.url + f"selesai/{draft.token}/")
    steps = steps_for(page)
    for step in steps[:-1]:
        if step.slug not in draft.data:
            return redirect(_step_url(page, draft, step.slug))
    return redirect(_step_url(page, draft, steps[-1].slug))


def step(request, page, token, step):
    draft = _draft(page, token)
    if draft.is_completed:
        return redirect(page.url + f"selesai/{draft.token}/")
    index, current = _step_by_slug(page, step)
    steps = steps_for(page)
    if current.slug == "periksa":
        return review(request, page, draft, current)
    if request.method != "POST":
        pending = draft.data.get("errors", {}).pop(current.slug, None)
        if not pending:
            return _render(request, page, current, build_form(page, current, draft), draft)
        # Errors found when the registration was sent (e.g. a NIB taken meanwhile).
        form = build_form(page, current, draft, data=draft.data.get(current.slug, {}), files={})
        form.is_valid()
        for name, messages in pending.items():
            form.add_error(name if name in form.fields else None, messages)
        draft.save()
        return _render(request, page, current, form, draft)

    form = build_form(page, current, draft, data=request.POST, files=request.FILES)
    if request.POST.get("action") == "back":
        draft.data[current.slug] = raw_values(form)
        if current.slug in FILE_STEPS:
            store_uploads(form, draft, current)
        draft.save()
        return redirect(_step_url(page, draft, steps[max(index - 1, 0)].slug))
    valid = form.is_valid()
    if current.slug in FILE_STEPS:
        store_uploads(form, draft, current)
        valid = valid and not form.errors
    draft.data[current.slug] = raw_values(form)
    draft.save()
    if not valid:
        return _render(request, page, current, form, draft)
    return redirect(_step_url(page, draft, steps[index + 1].slug))


def collect(page, draft):
    """Validate every step again and assemble the registration, or name the first bad step."""
    cleaned = {}
    for step in steps_for(page):
        if step.slug == "periksa":
            continue
        form = build_form(page, step, draft, data=draft.data.get(step.slug, {}), files={})
        if not form.is_valid():
            return None, step
        cleaned[step.slug] = form.cleaned_data
    return to_registration(cleaned, draft.files), None


def _pk(value):
    return getattr(value, "pk", value)


def to_registration(cleaned, files):
    owner = dict(cleaned["pemilik"])
    owner["kecamatan_id"] = _pk(owner.pop("kecamatan", None))
    owner["desa_id"] = _pk(owner.pop("desa", None))
    business = dict(cleaned["usaha"])
    location = dict(cleaned["lokasi"])
    location["kecamatan_id"] = _pk(location.pop("kecamatan"))
    location["desa_id"] = _pk(location.pop("desa"))
    business.update(location)
    business.update(cleaned["keuangan"])
    consent = cleaned.get("persetujuan", {})
    # The opt-in and its public contact: on the consent step, or the owner's own section.
    listing = cleaned.get("direktori", consent)
    if "persetujuan" in cleaned or "direktori" in cleaned:
        opted_in = bool(listing.get("directory_opt_in"))
        business["directory_opt_in"] = opted_in
        business["public_phone"] = listing.get("public_phone", "") if opted_in else ""
        business["public_link"] = listing.get("public_link", "") if opted_in else ""
    documents = []
    # Without the legal step (the owner's page may leave it out) only what is known is
    # sent: the NIB number and any file, so that an update keeps the dates on record.
    legal = cleaned.get("legalitas")
    for kind in DOCUMENT_KINDS:
        doc = {"kind": kind.value, "file": files.get(f"{kind}_file") or ""}
        if kind == DocumentKind.NIB:
            doc["number"] = business.get("nib", "")
        if legal is not None:
            if kind != DocumentKind.NIB:
                doc["number"] = legal.get(f"{kind}_number", "")
            doc["issued_on"] = legal.get(f"{kind}_issued_on")
            doc["expires_on"] = legal.get(f"{kind}_expires_on")
        if any(doc.get(key) for key in ("number", "file", "issued_on", "expires_on")):
            documents.append(doc)
    extra = {k: _plain(v) for k, v in cleaned.get("tambahan", {}).items()}
    return services.RegistrationInput(
        owner=owner,
        business=business,
        documents=documents,
        photos=[files[name] for name in PHOTO_FIELDS if files.get(name)],
        extra_answers=extra,
        consent_version=CONSENT_VERSION if consent.get("consent") else "",
    )


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value if isinstance(value, (bool, int, float, str)) or value is None else str(value)


def review(request, page, draft, current):
    registration, bad_step = collect(page, draft)
    if bad_step is not None:
        return redirect(_step_url(page, draft, bad_step.slug))
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect(_step_url(page, draft, steps_for(page)[-2].slug))
        if ratelimit.is_limited(
            request, "registration-submit", settings.REGISTRATIONS_PER_HOUR, 3600
        ):
            return too_many_requests(request)
        spam_form = SpamCheckForm(request.POST)
        if spam_form.is_valid():
            return submit(request, page, draft, registration, spam_form.submission_nonce)
    else:
        spam_form = SpamCheckForm()
    return _render(
        request,
        page,
        current,
        spam_form,
        draft,
        spam_form=spam_form,
        extra={"summary": summarise(registration, page)},
    )


def status_url_for(request, page):
    return request.build_absolute_uri(page.url + page.reverse_subpage("status"))


def store_registration(request, page, registration, *, source, owner=None, referral_code=""):
    """Register through the one door, with the notices a registration from `page` sends.

    Used by the page's last step and by the API: the tracking code goes to the
    sender, and a registered NIK's owner gets a private link instead of a second owner.
    """
    status_url = status_url_for(request, page)

    def nik_reused(owner):
        link = links.owner_link(owner, page, request)
        notifications.send_owner_link.enqueue(owner.pk, link, "nik_reused")

    def registered(business):
        notifications.send_tracking_code.enqueue(business.pk, status_url)

    with transaction.atomic():
        return services.register_business(
            registration,
            source=source,
            page=page,
            owner=owner,
            on_nik_reused=nik_reused,
            on_registered=registered,
            referral_code=referral_code,
        )


def submit(request, page, draft, registration, nonce):
    done_url = page.url + f"selesai/{draft.token}/"
    draft = RegistrationDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.is_completed or not claim_submission(nonce, "registration"):
        return redirect(done_url)
    try:
        business = store_registration(
            request,
            page,
            registration,
            source=Source.PUBLIC_FORM,
            owner=draft.owner,
            referral_code=(draft.data.get("context") or {}).get("ref", ""),
        )
    except ValidationError as exc:
        # A rule that depends on other records (a NIB taken meanwhile): back to its step.
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        slug = "usaha" if "nib" in errors else steps_for(page)[0].slug
        draft.data.setdefault("errors", {})[slug] = errors
        draft.save()
        return redirect(_step_url(page, draft, slug))
    draft.complete(business)
    return redirect(done_url)


def done(request, page, token):
    draft = _draft(page, token)
    if not draft.is_completed or draft.business is None:
        return redirect(page.url + f"draf/{draft.token}/")
    context = page.get_context(request)
    return_page, return_url = return_link(draft)
    context.update(
        business=draft.business,
        status_url=page.url + page.reverse_subpage("status"),
        return_page=return_page,
        return_url=return_url,
    )
    return TemplateResponse(request, "sme_registry/registration_done.html", context)


def summarise(registration, page):
    """What the person is about to send, section by section, with the NIK masked."""
    from sme_registry import validators

    owner, business = registration.owner, registration.business
    kecamatan = dict(Kecamatan.objects.values_list("pk", "name"))
    desa = dict(
        Desa.objects.filter(pk__in=[business["desa_id"], owner.get("desa_id")]).values_list(
            "pk", "name"
        )
    )
    yes, no = _("yes"), _("no")
    sections = [
        (
            "pemilik",
            _("Owner"),
            [
                (_("Full name"), owner["full_name"]),
                (_("NIK"), validators.mask_nik(owner["nik"])),
                (_("Birth date"), owner["birth_date"]),
                (_("Phone / WhatsApp number"), validators.format_phone_national(owner["phone"])),
                (_("E-mail"), owner.get("email") or "—"),
            ],
        ),
        (
            "usaha",
            _("Business"),
            [
                (_("Business name"), business["name"]),
                (_("Main product or service"), business["main_product"]),
                (_("NIB"), business.get("nib") or "—"),
                (_("Year the business started"), business["year_started"]),
            ],
        ),
        (
            "lokasi",
            _("Location"),
            [
                (_("Business address"), business["address"]),
                (_("Kecamatan"), kecamatan.get(business["kecamatan_id"], "")),
                (_("Desa/kelurahan"), desa.get(business["desa_id"], "")),
            ],
        ),
        (
            "keuangan",
            _("Money and workers"),
            [
                (_("Business capital (Rp)"), _rupiah(business.get("capital"))),
                (_("Sales in the last year (Rp)"), _rupiah(business.get("annual_sales"))),
                (
                    _("Workers"),
                    (business.get("workers_male") or 0) + (business.get("workers_female") or 0),
                ),
            ],
        ),
        (
            "legalitas",
            _("Legal documents"),
            [
                (DocumentKind(doc["kind"]).label, doc.get("number") or _("file uploaded"))
                for doc in registration.documents
            ]
            or [(_("Legal documents"), "—")],
        ),
        ("foto", _("Photos"), [(_("Product photos"), len(registration.photos))]),
    ]
    if registration.extra_answers:
        labels = page.extra_labels()
        sections.append(
            (
                "tambahan",
                _("Extra questions"),
                [
                    (
                        labels.get(k, k),
                        ", ".join(v)
                        if isinstance(v, list)
                        else (v if v not in (None, "") else "—"),
                    )
                    for k, v in registration.extra_answers.items()
                ],
            )
        )
    sections.append(
        (
            "persetujuan",
            _("Consent"),
            [
                (
                    _("Listed in the public directory"),
                    yes if business.get("directory_opt_in") else no,
                ),
                *(
                    [
                        (
                            _("Public phone / WhatsApp number"),
                            validators.format_phone_national(business.get("public_phone", ""))
                            or "—",
                        ),
                        (_("Online shop or marketplace link"), business.get("public_link") or "—"),
                    ]
                    if business.get("directory_opt_in")
                    else []
                ),
            ],
        )
    )
    return sections


def _rupiah(value):
    if value in (None, ""):
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")
