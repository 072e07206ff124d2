"""The public UMKM directory: who is listed, what is shown, and what never is."""

import io

import pytest
from PIL import Image

from django.http import Http404

from core.models import RecordLogEntry
from sme_registry import links, services, uploads
from sme_registry.models import Business, Kecamatan
from sme_registry.models.directory import business_handle
from tests.sme_registry.factories import (
    BusinessFactory,
    DirectoryPageFactory,
    RegistrationPageFactory,
    approve_all,
    nik_for,
    stored_photo,
)
from tests.sme_registry.flow import answers, register, spam_fields
from tests.sme_registry.test_owner_update import _edit_data

# The notice for query parameters that were left out (Indonesian, the site's language).
IGNORED_NOTICE = "Sebagian kata pencarian di alamat tidak dikenali dan diabaikan."


@pytest.fixture
def directory(home_page):
    return DirectoryPageFactory(parent=home_page)


@pytest.fixture
def registration_page(home_page):
    return RegistrationPageFactory(parent=home_page)


def listed(**fields):
    fields.setdefault("directory_opt_in", True)
    return BusinessFactory(validated=True, **fields)


def html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def names_on(page_html, names):
    return {name for name in names if name in page_html}


def test_only_validated_live_opted_in_businesses_are_listed(client, directory):
    shown = listed(name="Keripik Balado Mak Ijah", photos=[stored_photo()])
    hidden = {
        "not opted in": BusinessFactory(validated=True, name="Toko Tanpa Izin Tampil"),
        "submitted": BusinessFactory(directory_opt_in=True, name="Usaha Baru Dikirim"),
        "in review": BusinessFactory(
            state="in_review", directory_opt_in=True, name="Usaha Sedang Diperiksa"
        ),
        "changes requested": BusinessFactory(
            state="changes_requested", directory_opt_in=True, name="Usaha Perlu Perbaikan"
        ),
        "rejected": BusinessFactory(state="rejected", directory_opt_in=True, name="Usaha Ditolak"),
        "archived": BusinessFactory(state="archived", directory_opt_in=True, name="Usaha Tutup"),
        "merged": listed(name="Keripik Balado Dobel", merged_into=shown),
    }
    names = {shown.name, *(b.name for b in hidden.values())}

    listing = html(client, directory.url)
    assert names_on(listing, names) == {"Keripik Balado Mak Ijah"}
    assert "Jumlah usaha: 1" in listing
    sitemap = html(client, "/sitemap.xml")
    assert f"{directory.full_url}{business_handle(shown)}/" in sitemap
    assert client.get(directory.business_url(shown)).status_code == 200

    for why, business in hidden.items():
        assert client.get(directory.business_url(business)).status_code == 404, why
        assert business_handle(business) not in sitemap, why
    # A photo is served while its business is listed, and no longer once it is not.
    hidden_with_photo = listed(name="Nanti Ditarik", photos=[stored_photo()])
    photo = hidden_with_photo.photos.get()
    url = directory.photo_url(hidden_with_photo, photo, 1, "kecil")
    assert client.get(url).status_code == 200
    services.withdraw_from_directory(hidden_with_photo)
    assert client.get(url).status_code == 404


