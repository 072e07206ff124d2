"""A registration sent over JSON: the registration page's steps in one document.

Each section goes through the very step form the page uses, then the same
`to_registration` and `services.register_business`, so the API refuses what the
page refuses, with the same messages, and a registration lands in the same
review queue (source "api"). With files (`registrations/with-files/`, multipart)
the scans and photos go through the page's upload steps. The per-client limit is the page's (`REGISTRATIONS_PER_HOUR`); an
`Idempotency-Key` makes a retry return the first answer and store nothing twice.
"""

import hashlib
from typing import Any

import pydantic
from ninja import Field, Form, Router, Schema

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from core import form_schema, ratelimit
from core.api import ApiError, form_errors, idempotent, responses, validation_errors
from sme_registry import selectors
from sme_registry.forms import DOCUMENT_KINDS, FILE_STEPS, PHOTO_FIELDS
from sme_registry.models import Desa, Kecamatan, Source
from sme_registry.views.registration import (
    build_form,
    clean_uploads,
    status_url_for,
    steps_for,
    store_registration,
    to_registration,
)

router = Router(tags=["Submission"])

# The API's names for the page's steps (photos and the review step are not sent here).
SECTIONS = {
    "owner": "pemilik",
    "business": "usaha",
    "location": "lokasi",
    "money": "keuangan",
    "legal": "legalitas",
    "extra": "tambahan",
    "consent": "persetujuan",
}
_BY_SLUG = {slug: name for name, slug in SECTIONS.items()}
_BY_SLUG["foto"] = "photos"  # files only: sent as parts of a multipart registration
_REGION_FIELDS = {"kecamatan": Kecamatan, "desa": Desa}


def _section(description):
    return Field(default_factory=dict, description=description)


class RegistrationIn(Schema):
    owner: dict[str, Any] = _section(
        "full_name, nik, sex (L/P), birth_date (YYYY-MM-DD), phone, email, address, "
        "kecamatan and desa (codes, optional: where the owner lives), education, "
        "has_disability"
    )
    business: dict[str, Any] = _section(
        "name, kbli_category (letter), kbli_code, main_product, year_started, "
        "legal_form, nib, … (the fields of the page's Business step)"
    )
    location: dict[str, Any] = _section(
        "address, rt, rw, postal_code, kecamatan and desa (codes), latitude, longitude"
    )
    money: dict[str, Any] = _section(
        "annual_sales, capital, assets, workers_male, workers_female, … (rupiah, whole numbers)"
    )
    legal: dict[str, Any] = _section(
        "For each document kind: <kind>_number, <kind>_issued_on, <kind>_expires_on"
    )
    extra: dict[str, Any] = _section("Answers to the registration page's own questions")
    consent: dict[str, Any] = _section(
        "consent (true, required), directory_opt_in, public_phone, public_link"
    )
    referral_code: str = Field("", max_length=20, description="An outreach session's code")


class RegistrationOut(Schema):
    tracking_code: str
    status: str
    status_url: str
    message: str


def _with_region_ids(values):
    """The page's forms take a kecamatan or desa by its id; API callers know their codes."""
    values = dict(values)
    for name, model in _REGION_FIELDS.items():
        code = values.get(name)
        if isinstance(code, str) and code:
            found = model.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is not None:
                values[name] = str(found)
    return values


def _section_files(files, section):
    """The request's files of one section, by the page's field names (`legal.pirt_file`)."""
    picked = MultiValueDict()
    prefix = f"{section}."
    for name in files:
        if name.startswith(prefix):
            picked.setlist(name.removeprefix(prefix), files.getlist(name))
    return picked


def _unknown_files(page, files):
    """Names of sent files that no file field of the page's steps asks for."""
    known = set()
    for step in steps_for(page):
        if step.slug in FILE_STEPS:
            section = _BY_SLUG[step.slug]
            form = build_form(page, step, data=None)
            known |= {
                f"{section}.{name}"
                for name, field in form.fields.items()
                if isinstance(field, forms.FileField)
            }
    return sorted(set(files) - known)


def validated_registration(page, payload, files=None):
    """The RegistrationInput the page would build from these answers, or ApiError(422).

    With `files` (a multipart request) the legal documents' scans and the photos go
    through the page's own upload steps: checked by the same forms, then cleaned and
    stored privately only once every section is valid, inside the caller's transaction.
    """
    sent = {SECTIONS[name]: values for name, values in payload.items() if name in SECTIONS}
    cleaned, errors, upload_forms = {}, [], []
    if files:
        message = _("No question of the registration takes a file by this name.")
        errors += [
            {"field": name, "code": "unknown_field", "message": message}
            for name in _unknown_files(page, files)
        ]
    for step in steps_for(page):
        if step.slug not in _BY_SLUG or (step.slug == "foto" and not files):
            continue
        section = _BY_SLUG[step.slug]
        answers = sent.get(step.slug)
        if not isinstance(answers, dict):
            answers = {}
        # As a browser would send them: text, numbers, ticks and lists of choices only.
        data, wrong = form_schema.form_data(
            build_form(page, step, data=None, files={}), _with_region_ids(answers)
        )
        if wrong:
            message = _("This value is not valid.")
            errors += [
                {"field": f"{section}.{name}", "code": "invalid", "message": message}
                for name in wrong
            ]
            continue
        step_files = _section_files(files, section) if files and step.slug in FILE_STEPS else {}
        form = build_form(page, step, data=data, files=step_files)
        if form.is_valid():
            cleaned[step.slug] = form.cleaned_data
            if step_files:
                upload_forms.append((section, form))
        else:
            errors += form_errors(form, section)
    if errors:
        raise ApiError(422, errors)
    stored = {}
    for section, form in upload_forms:
        clean_uploads(form, stored)
        errors += form_errors(form, section)
    if errors:
        raise ApiError(422, errors)
    return to_registration(cleaned, stored)


