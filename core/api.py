"""What every JSON endpoint of the site shares: one error shape, in the caller's language.

A client (a kecamatan app, another government system) must be able to put each
message beside the field it concerns, so every error answer is
``{"errors": [{"field": ..., "code": ..., "message": ...}]}``: ``field`` is the
name of the parameter or body field (``null`` for the request as a whole),
``code`` a stable machine-readable word, ``message`` a sentence in Indonesian or
English after ``Accept-Language``. Django-ninja's own answers (``{"detail": ...}``
with pydantic's English) are replaced by this shape.
"""

from ninja import Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from django.http import Http404
from django.utils.translation import gettext as _

# Pydantic's error types, as the stable codes and the sentences this API gives for them.
_VALIDATION_CODES = {
    "missing": "required",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "string_pattern_mismatch": "invalid",
    "int_parsing": "invalid",
    "int_type": "invalid",
    "bool_parsing": "invalid",
    "date_parsing": "invalid",
    "date_from_datetime_parsing": "invalid",
    "enum": "invalid_choice",
    "literal_error": "invalid_choice",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
    "json_invalid": "invalid_json",
}
# The parts of pydantic's location that say where a value was read, not which field.
_SOURCES = {"query", "path", "body", "form", "header", "cookie", "file", "payload"}


class ErrorItem(Schema):
    field: str | None
    code: str
    message: str


class ErrorResponse(Schema):
    errors: list[ErrorItem]


def responses(ok_status, ok_schema, *error_statuses):
    """An operation's documented answers: its own, and the errors any request may get.

    400 (input the site refuses before reading it, such as control characters) and
    422 (a parameter or body that does not validate) can answer every operation.
    """
    documented = {ok_status: ok_schema, 400: ErrorResponse, 422: ErrorResponse}
    documented.update(dict.fromkeys(error_statuses, ErrorResponse))
    return documented


# A client past a per-client hourly limit may try again after this many seconds.
RETRY_AFTER = "3600"
# Ids are 32-bit database keys: a path parameter above this names nothing (a 422, not a 500).
MAX_ID = 2**31 - 1


class ApiError(Exception):
    """An answer other than 2xx with one or more structured errors."""

    def __init__(self, status, errors):
        self.status = status
        self.errors = errors
        super().__init__(errors)

    @classmethod
    def one(cls, status, code, message, field=None):
        return cls(status, [{"field": field, "code": code, "message": str(message)}])


def form_errors(form, section=None):
    """A Django form's errors as this API's items, with the form's own messages.

    A field's error names the field (``section.field`` inside a section of the
    body); an error of the form as a whole names the section, or nothing.
    """
    items = []
    for name, errors in form.errors.get_json_data().items():
        field = f"{section}.{name}" if section else name
        if name == "__all__":
            field = section
        items += [
            {"field": field, "code": error.get("code") or "invalid", "message": error["message"]}
            for error in errors
        ]
    return items


def idempotent(request, response, scope, handler, fingerprint=None):
    """The answer of a POST under its Idempotency-Key (`core.idempotency.run_once`).

    A kept answer is given back with the headers the first one had: an ApiError
    becomes a kept answer inside run_once, past this API's exception handler.
    """
    from core import idempotency

    status, body, replayed = idempotency.run_once(request, scope, handler, fingerprint)
    if replayed:
        response[idempotency.REPLAYED_HEADER] = "true"
    if status == 429:
        response["Retry-After"] = RETRY_AFTER
    return Status(status, body)


def _messages():
    return {
        "required": _("This field is required."),
        "too_short": _("This value is too short."),
        "too_long": _("This value is too long."),
        "invalid": _("This value is not valid."),
        "invalid_choice": _("This value is not one of the allowed choices."),
        "out_of_range": _("This value is out of the allowed range."),
        "invalid_json": _("The request body is not valid JSON."),
    }


def _field_name(location):
    parts = [str(part) for part in location if str(part) not in _SOURCES]
    return ".".join(parts) or None


def validation_errors(errors):
    """Ninja's validation errors (pydantic's) as this API's items, translated."""
    messages = _messages()
    items = []
    for error in errors:
        code = _VALIDATION_CODES.get(error.get("type", ""), "invalid")
        items.append(
            {
                "field": _field_name(error.get("loc", ())),
                "code": code,
                "message": str(messages.get(code, messages["invalid"])),
            }
        )
    return items


def install_error_handlers(api):
    """Give ``api`` (a NinjaAPI) the site's error shape for every answer that is not 2xx."""

    def respond(request, status, errors, headers=None):
        response = api.create_response(request, {"errors": errors}, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    def on_api_error(request, exc):
        headers = {"Retry-After": RETRY_AFTER} if exc.status == 429 else None
        return respond(request, exc.status, exc.errors, headers)

    def on_validation_error(request, exc):
        return respond(request, 422, validation_errors(exc.errors))

    def on_not_found(request, exc):
        return respond(
            request, 404, [{"field": None, "code": "not_found", "message": _("Not found.")}]
        )

    def on_authentication_error(request, exc):
        message = _("Authentication is required: send a valid API token.")
        return respond(
            request,
            401,
            [{"field": None, "code": "unauthorized", "message": message}],
            {"WWW-Authenticate": "Bearer"},
        )

    def on_http_error(request, exc):
        message = _("The request could not be processed.")
        return respond(
            request, exc.status_code, [{"field": None, "code": "error", "message": message}]
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