def test_no_personal_data_in_any_directory_response(client, directory):
    nik = nik_for(serial=4242)
    business = listed(
        name="Dodol Betawi Sejahtera",
        main_product="Dodol ketan hitam",
        address="Jl. Gudang Rahasia No. 9",
        rt="004",
        rw="011",
        latitude="-6.481234",
        longitude="106.854321",
        public_phone="0813-1111-2222",
        public_link="https://shopee.co.id/dodolsejahtera",
        photos=[stored_photo()],
        owner__full_name="Ijah Khodijah",
        owner__nik=nik,
        owner__phone="+6281298765432",
        owner__email="ijah.pribadi@example.org",
        owner__address="Jl. Rumah Pribadi No. 7",
    )
    bodies = [
        html(client, directory.url),
        html(client, directory.url, q="dodol"),
        html(client, directory.business_url(business)),
        html(client, "/sitemap.xml"),
    ]
    secrets = [
        nik,
        "Ijah Khodijah",
        "81298765432",
        "0812-9876-5432",
        "ijah.pribadi@example.org",
        "Jl. Rumah Pribadi",
        "Jl. Gudang Rahasia",
        "6.481234",
        "106.854321",
        "RT 004",
        "1990-06-05",
        business.tracking_code,
        business.tracking_code_display,
    ]
    for body in bodies:
        assert "dodol" in body.lower()
        assert [secret for secret in secrets if secret in body] == []
    detail = bodies[2]
    # What the owner gave for the directory is shown, and works as a link.
    assert 'href="tel:+6281311112222"' in detail
    assert "0813-1111-2222" in detail
    assert 'href="https://wa.me/6281311112222?text=' in detail
    assert 'href="https://shopee.co.id/dodolsejahtera"' in detail
    assert "Dodol ketan hitam" in detail


def test_search_by_name_and_product_and_filter_by_sector_kecamatan_and_product(client, directory):
    cibinong = Kecamatan.objects.get(code="32.01.01")
    citeureup = Kecamatan.objects.get(code="32.01.03")
    listed(name="Keripik Balado Mak Ijah", main_product="Keripik singkong balado")
    listed(name="Batik Tulis Cibinong", main_product="Kain batik tulis")
    listed(
        name="Kopi Halimun",
        main_product="Kopi bubuk robusta",
        kbli_category="I",
        kecamatan=citeureup,
    )
    everyone = {"Keripik Balado Mak Ijah", "Batik Tulis Cibinong", "Kopi Halimun"}

    def found(**params):
        return names_on(html(client, directory.url, **params), everyone)

    assert found() == everyone
    assert found(q="batik") == {"Batik Tulis Cibinong"}
    assert found(q="singkong balado") == {"Keripik Balado Mak Ijah"}
    assert found(q="HALIMUN") == {"Kopi Halimun"}  # the name, in any case
    assert found(q="keripik batik") == set()  # every word must match
    assert found(produk="robusta") == {"Kopi Halimun"}
    assert found(produk="Cibinong") == set()  # a name is not a product
    assert found(sektor="I") == {"Kopi Halimun"}
    assert found(sektor="C") == {"Keripik Balado Mak Ijah", "Batik Tulis Cibinong"}
    assert found(kecamatan="32.01.03") == {"Kopi Halimun"}
    assert found(kecamatan="32.01.01", q="kain") == {"Batik Tulis Cibinong"}
    assert found(sektor="A") == set()  # a real sector with nobody in it
    listing = html(client, directory.url)
    # The choices offered are those that list someone, with how many.
    assert f'<option value="32.01.01">{cibinong.name} (2)</option>' in listing
    assert '<option value="I">Penyediaan Akomodasi dan Penyediaan Makan Minum (1)</option>' in (
        listing
    )
    assert 'value="A"' not in listing


@pytest.mark.parametrize(
    "params",
    [
        {"sektor": "ZZ"},
        {"kecamatan": "99.99.99"},
        {"kecamatan": "' OR 1=1 --"},
        {"q": "k" * 101},
        {"produk": "x" * 500},
    ],
)
def test_bad_filter_values_are_left_out_with_one_notice(client, directory, params):
    listed(name="Keripik Balado Mak Ijah")
    page_html = html(client, directory.url, **params)
    assert "Keripik Balado Mak Ijah" in page_html
    assert IGNORED_NOTICE in page_html
    assert "Pilih pilihan yang valid" not in page_html  # no raw form error


@pytest.mark.parametrize(
    "params", [{"page": "abc"}, {"page": "99999"}, {"page": "-1"}, {"foo": "bar"}, {"page": ""}]
)
def test_odd_page_numbers_and_unknown_parameters_are_ignored(client, directory, params):
    listed(name="Keripik Balado Mak Ijah")
    page_html = html(client, directory.url, **params)
    assert "Keripik Balado Mak Ijah" in page_html
    assert IGNORED_NOTICE not in page_html


