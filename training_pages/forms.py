from django import forms
from django.utils.translation import gettext_lazy as _

from training_pages import selectors
from training_pages.models import ActivityPage

PAST_VALUE = "lalu"


class ActivityFilterForm(forms.Form):
    """The filters above the list of trainings and events (a GET form, no JavaScript)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    topik = forms.ChoiceField(label=_("Topic"), required=False)
    kecamatan = forms.TypedChoiceField(
        label=_("Kecamatan"), required=False, coerce=int, empty_value=None
    )
    mode = forms.ChoiceField(
        label=_("Held"),
        required=False,
        choices=[("", _("Online and in person"))] + list(ActivityPage.Mode.choices),
    )
    waktu = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Upcoming")), (PAST_VALUE, _("Past"))],
    )

    def __init__(self, data, *, index):
        super().__init__(data)
        self.fields["topik"].choices = [("", _("All topics"))] + [
            (slug, name) for slug, name in selectors.topic_choices(index)
        ]
        self.fields["kecamatan"].choices = [("", _("All kecamatan"))] + [
            (k.pk, k.name) for k in selectors.kecamatan_choices(index)
        ]

    def filters(self):
        """The valid part of what was asked; a stale or mistyped value is left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "when": selectors.PAST if data.get("waktu") == PAST_VALUE else selectors.UPCOMING,
            "topic": data.get("topik") or None,
            "kecamatan": data.get("kecamatan") or None,
            "mode": data.get("mode") or None,
            "q": (data.get("q") or "").strip() or None,
        }
