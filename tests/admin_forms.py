"""Posting Wagtail admin forms as a browser would: every field with what the form shows."""


def _value(bound):
    value = bound.value()
    if isinstance(value, bool):
        return "on" if value else None
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def form_data(form, **overrides):
    """The POST data that re-submits `form` (with its inline formsets) unchanged."""
    data = {}
    for name in form.fields:
        value = _value(form[name])
        if value is not None:
            data[form.add_prefix(name)] = value
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for child in formset.forms:
            data.update(form_data(child))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
