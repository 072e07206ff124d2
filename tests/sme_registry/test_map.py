"""Analisis → Peta: the points and squares each role gets, counted by hand, and the
kecamatan boundary file: who may upload it, and every file that is refused."""

import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from core import roles
from core.models import RecordLogEntry
from sme_registry.models import BoundaryFile, Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

PAGE = "/admin/analysis/map/"
DATA = "/admin/analysis/map/data/"
UPLOAD = "/admin/analysis/map/boundaries/upload/"
BOUNDARIES = "/admin/analysis/map/boundaries.json"
HERE, THERE = "32.01.01", "32.01.02"


@pytest.fixture
def placed(db):
    """Written out:

    | business      | kecamatan | coordinates          | square (0.01°)  | status    |
    | Sate Maranggi | here      | -6.481234 106.854321 | -6.48 106.85    | validated |
    | Bengkel Jaya  | here      | -6.482100 106.851900 | -6.48 106.85    | submitted |
    | Kopi Gunung   | here      | none                 | -               | validated |
    | Tahu Sumedang | there     | -6.401000 106.901000 | -6.40 106.90    | validated |
    """
    here, there = Kecamatan.objects.get(code=HERE), Kecamatan.objects.get(code=THERE)
    BusinessFactory(
        name="Sate Maranggi",
        kecamatan=here,
        latitude="-6.481234",
        longitude="106.854321",
        validated=True,
    )
    BusinessFactory(
        name="Bengkel Jaya", kecamatan=here, latitude="-6.482100", longitude="106.851900"
    )
    BusinessFactory(
        name="Kopi Gunung", kecamatan=here, latitude=None, longitude=None, validated=True
    )
    BusinessFactory(
        name="Tahu Sumedang",
        kecamatan=there,
        latitude="-6.401000",
        longitude="106.901000",
        validated=True,
    )


def _data(client, query=""):
    response = client.get(DATA + query)
    assert response.status_code == 200
    return response.json()


def test_the_office_sees_each_business_with_coordinates_and_the_kecamatan_counts(client, placed):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    data = _data(client)
    assert sorted(p[3] for p in data["points"]) == [
        "Bengkel Jaya",
        "Sate Maranggi",
        "Tahu Sumedang",
    ]
    sate = next(p for p in data["points"] if p[3] == "Sate Maranggi")
    assert sate[:2] == [-6.481234, 106.854321]
    assert data["squares"] is None
    assert data["kecamatan"][HERE] | {"link": None} == {
        "name": "Cibinong",
        "total": 3,
        "validated": 2,
        "located": 2,
        "link": None,
    }
    assert (data["kecamatan"][THERE]["total"], data["kecamatan"][THERE]["located"]) == (1, 1)
    assert data["kecamatan"]["32.01.03"]["total"] == 0
    assert len(data["kecamatan"]) == 40
    assert (data["total"], data["located"]) == (4, 3)
    # A point opens its record.
    record = client.get(data["record_url"].replace("/0/", f"/{sate[2]}/"))
    assert record.status_code == 200 and "Sate Maranggi" in record.content.decode()


def test_the_filters_narrow_the_points_and_stay_in_the_data_address(client, placed):
    client.force_login(UserFactory(role=roles.VALIDATOR))
    here = Kecamatan.objects.get(code=HERE)
    html = client.get(PAGE, {"kecamatan": here.pk, "status": "validated"}).content.decode()
    config = json.loads(
        html.split('id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    assert config["data_url"] == f"{DATA}?kecamatan={here.pk}&status=validated"
    data = _data(client, config["data_url"][len(DATA) :])
    assert [p[3] for p in data["points"]] == ["Sate Maranggi"]
    assert list(data["kecamatan"]) == [HERE]


def test_an_operator_gets_their_own_kecamatan_only(client, placed):
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=THERE))
    data = _data(client)
    assert [p[3] for p in data["points"]] == ["Tahu Sumedang"]
    assert list(data["kecamatan"]) == [THERE]
    # Another kecamatan in the address is not theirs: it is ignored, not shown.
    other = Kecamatan.objects.get(code=HERE)
    data = _data(client, f"?kecamatan={other.pk}")
    assert [p[3] for p in data["points"]] == ["Tahu Sumedang"]
    html = client.get(PAGE).content.decode()
    assert "Cibinong" not in html and "Sate Maranggi" not in html