def _files_fingerprint(document, files):
    """What identifies a multipart request whatever boundary the client chose."""
    digest = hashlib.sha256(document.encode())
    for name in sorted(files):
        for uploaded in files.getlist(name):
            digest.update(name.encode() + b"\0")
            for chunk in uploaded.chunks():
                digest.update(chunk)
            uploaded.seek(0)
    return digest.hexdigest()


def _register(request, response, payload, files=None, fingerprint=None):
    """Both registration endpoints: the page's limit, rules and door, once per key."""
    page = selectors.registration_page_for(request)
    if page is None:
        raise ApiError.one(404, "not_found", _("Registration is not open on this site."))
    page = page.specific

    @transaction.atomic
    def register():
        if ratelimit.is_limited(
            request, "registration-submit", settings.REGISTRATIONS_PER_HOUR, 3600
        ):
            raise ApiError.one(
                429, "rate_limited", _("Too many requests. Please try again in an hour.")
            )
        registration = validated_registration(page, payload.dict(), files)
        try:
            business = store_registration(
                request, page, registration, source=Source.API, referral_code=payload.referral_code
            )
        except ValidationError as exc:
            # A rule that depends on other records (a NIB registered meanwhile).
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            raise ApiError(
                422,
                [
                    {
                        "field": f"business.{name}" if name and name != "__all__" else None,
                        "code": "invalid",
                        "message": message,
                    }
                    for name, messages in errors.items()
                    for message in messages
                ],
            ) from exc
        return 201, {
            "tracking_code": business.tracking_code_display,
            "status": business.status,
            "status_url": f"{status_url_for(request, page)}?code={business.tracking_code_display}",
            "message": _(
                "Thank you. Your registration has been received and will be checked by "
                "our officers."
            ),
        }

    return idempotent(request, response, "registration", register, fingerprint=fingerprint)


@router.post(
    "/registrations/",
    response=responses(201, RegistrationOut, 404, 429),
    summary="Send a registration (every step in one document)",
    operation_id="create_registration",
)
def create_registration(request, response: HttpResponse, payload: RegistrationIn):
    """Store a registration for validation, exactly as the registration page does.

    The answer is the same whether or not the NIK was registered before (its owner
    then gets a private link), so it tells nobody whose NIK it is.
    """
    return _register(request, response, payload)


_FILE_PARTS = {
    **{f"legal.{kind}_file": f"A scan or photo of the {kind.label}" for kind in DOCUMENT_KINDS},
    **{f"photos.{name}": "A product photo (JPG, PNG or WebP)" for name in PHOTO_FIELDS},
}


@router.post(
    "/registrations/with-files/",
    response=responses(201, RegistrationOut, 404, 429),
    summary="Send a registration with its document scans and photos (multipart)",
    operation_id="create_registration_with_files",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["document"],
                        "properties": {
                            "document": {
                                "type": "string",
                                "description": "The same JSON document as POST registrations/",
                            },
                            **{
                                name: {
                                    "type": "string",
                                    "format": "binary",
                                    "description": description,
                                }
                                for name, description in _FILE_PARTS.items()
                            },
                        },
                    }
                }
            },
        }
    },
)
def create_registration_with_files(request, response: HttpResponse, document: Form[str]):
    """As POST registrations/, with files: `document` carries the JSON, and each file is a
    part named by its section and the page's field (`legal.pirt_file`, `photos.photo_1`).

    Files are checked and cleaned as on the page (type, size, pixels; images re-encoded
    without their metadata) and stored only with the registration; a refused file is
    named in the errors like any field.
    """
    try:
        payload = RegistrationIn.model_validate_json(document)
    except pydantic.ValidationError as exc:
        errors = validation_errors(exc.errors())
        for error in errors:
            error["field"] = f"document.{error['field']}" if error["field"] else "document"
        raise ApiError(422, errors) from exc
    return _register(
        request,
        response,
        payload,
        files=request.FILES,
        fingerprint=_files_fingerprint(document, request.FILES),
    )


def registration_questions(request, page):
    """The site's registration page's extra questions, for GET forms/{id}/ (read-only there).

    Only the page that POST registrations/ registers with: its answers go in `extra`.
    """
    registering = selectors.registration_page_for(request)
    if registering is None or registering.pk != page.pk:
        return None
    registering = registering.specific
    form_class = registering.extra_form_class()
    if form_class is None:
        return None
    return {
        "kind": "registration_questions",
        "form": form_class(page=registering),
        "submit_url": request.build_absolute_uri(reverse("registry_api:create_registration")),
        "note": _(
            "These questions are answered in the registration itself: send the answers as "
            "`extra` of POST registrations/, not to this form."
        ),
    }
