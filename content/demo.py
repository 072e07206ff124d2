"""Demo content for the public site: home, about, FAQ, news and a contact form.

Every object is looked up by a stable key (slug or title) before it is created,
so running the seed twice changes nothing.
"""

import datetime
import io
import json

from PIL import Image as PILImage
from PIL import ImageDraw

from django.core.files.images import ImageFile
from django.db.models import Max
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Site

from content.models import (
    FormField,
    FormPage,
    HomePage,
    MainMenu,
    MenuItem,
    NewsIndexPage,
    NewsPage,
    OfficeSettings,
    StandardPage,
)
from core.links import public_host_and_port

IMAGE_SPECS = [
    ("Demo: pelatihan pemasaran digital", (11, 93, 67), (245, 197, 66)),
    ("Demo: bazar UMKM Cibinong", (183, 85, 40), (250, 226, 180)),
    ("Demo: produk olahan pangan", (120, 64, 140), (240, 210, 240)),
    ("Demo: pendampingan usaha", (30, 90, 160), (200, 225, 250)),
]

NEWS = [
    (
        "pendataan-umkm-serentak-40-kecamatan",
        "Pendataan UMKM serentak di 40 kecamatan",
        "Petugas Dinas Koperasi dan UKM bersama operator kecamatan mulai mendata "
        "usaha mikro, kecil dan menengah di seluruh Kabupaten Bogor.",
        ["pendataan"],
        0,
    ),
    (
        "pelatihan-pemasaran-digital-angkatan-pertama",
        "Pelatihan pemasaran digital angkatan pertama dibuka",
        "Tiga puluh pelaku usaha kuliner dan kerajinan belajar memotret produk, "
        "menulis deskripsi dan berjualan di lokapasar.",
        ["pelatihan", "pemasaran"],
        1,
    ),
    (
        "fasilitasi-sertifikat-halal-gratis",
        "Fasilitasi sertifikat halal gratis bagi usaha mikro",
        "Usaha mikro makanan dan minuman yang sudah terdata dapat mengajukan "
        "pendampingan sertifikasi halal melalui jalur pernyataan pelaku usaha.",
        ["legalitas", "halal"],
        2,
    ),
    (
        "bazar-umkm-hari-jadi-bogor",
        "Bazar UMKM memeriahkan Hari Jadi Bogor",
        "Lebih dari seratus stan produk unggulan kecamatan hadir di Lapangan "
        "Tegar Beriman, Cibinong.",
        ["acara"],
        1,
    ),
    (
        "cara-mengurus-nib-lewat-oss",
        "Cara mengurus NIB lewat OSS untuk usaha mikro",
        "Nomor Induk Berusaha kini dapat diurus sendiri secara daring. Berikut "
        "langkah-langkahnya dan dokumen yang perlu disiapkan.",
        ["legalitas"],
        3,
    ),
    (
        "penyuluhan-bulanan-kecamatan-citeureup",
        "Penyuluhan bulanan di Kecamatan Citeureup",
        "Tim PUM mengenalkan SI MBA UMI kepada pelaku usaha yang belum terdaftar "
        "dan membantu mereka mengisi formulir pendaftaran.",
        ["penyuluhan", "pendataan"],
        3,
    ),
    (
        "kisah-keripik-singkong-dari-leuwiliang",
        "Kisah keripik singkong dari Leuwiliang",
        "Setelah enam bulan pendampingan, sebuah usaha rumahan kini memasok "
        "toko oleh-oleh di tiga kecamatan.",
        ["kisah-sukses"],
        2,
    ),
]


