"""The size class of a business by PP 7/2021 art. 35: micro, small, medium or large.

Capital excluding land and buildings: micro up to Rp 1 bn, small up to 5 bn,
medium up to 10 bn; annual sales: micro up to Rp 2 bn, small up to 15 bn,
medium up to 50 bn.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _today() -> date:
    return timezone.localdate()


class Scale(models.TextChoices):
    MIKRO = "mikro", _("micro")
    KECIL = "kecil", _("small")
    MENENGAH = "menengah", _("medium")
    BESAR = "besar", _("large")


# Upper bounds, inclusive: the regulation says "paling banyak" (at most).
_CAPITAL_LIMITS = (
    (1_000_000_000, Scale.MIKRO),
    (5_000_000_000, Scale.KECIL),
    (10_000_000_000, Scale.MENENGAH),
)
_SALES_LIMITS = (
    (2_000_000_000, Scale.MIKRO),
    (15_000_000_000, Scale.KECIL),
    (50_000_000_000, Scale.MENENGAH),
)


def _scale_by(amount, limits) -> Scale:
    # int limits compare exactly with int and Decimal amounts alike.
    for limit, scale in limits:
        if amount <= limit:
            return scale
    return Scale.BESAR


def scale_by_capital(capital) -> Scale:
    """Scale by business capital excluding land and buildings."""
    return _scale_by(capital, _CAPITAL_LIMITS)


def scale_by_sales(annual_sales) -> Scale:
    """Scale by annual sales (omzet)."""
    return _scale_by(annual_sales, _SALES_LIMITS)


def compute_scale(
    *, capital, annual_sales, year_started, today: date | None = None
) -> Scale | None:
    """The legal scale from the figures given, or None when there are none.

    A business started this calendar year has no full year of sales yet, so the
    regulation classifies it by capital; any other by annual sales. When the preferred
    figure is missing the other one is used rather than giving no answer.
    """
    current_year = (today or _today()).year
    new_business = year_started is not None and year_started >= current_year
    if new_business:
        order = ((capital, scale_by_capital), (annual_sales, scale_by_sales))
    else:
        order = ((annual_sales, scale_by_sales), (capital, scale_by_capital))
    for amount, classify in order:
        if amount is not None:
            return classify(amount)
    return None