def test_an_analyst_gets_squares_of_five_or_more_and_no_business(client, placed):
    here = Kecamatan.objects.get(code=HERE)
    for number in range(4):  # five in the square -6.48 106.85 with Sate and Bengkel: 2 + 4 = 6
        BusinessFactory(
            name=f"Warung {number}", kecamatan=here, latitude="-6.4833", longitude="106.8477"
        )
    client.force_login(UserFactory(role=roles.ANALYST))
    data = _data(client)
    assert data["points"] is None and data["record_url"] is None
    # Tahu Sumedang's square holds one business: left out.
    assert data["squares"] == [[-6.48, 106.85, 6]]
    assert data["kecamatan"][HERE]["total"] == 7
    assert data["kecamatan"][THERE]["total"] is None  # 1: hidden
    body = json.dumps(data) + client.get(PAGE).content.decode()
    assert "Sate" not in body and "Warung" not in body and "Tahu" not in body


def test_above_the_limit_the_office_gets_squares(client, placed, settings):
    settings.MAP_POINTS_MAX = 2
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    data = _data(client)
    assert data["points"] is None
    assert data["squares"] == [[-6.48, 106.85, 2], [-6.4, 106.9, 1]]
    assert "Pilih kecamatan atau desa" in client.get(PAGE).content.decode()


@pytest.mark.parametrize("role", [roles.MENTOR, roles.EDITOR])
def test_roles_without_figures_get_no_map(client, placed, role):
    client.force_login(UserFactory(role=role))
    for url in (PAGE, DATA):
        response = client.get(url)
        assert response.status_code == 302 and "Sate" not in response.content.decode()


def test_the_map_answers_reads_only(client, placed):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    assert client.post(DATA).status_code == 405
    assert client.post(PAGE).status_code == 405


# --- The boundary file ---------------------------------------------------------------------