def test_pages_keep_the_filters_in_their_links(client, directory):
    for number in range(14):
        listed(name=f"Keripik Rasa {number:02d}", main_product="Keripik pisang")
    listed(name="Batik Lain", main_product="Kain batik")
    first = html(client, directory.url, produk="keripik", sektor="C")
    assert "Jumlah usaha: 14" in first
    assert 'href="?sektor=C&amp;produk=keripik&amp;page=2"' in first
    second = html(client, directory.url, produk="keripik", sektor="C", page="2")
    assert names_on(second, {f"Keripik Rasa {n:02d}" for n in range(14)}) == {
        "Keripik Rasa 12",
        "Keripik Rasa 13",
    }
    # A bad value does not travel on.
    mixed = html(client, directory.url, produk="keripik", sektor="ZZ")
    assert 'href="?produk=keripik&amp;page=2"' in mixed


def test_pending_owner_changes_never_show(client, directory):
    business = listed(
        name="Dodol Garut Bu Eha",
        main_product="Dodol ketan",
        public_link="https://shopee.co.id/dodoleha",
        photos=[stored_photo()],
    )
    services.update_by_owner(
        Business.objects.get(pk=business.pk),
        services.RegistrationInput(
            owner={},
            business={
                "name": "Dodol Premium Bu Eha",
                "main_product": "Dodol durian",
                "public_link": "https://www.tokopedia.com/dodoleha",
            },
            photos=["", stored_photo((20, 20, 200))],
        ),
    )
    business = Business.objects.get(pk=business.pk)
    assert business.has_unpublished_changes
    listing = html(client, directory.url)
    assert "Dodol Garut Bu Eha" in listing
    assert "Dodol Premium" not in listing
    assert "durian" not in html(client, directory.url, q="dodol")
    assert "Dodol Premium" not in html(client, directory.url, q="durian")
    detail = html(client, directory.business_url(business))
    assert "Dodol ketan" in detail
    assert "durian" not in detail and "tokopedia" not in detail
    assert "https://shopee.co.id/dodoleha" in detail
    # Only the validated photo is served; the pending second one is not.
    assert detail.count("/foto/") == 1
    photo = business.photos.get()
    assert client.get(directory.photo_url(business, photo, 1, "sedang")).status_code == 200
    second = directory.photo_url(business, photo, 2, "sedang")
    assert client.get(second).status_code == 404
    # Once validated, the new version is what the directory shows, at a new address.
    business = approve_all(business)
    response = client.get(f"{directory.url}dodol-garut-bu-eha-{business.public_code.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == directory.business_url(business)
    assert "Dodol durian" in html(client, response["Location"])


def test_the_owner_opts_out_and_the_listing_disappears_at_once(
    client, directory, registration_page
):
    business = listed(
        name="Keripik Balado Mak Ijah",
        public_phone="0813-1111-2222",
        photos=[stored_photo()],
    )
    # Changes of the owner wait for validation, with the opt-in still ticked in them.
    services.update_by_owner(
        Business.objects.get(pk=business.pk),
        services.RegistrationInput(owner={}, business={"main_product": "Keripik pedas"}),
    )
    photo = business.photos.get()
    detail_url = directory.business_url(business)
    photo_url = directory.photo_url(business, photo, 1, "kecil")
    assert client.get(detail_url).status_code == 200
    home = links.owner_link(business.owner, registration_page).replace("http://testserver", "")
    assert "Keluarkan dari direktori" in html(client, home)

    response = client.post(home, {"action": "directory_out", "business": business.pk})

    assert response.status_code == 302
    assert "usaha ini tidak lagi tampil" in html(client, response["Location"])
    assert "Keripik Balado Mak Ijah" not in html(client, directory.url)
    assert client.get(detail_url).status_code == 404
    assert client.get(photo_url).status_code == 404
    assert business_handle(business) not in html(client, "/sitemap.xml")
    business = Business.objects.get(pk=business.pk)
    assert (business.directory_opt_in, business.public_phone) == (False, "")
    entry = RecordLogEntry.objects.get(action=services.DIRECTORY_OPT_OUT)
    assert entry.data == {"via": "owner"}
    # Validating the changes that were waiting does not list the business again.
    business = approve_all(business)
    assert business.main_product == "Keripik pedas"
    assert client.get(detail_url).status_code == 404
    assert "Keripik Balado Mak Ijah" not in html(client, directory.url)


def test_opting_back_in_waits_for_validation(client, directory, registration_page):
    business = BusinessFactory(validated=True, name="Keripik Balado Mak Ijah")
    home = links.owner_link(business.owner, registration_page).replace("http://testserver", "")
    edit_url = home + f"usaha/{business.pk}/"
    form = client.get(edit_url)
    data = _edit_data(
        form.context,
        **{
            "direktori-directory_opt_in": "on",
            "direktori-public_phone": "0813 1111 2222",
            "direktori-public_link": "shopee.co.id/makijah",
        },
    )
    assert "Perubahan terkirim" in client.post(edit_url, data).content.decode()
    assert "Keripik Balado Mak Ijah" not in html(client, directory.url)
    assert "tampil di sana setelah petugas kami memvalidasi" in html(client, home)

    business = approve_all(Business.objects.get(pk=business.pk))

    assert (business.public_phone, business.public_link) == (
        "+6281311112222",
        "https://shopee.co.id/makijah",
    )
    assert "0813-1111-2222" in html(client, directory.business_url(business))


def test_unticking_on_the_update_page_applies_at_once(client, directory, registration_page):
    business = listed(name="Keripik Balado Mak Ijah", public_phone="0813-1111-2222")
    home = links.owner_link(business.owner, registration_page).replace("http://testserver", "")
    edit_url = home + f"usaha/{business.pk}/"
    data = _edit_data(client.get(edit_url).context, **{"keuangan-annual_sales": "150.000.000"})
    data.pop("direktori-directory_opt_in")
    assert "Perubahan terkirim" in client.post(edit_url, data).content.decode()
    assert "Keripik Balado Mak Ijah" not in html(client, directory.url)
    business = approve_all(Business.objects.get(pk=business.pk))
    assert business.annual_sales == 150_000_000
    assert (business.directory_opt_in, business.public_phone) == (False, "")


def test_the_consent_step_asks_for_the_public_contact_and_keeps_it_only_with_the_opt_in(
    client, registration_page
):
    data = answers(
        persetujuan__directory_opt_in="on",
        persetujuan__public_phone="0813 1111 2222",
        persetujuan__public_link="shopee.co.id/makijah",
    )
    register(client, registration_page, data)
    business = Business.objects.get()
    assert business.directory_opt_in
    assert (business.public_phone, business.public_link) == (
        "+6281311112222",
        "https://shopee.co.id/makijah",
    )
    assert business.consent_version == "2026-12"

    without = answers(
        pemilik__nik=nik_for(serial=77),
        usaha__name="Usaha Tanpa Direktori",
        persetujuan__public_phone="0813 1111 2222",
        persetujuan__public_link="not a link at all",
    )
    register(client, registration_page, without)
    other = Business.objects.get(name="Usaha Tanpa Direktori")
    assert (other.directory_opt_in, other.public_phone, other.public_link) == (False, "", "")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("public_link", "ftp://shop.example.org/", "diawali http:// atau https://"),
        ("public_link", "javascript:alert(1)", "diawali http:// atau https://"),
        ("public_phone", "12345", "nomor telepon Indonesia yang benar"),
    ],
)
def test_a_bad_public_contact_is_refused_on_the_consent_step(
    client, registration_page, field, value, message
):
    response = client.post(registration_page.url, {**answers()["pemilik"], **spam_fields()})
    step_url = response["Location"].replace("/usaha/", "/persetujuan/")
    response = client.post(
        step_url, {"consent": "on", "directory_opt_in": "on", field: value}, follow=True
    )
    assert response.status_code == 200
    page_html = response.content.decode()
    assert message in page_html
    assert response.redirect_chain == []  # stays on the consent step


