"""Business rules declared on the model, applied wherever the model is validated.

A rule names the fields it reads and the field its message belongs to. It
runs in `full_clean()` whenever all its fields are being validated, so a
ModelForm holding some of a model's fields (one step of the public form, the
admin form, the owner's update page) applies exactly the rules about those
fields, and a complete record is checked against all of them — by the public
form, the admin, imports, the API and commands alike. Django's own `clean()`
cannot tell which fields a form holds; `clean_fields(exclude)` can.

Where the database can hold a rule too, the model also declares a
CheckConstraint, so nothing written around the models breaks it either. Such a
constraint is the database's guard, not a second check in `full_clean()`: its
rule has already judged the same fields in Python, and Django would otherwise
ask the database once per constraint and record (an import checks thousands).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Rule:
    """`check(instance)` raises ValidationError (or returns a message) when broken."""

    fields: tuple
    check: Callable
    field: str = ""

    @property
    def target(self):
        return self.field or self.fields[0]


class RulesMixin(models.Model):
    """Runs the model's `rules` as part of field validation (see the module docstring)."""

    rules = ()

    class Meta:
        abstract = True

    def _loaded_relations(self):
        """Foreign keys whose object was read from the database: it exists, so no query asks."""
        names = set()
        for field in self._meta.concrete_fields:
            if not (field.many_to_one and field.is_cached(self)):
                continue
            related = field.get_cached_value(self)
            if (
                related is not None
                and not related._state.adding
                and getattr(self, field.attname) == related.pk
            ):
                names.add(field.name)
        return names

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=set(exclude or ()) | self._loaded_relations())
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        excluded = set(exclude or ())
        for rule in self.rules:
            if excluded & set(rule.fields) or any(name in errors for name in rule.fields):
                continue
            try:
                message = rule.check(self)
            except ValidationError as exc:
                message = exc
            if message:
                errors.setdefault(rule.target, []).extend(
                    message.error_list
                    if isinstance(message, ValidationError)
                    else [ValidationError(message)]
                )
        if errors:
            raise ValidationError(errors)

    def get_constraints(self):
        """What `validate_constraints()` checks: unique constraints; check constraints are rules."""
        return [
            (model, [c for c in constraints if not isinstance(c, models.CheckConstraint)])
            for model, constraints in super().get_constraints()
        ]