def _collection(codes=None, *, prop="KDCPUM", dots=True, extra=(), shift=(0.0, 0.0)):
    """One square per kecamatan, laid out on a grid inside Kabupaten Bogor."""
    codes = codes if codes is not None else list(Kecamatan.objects.values_list("code", flat=True))
    features = []
    for number, code in enumerate([*codes, *extra]):
        west = 106.4 + (number % 8) * 0.1 + shift[0]
        north = -6.3 - (number // 8) * 0.1 + shift[1]
        ring = [
            [west, north],
            [west + 0.09, north],
            [west + 0.09, north - 0.09],
            [west, north - 0.09],
            [west, north],
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {prop: code if dots else code.replace(".", ""), "WADMKC": "x"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _file(document, name="batas_kecamatan.geojson"):
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


def _upload(client, document, name="batas_kecamatan.geojson"):
    return client.post(UPLOAD, {"file": _file(document, name)})


def test_the_office_uploads_boundaries_and_the_map_shades_them(client, placed):
    office = UserFactory(role=roles.ADMIN_DINAS)
    client.force_login(office)
    assert client.get(BOUNDARIES).status_code == 404
    province = _collection(dots=False, extra=["32.02.01", "32.73.01"])
    response = _upload(client, province, "batas_jabar.geojson")
    assert response.status_code == 302 and response["Location"] == PAGE
    saved = BoundaryFile.objects.get()
    assert (saved.feature_count, saved.left_out, saved.code_property) == (40, 2, "KDCPUM")
    assert saved.uploaded_by == office
    # In Wagtail's history: who put it in place, and later who replaced it.
    assert RecordLogEntry.objects.filter(
        action="wagtail.create", object_id=str(saved.pk), user=office
    ).exists()
    shapes = client.get(BOUNDARIES).json()
    assert len(shapes["features"]) == 40
    first = shapes["features"][0]
    assert first["properties"] == {"code": "32.01.01", "name": "Cibinong"}
    assert first["geometry"]["type"] == "MultiPolygon"
    html = client.get(PAGE).content.decode()
    assert "Warnai kecamatan menurut" in html and BOUNDARIES in html

    # A new file takes its place; removing it leaves the points only.
    assert _upload(client, _collection(prop="kode_kec")).status_code == 302
    assert BoundaryFile.objects.get().code_property == "kode_kec"
    assert RecordLogEntry.objects.filter(action="wagtail.delete", object_id=str(saved.pk)).exists()
    assert client.post(UPLOAD, {"remove": "1"}).status_code == 302
    assert not BoundaryFile.objects.exists()
    page = client.get(PAGE).content.decode()
    assert "Belum ada batas kecamatan" in page and "Berkas batas dihapus" in page
    # Removing again removes nothing and says nothing was removed.
    client.post(UPLOAD, {"remove": "1"})
    assert "Berkas batas dihapus" not in client.get(PAGE).content.decode()


def _refused(client, document, name="batas_kecamatan.geojson"):
    response = _upload(client, document, name)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-message"' in html or "error-message" in html
    return html


@pytest.mark.parametrize(
    "case, expected",
    [
        ("wrong type", "Pilih berkas GeoJSON"),
        ("not json", "bukan GeoJSON yang sah"),
        ("not a collection", "FeatureCollection"),
        ("no codes", "Tidak ada properti"),
        ("one missing", "1 kecamatan tidak punya batas di berkas: Ciawi."),
        ("twice", "muncul dua kali"),
        ("metres", "WGS 84 (EPSG:4326)"),
        ("open ring", "bukan poligon yang dapat digambar"),
        ("too big", "lebih besar dari 1 MB"),
    ],
)
def test_a_wrong_boundary_file_is_refused_with_its_reason_and_the_old_one_kept(
    client, placed, settings, case, expected
):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    assert _upload(client, _collection()).status_code == 302
    kept = BoundaryFile.objects.get()
    codes = list(Kecamatan.objects.values_list("code", flat=True))
    ciawi = Kecamatan.objects.get(name="Ciawi").code
    name = "batas.geojson"
    if case == "wrong type":
        document, name = _collection(), "batas.shp"
    elif case == "not json":
        document = b"\x89PNG\r\n not json"
    elif case == "not a collection":
        document = _collection()["features"][0]
    elif case == "no codes":
        document = _collection(prop="NAMOBJ", codes=[f"Kec {n}" for n in range(40)])
    elif case == "one missing":
        document = _collection([code for code in codes if code != ciawi])
    elif case == "twice":
        document = _collection([*codes, codes[0]])
    elif case == "metres":
        document = _collection(shift=(700000.0, 9290000.0))
    elif case == "open ring":
        document = _collection()
        document["features"][3]["geometry"]["coordinates"][0].pop()
    else:
        settings.MAP_BOUNDARY_MAX_BYTES = 1024 * 1024
        document = _collection()
        document["padding"] = "x" * (1024 * 1024)
    html = _refused(client, document, name)
    assert expected in html
    assert BoundaryFile.objects.get() == kept  # the file in use stays


@pytest.mark.parametrize(
    "role", [roles.VALIDATOR, roles.OPERATOR, roles.ANALYST, roles.MENTOR, roles.EDITOR]
)
def test_only_the_office_changes_the_boundaries(client, placed, role):
    office = UserFactory(role=roles.ADMIN_DINAS, username="kantor")
    client.force_login(office)
    _upload(client, _collection())
    kept = BoundaryFile.objects.get()
    client.force_login(UserFactory(role=role, kecamatan=HERE if role == roles.OPERATOR else None))
    assert client.get(UPLOAD).status_code == 302
    response = client.post(UPLOAD, {"file": _file(_collection(prop="lain"))})
    assert response.status_code == 302
    assert client.post(UPLOAD, {"remove": "1"}).status_code == 302
    assert list(BoundaryFile.objects.all()) == [kept]
    assert BoundaryFile.objects.get().code_property == "KDCPUM"
    # Those who see figures read the shapes (public geography); the others do not.
    shapes = client.get(BOUNDARIES)
    assert shapes.status_code == (302 if role in (roles.MENTOR, roles.EDITOR) else 200)


def test_only_the_location_step_may_ask_for_the_phones_position(client, home_page, settings):
    """The site refuses geolocation everywhere (Permissions-Policy) except on the step
    whose "Use my location" button needs it, and there for the site itself only."""
    from tests.public_pages import registration_steps
    from tests.sme_registry.factories import RegistrationPageFactory

    settings.FORM_MIN_FILL_SECONDS = 0
    registration = RegistrationPageFactory(parent=home_page)
    policies = {
        label: client.get(path)["Permissions-Policy"]
        for label, path in [("step 1", registration.url), *registration_steps(client)]
    }
    assert "geolocation=(self)" in policies.pop("registration step lokasi")
    assert "camera=()" in policies["step 1"]
    assert all("geolocation=()" in policy for policy in policies.values()), policies
    html = client.get(dict(registration_steps(client))["registration step lokasi"]).content.decode()
    assert "data-location-map" in html and "Gunakan lokasi saya" in html
