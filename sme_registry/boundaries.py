"""The kecamatan boundary file behind the map's shading: read, check, trim, keep.

BIG and BPS publish boundaries as GeoJSON with the code in a property whose name
varies (KDCPUM, kode_kec, ...), often for the whole province. So the property is
found by its values (the one that names most of the 40 kecamatan by their Kemendagri
code, with or without dots), features of other regencies are left out, and each
kept polygon is checked to be in degrees around Kabupaten Bogor (a file in UTM
metres draws nothing). A file that passes is stored trimmed; one that does not is
refused with every reason, and the map keeps working with what it had.
"""

import json
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sme_registry.models import BoundaryFile, Kecamatan

# Kabupaten Bogor lies within about 106.3–107.2° E and 6.2–6.9° S; a margin for odd edges.
AREA = {"west": 106.0, "east": 107.5, "south": -7.2, "north": -6.0}
# Coordinates kept to five decimals: about a metre, enough for a kecamatan's shading.
DECIMALS = 5
EXTENSIONS = (".geojson", ".json")


def _normal(value):
    """A code as digits only: "32.01.01", "320101" and 320101 are the same kecamatan."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace(".", "")
    return text if text.isdigit() else None


def _position(point):
    return (
        isinstance(point, list)
        and len(point) >= 2
        and all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in point[:2]
        )
    )


def _ring(ring):
    """A linear ring rounded, or None when it is not one (fewer than 4 positions, open, not
    numbers, or outside the area)."""
    if not isinstance(ring, list) or len(ring) < 4 or not all(_position(p) for p in ring):
        return None
    if ring[0][:2] != ring[-1][:2]:
        return None
    for lon, lat in (p[:2] for p in ring):
        if not (AREA["west"] <= lon <= AREA["east"] and AREA["south"] <= lat <= AREA["north"]):
            return False
    return [[round(p[0], DECIMALS), round(p[1], DECIMALS)] for p in ring]


def _geometry(geometry):
    """(geometry rounded, problem): problem is "shape" or "area" when it cannot be drawn."""
    if not isinstance(geometry, dict):
        return None, "shape"
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return None, "shape"
    kept = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None, "shape"
        rings = [_ring(ring) for ring in polygon]
        if any(ring is False for ring in rings):
            return None, "area"
        if any(ring is None for ring in rings):
            return None, "shape"
        kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept}, None


def _code_property(features, codes):
    """The property whose values name most of our kecamatan, and how many it names."""
    found = {}
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            continue
        for name, value in properties.items():
            if _normal(value) in codes:
                found.setdefault(name, set()).add(_normal(value))
    if not found:
        return None, 0
    name = max(sorted(found), key=lambda key: len(found[key]))
    return name, len(found[name])


def read(uploaded):
    """The checked boundaries of an uploaded file: (geojson, code property, left out).

    Raises ValidationError with each reason, in the office's words.
    """
    name = getattr(uploaded, "name", "") or ""
    if not name.lower().endswith(EXTENSIONS):
        raise ValidationError(_("Choose a GeoJSON file (.geojson or .json)."), code="boundary_type")
    limit = settings.MAP_BOUNDARY_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _(
                "The file is larger than %(mb)s MB. Simplify the boundaries first (e.g. in QGIS or mapshaper) and upload again."
            )
            % {"mb": limit // (1024 * 1024)},
            code="boundary_size",
        )
    try:
        document = json.loads(uploaded.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(
            _("The file is not valid GeoJSON (it cannot be read as JSON text)."),
            code="boundary_json",
        ) from None
    features = document.get("features") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("type") != "FeatureCollection"
        or not isinstance(features, list)
        or not features
    ):
        raise ValidationError(
            _("The file must be a GeoJSON FeatureCollection with one feature per kecamatan."),
            code="boundary_collection",
        )
    kecamatan = {k.code.replace(".", ""): k for k in Kecamatan.objects.all()}
    prop, named = _code_property(features, set(kecamatan))
    if prop is None:
        raise ValidationError(
            _(
                "No property of the features holds the kecamatan codes of Kabupaten Bogor (Kemendagri codes such as 32.01.01)."
            ),
            code="boundary_codes",
        )
    problems, kept, seen, left_out = [], [], {}, 0
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = _normal(properties.get(prop)) if isinstance(properties, dict) else None
        if code not in kecamatan:
            left_out += 1
            continue
        place = kecamatan[code]
        if code in seen:
            problems.append(
                _(
                    "%(name)s (%(code)s) appears twice (features %(first)s and %(second)s): join its parts into one feature."
                )
                % {"name": place.name, "code": place.code, "first": seen[code], "second": number}
            )
            continue
        seen[code] = number
        geometry, problem = _geometry(feature.get("geometry"))
        if problem == "area":
            problems.append(
                _(
                    "The boundary of %(name)s is not in degrees around Kabupaten Bogor: save the file in WGS 84 (EPSG:4326)."
                )
                % {"name": place.name}
            )
        elif problem:
            problems.append(
                _("The boundary of %(name)s is not a polygon that can be drawn.")
                % {"name": place.name}
            )
        else:
            kept.append(
                {
                    "type": "Feature",
                    "properties": {"code": place.code, "name": place.name},
                    "geometry": geometry,
                }
            )
    missing = sorted(k.name for code, k in kecamatan.items() if code not in seen)
    if missing:
        problems.append(
            ngettext(
                "%(count)s kecamatan has no boundary in the file: %(names)s.",
                "%(count)s kecamatan have no boundary in the file: %(names)s.",
                len(missing),
            )
            % {"count": len(missing), "names": ", ".join(missing)}
        )
    if problems:
        raise ValidationError(problems, code="boundary_features")
    kept.sort(key=lambda feature: feature["properties"]["code"])
    return {"type": "FeatureCollection", "features": kept}, prop, left_out


def current():
    """The boundary file in use (the newest), or None."""
    return BoundaryFile.objects.defer("geojson").first()


@transaction.atomic
def replace(checked, file_name, user):
    """Make `checked` (what `read` returned) the map's boundaries, in place of the previous
    file; both logged in Wagtail's history."""
    from wagtail.log_actions import log

    geojson, prop, left_out = checked
    for previous in BoundaryFile.objects.defer("geojson"):
        log(previous, "wagtail.delete", user=user)
        previous.delete()
    boundary = BoundaryFile.objects.create(
        file_name=file_name[:255],
        code_property=prop,
        geojson=geojson,
        feature_count=len(geojson["features"]),
        left_out=left_out,
        uploaded_by=user,
    )
    log(boundary, "wagtail.create", user=user)
    return boundary


@transaction.atomic
def remove(user):
    """No shading any more: the map shows its points only. How many files were removed."""
    from wagtail.log_actions import log

    removed = 0
    for previous in BoundaryFile.objects.defer("geojson"):
        log(previous, "wagtail.delete", user=user)
        previous.delete()
        removed += 1
    return removed
