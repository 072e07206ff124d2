"""Demo data of the SME registry: the registration page and a few dozen businesses.

Safe to run again: the page is looked up by its slug, the menu item by its page,
and the businesses by the stable NIKs below. Every business goes through
`services.register_business`, so the demo obeys the same rules as the public
form and the staff entry.
"""

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from PIL import Image as PILImage
from PIL import ImageDraw

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from core import roles
from sme_registry import permissions, selectors, services, transitions, uploads
from sme_registry.forms import CONSENT_VERSION
from sme_registry.models import (
    Business,
    Desa,
    DirectoryPage,
    DocumentKind,
    Education,
    FollowUp,
    Kecamatan,
    LegalForm,
    MentoringVisit,
    OutreachSession,
    RegistrationPage,
    RegistrationQuestion,
    Source,
    StaffArea,
    Status,
)

PAGE_SLUG = "daftar"
DIRECTORY_SLUG = "direktori"
DIRECTORY_INTRO = (
    "<p>Temukan produk dan jasa UMKM Kabupaten Bogor: makanan olahan, kerajinan, busana, "
    "kedai dan toko di 40 kecamatan. Setiap usaha di sini datanya sudah diperiksa "
    "kecamatan dan divalidasi Dinas Koperasi dan UKM, dan pemiliknya memilih untuk tampil.</p>"
    "<p>Hubungi penjual langsung lewat kontak yang mereka cantumkan.</p>"
)
QUESTION_LABEL = "Dari mana Anda mengetahui SI MBA UMI?"
QUESTION_CHOICES = ["Penyuluhan kecamatan", "Media sosial", "Teman atau keluarga", "Lainnya"]

INTRO = (
    "<p>Daftarkan usaha mikro, kecil atau menengah Anda di Kabupaten Bogor. Pendaftaran "
    "gratis dan dapat diisi dari ponsel dalam sekitar 15 menit. Siapkan KTP pemilik dan, "
    "bila ada, NIB, izin PIRT, sertifikat halal serta foto produk.</p>"
    "<p>Setelah dikirim, Anda menerima kode pelacakan untuk melihat status pendaftaran. "
    "Petugas Dinas Koperasi dan UKM akan memeriksa dan memvalidasi data Anda.</p>"
)
PRIVACY_TEXT = (
    "<p>Data pribadi Anda (NIK, nomor telepon, alamat dan tanggal lahir) dilindungi sesuai "
    "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi. Data hanya "
    "digunakan oleh Dinas Koperasi dan UKM Kabupaten Bogor dan operator kecamatan untuk "
    "pendataan, pembinaan, pelatihan dan pendampingan UMKM, dan tidak diberikan kepada "
    "pihak lain tanpa persetujuan Anda.</p>"
    "<p>Nama usaha, bidang usaha, produk dan foto produk, kecamatan dan desa, serta kontak "
    "publik yang Anda cantumkan hanya tampil di direktori UMKM publik bila Anda memilihnya; "
    "Anda dapat keluar dari direktori kapan saja lewat tautan pribadi Anda. Anda dapat "
    "meminta perbaikan atau penghapusan data kapan saja.</p>"
)
DONE_TEXT = (
    "<p>Terima kasih, pendaftaran usaha Anda sudah kami terima. Simpan kode pelacakan di "
    "bawah ini untuk melihat status pendaftaran.</p>"
)

# Rough centre of each kecamatan used below, for the map point a phone would give.
CENTRES = {
    "01": ("-6.4817", "106.8540"),
    "02": ("-6.4266", "106.9175"),
    "03": ("-6.5115", "106.8840"),
    "04": ("-6.5640", "106.8440"),
    "06": ("-6.4640", "107.0530"),
    "07": ("-6.3960", "106.9600"),
    "10": ("-6.4220", "106.7320"),
    "12": ("-6.4960", "106.7400"),
    "13": ("-6.4930", "106.7960"),
    "14": ("-6.5690", "106.6300"),
    "15": ("-6.5530", "106.7000"),
    "19": ("-6.4710", "106.4540"),
    "24": ("-6.6580", "106.8480"),
    "25": ("-6.6900", "106.9380"),
    "27": ("-6.7090", "106.8280"),
    "29": ("-6.6040", "106.7630"),
    "30": ("-6.5810", "106.7380"),
    "38": ("-6.7470", "106.7950"),
}
POSTAL_CODES = {
    "01": "16914",
    "02": "16963",
    "03": "16810",
    "04": "16710",
    "06": "16830",
    "07": "16820",
    "10": "16330",
    "12": "16310",
    "13": "16920",
    "14": "16640",
    "15": "16620",
    "19": "16670",
    "24": "16720",
    "25": "16750",
    "27": "16730",
    "29": "16610",
    "30": "16680",
    "38": "16740",
}

PUBLIC = Source.PUBLIC_FORM
STAFF = Source.STAFF_ENTRY


@dataclass(frozen=True)
class DemoBusiness:
    """One demo registration; the owner's NIK is built from `nik_area`, birth date, sex, serial."""

    serial: int
    owner: str
    sex: str
    born: datetime.date
    phone: str
    kec: str  # last two digits of the kecamatan code (32.01.xx)
    desa: str
    name: str
    category: str
    kbli: str
    product: str
    description: str
    year: int
    street: str
    rt: int
    rw: int
    capital: int
    sales: int
    workers: tuple  # (male, female)
    state: str = Status.VALIDATED
    source: str = PUBLIC
    education: str = Education.SMA
    email: str = ""
    nik_area: str = ""  # default: the business's own kecamatan
    lives_outside: str = ""  # home address outside Kabupaten Bogor
    disability_note: str = ""
    assets: int | None = None
    workers_disabled: int = 0
    legal_form: str = LegalForm.PERORANGAN
    nib: str = ""
    documents: tuple = ()  # (kind, number, issued_on)
    reported_scale: str = "mikro"
    shop: bool = False
    marketplace: bool = False
    social: bool = False
    qris: bool = False
    links: str = ""
    opt_in: bool = False
    public_phone: str = ""  # the contact given for the directory, never the owner's own
    public_link: str = ""
    answer: str = ""
    owner_update: dict = field(default_factory=dict)

    @property
    def nik(self):
        area = self.nik_area or f"3201{self.kec}"
        day = self.born.day + (40 if self.sex == "P" else 0)
        return f"{area}{day:02d}{self.born.month:02d}{self.born.year % 100:02d}{self.serial:04d}"


