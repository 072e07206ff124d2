"""Analisis → Peta: where the businesses are, and a kecamatan figure as shading.

The counts (per kecamatan, and per square of about 1 km) are kept in the cache like
every Analisis screen's (`analysis.figures_for`), so the map at a million records
costs one GROUP BY after a write, not one per viewer. Each business as a point is
read only for a user who may open the records and only when the filters leave at
most `MAP_POINTS_MAX` of them (an operator's kecamatan, one desa): a page never
carries a million markers, and an analyst never gets a point that names a business.
"""

from django.conf import settings
from django.db.models import Count, FloatField, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.statistics import SUPPRESSION_THRESHOLD
from sme_registry import analysis
from sme_registry.enums import Status

# Squares of 0.01° (about 1.1 km at Bogor's latitude).
SQUARE_DECIMALS = 2
# Where the map opens without points: the middle of Kabupaten Bogor.
CENTRE = (-6.55, 106.83)
ZOOM = 10

FilterForm = analysis.FilterForm

# What the shading can show per kecamatan: (key, label).
SHADINGS = (
    ("total", _("Registered businesses")),
    ("validated", _("Validated businesses")),
    ("located", _("Businesses with coordinates")),
)


def map_settings():
    """What a map script needs to draw its background: the admin's map and the public
    registration's location step alike."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": list(CENTRE),
        "zoom": ZOOM,
    }


def numbers(kecamatan_ids, plain, today):
    """Counts per kecamatan and per square for a scope and its filters (three reads)."""
    queryset = analysis.population(kecamatan_ids, plain)
    per_kecamatan = {
        pk: {"total": total, "validated": validated, "located": located}
        for pk, total, validated, located in queryset.values_list("kecamatan")
        .annotate(
            total=Count("pk"),
            validated=Count("pk", filter=Q(status=Status.VALIDATED)),
            located=Count("pk", filter=Q(latitude__isnull=False)),
        )
        .order_by()
    }
    squares = [
        [lat, lon, n]
        for lat, lon, n in queryset.filter(latitude__isnull=False)
        .annotate(
            square_lat=Round("latitude", SQUARE_DECIMALS, output_field=FloatField()),
            square_lon=Round("longitude", SQUARE_DECIMALS, output_field=FloatField()),
        )
        .values_list("square_lat", "square_lon")
        .annotate(n=Count("pk"))
        .order_by("square_lat", "square_lon")
    ]
    return {
        "total": sum(row["total"] for row in per_kecamatan.values()),
        "located": sum(row["located"] for row in per_kecamatan.values()),
        "kecamatan": per_kecamatan,
        "squares": squares,
    }


class Screen(analysis.Screen):
    """The map of one request: kept counts, and the points when the viewer may have them."""

    kind = "map"

    def facts(self):
        return []

    @property
    def shows_points(self):
        return self.linked and 0 < self.numbers["located"] <= settings.MAP_POINTS_MAX

    def kecamatan_rows(self):
        """Per kecamatan in the viewer's area: its counts (small ones hidden from an
        analyst) and the registry list behind them."""
        rows = []
        for kecamatan in self._kecamatan_shown():
            counts = self.numbers["kecamatan"].get(
                kecamatan.pk, {"total": 0, "validated": 0, "located": 0}
            )
            cells = {
                key: {
                    "count": None if self.hidden(counts[key]) else counts[key],
                    "hidden": self.hidden(counts[key]),
                }
                for key, _label in SHADINGS
            }
            rows.append(
                {
                    "pk": kecamatan.pk,
                    "code": kecamatan.code,
                    "name": kecamatan.name,
                    "cells": cells,
                    "link": self._list_link(kecamatan=kecamatan.pk) if counts["total"] else None,
                }
            )
        return rows

    def squares(self):
        """[lat, lon, count] per square; an analyst's squares of 1 to 4 are left out."""
        return [
            square
            for square in self.numbers["squares"]
            if not (self.suppressed and square[2] < SUPPRESSION_THRESHOLD)
        ]

    def points(self):
        """[lat, lon, id, name] of each business within the filters, or None when the viewer
        gets squares instead (an analyst, or more than MAP_POINTS_MAX)."""
        if not self.shows_points:
            return None
        queryset = analysis.population([k.pk for k in self.kecamatan], self.filters)
        return [
            [float(lat), float(lon), pk, name]
            for lat, lon, pk, name in queryset.filter(latitude__isnull=False)
            .order_by("pk")
            .values_list("latitude", "longitude", "pk", "name")[: settings.MAP_POINTS_MAX]
        ]

    def data(self):
        """What the map draws (the JSON its script reads)."""
        points = self.points()
        kecamatan = {
            row["code"]: {
                "name": row["name"],
                **{key: cell["count"] for key, cell in row["cells"].items()},
                "link": row["link"],
            }
            for row in self.kecamatan_rows()
        }
        return {
            "points": points,
            "squares": None if points is not None else self.squares(),
            "kecamatan": kecamatan,
            "record_url": (
                reverse("wagtailsnippets_sme_registry_business:inspect", args=[0])
                if self.linked
                else None
            ),
            "located": None if self.hidden(self.numbers["located"]) else self.numbers["located"],
            "total": None if self.total_hidden else self.numbers["total"],
        }