def test_photos_are_small_clean_jpegs_with_cache_headers(client, directory):
    business = listed(name="Batik Tulis Cibinong", photos=[stored_photo(size=(2000, 1500))])
    photo = business.photos.get()
    small = client.get(directory.photo_url(business, photo, 1, "kecil"))
    assert small.status_code == 200
    assert small["Content-Type"] == "image/jpeg"
    assert small["Cache-Control"] == "public, max-age=3600"
    assert small["X-Content-Type-Options"] == "nosniff"
    picture = Image.open(io.BytesIO(small.content))
    assert (picture.format, max(picture.size)) == ("JPEG", 480)
    assert not picture.getexif()
    medium = client.get(directory.photo_url(business, photo, 1, "sedang"))
    assert max(Image.open(io.BytesIO(medium.content)).size) == 1200
    # An address of a photo since replaced (another version) finds nothing.
    wrong = f"{directory.url}foto/{business.public_code.lower()}/1-000000000000-kecil/"
    assert client.get(wrong).status_code == 404


def test_addresses_use_the_directory_code_never_the_database_id(client, directory):
    business = listed(name="Kopi Halimun & Teh (Asli)")
    handle = f"kopi-halimun-teh-asli-{business.public_code.lower()}"
    assert directory.business_url(business) == f"{directory.url}{handle}/"
    code_only = client.get(f"{directory.url}{business.public_code.lower()}/")
    assert code_only.status_code == 301
    assert code_only["Location"] == f"{directory.url}{handle}/"
    assert business.tracking_code.lower() not in directory.business_url(business)
    assert client.get(f"{directory.url}{business.pk}/").status_code == 404
    assert client.get(f"{directory.url}kopi-{business.public_code.upper()}/").status_code == 404