def _d(year, month, day):
    return datetime.date(year, month, day)


# fmt: off
BUSINESSES = [
    # --- Validated -------------------------------------------------------------------
    DemoBusiness(
        serial=12, owner="Imas Masitoh", sex="P", born=_d(1978, 3, 14),
        phone="0812-9134-5521", kec="01", desa="Pakansari",
        name="Warung Nasi Bu Imas", category="I", kbli="56102",
        product="Nasi rames dan lauk pauk Sunda",
        description="Nasi liwet, pepes ikan, sayur asem dan sambal dadak untuk makan siang "
        "pegawai dan pengunjung Stadion Pakansari.",
        year=2012, street="Jl. Raya Pakansari No. 45", rt=3, rw=2,
        capital=12_000_000, sales=216_000_000, workers=(1, 2),
        nib="9120201784563", shop=True, answer="Penyuluhan kecamatan", opt_in=True,
        public_phone="0251-8651-204",
    ),
    DemoBusiness(
        serial=31, owner="Asep Saepudin", sex="L", born=_d(1975, 8, 2),
        phone="0813-8821-4470", kec="03", desa="Puspanegara",
        name="Toko Sembako Barokah", category="G", kbli="47112",
        product="Beras, minyak goreng, gula dan kebutuhan pokok",
        description="Toko kelontong dan sembako, melayani eceran dan warung-warung sekitar.",
        year=2009, street="Jl. Raya Citeureup No. 118", rt=2, rw=5,
        capital=85_000_000, sales=960_000_000, assets=150_000_000, workers=(2, 1),
        nib="9120003518827", shop=True, qris=True, source=STAFF, education=Education.SMP,
    ),
    DemoBusiness(
        serial=5, owner="Euis Rohaeti", sex="P", born=_d(1983, 11, 21),
        phone="0821-1245-7789", kec="14", desa="Karacak",
        name="Keripik Singkong Mak Euis", category="C", kbli="10794",
        product="Keripik singkong balado dan original",
        description="Keripik singkong dari petani Karacak, digoreng setiap hari tanpa pengawet.",
        year=2016, street="Kp. Cibeber Hilir No. 9", rt=1, rw=4,
        capital=25_000_000, sales=180_000_000, workers=(1, 4),
        nib="9120108843215",
        documents=(
            (DocumentKind.PIRT, "P-IRT 2063201010457-26", _d(2021, 5, 10)),
            (DocumentKind.HALAL, "ID32110000412560322", _d(2022, 3, 8)),
        ),
        marketplace=True, social=True, opt_in=True,
        links="shopee.co.id/keripikmakeuis\ninstagram.com/keripikmakeuis",
        public_phone="0812-9900-4415", public_link="https://shopee.co.id/keripikmakeuis",
        answer="Media sosial",
    ),
    DemoBusiness(
        serial=44, owner="Ujang Sopandi", sex="L", born=_d(1980, 1, 9),
        phone="0857-1903-6612", kec="29", desa="Pagelaran",
        name="Sepatu Kulit Ujang Ciomas", category="C", kbli="15201",
        product="Sepatu pantofel dan sandal kulit",
        description="Perajin sepatu Ciomas sejak 2005, menerima pesanan grosir dan seragam kantor.",
        year=2005, street="Jl. Raya Ciomas No. 77", rt=4, rw=3,
        capital=60_000_000, sales=420_000_000, workers=(6, 1),
        nib="9120006620194", source=STAFF, education=Education.SMP,
    ),
    DemoBusiness(
        serial=18, owner="Siti Nurhasanah", sex="P", born=_d(1990, 6, 25),
        phone="0812-8870-2314", email="nurcollection@example.org",
        kec="13", desa="Ragajaya",
        name="Konveksi Nur Collection", category="C", kbli="14111",
        product="Gamis, seragam sekolah dan kaos sablon",
        description="Konveksi rumahan dengan 22 penjahit, memasok toko di Tanah Abang dan "
        "menerima pesanan seragam.",
        year=2014, street="Jl. Raya Ragajaya No. 21", rt=2, rw=7,
        capital=650_000_000, sales=2_600_000_000, assets=900_000_000, workers=(8, 14),
        nib="9120310275546", reported_scale="kecil",
        marketplace=True, social=True, qris=True, opt_in=True,
        links="tokopedia.com/nurcollectionbogor", education=Education.DIPLOMA,
        public_link="https://www.tokopedia.com/nurcollectionbogor",
        answer="Teman atau keluarga",
    ),
    DemoBusiness(
        serial=27, owner="Dedi Kurniawan", sex="L", born=_d(1986, 4, 17),
        phone="0822-6104-3358", kec="07", desa="Limusnunggal",
        name="CV Sumber Rejeki Cileungsi", category="G", kbli="46311",
        product="Grosir beras dan sembako",
        description="Distributor beras dan sembako untuk warung dan toko di Cileungsi dan "
        "Jonggol.",
        year=2013, street="Jl. Raya Narogong Km 21 No. 3", rt=5, rw=1,
        capital=1_200_000_000, sales=4_800_000_000, assets=1_900_000_000, workers=(6, 2),
        legal_form=LegalForm.CV, nib="9120405931870", reported_scale="kecil",
        shop=True, qris=True, source=STAFF, education=Education.S1,
    ),
    DemoBusiness(
        serial=9, owner="Nining Kurniasih", sex="P", born=_d(1988, 9, 3),
        phone="0878-7712-0945", kec="24", desa="Bendungan",
        name="Dapur Bu Nining Catering", category="I", kbli="56210",
        product="Nasi kotak dan tumpeng untuk acara",
        description="Jasa boga untuk pengajian, rapat kantor desa dan hajatan.",
        year=2017, street="Jl. Veteran III No. 16", rt=3, rw=6,
        capital=30_000_000, sales=300_000_000, workers=(1, 3),
        documents=((DocumentKind.HALAL, "ID32110001178230923", _d(2023, 9, 14)),),
        social=True, opt_in=True, answer="Media sosial",
    ),
    DemoBusiness(
        serial=63, owner="Yayat Hidayat", sex="L", born=_d(1972, 12, 30),
        phone="0813-1457-9081", kec="25", desa="Tugu Selatan",
        name="Toko Oleh-oleh Puncak Asri", category="G", kbli="47241",
        product="Dodol, teh, manisan dan keripik khas Puncak",
        description="Toko oleh-oleh di jalur Puncak, menjual produk UMKM sekitar Cisarua.",
        year=2010, street="Jl. Raya Puncak Km 83 No. 5", rt=1, rw=2,
        capital=70_000_000, sales=540_000_000, workers=(2, 2),
        nib="9120007714062", shop=True, qris=True, source=STAFF,
    ),
    DemoBusiness(
        serial=21, owner="Rina Marlina", sex="P", born=_d(1995, 2, 11),
        phone="0896-3321-8874", email="kedairindang@example.org",
        kec="30", desa="Babakan",
        name="Kedai Kopi Rindang", category="I", kbli="56303",
        product="Kopi susu gula aren dan camilan",
        description="Kedai kopi dekat kampus IPB dengan biji kopi dari petani Bogor.",
        year=2021, street="Jl. Babakan Raya No. 12", rt=2, rw=8,
        capital=45_000_000, sales=210_000_000, workers=(2, 1),
        nib="9120512298731",
        documents=((DocumentKind.HALAL, "ID32110002046710124", _d(2024, 1, 22)),),
        social=True, qris=True, opt_in=True, education=Education.S1,
        links="instagram.com/kedaikopirindang", answer="Media sosial",
        public_phone="0838-7700-1290", public_link="https://www.instagram.com/kedaikopirindang",
    ),
    DemoBusiness(
        serial=36, owner="Hendra Gunawan", sex="L", born=_d(1984, 7, 7),
        phone="0812-1090-4436", kec="10", desa="Waru",
        name="Bengkel Motor Hendra Jaya", category="G", kbli="45405",
        product="Servis dan suku cadang sepeda motor",
        description="Servis ringan, ganti oli, tambal ban dan penjualan suku cadang motor.",
        year=2011, street="Jl. Raya Parung-Bogor No. 201", rt=4, rw=2,
        capital=40_000_000, sales=264_000_000, workers=(3, 0),
        shop=True, source=STAFF, education=Education.SMA,
    ),
    DemoBusiness(
        serial=52, owner="Lilis Suryani", sex="P", born=_d(1979, 5, 19),
        phone="0852-1873-6620", kec="15", desa="Cibanteng",
        name="Tahu Sumedang Bu Lilis", category="C", kbli="10393",
        product="Tahu goreng dan tahu mentah",
        description="Pabrik tahu rumahan, memasok pedagang gorengan dan pasar Ciampea.",
        year=2010, street="Jl. Cibanteng Proyek No. 4", rt=1, rw=3,
        capital=35_000_000, sales=380_000_000, workers=(3, 2),
        documents=((DocumentKind.HALAL, "ID32110000937420523", _d(2023, 5, 2)),),
        answer="Penyuluhan kecamatan",
    ),
    DemoBusiness(
        serial=15, owner="Agus Setiawan", sex="L", born=_d(1982, 10, 28),
        phone="0813-9954-2017", kec="06", desa="Sukamanah",
        name="Mebel Jati Agus", category="C", kbli="31001",
        product="Lemari, meja dan kursi kayu",
        description="Mebel kayu jati dan mahoni sesuai pesanan.",
        year=2008, street="Jl. Raya Jonggol-Cileungsi No. 66", rt=2, rw=4,
        capital=120_000_000, sales=720_000_000, workers=(5, 0),
        nib="9120009381146", shop=True, source=STAFF, education=Education.SMP,
    ),
    DemoBusiness(
        serial=40, owner="Neneng Hasanah", sex="P", born=_d(1987, 3, 5),
        phone="0821-2288-5140", kec="38", desa="Srogol",
        name="Kue Basah Neneng", category="C", kbli="10710",
        product="Kue basah, bolu dan roti manis",
        description="Kue basah untuk hajatan dan titipan warung, dibuat setiap subuh.",
        year=2019, street="Jl. Srogol No. 30", rt=3, rw=1,
        capital=8_000_000, sales=96_000_000, workers=(0, 2),
        documents=(
            (DocumentKind.PIRT, "P-IRT 2153201020883-25", _d(2020, 8, 3)),
            (DocumentKind.HALAL, "ID32110001520180724", _d(2024, 7, 15)),
        ),
        social=True, answer="Teman atau keluarga",
    ),
    DemoBusiness(
        serial=8, owner="Dadang Suherman", sex="L", born=_d(1970, 11, 12),
        phone="0812-8456-1103", kec="27", desa="Cimande",
        name="Bakso Mang Dadang", category="I", kbli="56103",
        product="Bakso urat dan mie ayam",
        description="Kedai bakso di jalan raya Cimande, buka setiap hari pukul 10.00-21.00.",
        year=2003, street="Jl. Raya Cimande No. 88", rt=2, rw=2,
        capital=20_000_000, sales=252_000_000, workers=(2, 1),
        documents=((DocumentKind.HALAL, "ID32110000815660223", _d(2023, 2, 20)),),
        shop=True, source=STAFF, education=Education.SD,
    ),
    DemoBusiness(
        serial=23, owner="Iis Aisyah", sex="P", born=_d(1992, 8, 16),
        phone="0857-7034-9921", email="iishijab@example.org",
        kec="12", desa="Jampang",
        name="Iis Hijab Store", category="G", kbli="47912",
        product="Kerudung dan busana muslim",
        description="Toko daring kerudung dan gamis, dikirim ke seluruh Indonesia.",
        year=2020, street="Jl. Raya Jampang No. 14", rt=5, rw=3,
        capital=18_000_000, sales=150_000_000, workers=(0, 2),
        nib="9120612457708", marketplace=True, social=True, opt_in=True,
        links="shopee.co.id/iishijabstore", answer="Media sosial",
        public_link="https://shopee.co.id/iishijabstore",
        # Waiting for validation: the directory still shows the validated shop link.
        owner_update={
            "annual_sales": 210_000_000,
            "workers_female": 3,
            "accepts_qris": True,
            "public_link": "https://www.tokopedia.com/iishijabstore",
        },
    ),
    DemoBusiness(
        serial=47, owner="Ade Supriatna", sex="L", born=_d(1985, 6, 1),
        phone="0813-2176-5530", kec="19", desa="Koleang",
        name="Gula Aren Koleang", category="C", kbli="10722",
        product="Gula aren cetak dan gula semut",
        description="Gula aren dari nira pohon aren di perbukitan Jasinga.",
        year=2015, street="Kp. Koleang Girang No. 3", rt=1, rw=1,
        capital=15_000_000, sales=120_000_000, workers=(2, 2),
        documents=(
            (DocumentKind.PIRT, "P-IRT 2073201190215-24", _d(2019, 11, 4)),
            (DocumentKind.HALAL, "ID32110001302950424", _d(2024, 4, 29)),
        ),
        source=STAFF, education=Education.SMP,
    ),
    DemoBusiness(
        serial=11, owner="Eko Prasetyo", sex="L", born=_d(1981, 4, 23),
        phone="0811-1920-4486", kec="02", desa="Ciangsana",
        nik_area="317404", lives_outside="Jl. Tebet Barat Dalam IV No. 7, Tebet, Jakarta Selatan",
        name="Ayam Geprek Mas Eko", category="I", kbli="56103",
        product="Ayam geprek sambal bawang",
        description="Kedai ayam geprek dekat perumahan Kota Wisata, juga lewat ojek daring.",
        year=2022, street="Jl. Raya Ciangsana No. 9", rt=3, rw=9,
        capital=55_000_000, sales=480_000_000, workers=(3, 1),
        nib="9120714063321",
        documents=((DocumentKind.HALAL, "ID32110002214400824", _d(2024, 8, 19)),),
        marketplace=True, social=True, qris=True, opt_in=True, education=Education.S1,
        answer="Media sosial",
    ),
    DemoBusiness(
        serial=29, owner="Wawan Setiawan", sex="L", born=_d(1977, 9, 14),
        phone="0812-1101-7765", kec="04", desa="Cijujung",
        name="Toko Bangunan Wawan", category="G", kbli="47521",
        product="Semen, besi, cat dan bahan bangunan",
        description="Toko bahan bangunan dengan layanan antar ke lokasi.",
        year=2006, street="Jl. Raya Jakarta-Bogor Km 48 No. 2", rt=1, rw=6,
        capital=300_000_000, sales=1_800_000_000, assets=650_000_000, workers=(5, 0),
        nib="9120002784409", reported_scale="kecil", shop=True, qris=True, source=STAFF,
    ),
    # --- Submitted -------------------------------------------------------------------
    # Likely the same warung as "Warung Nasi Bu Imas", registered by her sister.
    DemoBusiness(
        serial=30, owner="Ida Farida", sex="P", born=_d(1981, 2, 8),
        phone="0838-1766-2093", kec="01", desa="Pakansari",
        name="Warung Nasi Ibu Imas", category="I", kbli="56102",
        product="Nasi rames, pepes dan sayur asem",
        description="Warung nasi Sunda dekat Stadion Pakansari.",
        year=2013, street="Jl. Raya Pakansari No. 45", rt=3, rw=2,
        capital=10_000_000, sales=180_000_000, workers=(1, 2),
        state=Status.SUBMITTED, source=STAFF,
    ),
    # Registered with Asep Saepudin's NIK: attached to him, unconfirmed.
    DemoBusiness(
        serial=31, owner="Asep Saefudin", sex="L", born=_d(1975, 8, 2),
        phone="0856-9412-3307", kec="03", desa="Tajur", nik_area="320103",
        name="Warung Kopi Kang Asep", category="I", kbli="56303",
        product="Kopi, mie instan dan gorengan",
        description="Warung kopi kecil di pinggir jalan Tajur.",
        year=2023, street="Jl. Tajur Raya No. 3", rt=2, rw=3,
        capital=6_000_000, sales=60_000_000, workers=(1, 0),
        state=Status.SUBMITTED, answer="Teman atau keluarga",
    ),
    DemoBusiness(
        serial=14, owner="Maman Sulaeman", sex="L", born=_d(1974, 5, 30),
        phone="0812-9320-5618", kec="07", desa="Cipenjo",
        name="Pecel Lele Mang Maman", category="I", kbli="56104",
        product="Pecel lele, ayam goreng dan sambal",
        description="Tenda pecel lele malam hari di depan pasar Cipenjo.",
        year=2013, street="Jl. Raya Cipenjo No. 2", rt=4, rw=4,
        capital=8_000_000, sales=144_000_000, workers=(2, 0),
        state=Status.SUBMITTED, education=Education.SD, answer="Penyuluhan kecamatan",
    ),
    DemoBusiness(
        serial=53, owner="Yuyun Yuningsih", sex="P", born=_d(1991, 1, 27),
        phone="0877-8115-4426", kec="29", desa="Laladon",
        name="Yuyun Snack", category="C", kbli="10794",
        product="Makaroni pedas dan basreng",
        description="Camilan pedas dalam kemasan 100 gram untuk warung dan penjualan daring.",
        year=2020, street="Jl. Laladon Indah No. 5", rt=6, rw=2,
        capital=10_000_000, sales=84_000_000, workers=(0, 3),
        documents=((DocumentKind.PIRT, "P-IRT 2083201200617-26", _d(2021, 6, 21)),),
        marketplace=True, social=True, state=Status.SUBMITTED, answer="Media sosial",
    ),
    DemoBusiness(
        serial=19, owner="Irfan Maulana", sex="L", born=_d(1998, 12, 4),
        phone="0895-3311-0472", kec="13", desa="Bojonggede",
        name="Irfan Cell", category="G", kbli="47413",
        product="Pulsa, paket data dan aksesoris ponsel",
        description="Konter pulsa dan aksesoris ponsel dekat Stasiun Bojonggede.",
        year=2021, street="Jl. Raya Bojonggede No. 58", rt=1, rw=10,
        capital=25_000_000, sales=180_000_000, workers=(1, 0),
        shop=True, qris=True, state=Status.SUBMITTED, answer="Lainnya",
    ),
    DemoBusiness(
        serial=38, owner="Ela Nurlaela", sex="P", born=_d(1986, 10, 10),
        phone="0813-8047-2268", kec="14", desa="Leuwimekar",
        name="Rengginang Ela", category="C", kbli="10794",
        product="Rengginang ketan dan opak",
        description="Rengginang ketan putih dan terasi, dijemur sendiri.",
        year=2015, street="Kp. Leuwimekar No. 21", rt=2, rw=2,
        capital=7_000_000, sales=72_000_000, workers=(0, 3),
        documents=((DocumentKind.PIRT, "P-IRT 2063201140329-25", _d(2020, 2, 17)),),
        state=Status.SUBMITTED, source=STAFF, education=Education.SMP,
    ),
    DemoBusiness(
        serial=25, owner="Popon Sopiah", sex="P", born=_d(1965, 7, 22),
        phone="0821-1677-3015", kec="19", desa="Jasinga",
        name="Warung Kelontong Bu Popon", category="G", kbli="47112",
        product="Kebutuhan sehari-hari",
        description="Warung kelontong di depan rumah.",
        year=1998, street="Jl. Raya Jasinga No. 140", rt=3, rw=1,
        capital=10_000_000, sales=120_000_000, workers=(0, 1),
        shop=True, state=Status.SUBMITTED, source=STAFF, education=Education.SD,
    ),
    DemoBusiness(
        serial=42, owner="Dodi Firmansyah", sex="L", born=_d(1989, 3, 18),
        phone="0812-1376-8890", kec="24", desa="Bitungsari",
        name="Dodi Frozen Food", category="G", kbli="47219",
        product="Nugget, sosis dan dimsum beku",
        description="Agen makanan beku untuk reseller dan rumah tangga.",
        year=2022, street="Jl. Raya Ciawi-Sukabumi No. 25", rt=2, rw=5,
        capital=30_000_000, sales=200_000_000, workers=(1, 1),
        marketplace=True, social=True, state=Status.SUBMITTED, answer="Media sosial",
    ),
    # --- Under review ----------------------------------------------------------------
    DemoBusiness(
        serial=16, owner="Kokom Komariah", sex="P", born=_d(1976, 4, 3),
        phone="0813-1188-2046", kec="15", desa="Cibadak",
        name="Opak Ketan Bu Kokom", category="C", kbli="10794",
        product="Opak ketan bakar",
        description="Opak ketan dibakar di atas bara, dijual ke pasar dan toko oleh-oleh.",
        year=2007, street="Kp. Cibadak Tengah No. 11", rt=3, rw=5,
        capital=9_000_000, sales=96_000_000, workers=(0, 4),
        state=Status.IN_REVIEW, source=STAFF, education=Education.SD,
    ),
    DemoBusiness(
        serial=7, owner="Ratna Dewi", sex="P", born=_d(1993, 9, 9),
        phone="0811-8892-3370", email="ratnacake@example.org",
        kec="10", desa="Pamegarsari", nik_area="327601",
        lives_outside="Perumahan Griya Sawangan Asri Blok C2 No. 15, Sawangan, Kota Depok",
        name="Ratna Cake & Cookies", category="C", kbli="10710",
        product="Kue kering, brownies dan kue ulang tahun",
        description="Dapur kue di Parung, menerima pesanan hampers Lebaran dan Natal.",
        year=2019, street="Jl. Pamegarsari No. 8", rt=1, rw=2,
        capital=20_000_000, sales=168_000_000, workers=(0, 2),
        documents=(
            (DocumentKind.PIRT, "P-IRT 2063201100764-25", _d(2020, 10, 12)),
            (DocumentKind.HALAL, "ID32110001644330424", _d(2024, 4, 8)),
        ),
        marketplace=True, social=True, state=Status.IN_REVIEW, education=Education.DIPLOMA,
        answer="Media sosial",
    ),
    DemoBusiness(
        serial=33, owner="Ahmad Fauzi", sex="L", born=_d(1987, 11, 15),
        phone="0857-8104-6231", kec="30", desa="Cikarawang",
        name="Abon Lele Cikarawang", category="C", kbli="",
        product="Abon lele dan keripik kulit lele",
        description="Olahan lele dari kolam kelompok pembudidaya di Cikarawang.",
        year=2018, street="Jl. Cikarawang No. 19", rt=2, rw=1,
        capital=25_000_000, sales=150_000_000, workers=(2, 2),
        documents=(
            (DocumentKind.PIRT, "P-IRT 2103201300192-26", _d(2021, 3, 1)),
            (DocumentKind.HALAL, "ID32110000988120623", _d(2023, 6, 5)),
        ),
        state=Status.IN_REVIEW, answer="Penyuluhan kecamatan",
    ),
    DemoBusiness(
        serial=48, owner="Entin Kartini", sex="P", born=_d(1973, 6, 26),
        phone="0812-1934-0087", kec="25", desa="Citeko",
        name="Sate Maranggi Bu Entin", category="I", kbli="56103",
        product="Sate maranggi dan sop iga",
        description="Rumah makan sate di jalur wisata Puncak, ramai saat akhir pekan.",
        year=2016, street="Jl. Raya Puncak Citeko No. 40", rt=4, rw=1,
        capital=40_000_000, sales=360_000_000, workers=(2, 2),
        shop=True, qris=True, state=Status.IN_REVIEW, source=STAFF,
    ),
    # --- Needs correction ------------------------------------------------------------
    DemoBusiness(
        serial=20, owner="Cecep Rahmat", sex="L", born=_d(1983, 2, 14),
        phone="0813-2905-7714", kec="06", desa="Singasari",
        name="Kerajinan Bambu Cecep", category="C", kbli="16291",
        product="Bakul, tampah dan anyaman bambu",
        description="Anyaman bambu buatan warga kampung, dijual ke pasar Jonggol.",
        year=2012, street="Kp. Cipeuteuy No. 6", rt=1, rw=2,
        capital=5_000_000, sales=48_000_000, workers=(2, 3), workers_disabled=1,
        state=Status.CHANGES_REQUESTED, education=Education.SD, answer="Penyuluhan kecamatan",
    ),
    DemoBusiness(
        serial=34, owner="Nurhayati", sex="P", born=_d(1980, 8, 8),
        phone="0878-7450-1129", kec="27", desa="Pancawati",
        name="Sale Pisang Nurhayati", category="C", kbli="",
        product="Sale pisang dan keripik pisang",
        description="Sale pisang ambon dijemur dan digoreng, kemasan 250 gram.",
        year=2014, street="Kp. Pancawati No. 27", rt=3, rw=3,
        capital=6_000_000, sales=60_000_000, workers=(0, 2),
        state=Status.CHANGES_REQUESTED, source=STAFF, education=Education.SMP,
    ),
    DemoBusiness(
        serial=46, owner="Budi Santoso", sex="L", born=_d(1979, 12, 19),
        phone="0812-8733-6452", kec="38", desa="Ciburuy",
        disability_note="Tunadaksa, kaki kiri",
        name="Jahit & Permak Budi", category="S", kbli="",
        product="Jahit dan permak pakaian",
        description="Jasa jahit, permak celana dan pasang resleting.",
        year=2010, street="Jl. Raya Cigombong No. 51", rt=2, rw=6,
        capital=4_000_000, sales=42_000_000, workers=(1, 0), workers_disabled=1,
        shop=True, state=Status.CHANGES_REQUESTED, answer="Teman atau keluarga",
    ),
    # --- Rejected --------------------------------------------------------------------
    DemoBusiness(
        serial=22, owner="Sri Wahyuni", sex="P", born=_d(1994, 4, 12),
        phone="0858-1162-4407", kec="02", desa="Bojongkulur",
        name="Seblak Teh Sri", category="I", kbli="56104",
        product="Seblak dan cilok",
        description="Gerobak seblak di depan sekolah (sudah tutup).",
        year=2019, street="Jl. Bojongkulur No. 70", rt=5, rw=12,
        capital=3_000_000, sales=36_000_000, workers=(0, 1),
        state=Status.REJECTED, answer="Media sosial",
    ),
    DemoBusiness(
        serial=39, owner="Rudi Hartono", sex="L", born=_d(1983, 5, 5),
        phone="0813-8810-2254", kec="12", desa="Tegal",
        name="Dana Cepat Berkah", category="K", kbli="",
        product="Pinjaman uang harian",
        description="Pinjaman harian tanpa jaminan.",
        year=2023, street="Jl. Tegal No. 1", rt=1, rw=1,
        capital=100_000_000, sales=240_000_000, workers=(2, 0),
        state=Status.REJECTED, answer="Lainnya",
    ),
    # The shop is in Kota Bogor, outside the regency.
    DemoBusiness(
        serial=41, owner="Enjang Sukmana", sex="L", born=_d(1971, 1, 19),
        phone="0812-1180-3396", kec="04", desa="Nagrak",
        name="Toko Pakaian Enjang", category="G", kbli="47711",
        product="Pakaian anak dan dewasa",
        description="Toko pakaian di Jl. Suryakencana, Kota Bogor.",
        year=2001, street="Jl. Suryakencana No. 211, Kota Bogor", rt=2, rw=4,
        capital=80_000_000, sales=600_000_000, workers=(1, 2),
        shop=True, state=Status.REJECTED, source=STAFF,
    ),
]
# fmt: on

