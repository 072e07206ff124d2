"""Analisis → Kualitas data: the records whose data needs work, one check per row.

Each check is a condition on a record (`condition`) that the screen counts and the
registry list filters by (its *Data quality* filter), so a count and the list it opens
always agree. Counted in one pass over the records, kept and refreshed like the other
screens (`analysis.figures_for`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sme_registry import analysis, selectors
from sme_registry.models import Business, LegalDocument


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    definition: str


CHECKS = (
    Check(
        "no_coordinates",
        gettext_lazy("No map location"),
        gettext_lazy("Latitude or longitude not given: the business cannot be shown on a map."),
    ),
    Check(
        "no_nib",
        gettext_lazy("No NIB"),
        gettext_lazy("No Nomor Induk Berusaha given: the business has no OSS licence on record."),
    ),
    Check(
        "no_kbli_code",
        gettext_lazy("No KBLI code"),
        gettext_lazy("Only the KBLI category is given, not the five-digit business code."),
    ),
    Check(
        "no_scale",
        gettext_lazy("Scale cannot be computed"),
        gettext_lazy("Capital or annual sales missing: no scale follows from PP 7/2021."),
    ),
    Check(
        "scale_mismatch",
        gettext_lazy("Scale differs from the owner's"),
        gettext_lazy("The scale the owner chose differs from the one computed from the figures."),
    ),
    Check(
        "nik_outside_bogor",
        gettext_lazy("NIK issued outside Kabupaten Bogor"),
        gettext_lazy(
            "The owner's NIK was issued by another regency or city (its first four digits "
            "are not 3201): allowed, but worth a look."
        ),
    ),
    Check(
        "birth_date_mismatch",
        gettext_lazy("Birth date differs from the NIK"),
        gettext_lazy("The owner's birth date or sex is not the one the NIK encodes."),
    ),
    Check(
        "likely_duplicate",
        gettext_lazy("Likely duplicate, not merged"),
        gettext_lazy(
            "A record with a similar name in the same desa was found at registration and "
            "the two have not been merged yet."
        ),
    ),
    Check(
        "document_expired",
        gettext_lazy("Legal document expired"),
        gettext_lazy("At least one legal document (NIB, P-IRT, halal, ...) whose validity ended."),
    ),
    Check(
        "stale",
        gettext_lazy("Validated, not updated for months"),
        gettext_lazy(
            "Validated records not changed by the owner or staff for %(months)s months or "
            "more: the ones the update reminders go to."
        ),
    ),
)


def condition(key, today=None):
    """The condition on a Business of check `key`: one rule for the screen and the list."""
    today = today or timezone.localdate()
    if key == "no_coordinates":
        return Q(latitude__isnull=True) | Q(longitude__isnull=True)
    if key == "no_nib":
        return Q(nib="")
    if key == "no_kbli_code":
        return Q(kbli_code="")
    if key == "no_scale":
        return Q(computed_scale="")
    if key == "scale_mismatch":
        return Q(scale_mismatch=True)
    if key == "nik_outside_bogor":
        return Q(owner__nik_outside_bogor=True)
    if key == "birth_date_mismatch":
        return Q(owner__birth_date_mismatch=True)
    if key == "likely_duplicate":
        through = Business.possible_duplicates.through
        return Q(Exists(through.objects.filter(from_business=OuterRef("pk"))))
    if key == "document_expired":
        return Q(
            Exists(LegalDocument.objects.filter(business=OuterRef("pk"), expires_on__lt=today))
        )
    if key == "stale":
        return selectors.stale(selectors.stale_cutoff(settings.REGISTRY_STALE_AFTER_MONTHS))
    raise KeyError(key)


def numbers(kecamatan_ids, plain, today):
    """The Data quality screen's numbers for a scope and its filters, in one pass."""
    queryset = analysis.population(kecamatan_ids, plain)
    counted = analysis._in_one_scan(
        queryset,
        {
            "total": [("all", Q())],
            "checks": [(check.key, condition(check.key, today)) for check in CHECKS],
        },
    )
    return {"total": counted["total"]["all"], "checks": counted["checks"]}


FilterForm = analysis.FilterForm


class Screen(analysis.Screen):
    """The Data quality screen of one request."""

    kind = "quality"

    def facts(self):
        return []

    def checks(self):
        total = self.numbers["total"]
        rows = []
        months = settings.REGISTRY_STALE_AFTER_MONTHS
        for check in CHECKS:
            count = self.numbers["checks"][check.key]
            hidden = self.hidden(count)
            rows.append(
                {
                    "key": check.key,
                    "label": check.label,
                    "definition": str(check.definition) % {"months": months},
                    "count": None if hidden else count,
                    "hidden": hidden,
                    "share": round(100.0 * count / total, 1) if total and not hidden else None,
                    "bar": 0 if hidden or not total else round(100.0 * count / total, 1),
                    "link": self._list_link(quality=check.key) if count else None,
                }
            )
        return rows
