"""Analisis → Hasil program: how the businesses that took part in a programme grew, beside
comparable businesses that did not.

Growth is read as on the Growth screen (first and latest indicator snapshot in the
period, `selectors.snapshot_ends`). A business took part when it had an event of the
programme (a training session attended, a mentoring visit, `programmes`) between its
first snapshot and its latest; one with none before its latest is a comparison
business; one that took part only before its first snapshot is left out of both.

Comparable means the same kecamatan, KBLI category and scale at the first snapshot (a
stratum). Only strata that hold both groups are compared, and the comparison group is
weighted to the mix of strata of those who took part, so a difference is not simply
that trainees were more often kecamatan-town shops. It remains a description, not a
measured effect: who signs up for a training is not chosen at random.
"""

import array
import math
import statistics

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme_registry import analysis, growth, programmes, selectors

TOOK_PART = "took_part"
COMPARISON = "comparison"
EARLIER = "earlier"
GROUPS = (TOOK_PART, COMPARISON, EARLIER)


class FilterForm(growth.FilterForm):
    """The Growth screen's filters, and the programme compared."""

    programme = forms.ChoiceField(label=gettext_lazy("Programme"), required=False)

    def __init__(self, data, user):
        super().__init__(data, user)
        self.offered = programmes.programmes()
        self.fields["programme"].choices = [(key, p.label) for key, p in self.offered.items()]
        self.default_programme = next(iter(self.offered), None)
        self.order_fields(["programme"])

    def filters(self):
        """As every screen's, with a programme always chosen: the first one offered."""
        filters = super().filters()
        if "programme" not in filters and self.default_programme:
            filters["programme"] = self.default_programme
        return filters


def numbers(kecamatan_ids, plain, today):
    """The Outcomes screen's numbers for a scope and its filters, kept whole.

    Three streamed reads in business order (the groups, the first snapshots, the latest),
    joined by id, so a million businesses cost their rows and arrays of numbers.
    """
    programme = programmes.programmes().get(plain.get("programme"))
    start, end = growth._dates(plain)
    first_scale = plain.get("scale")
    others = {
        k: v
        for k, v in plain.items()
        if k not in ("period_from", "period_to", "scale", "programme")
    }
    businesses = analysis.population(kecamatan_ids, others)
    counts = dict.fromkeys(GROUPS, 0)
    # {measure: {(kecamatan, sector, scale): {group: (first values, changes)}}}
    strata = {key: {} for key, _c in growth.MEASURES}
    if programme is None:
        return {"counts": counts, "measured": 0, "measures": _compared(strata)}

    groups = (
        selectors.programme_groups(businesses, programme, start, end, first_scale)
        .order_by("pk")
        .values_list("pk", "kecamatan_id", "kbli_category", "took_part", "took_part_before_latest")
        .iterator(chunk_size=5000)
    )
    firsts, lasts = growth.snapshot_streams(
        selectors.snapshot_ends(businesses, start, end, first_scale)
    )
    for group_row, (_id, first), (_id, last) in growth.joined(groups, firsts, lasts):
        _pk, kecamatan_id, sector, took_part, before_latest = group_row
        group = TOOK_PART if took_part else EARLIER if before_latest else COMPARISON
        counts[group] += 1
        if group == EARLIER:
            continue
        stratum = (kecamatan_id, sector, first["scale"])
        for key, summed in growth.MEASURES:
            before, after = growth._value(first, summed), growth._value(last, summed)
            if before is None or after is None:
                continue
            by_group = strata[key].setdefault(stratum, {})
            firsts, changes = by_group.setdefault(group, (array.array("d"), array.array("d")))
            firsts.append(before)
            changes.append(after - before)
    return {"counts": counts, "measured": sum(counts.values()), "measures": _compared(strata)}


def _compared(strata):
    """Per measure: both groups over the strata that hold both, the comparison weighted."""
    result = {}
    for key, _c in growth.MEASURES:
        took_firsts, took_changes = [], []
        other_firsts, other_changes, weights = [], [], []
        unmatched = 0
        matched = 0
        for by_group in strata.get(key, {}).values():
            took = by_group.get(TOOK_PART)
            other = by_group.get(COMPARISON)
            if not took:
                continue
            if not other:
                unmatched += len(took[0])
                continue
            matched += 1
            took_firsts += took[0]
            took_changes += took[1]
            weight = len(took[0]) / len(other[0])
            other_firsts += other[0]
            other_changes += other[1]
            weights += [weight] * len(other[0])
        result[key] = {
            "strata": matched,
            "unmatched": unmatched,
            TOOK_PART: _summary(took_firsts, took_changes, [1.0] * len(took_changes)),
            COMPARISON: _summary(other_firsts, other_changes, weights),
        }
    return result


