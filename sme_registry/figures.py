"""The registry's figures for editors' pages (the "Statistik UMKM" block, `core.figures`).

Validated businesses only, small cells suppressed, and counted at most every
`KEEP_SECONDS`: a page of figures shown to every visitor should not count a million
records again after each registration; the table says the time of its data.
"""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import figures
from core.statistics import suppress_small_cells
from sme_registry import selectors

KEEP_SECONDS = 600

_DEFINITION = _(
    "Businesses validated by the kecamatan and by PUM, still in the registry (not "
    "archived or merged)."
)


def _validated_by(by, title):
    def compute():
        key = f"registry-figure:{by}:{get_language()}"
        kept = cache.get(key)
        if kept is None:
            kept = (selectors.validated_counts(by), timezone.now())
            cache.set(key, kept, KEEP_SECONDS)
        rows, as_of = kept
        return figures.FigureTable(
            title=str(title),
            rows=suppress_small_cells(rows),
            total=sum(count for _key, _label, count in rows),
            definition=str(_DEFINITION),
            as_of=as_of,
        )

    return compute


def register():
    figures.register(
        "validated_by_kecamatan",
        _("Validated businesses per kecamatan"),
        _validated_by("kecamatan", _("Validated SMEs per kecamatan")),
    )
    figures.register(
        "validated_by_sector",
        _("Validated businesses per sector (KBLI 2020)"),
        _validated_by("sector", _("Validated SMEs per sector")),
    )
    figures.register(
        "validated_by_scale",
        _("Validated businesses per scale"),
        _validated_by("scale", _("Validated SMEs per scale")),
    )