DEMO_NIKS = sorted({b.nik for b in BUSINESSES})

OUTREACH_ANSWER = "Penyuluhan kecamatan"


@dataclass(frozen=True)
class DemoSession:
    kec: str
    desa: str
    place: str
    days_ago: int
    attendees: int
    notes: str


# One session in each kecamatan whose demo owners answered that they heard of
# the registry at an outreach session; their registrations are attributed to it.
SESSIONS = [
    DemoSession(
        "01",
        "Pakansari",
        "Aula Kantor Kelurahan Pakansari",
        75,
        42,
        "Pengenalan SI MBA UMI dan pendaftaran langsung dengan ponsel peserta.",
    ),
    DemoSession(
        "15",
        "Cibanteng",
        "Balai Desa Cibanteng",
        48,
        35,
        "Peserta sebagian besar perajin tahu dan makanan ringan.",
    ),
    DemoSession(
        "30",
        "Cikarawang",
        "Gedung Serbaguna Desa Cikarawang",
        26,
        28,
        "Bersama kelompok pembudidaya ikan; dibahas PIRT dan sertifikat halal.",
    ),
    DemoSession(
        "06",
        "Singasari",
        "Aula Kantor Desa Singasari",
        9,
        31,
        "Perajin anyaman bambu; beberapa peserta belum punya ponsel, didaftarkan petugas.",
    ),
]

