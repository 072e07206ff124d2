"""A form-builder form as JSON Schema, and JSON answers as the data that form reads.

Editors build forms in the admin (Wagtail's form builder): a JSON client needs
to know what such a form asks before it can send it. The schema is read from the
built Django form (the very form that will check the answers), so its choices,
lengths and required fields are the form's own. The same type mapping turns a
JSON document into the strings, lists and booleans the form reads from a POST;
a value of the wrong JSON type is refused here, before it could reach a form
field that expects text.
"""

import html

from django import forms

from core.spam import HONEYPOT_FIELD, TOKEN_FIELD

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Pages of other apps with form-builder questions that are answered elsewhere (the
# registration page's extra questions) describe them through this hook:
# `hook(request, page)` returns None, or a dict with `kind`, `form` (an unbound
# form), `submit_url` and `note` (where the answers go).
FORM_QUESTIONS_HOOK = "registry_api_form_questions"
_SPAM_FIELDS = {HONEYPOT_FIELD, TOKEN_FIELD}
_NUMBER_FIELDS = (forms.DecimalField, forms.FloatField, forms.IntegerField)
_STRING_FORMATS = (
    (forms.EmailField, "email"),
    (forms.URLField, "uri"),
    (forms.DateTimeField, "date-time"),
    (forms.DateField, "date"),
)


def question_fields(form):
    """The form's questions, without the hidden spam-protection fields."""
    return {name: field for name, field in form.fields.items() if name not in _SPAM_FIELDS}


def _text(value):
    # The form builder escapes help texts for HTML; JSON carries them as plain text.
    return html.unescape(str(value or ""))


def _type_of(field):
    if isinstance(field, forms.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, forms.MultipleChoiceField):
        choices = [str(value) for value, _label in field.choices]
        return {"type": "array", "items": {"type": "string", "enum": choices}, "uniqueItems": True}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _label in field.choices]}
    if isinstance(field, forms.IntegerField) and not isinstance(
        field, (forms.DecimalField, forms.FloatField)
    ):
        return {"type": "integer"}
    if isinstance(field, _NUMBER_FIELDS):
        return {"type": "number"}
    described = {"type": "string"}
    for field_class, string_format in _STRING_FORMATS:
        if isinstance(field, field_class):
            described["format"] = string_format
            break
    if getattr(field, "max_length", None):
        described["maxLength"] = field.max_length
    if field.required:
        described["minLength"] = 1
    return described


def _property(field):
    described = {**_type_of(field), "title": _text(field.label)}
    if field.help_text:
        described["description"] = _text(field.help_text)
    if isinstance(field, forms.BooleanField) and field.required:
        # A required checkbox must be ticked, not merely sent.
        described["const"] = True
    default = _default(field, described)
    if default:
        described["default"] = default
    return described


def _default(field, described):
    """The editor's default answer, where it is one the schema allows (none is "")."""
    initial = field.initial
    if described["type"] == "array" and isinstance(initial, (list, tuple)):
        allowed = described["items"]["enum"]
        return [str(value) for value in initial if str(value) in allowed]
    if described["type"] == "string" and isinstance(initial, str):
        if "enum" in described and initial not in described["enum"]:
            return ""
        return initial
    return None


def json_schema(form, *, title, description=""):
    """A JSON Schema (draft 2020-12) of an object with the form's questions as properties."""
    fields = question_fields(form)
    schema = {
        "$schema": JSON_SCHEMA_DIALECT,
        "type": "object",
        "title": str(title),
        "properties": {name: _property(field) for name, field in fields.items()},
        "required": [name for name, field in fields.items() if field.required],
    }
    if description:
        schema["description"] = str(description)
    return schema


def _form_value(field, value):
    """The value as a POST would carry it for this field, or raise ValueError."""
    if isinstance(field, forms.BooleanField):
        if isinstance(value, bool):
            return value
    elif isinstance(field, forms.MultipleChoiceField):
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
    elif isinstance(value, str):
        return value
    elif isinstance(field, _NUMBER_FIELDS) and type(value) in (int, float):
        return str(value)
    raise ValueError(value)


def form_data(form, answers):
    """(data, names of wrongly typed answers) for binding `form`'s class to JSON `answers`.

    An answer that is null counts as not given; names the form does not ask are
    left out, as a POST's unknown fields are. The honeypot is passed on, so a
    filled one is refused by the form itself.
    """
    data, wrong = {}, []
    for name, value in answers.items():
        field = form.fields.get(name)
        if field is None or name == TOKEN_FIELD or value is None:
            continue
        try:
            data[name] = _form_value(field, value)
        except ValueError:
            wrong.append(name)
    return data, wrong
