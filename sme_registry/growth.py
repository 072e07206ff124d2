"""Analisis → Pertumbuhan: how the businesses grew, read from their indicator snapshots.

A snapshot is taken at each validation and each mentoring visit, so a business's growth
in a period is the change between its first and its latest snapshot taken in it
(`selectors.snapshot_ends`); a business with fewer than two there is not measured. The
median change, how many rose, stayed or fell, and how many moved from one scale to
another are counted here, in the same kept-and-refreshed way as the Registry screen
(`analysis.figures_for`): streaming a million pairs takes longer than a request should.

The period filter is the time the snapshots were taken (not the submission), and the
scale filter the scale at the first snapshot: a filter on today's scale would keep only
those that already grew.
"""

import array
import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.statistics import Cell, suppress_small_cells
from sme_registry import analysis, selectors
from sme_registry.models import IndicatorSnapshot
from sme_registry.scale import Scale

# (key, the snapshot's columns summed for it)
MEASURES = (
    ("sales", ("annual_sales",)),
    ("assets", ("assets",)),
    ("workers", ("workers_male", "workers_female")),
)
# key: (label, whether an amount of money)
MEASURE_LABELS = {
    "sales": (gettext_lazy("Annual sales"), True),
    "assets": (gettext_lazy("Assets"), True),
    "workers": (gettext_lazy("Workers"), False),
}
UNKNOWN = ""  # no scale: the figures given did not allow one
ANY = "*"


class FilterForm(analysis.FilterForm):
    """The Registry screen's filters, with the period and scale read as growth needs them."""

    def __init__(self, data, user):
        super().__init__(data, user)
        self.fields["period_from"].label = gettext_lazy("Snapshots from")
        self.fields["period_to"].label = gettext_lazy("Snapshots until")
        self.fields["scale"].label = gettext_lazy("Scale at the first snapshot")


def _dates(plain):
    start, end = plain.get("period_from"), plain.get("period_to")
    return (
        datetime.date.fromisoformat(start) if start else None,
        datetime.date.fromisoformat(end) if end else None,
    )


def numbers(kecamatan_ids, plain, today):
    """The Growth screen's numbers for a scope and its filters (plain values), kept whole.

    Two streamed reads, the first and the latest snapshot of each measured business, in
    the same business order, so a million businesses cost their rows and three arrays
    of numbers, not a million objects.
    """
    start, end = _dates(plain)
    first_scale = plain.get("scale")
    others = {k: v for k, v in plain.items() if k not in ("period_from", "period_to", "scale")}
    businesses = analysis.population(kecamatan_ids, others)

    with_snapshot = selectors.first_snapshots(businesses, start, end, first_scale).count()
    firsts, lasts = snapshot_streams(selectors.snapshot_ends(businesses, start, end, first_scale))
    values = {key: (array.array("d"), array.array("d"), array.array("d")) for key, _c in MEASURES}
    moves = {key: [0, 0, 0] for key, _c in MEASURES}  # rose, same, fell
    transitions = {}
    measured = 0
    for (_id, first), (_id, last) in joined(firsts, lasts):
        measured += 1
        pair = f"{first['scale']}>{last['scale']}"
        transitions[pair] = transitions.get(pair, 0) + 1
        for key, summed in MEASURES:
            before, after = _value(first, summed), _value(last, summed)
            if before is None or after is None:
                continue
            firsts, lasts, changes = values[key]
            firsts.append(before)
            lasts.append(after)
            changes.append(after - before)
            moves[key][0 if after > before else 1 if after == before else 2] += 1
    return {
        "with_snapshot": with_snapshot,
        "measured": measured,
        "transitions": transitions,
        "measures": {
            key: {
                "n": len(values[key][0]),
                "first": _median(values[key][0]),
                "last": _median(values[key][1]),
                "change": _median(values[key][2]),
                "rose": moves[key][0],
                "same": moves[key][1],
                "fell": moves[key][2],
            }
            for key, _c in MEASURES
        },
    }


COLUMNS = ["business_id", "scale"] + sorted({c for _k, cs in MEASURES for c in cs})


def snapshot_streams(ends):
    """The first and the latest snapshot of each record of `ends` (`snapshot_ends`), as
    two streams of (business id, {column: value}) in business order."""

    def stream(end_field):
        rows = (
            IndicatorSnapshot.objects.filter(pk__in=ends.values(end_field))
            .order_by("business_id")
            .values_list(*COLUMNS)
            .iterator(chunk_size=5000)
        )
        return ((row[0], dict(zip(COLUMNS, row, strict=True))) for row in rows)

    return stream("growth_first"), stream("growth_last")


def joined(*streams):
    """The rows of each business found in every stream, all ordered by business id.

    Matched by id, not by position: a snapshot written between the reads adds a business
    to one stream only, and it is left for the next count, not mispaired."""
    rows = [next(stream, None) for stream in streams]
    while all(row is not None for row in rows):
        ids = [row[0] for row in rows]
        highest = max(ids)
        if all(pk == highest for pk in ids):
            yield tuple(rows)
            rows = [next(stream, None) for stream in streams]
            continue
        rows = [
            next(stream, None) if row[0] < highest else row
            for stream, row in zip(streams, rows, strict=True)
        ]