MENTOR_USERNAME = "pendamping"


@dataclass(frozen=True)
class DemoVisit:
    business: str
    days_ago: int
    kind: str
    topics: str
    notes: str
    next_in_days: int | None = None
    follow_ups: tuple = ()  # (action, due in days from today, done days ago or None)
    figures: dict = field(default_factory=dict)


VISITS = [
    DemoVisit(
        "Keripik Singkong Mak Euis",
        21,
        MentoringVisit.Kind.VISIT,
        "Kemasan, label halal, merek",
        "Kemasan baru sudah dicetak; penjualan di marketplace naik sejak Lebaran.",
        next_in_days=6,
        follow_ups=(
            ("Daftarkan merek ke DJKI (HKI)", -7, None),
            ("Foto produk untuk marketplace", -14, 16),
        ),
        figures={"annual_sales": Decimal(240_000_000), "workers_female": 5},
    ),
    DemoVisit(
        "Dapur Bu Nining Catering",
        10,
        MentoringVisit.Kind.CALL,
        "Pemasaran lewat WhatsApp Business",
        "Pesanan nasi kotak kantor desa rutin setiap bulan.",
        next_in_days=12,
        follow_ups=(("Buat katalog menu di WhatsApp Business", 10, None),),
    ),
    DemoVisit(
        "Tahu Sumedang Bu Lilis",
        40,
        MentoringVisit.Kind.ONLINE,
        "Pembukuan sederhana",
        "Mulai mencatat pembelian kedelai dan penjualan harian.",
        follow_ups=(("Catat kas harian selama satu bulan", -10, 12),),
    ),
]
MENTORED = ["Keripik Singkong Mak Euis", "Dapur Bu Nining Catering", "Tahu Sumedang Bu Lilis"]