def _summary(firsts, changes, weights):
    total = sum(weights)
    rose = sum(w for change, w in zip(changes, weights, strict=True) if change > 0)
    return {
        "n": len(changes),
        "first": weighted_median(firsts, weights),
        "change": weighted_median(changes, weights),
        "rose": round(100.0 * rose / total, 1) if total else None,
    }


def weighted_median(values, weights):
    """The middle of `values` when each counts `weights` times; equal weights give the
    ordinary median (the mean of the two middle values when they split evenly)."""
    if not values:
        return None
    if len(set(weights)) <= 1:
        return statistics.median(values)
    pairs = sorted(zip(values, weights, strict=True))
    half = sum(weights) / 2
    reached = 0.0
    for index, (value, weight) in enumerate(pairs):
        reached += weight
        if math.isclose(reached, half, rel_tol=1e-9):
            following = pairs[index + 1][0] if index + 1 < len(pairs) else value
            return (value + following) / 2
        if reached > half:
            return value
    return pairs[-1][0]


class Screen(growth.Screen):
    """The Outcomes screen of one request: kept numbers, labelled and linked for the user."""

    kind = "outcomes"

    @property
    def total_hidden(self):
        return self.hidden(self.numbers["measured"])

    def group_link(self, group):
        first_scale = self.filters.get("scale")
        return self._list_link(
            programme=self.filters.get("programme"),
            programme_group=group,
            scale_change=f"{first_scale}>*" if first_scale is not None else None,
        )

    def facts(self):
        counts = self.numbers["counts"]
        measured = self.numbers["measured"]
        labels = {
            TOOK_PART: (
                _("Took part while measured"),
                _(
                    "Businesses measured (two snapshots or more in the period) with an event "
                    "of the programme from the day of their first snapshot until before the "
                    "day of their latest."
                ),
            ),
            COMPARISON: (
                _("Did not take part"),
                _(
                    "Businesses measured with no event of the programme before the day of "
                    "their latest snapshot: the comparison is drawn from them."
                ),
            ),
            EARLIER: (
                _("Took part only before they were measured"),
                _(
                    "Businesses measured whose events of the programme all came before their "
                    "first snapshot in the period: in neither group."
                ),
            ),
        }
        facts = []
        for group in GROUPS:
            count = counts[group]
            hidden = self.hidden(count)
            label, definition = labels[group]
            facts.append(
                {
                    "label": label,
                    "count": count,
                    "hidden": hidden,
                    "share": (
                        round(100.0 * count / measured, 1) if measured and not hidden else None
                    ),
                    "definition": definition,
                    "link": self.group_link(group) if count and not hidden else None,
                }
            )
        return facts

    def comparison(self):
        rows = []
        for key, _columns in growth.MEASURES:
            kept = self.numbers["measures"][key]
            label, money = growth.MEASURE_LABELS[key]
            groups = {}
            for group in (TOOK_PART, COMPARISON):
                summary = kept[group]
                hidden = self.hidden(summary["n"])
                groups[group] = {
                    "key": group,
                    "n": summary["n"],
                    "hidden": hidden,
                    "first": None if hidden else growth._amount(summary["first"], money),
                    "change": (
                        None if hidden else growth._amount(summary["change"], money, signed=True)
                    ),
                    "rose": None if hidden else summary["rose"],
                }
            shown = not any(g["hidden"] for g in groups.values()) and all(
                kept[g]["change"] is not None for g in (TOOK_PART, COMPARISON)
            )
            difference = (
                growth._amount(
                    kept[TOOK_PART]["change"] - kept[COMPARISON]["change"], money, signed=True
                )
                if shown
                else None
            )
            unmatched_hidden = self.hidden(kept["unmatched"])
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "strata": kept["strata"],
                    "unmatched": None if unmatched_hidden else kept["unmatched"],
                    "unmatched_hidden": unmatched_hidden,
                    "groups": [groups[TOOK_PART], groups[COMPARISON]],
                    "difference": difference,
                }
            )
        return rows