def _paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _demo_image(title, colour, light):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (1600, 900), light)
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 900, 6):
        shade = tuple(int(light[c] + (colour[c] - light[c]) * i / 900) for c in range(3))
        draw.line([(0, i), (1600, i)], fill=shade)
    draw.ellipse((980, 140, 1480, 640), fill=light)
    draw.rectangle((160, 520, 820, 760), fill=colour, outline=light, width=12)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=82)
    slug = title.split(": ", 1)[-1].replace(" ", "-").lower()
    image = Image(title=title, file=ImageFile(buffer, name=f"{slug}.jpg"))
    image.save()
    return image


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page:
        return page.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_to_main_menu(site, page, link_text=""):
    """Append a page to the site's main menu once; other apps' demos call this too."""
    menu = MainMenu.for_site(site)
    if not menu.items.filter(link_page=page).exists():
        last = menu.items.aggregate(last=Max("sort_order"))["last"]
        MenuItem.objects.create(
            menu=menu,
            sort_order=0 if last is None else last + 1,
            link_page=page,
            link_text=link_text,
        )


def demo_context(stdout):
    """What every app's seed is handed (see `core.demo`)."""
    from core.demo import DemoContext

    site = Site.objects.get(is_default_site=True)
    return DemoContext(
        stdout=stdout,
        site=site,
        home_page=site.root_page.specific,
        add_to_main_menu=lambda page, link_text="": add_to_main_menu(site, page, link_text),
    )


def at_public_address(site):
    """Give the Site the host and port of WAGTAILADMIN_BASE_URL, so page addresses use it."""
    hostname, port = public_host_and_port()
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])