def _registration_page(home, add_to_main_menu):
    page = RegistrationPage.objects.child_of(home).filter(slug=PAGE_SLUG).first()
    if page is None:
        page = RegistrationPage(
            title="Daftarkan usaha",
            slug=PAGE_SLUG,
            intro=INTRO,
            privacy_text=PRIVACY_TEXT,
            done_text=DONE_TEXT,
        )
        home.add_child(instance=page)
        RegistrationQuestion.objects.create(
            page=page,
            sort_order=0,
            label=QUESTION_LABEL,
            field_type="dropdown",
            choices="\n".join(QUESTION_CHOICES),
            required=False,
        )
        page.save_revision().publish()
    page = page.specific
    add_to_main_menu(page, "Daftar UMKM")
    return page


def _directory_page(home, add_to_main_menu):
    page = DirectoryPage.objects.child_of(home).filter(slug=DIRECTORY_SLUG).first()
    if page is None:
        page = DirectoryPage(title="Direktori UMKM", slug=DIRECTORY_SLUG, intro=DIRECTORY_INTRO)
        home.add_child(instance=page)
        page.save_revision().publish()
    page = page.specific
    add_to_main_menu(page, "Direktori UMKM")
    return page


def _registration(demo, page, question):
    kecamatan = Kecamatan.objects.get(code=f"32.01.{demo.kec}")
    desa = Desa.objects.get(kecamatan=kecamatan, name=demo.desa)
    address = f"{demo.street}, RT {demo.rt:02d}/RW {demo.rw:02d}"
    owner = {
        "full_name": demo.owner,
        "nik": demo.nik,
        "sex": demo.sex,
        "birth_date": demo.born,
        "phone": demo.phone,
        "email": demo.email,
        "education": demo.education,
        "has_disability": bool(demo.disability_note),
        "disability_note": demo.disability_note,
    }
    if demo.lives_outside:
        owner.update(address=demo.lives_outside, kecamatan_id=None, desa_id=None)
    else:
        owner.update(address=address, kecamatan_id=kecamatan.pk, desa_id=desa.pk)
    business = {
        "name": demo.name,
        "nib": demo.nib,
        "legal_form": demo.legal_form,
        "kbli_category": demo.category,
        "kbli_code": demo.kbli,
        "main_product": demo.product,
        "description": demo.description,
        "year_started": demo.year,
        "address": address,
        "kecamatan_id": kecamatan.pk,
        "desa_id": desa.pk,
        "rt": f"{demo.rt:03d}",
        "rw": f"{demo.rw:03d}",
        "postal_code": POSTAL_CODES[demo.kec],
        "workers_male": demo.workers[0],
        "workers_female": demo.workers[1],
        "workers_disabled": demo.workers_disabled,
        "capital": Decimal(demo.capital),
        "annual_sales": Decimal(demo.sales),
        "assets": None if demo.assets is None else Decimal(demo.assets),
        "reported_scale": demo.reported_scale,
        "has_shop": demo.shop,
        "sells_on_marketplace": demo.marketplace,
        "uses_social_media": demo.social,
        "accepts_qris": demo.qris,
        "online_store_links": demo.links,
        "directory_opt_in": demo.opt_in,
        "public_phone": demo.public_phone,
        "public_link": demo.public_link,
    }
    if demo.source == PUBLIC:
        # A phone's map point: near the kecamatan centre, a little apart for each business.
        lat, lon = CENTRES[demo.kec]
        shift = Decimal((demo.serial * 37) % 41 - 20) / 10_000
        business.update(latitude=Decimal(lat) + shift, longitude=Decimal(lon) - shift)
    documents = []
    if demo.nib:
        documents.append({"kind": DocumentKind.NIB, "number": demo.nib})
    for kind, number, issued_on in demo.documents:
        documents.append({"kind": kind, "number": number, "issued_on": issued_on})
    answers = {question.clean_name: demo.answer} if demo.answer and question else {}
    return services.RegistrationInput(
        owner=owner,
        business=business,
        documents=documents,
        extra_answers=answers,
        consent_version=CONSENT_VERSION,
    )