def _value(row, summed):
    parts = [row[column] for column in summed]
    if any(part is None for part in parts):
        return None
    return float(sum(Decimal(part) for part in parts))


def _median(numbers):
    return statistics.median(numbers) if numbers else None


@dataclass
class MoveCell:
    key: str
    label: str
    count: int | None
    suppressed: bool
    share: float  # percent of the businesses measured on the indicator
    offset: float = 0.0  # where its part of the bar starts, percent


class Screen(analysis.Screen):
    """The Growth screen of one request: kept numbers, labelled and linked for the user."""

    kind = "growth"
    # The list's own filters for this screen's: period and scale go to the snapshot filter.
    LIST_FILTERS = {
        "kecamatan": "kecamatan",
        "desa": "desa",
        "sector": "kbli_category",
        "status": "status",
        "period_from": "snapshots_after",
        "period_to": "snapshots_before",
    }

    @property
    def total_hidden(self):
        return self.hidden(self.numbers["measured"])

    def change_link(self, first_scale=ANY, last_scale=ANY):
        start = self.filters.get("scale", ANY) if first_scale == ANY else first_scale
        return self._list_link(scale_change=f"{start}>{last_scale}")

    def facts(self):
        n = self.numbers
        measured_hidden = self.hidden(n["measured"])
        return [
            {
                "label": _("Businesses with a snapshot in the period"),
                "count": n["with_snapshot"],
                "hidden": self.hidden(n["with_snapshot"]),
                "share": None,
                "definition": _(
                    "Records within the filters with at least one indicator snapshot "
                    "(taken at validation or at a mentoring visit) in the period."
                ),
                "link": None,
            },
            {
                "label": _("Businesses whose growth is measured"),
                "count": n["measured"],
                "hidden": measured_hidden,
                "share": (
                    round(100.0 * n["measured"] / n["with_snapshot"], 1)
                    if n["with_snapshot"] and not measured_hidden
                    else None
                ),
                "definition": _(
                    "Of these, the records with two snapshots or more in the period: their "
                    "first and latest are compared. The share is of the records with a snapshot."
                ),
                "link": self.change_link() if n["measured"] and not measured_hidden else None,
            },
        ]

    def measures(self):
        rows = []
        for key, _columns in MEASURES:
            numbers = self.numbers["measures"][key]
            label, money = MEASURE_LABELS[key]
            hidden = self.hidden(numbers["n"])
            moves = []
            if numbers["n"] and not hidden:
                offset = 0.0
                for cell in self._cells(
                    [
                        ("rose", _("rose"), numbers["rose"]),
                        ("same", _("unchanged"), numbers["same"]),
                        ("fell", _("fell"), numbers["fell"]),
                    ]
                ):
                    share = round(100.0 * numbers[cell.key] / numbers["n"], 1)
                    moves.append(
                        MoveCell(cell.key, cell.label, cell.count, cell.suppressed, share, offset)
                    )
                    offset += share
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "n": numbers["n"],
                    "hidden": hidden,
                    "first": None if hidden else _amount(numbers["first"], money),
                    "last": None if hidden else _amount(numbers["last"], money),
                    "change": None if hidden else _amount(numbers["change"], money, signed=True),
                    "moves": moves,
                    # The bar and the shares would give a hidden count away.
                    "bar": not any(move.suppressed for move in moves),
                }
            )
        return rows

    def _cells(self, pairs):
        if self.suppressed:
            return suppress_small_cells(pairs)
        return [Cell(k, lbl, n) for k, lbl, n in pairs]

    def transitions(self):
        """The scale table: a row per scale at the first snapshot, a column per latest."""
        scales = [*Scale.choices, (UNKNOWN, _("not known"))]
        kept = self.numbers["transitions"]
        rows = []
        for first, first_label in scales:
            pairs = [
                (last, last_label, kept.get(f"{first}>{last}", 0)) for last, last_label in scales
            ]
            total = sum(count for _k, _l, count in pairs)
            if "scale" in self.filters and first != self.filters["scale"]:
                continue
            cells = [
                {
                    "count": cell.count,
                    "suppressed": cell.suppressed,
                    "same": cell.key == first,
                    "link": (
                        self.change_link(first, cell.key)
                        if cell.count and not cell.suppressed
                        else None
                    ),
                }
                for cell in self._cells(pairs)
            ]
            rows.append(
                {
                    "label": first_label,
                    "cells": cells,
                    "total": total,
                    "total_hidden": self.hidden(total),
                }
            )
        return [label for _v, label in scales], rows


def _amount(value, money, signed=False):
    if value is None:
        return "–"
    if money:
        shown = formats.number_format(round(value), 0, use_l10n=True, force_grouping=True)
        shown = f"Rp {shown}" if value >= 0 else f"−Rp {shown.lstrip('-')}"
    else:
        shown = formats.number_format(value, 1 if value % 1 else 0, use_l10n=True)
    if signed and value > 0:
        shown = f"+{shown}"
    return shown
