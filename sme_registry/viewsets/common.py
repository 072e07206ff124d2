"""Small pieces the registry's viewsets share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from core.viewsets import ScopedAdminModelForm
from sme_registry import permissions


class DesaChoiceField(forms.ModelChoiceField):
    """A desa named with its kecamatan: 435 names repeat across the regency."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kecamatan.name})"


class PlacedRecordForm(ScopedAdminModelForm):
    """A record placed in a kecamatan: only the user's own are offered, and checked again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kecamatan" not in self.fields:
            return
        from sme_registry.models import Desa

        kecamatan = permissions.placeable_kecamatan(self.for_user)
        self.fields["kecamatan"].queryset = kecamatan
        desa = self.fields["desa"]
        self.fields["desa"] = DesaChoiceField(
            queryset=Desa.objects.filter(kecamatan__in=kecamatan).select_related("kecamatan"),
            label=desa.label,
            help_text=desa.help_text,
        )

    def clean(self):
        cleaned = super().clean()
        kecamatan = cleaned.get("kecamatan")
        if kecamatan is not None:
            try:
                permissions.check_placement(self.for_user, kecamatan.pk)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


def bullet_list(rows):
    """Already-escaped rows as a list, or a dash when there are none."""
    if not rows:
        return "-"
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in rows)))


def person(user):
    return (user.get_full_name() or user.get_username()) if user else "—"