# A colour per sector for the demo's product photos (processing, trade, food and drink).
PHOTO_COLOURS = {"C": ((176, 96, 24), (250, 228, 196)), "G": ((24, 92, 150), (214, 232, 247))}
PHOTO_COLOURS_DEFAULT = ((170, 44, 44), (250, 222, 214))


def _demo_photo(demo):
    """A plain picture standing in for a product photo, cleaned and stored like an upload."""
    colour, light = PHOTO_COLOURS.get(demo.category, PHOTO_COLOURS_DEFAULT)
    canvas = PILImage.new("RGB", (1200, 900), light)
    draw = ImageDraw.Draw(canvas)
    shift = (demo.serial * 53) % 300
    draw.rounded_rectangle((200 + shift, 260, 760 + shift, 760), radius=60, fill=colour)
    draw.ellipse((820 - shift // 2, 120, 1120 - shift // 2, 420), fill=colour)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=85)
    photo = uploads.clean_image(ContentFile(buffer.getvalue(), name="produk.jpg"))
    return uploads.store_private(photo)


def _seed_sessions(staff, mentor):
    """The demo outreach sessions, looked up by their place; a code per kecamatan."""
    today = timezone.localdate()
    codes = {}
    for demo in SESSIONS:
        kecamatan = Kecamatan.objects.get(code=f"32.01.{demo.kec}")
        session = OutreachSession.objects.filter(kecamatan=kecamatan, place=demo.place).first()
        if session is None:
            session = OutreachSession(
                date=today - datetime.timedelta(days=demo.days_ago),
                kecamatan=kecamatan,
                desa=Desa.objects.get(kecamatan=kecamatan, name=demo.desa),
                place=demo.place,
                attendee_count=demo.attendees,
                notes=demo.notes,
                created_by=staff,
            )
            session.full_clean()
            session.save()
            session.staff.add(*[u for u in (staff, mentor) if u is not None])
        codes[demo.kec] = session.referral_code
    return codes


# The office's demo staff, one per role that takes part in the review (and the mentor).
# (username, first name, last name, role, kecamatan of the operator area)
DEMO_STAFF = {
    "admin": ("admin_dinas", "Dewi", "Admin Dinas", roles.ADMIN_DINAS, ()),
    "validator": ("validator_pum", "Budi", "Validator PUM", roles.VALIDATOR, ()),
    "operator": ("operator_cibinong", "Sari", "Operator Cibinong", roles.OPERATOR, ("32.01.01",)),
    "mentor": (MENTOR_USERNAME, "Rina", "Pendamping", roles.MENTOR, ()),
}

# Why a reviewer sent a demo registration back or rejected it (by serial).
REVIEW_REASONS = {
    22: "Usaha sudah tutup menurut pemeriksaan lapangan petugas kecamatan.",
    39: "Pinjaman uang bukan usaha binaan Diskopukm; silakan menghubungi OJK.",
    41: "Toko berada di Kota Bogor, di luar wilayah Kabupaten Bogor.",
}
CHANGES_REASON = "Foto produk dan nomor PIRT belum dilengkapi. Mohon perbarui lewat tautan pribadi."


def demo_staff_user(key):
    """A demo staff account; a password (the demo admin's) only in development."""
    username, first_name, last_name, role, kecamatan = DEMO_STAFF[key]
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@example.org",
        },
    )
    if created:
        password = getattr(settings, "DEMO_ADMIN_PASSWORD", None)
        if settings.DEBUG and password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=role))
        if kecamatan:
            area = StaffArea.objects.create(user=user)
            area.kecamatan.add(*Kecamatan.objects.filter(code__in=kecamatan))
    return user