def test_the_list_asks_the_same_number_of_queries_for_3_or_10_businesses(
    client, directory, django_assert_max_num_queries
):
    kecamatan = list(Kecamatan.objects.order_by("code")[:5])

    def add(count, start):
        for number in range(start, start + count):
            listed(
                name=f"Usaha Nomor {number}",
                kecamatan=kecamatan[number % 5],
                photos=[stored_photo()],
            )

    add(3, 0)
    client.get(directory.url)  # warm caches (site root, settings) before counting
    with django_assert_max_num_queries(100) as few:
        assert client.get(directory.url).status_code == 200
    add(7, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page_html = html(client, directory.url)
    assert page_html.count("/foto/") == 10


def test_staff_unticking_the_opt_in_in_the_admin_applies_at_once(client, directory):
    from django.urls import reverse

    from core import roles
    from tests.admin_forms import form_data
    from tests.factories import UserFactory

    business = listed(name="Keripik Balado Mak Ijah", public_phone="0813-1111-2222")
    client.force_login(UserFactory(username="validator", role=roles.VALIDATOR))
    url = reverse("wagtailsnippets_sme_registry_business:edit", args=[business.pk])
    form = client.get(url).context["form"]
    data = form_data(form)
    data.pop("directory_opt_in")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert "Keripik Balado Mak Ijah" not in html(client, directory.url)
    entry = RecordLogEntry.objects.get(action=services.DIRECTORY_OPT_OUT)
    assert entry.data == {"via": "staff"}


def test_a_landline_gets_a_phone_link_but_no_whatsapp(client, directory):
    business = listed(name="Warung Nasi Bu Imas", public_phone="0251-8651-204")
    detail = html(client, directory.business_url(business))
    assert "(0251) 8651204" in detail
    assert 'href="tel:+622518651204"' in detail
    assert "wa.me" not in detail


def test_a_photo_gone_from_storage_or_of_another_kind_is_not_served(
    client, directory, private_root
):
    business = listed(name="Batik Tulis Cibinong", photos=[stored_photo()])
    photo = business.photos.get()
    (private_root / photo.image.name).unlink()
    assert client.get(directory.photo_url(business, photo, 1, "kecil")).status_code == 404
    with pytest.raises(Http404):
        uploads.serve_public_photo(None, "registry/documents/x.pdf", size="kecil", max_age=60)
