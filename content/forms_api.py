"""Form-builder pages over JSON: what a form asks (/forms/{id}/) and sending it (…/submissions/).

The questions are described as JSON Schema read from the page's own form, and an
answer goes through that same form and the page's own `process_form_submission`,
so it is checked, stored and e-mailed exactly as one sent on the page. A program
cannot return the page's form token: the honeypot still applies (absent or empty),
and the per-client limit of the page and an `Idempotency-Key` take the token's
place. Questions of other apps' pages that are answered elsewhere (the
registration page's extra questions) are described here too, read-only, through
`core.form_schema.FORM_QUESTIONS_HOOK`.
"""

from typing import Any

from ninja import Body, Field, Path, Router, Schema

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.models import Page

from content.models import FormPage
from core import form_schema
from core.api import MAX_ID, ApiError, form_errors, idempotent, responses
from core.api_fields import rich_text_html
from core.links import absolute_url

router = Router()

ANSWERS = Body(..., description="One value per question (see GET forms/{id}/)")


class FormOut(Schema):
    id: int
    kind: str = Field(
        description="`form`: send the answers to `submit_url` (POST forms/{id}/submissions/); "
        "`registration_questions`: the registration page's extra questions, answered in "
        "`extra` of POST registrations/ and not sent here"
    )
    title: str
    url: str = Field(description="The page on the site")
    submit_url: str = Field(description="Where the answers are sent")
    # "schema" itself would shadow the Schema class's own attribute.
    schema_: dict[str, Any] = Field(
        alias="schema",
        description="JSON Schema (draft 2020-12) of the answers: one property per question",
    )


class SubmissionOut(Schema):
    id: int
    message: str
    thank_you_text: str = Field(
        description="The page's text after sending, as display HTML (empty when it has none)"
    )


def _page_id():
    return Path(..., ge=1, le=MAX_ID, description="The page's id")


def _live_page(page_id):
    page = Page.objects.live().public().filter(pk=page_id).first()
    return page.specific if page is not None else None


def _not_found():
    return ApiError.one(404, "not_found", _("No published form has this id."))


def _api_form(request, page, data=None):
    """The page's own form, built as for a program (no form token to send back)."""
    args = (data, {}) if data is not None else ()
    return page.get_form(*args, page=page, user=request.user, browser=False)


def _described(request, page):
    if isinstance(page, FormPage):
        path = reverse("registry_api:create_form_submission", kwargs={"page_id": page.pk})
        return {
            "kind": "form",
            "form": _api_form(request, page),
            "submit_url": absolute_url(path, request),
            "note": "",
        }
    for describe in hooks.get_hooks(form_schema.FORM_QUESTIONS_HOOK):
        described = describe(request, page)
        if described is not None:
            return described
    return None


@router.get(
    "/forms/{page_id}/",
    response=responses(200, FormOut, 404),
    summary="The questions of a form page, as JSON Schema",
    operation_id="get_form",
    by_alias=True,
    tags=["Public"],
)
def get_form(request, page_id: int = _page_id()):
    """What a live, public form page asks: its questions as JSON Schema, and where to send them.

    Also the extra questions of the site's registration page (`kind`
    `registration_questions`): they are answered in `extra` of POST registrations/.
    """
    page = _live_page(page_id)
    described = _described(request, page) if page is not None else None
    if described is None:
        raise _not_found()
    return {
        "id": page.pk,
        "kind": described["kind"],
        "title": page.title,
        "url": page.full_url or "",
        "submit_url": described["submit_url"],
        "schema": form_schema.json_schema(
            described["form"], title=page.title, description=described["note"]
        ),
    }


@router.post(
    "/forms/{page_id}/submissions/",
    response=responses(201, SubmissionOut, 404, 429),
    summary="Send the answers of a form page",
    operation_id="create_form_submission",
    tags=["Submission"],
)
def create_form_submission(
    request,
    response: HttpResponse,
    answers: dict[str, Any] = ANSWERS,
    page_id: int = _page_id(),
):
    """Store the answers exactly as the form page does (and e-mail them, where it does).

    Errors name the question (`field` is its name in the schema); a filled honeypot
    field (`website`) is refused as on the page.
    """
    page = _live_page(page_id)
    if not isinstance(page, FormPage):
        raise _not_found()

    def submit():
        data, wrong = form_schema.form_data(_api_form(request, page), answers)
        if wrong:
            message = _("This value is not valid.")
            raise ApiError(
                422, [{"field": name, "code": "invalid", "message": message} for name in wrong]
            )
        form = _api_form(request, page, data)
        if not form.is_valid():
            raise ApiError(422, form_errors(form))
        if page.submissions_limited(request):
            raise ApiError.one(
                429, "rate_limited", _("Too many requests. Please try again in an hour.")
            )
        submission = page.process_form_submission(form)
        return 201, {
            "id": submission.pk,
            "message": _("Your message has been received."),
            "thank_you_text": rich_text_html(page.thank_you_text) if page.thank_you_text else "",
        }

    return idempotent(request, response, f"form-submission:{page.pk}", submit)