def _mentor_user():
    return demo_staff_user("mentor")


def _review(business, demo, staff):
    """Walk a demo registration to its state the way reviewers would, step by step."""
    if demo.state == Status.SUBMITTED:
        return
    area = permissions.area_kecamatan_ids(staff["operator"])
    first = staff["operator"] if business.kecamatan_id in area else staff["admin"]
    reason = REVIEW_REASONS.get(demo.serial, CHANGES_REASON)
    if demo.state == Status.CHANGES_REQUESTED:
        transitions.request_changes(business, first, reason)
        return
    transitions.approve_step(business, first)
    if demo.state == Status.IN_REVIEW:
        return
    business = Business.objects.get(pk=business.pk)
    if demo.state == Status.REJECTED:
        transitions.reject(business, staff["validator"], reason)
    else:
        transitions.approve_step(business, staff["validator"])


def _seed_mentoring(mentor, staff):
    """Assign the mentor and record visits, once: nothing is added when visits exist."""
    businesses = Business.objects.filter(owner__nik__in=DEMO_NIKS, name__in=MENTORED)
    services.assign_mentor(businesses.filter(mentor__isnull=True), mentor, user=staff)
    if MentoringVisit.objects.filter(business__in=businesses).exists():
        return
    today = timezone.localdate()
    for demo in VISITS:
        visit = MentoringVisit(
            business=businesses.get(name=demo.business),
            visited_on=today - datetime.timedelta(days=demo.days_ago),
            kind=demo.kind,
            topics=demo.topics,
            notes=demo.notes,
            next_visit_on=(
                today + datetime.timedelta(days=demo.next_in_days)
                if demo.next_in_days is not None
                else None
            ),
            **demo.figures,
        )
        visit.follow_ups = [
            FollowUp(
                action=action,
                due_on=today + datetime.timedelta(days=due),
                done_on=None if done is None else today - datetime.timedelta(days=done),
                sort_order=order,
            )
            for order, (action, due, done) in enumerate(demo.follow_ups)
        ]
        services.record_mentoring_visit(visit, user=mentor)