def seed_content(stdout):
    images = [_demo_image(*spec) for spec in IMAGE_SPECS]
    home = HomePage.objects.first()
    site = Site.objects.get(is_default_site=True)
    at_public_address(site)
    if home.hero_image_id is None:
        home.hero_title = "Daftarkan usaha Anda, tumbuh bersama Diskopukm"
        home.hero_text = (
            "SI MBA UMI adalah layanan pendataan, pelatihan dan pendampingan UMKM "
            "Kabupaten Bogor. Gratis, dari rumah, lewat ponsel."
        )
        home.hero_image = images[0]
        home.intro = (
            "<p>Dinas Koperasi dan UKM Kabupaten Bogor mendata usaha mikro, kecil dan "
            "menengah di 40 kecamatan. Usaha yang terdata mendapat informasi pelatihan, "
            "pendampingan dan fasilitasi legalitas usaha.</p>"
        )
        home.save_revision().publish()
    about = _child(
        home,
        StandardPage,
        "tentang",
        title="Tentang SI MBA UMI",
        intro="Sistem Informasi Manajemen Basis Data UMKM Kabupaten Bogor.",
        body=json.dumps(
            [
                {"type": "heading", "value": {"text": "Apa itu SI MBA UMI?", "level": "h2"}},
                _paragraph(
                    "SI MBA UMI adalah inovasi Dinas Koperasi dan UKM Kabupaten Bogor untuk "
                    "mengumpulkan dan memperbarui data usaha mikro, kecil dan menengah secara "
                    "digital, sehingga program pembinaan tepat sasaran."
                ),
                {"type": "heading", "value": {"text": "Alur layanan", "level": "h2"}},
                _paragraph(
                    "Pelaku usaha mendaftar, data diperiksa dan divalidasi petugas, lalu usaha "
                    "mendapat pendampingan, pelatihan dan informasi kegiatan. Data terus "
                    "diperbarui agar perkembangan usaha dapat dianalisis dan dievaluasi."
                ),
                {
                    "type": "image",
                    "value": {
                        "image": images[3].pk,
                        "alt_text": "Petugas mendampingi pelaku usaha",
                        "caption": "Pendampingan usaha oleh tim PUM.",
                        "credit": "Diskopukm",
                    },
                },
                {"type": "heading", "value": {"text": "UMKM yang sudah terdata", "level": "h2"}},
                # Counted live from the registry when the page is shown (core.figures).
                {
                    "type": "statistic",
                    "value": {"figure": "validated_by_sector", "title": "", "note": ""},
                },
            ]
        ),
    )
    faq = _child(
        home,
        StandardPage,
        "tanya-jawab",
        title="Tanya jawab",
        intro="Pertanyaan yang sering diajukan pelaku usaha.",
        body=json.dumps(
            [
                {
                    "type": "accordion",
                    "value": {
                        "title": "",
                        "items": [
                            {
                                "question": "Apakah pendaftaran dipungut biaya?",
                                "answer": "<p>Tidak. Pendaftaran dan pelatihan tidak dipungut biaya.</p>",
                            },
                            {
                                "question": "Dokumen apa yang perlu disiapkan?",
                                "answer": "<p>KTP pemilik, dan bila ada: NIB, izin PIRT, sertifikat halal "
                                "serta foto produk.</p>",
                            },
                            {
                                "question": "Bagaimana jika data usaha saya berubah?",
                                "answer": "<p>Minta tautan pembaruan data; perubahan diperiksa petugas "
                                "sebelum berlaku.</p>",
                            },
                        ],
                    },
                },
            ]
        ),
    )
    news_index = _child(
        home,
        NewsIndexPage,
        "berita",
        title="Berita",
        intro="Kabar terbaru seputar UMKM dan kegiatan Dinas Koperasi dan UKM.",
    )
    today = timezone.localdate()
    for days_ago, (slug, title, intro, tags, image_index) in enumerate(NEWS):
        if NewsPage.objects.child_of(news_index).filter(slug=slug).exists():
            continue
        page = NewsPage(
            slug=slug,
            title=title,
            date=today - datetime.timedelta(days=days_ago * 9 + 2),
            intro=intro,
            image=images[image_index],
            body=json.dumps(
                [
                    _paragraph(intro),
                    _paragraph(
                        "Informasi lebih lanjut dapat diperoleh di kantor Dinas Koperasi dan UKM "
                        "atau melalui operator kecamatan setempat."
                    ),
                ]
            ),
        )
        news_index.add_child(instance=page)
        page.tags.add(*tags)
        page.save_revision().publish()
    contact = FormPage.objects.child_of(home).filter(slug="hubungi-kami").first()
    if contact is None:
        contact = FormPage(
            slug="hubungi-kami",
            title="Hubungi kami",
            intro="<p>Kirim pertanyaan atau masukan. Kami membalas pada hari kerja.</p>",
            thank_you_text="<p>Pesan Anda sudah kami terima. Terima kasih.</p>",
            submit_label="Kirim pesan",
            to_address="pum@diskopukm.example.org",
            from_address="no-reply@diskopukm.example.org",
            subject="Pesan baru dari formulir Hubungi Kami",
        )
        home.add_child(instance=contact)
        for order, (label, field_type, required, help_text) in enumerate(
            [
                ("Nama", "singleline", True, ""),
                ("Alamat e-mail", "email", True, "Kami membalas ke alamat ini."),
                ("Kecamatan", "singleline", False, ""),
                ("Pesan", "multiline", True, ""),
            ]
        ):
            FormField.objects.create(
                page=contact,
                sort_order=order,
                label=label,
                field_type=field_type,
                required=required,
                help_text=help_text,
            )
        contact.save_revision().publish()

    office = OfficeSettings.for_site(site)
    if not office.address:
        office.address = (
            "Jalan KSR Dadi Kusmayadi, Kelurahan Tengah\nCibinong, Kabupaten Bogor\nJawa Barat"
        )
        office.phone = "(021) 87929919"
        office.email = "diskopukm@bogorkab.go.id"
        office.opening_hours = "Senin–Jumat, 08.00–16.00 WIB"
        office.instagram_url = "https://www.instagram.com/diskopukm.kabbogor"
        office.footer_text = (
            "SI MBA UMI: pendataan, pelatihan dan pendampingan UMKM Kabupaten Bogor."
        )
        office.save()
    menu = MainMenu.for_site(site)
    if not menu.items.exists():
        for order, page in enumerate([about, news_index, faq, contact]):
            MenuItem.objects.create(menu=menu, sort_order=order, link_page=page)
    stdout.write(f"Content: home, {NewsPage.objects.count()} news items, about, FAQ, contact form.")