def _seed_businesses(page, session_codes, staff):
    question = page.questions.first()
    for demo in BUSINESSES:
        registration = _registration(demo, page, question)
        if demo.opt_in:
            registration.photos = [_demo_photo(demo)]
        business = services.register_business(
            registration,
            source=demo.source,
            entered_by=staff["admin"] if demo.source == STAFF else None,
            page=page if demo.source == PUBLIC else None,
            referral_code=session_codes.get(demo.kec, "") if demo.answer == OUTREACH_ANSWER else "",
        )
        _review(business, demo, staff)
        if demo.state == Status.VALIDATED and demo.owner_update:
            business = Business.objects.get(pk=business.pk)
            services.update_by_owner(
                business, services.RegistrationInput(owner={}, business=demo.owner_update)
            )


def _seed_merged_duplicate(page, staff):
    """The same stall registered twice at an outreach day, then merged by the office."""
    demo = BUSINESSES[0]
    original = Business.objects.filter(owner__nik=demo.nik, name=demo.name).order_by("pk").first()
    if original is None or original.merged_from.exists():
        return
    registration = _registration(demo, page, page.questions.first())
    registration.documents, registration.photos = [], []
    duplicate = services.register_business(
        registration,
        source=STAFF,
        entered_by=staff["operator"],
        owner=original.owner,
    )
    transitions.merge(original, duplicate, user=staff["admin"])


def seed_registry(demo_context):
    stdout = demo_context.stdout
    home = demo_context.home_page
    page = _registration_page(home, demo_context.add_to_main_menu)
    _directory_page(home, demo_context.add_to_main_menu)
    if home.hero_cta_page_id is None:
        home.hero_cta_page = page
        home.hero_cta_label = "Daftarkan usaha sekarang"
        home.save_revision().publish()
    staff = {key: demo_staff_user(key) for key in DEMO_STAFF}
    mentor = staff["mentor"]
    session_codes = _seed_sessions(staff["admin"], mentor)
    first = BUSINESSES[0]
    if not Business.objects.filter(owner__nik=first.nik).exists():
        _seed_businesses(page, session_codes, staff)
    _seed_merged_duplicate(page, staff)
    _seed_mentoring(mentor, staff["admin"])
    demo = Business.objects.filter(owner__nik__in=DEMO_NIKS)
    counts = Counter(demo.values_list("status", flat=True))
    states = ", ".join(f"{counts[s.value]} {s.value.replace('_', ' ')}" for s in Status)
    kecamatan = demo.values("kecamatan").distinct().count()
    stdout.write(
        f"Registry: registration page, {demo.count()} businesses in {kecamatan} kecamatan "
        f"({states})."
    )
    listed = selectors.directory_businesses().filter(owner__nik__in=DEMO_NIKS).count()
    stdout.write(f"Directory: page '{DIRECTORY_SLUG}', {listed} businesses listed.")
    sessions = OutreachSession.objects.filter(place__in=[s.place for s in SESSIONS])
    attributed = demo.filter(outreach_session__in=sessions).count()
    visits = MentoringVisit.objects.filter(business__mentor=mentor).count()
    stdout.write(
        f"Outreach: {sessions.count()} sessions, {attributed} registrations from them. "
        f"Mentoring: {demo.filter(mentor=mentor).count()} businesses mentored by "
        f"'{MENTOR_USERNAME}', {visits} visits."
    )
    if settings.DEBUG and getattr(settings, "DEMO_ADMIN_PASSWORD", None):
        names = ", ".join(
            f"{username} ({role})" for username, _f, _l, role, _k in DEMO_STAFF.values()
        )
        stdout.write(
            f"Demo staff at http://localhost:8000/admin/: {names}; "
            "password: the demo admin's (set when the accounts are created)"
        )
