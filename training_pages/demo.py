"""Demo trainings and events: an index in the main menu, upcoming and past activities.

Safe to run again: the index, the feedback form and every activity are looked
up by their slug, the menu item by its page; existing pages are left as they are.
Dates are counted from the day the seed first runs.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.utils import timezone

from wagtail.images import get_image_model

from content.models import FormField, FormPage
from sme_registry.demo import demo_staff_user
from sme_registry.models import Business, Kecamatan, Status
from training_pages import attendance, certificates, services
from training_pages.models import (
    ActivityPage,
    ActivitySession,
    Certificate,
    EventPage,
    Participant,
    TrainingIndexPage,
    TrainingPage,
)

INDEX_SLUG = "pelatihan"
FEEDBACK_SLUG = "umpan-balik-pelatihan"
CONTACT = {
    "contact_name": "Rina Marlina (Seksi PUM)",
    "contact_phone": "0812-8800-4512",
    "contact_email": "pum@diskopukm.example.org",
}


@dataclass(frozen=True)
class DemoActivity:
    slug: str
    title: str
    summary: str
    body: str
    topics: tuple
    # (days from today, start hour, end hour, session title)
    sessions: tuple
    kec: str = ""  # last two digits of the kecamatan code (32.01.xx)
    venue: str = ""
    address: str = ""
    online_link: str = ""
    capacity: int | None = None
    requires_approval: bool = False
    validated_only: bool = False
    sector: str = ""
    scale: str = ""
    gives_certificate: bool = False
    feedback: bool = False
    image: str = ""
    event_kind: str = ""
    opens_days: int | None = None  # sign-up opens this many days from today
    extra: dict = field(default_factory=dict)


# fmt: off
ACTIVITIES = [
    DemoActivity(
        slug="foto-produk-dengan-ponsel",
        title="Pelatihan Foto Produk dengan Ponsel",
        summary="Praktik memotret produk makanan dan kerajinan dengan ponsel: cahaya alami, "
        "latar sederhana dan penyuntingan ringan untuk lokapasar.",
        body="Peserta membawa ponsel dan dua contoh produk. Kelas dibatasi agar setiap peserta "
        "mendapat bimbingan langsung dari fotografer pendamping.",
        topics=("pemasaran digital", "foto produk"),
        sessions=((9, 9, 12, ""),),
        kec="01", venue="Aula Dinas Koperasi dan UKM",
        address="Jl. Bersih, Komplek Pemda, Tengah, Cibinong",
        capacity=12, image="Demo: pelatihan pemasaran digital",
    ),
    DemoActivity(
        slug="kelas-daring-pembukuan-sederhana",
        title="Kelas Daring Pembukuan Sederhana untuk Usaha Mikro",
        summary="Mencatat uang masuk dan keluar, memisahkan uang usaha dan uang rumah tangga, "
        "dan menghitung laba dengan aplikasi gratis di ponsel.",
        body="Kelas berlangsung lewat konferensi video. Tautan rapat dikirim kepada peserta "
        "yang sudah diterima, sehari sebelum kelas.",
        topics=("keuangan",),
        sessions=((12, 13, 15, ""),),
        online_link="https://meet.example.org/pembukuan-umkm",
        capacity=100, scale="mikro",
    ),
    DemoActivity(
        slug="pendampingan-sertifikasi-halal",
        title="Pendampingan Sertifikasi Halal Jalur Pernyataan Pelaku Usaha",
        summary="Pendamping proses produk halal membantu usaha makanan dan minuman menyiapkan "
        "dokumen dan mengajukan sertifikat halal gratis.",
        body="Petugas memeriksa setiap pendaftar: prioritas bagi usaha mikro pangan yang sudah "
        "memiliki NIB. Bawa daftar bahan baku dan foto proses produksi.",
        topics=("legalitas", "halal"),
        sessions=((16, 9, 15, ""),),
        kec="03", venue="Kantor Kecamatan Citeureup",
        address="Jl. Mayor Oking Jaya Atmaja, Citeureup",
        capacity=40, requires_approval=True, sector="C",
        image="Demo: produk olahan pangan",
    ),
    DemoActivity(
        slug="pengemasan-dan-label-produk-pangan",
        title="Pelatihan Pengemasan dan Label Produk Pangan",
        summary="Dua pertemuan tentang kemasan yang aman dan menarik, isi label yang wajib, "
        "dan cara menghitung biaya kemasan per produk.",
        body="Pertemuan pertama membahas bahan kemasan dan label; pada pertemuan kedua peserta "
        "merancang label produknya sendiri bersama desainer.",
        topics=("pengemasan",),
        sessions=((20, 8, 12, "Bahan kemasan dan isi label"),
                  (21, 8, 12, "Merancang label sendiri")),
        kec="14", venue="Balai Desa Leuwimekar",
        address="Jl. Raya Leuwiliang No. 5, Leuwimekar, Leuwiliang",
        capacity=25, validated_only=True, gives_certificate=True,
    ),
    DemoActivity(
        slug="bazar-umkm-hari-jadi-bogor",
        title="Bazar UMKM Hari Jadi Kabupaten Bogor",
        summary="Tiga hari berjualan di stan gratis di Lapangan Tegar Beriman. Terbuka bagi "
        "usaha yang sudah tervalidasi; stan dibagi menurut kecamatan.",
        body="Setiap usaha mendapat satu meja dan dua kursi. Listrik tersedia terbatas; "
        "sebutkan kebutuhan listrik saat mendaftar.",
        topics=("bazar", "pemasaran"),
        sessions=((27, 9, 21, "Hari pertama"), (28, 9, 21, "Hari kedua"),
                  (29, 9, 21, "Hari ketiga")),
        kec="01", venue="Lapangan Tegar Beriman",
        address="Jl. Tegar Beriman, Pakansari, Cibinong",
        capacity=120, validated_only=True, requires_approval=True,
        image="Demo: bazar UMKM Cibinong", event_kind=EventPage.Kind.BAZAAR,
        opens_days=-3,
    ),
    DemoActivity(
        slug="pemasaran-digital-angkatan-1",
        title="Pelatihan Pemasaran Digital Angkatan I",
        summary="Tiga puluh pelaku usaha kuliner dan kerajinan belajar membuka toko di "
        "lokapasar dan mempromosikan produk di media sosial.",
        body="Peserta yang hadir penuh menerima sertifikat pelatihan.",
        topics=("pemasaran digital",),
        sessions=((-30, 9, 15, ""),),
        kec="01", venue="Aula Dinas Koperasi dan UKM",
        address="Jl. Bersih, Komplek Pemda, Tengah, Cibinong",
        capacity=30, gives_certificate=True, image="Demo: pelatihan pemasaran digital",
    ),
    DemoActivity(
        slug="manajemen-stok-warung",
        title="Pelatihan Manajemen Stok untuk Warung dan Toko Kelontong",
        summary="Mencatat stok, menentukan kapan belanja ulang dan mengurangi barang "
        "kedaluwarsa di warung.",
        body="Peserta mengisi formulir umpan balik setelah pelatihan untuk membantu kami "
        "menyusun pelatihan berikutnya.",
        topics=("keuangan", "manajemen usaha"),
        sessions=((-12, 9, 12, ""),),
        kec="24", venue="Gedung Serbaguna Kecamatan Ciawi",
        address="Jl. Raya Ciawi No. 12, Ciawi",
        capacity=35, feedback=True,
    ),
]
# fmt: on


def _at(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _index(home, add_to_main_menu):
    index = TrainingIndexPage.objects.child_of(home).filter(slug=INDEX_SLUG).first()
    if index is None:
        index = TrainingIndexPage(
            title="Pelatihan dan Acara",
            slug=INDEX_SLUG,
            intro=(
                "<p>Pelatihan, kelas daring, pendampingan dan bazar dari Dinas Koperasi dan "
                "UKM Kabupaten Bogor. Semua kegiatan gratis bagi UMKM yang sudah terdaftar "
                "di SI MBA UMI.</p>"
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    index = index.specific
    add_to_main_menu(index, "Pelatihan")
    return index


def _feedback_form(home):
    form = FormPage.objects.filter(slug=FEEDBACK_SLUG).first()
    if form is not None:
        return form
    form = FormPage(
        slug=FEEDBACK_SLUG,
        title="Umpan balik pelatihan",
        intro="<p>Ceritakan pengalaman Anda mengikuti pelatihan. Jawaban Anda membantu kami "
        "menyusun pelatihan berikutnya.</p>",
        thank_you_text="<p>Terima kasih atas umpan balik Anda.</p>",
        submit_label="Kirim umpan balik",
        to_address="pum@diskopukm.example.org",
        from_address="no-reply@diskopukm.example.org",
        subject="Umpan balik pelatihan",
        show_in_menus=False,
    )
    home.add_child(instance=form)
    fields = [
        ("Nama usaha", "singleline", True, "", ""),
        ("Pelatihan yang diikuti", "singleline", True, "", ""),
        (
            "Seberapa bermanfaat pelatihan ini bagi usaha Anda?",
            "radio",
            True,
            "Sangat bermanfaat\nBermanfaat\nKurang bermanfaat",
            "",
        ),
        ("Topik pelatihan yang Anda butuhkan berikutnya", "multiline", False, "", ""),
    ]
    for order, (label, field_type, required, choices, help_text) in enumerate(fields):
        FormField.objects.create(
            page=form,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            help_text=help_text,
        )
    form.save_revision().publish()
    return form


def _activity(index, demo, feedback_form):
    model = EventPage if demo.event_kind else TrainingPage
    extra = {"event_kind": demo.event_kind} if demo.event_kind else {}
    image = get_image_model().objects.filter(title=demo.image).first() if demo.image else None
    page = model(
        slug=demo.slug,
        title=demo.title,
        summary=demo.summary,
        body=json.dumps([{"type": "paragraph", "value": f"<p>{demo.body}</p>"}]),
        image=image,
        mode=model.Mode.ONLINE if demo.online_link else model.Mode.OFFLINE,
        venue_name=demo.venue,
        venue_address=demo.address,
        kecamatan=Kecamatan.objects.get(code=f"32.01.{demo.kec}") if demo.kec else None,
        online_link=demo.online_link,
        capacity=demo.capacity,
        registration_opens_at=None if demo.opens_days is None else _at(demo.opens_days, 8),
        eligibility=(
            model.Eligibility.VALIDATED if demo.validated_only else model.Eligibility.REGISTERED
        ),
        eligible_sector=demo.sector,
        eligible_scale=demo.scale,
        requires_approval=demo.requires_approval,
        gives_certificate=demo.gives_certificate,
        feedback_page=feedback_form if demo.feedback else None,
        **CONTACT,
        **extra,
    )
    page.sessions = [
        ActivitySession(
            sort_order=order, title=title, starts_at=_at(days, start), ends_at=_at(days, end)
        )
        for order, (days, start, end, title) in enumerate(demo.sessions)
    ]
    page.topics.add(*demo.topics)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _demo_businesses():
    from sme_registry.demo import DEMO_NIKS

    return list(
        Business.objects.filter(owner__nik__in=DEMO_NIKS, merged_into__isnull=True)
        .exclude(status=Status.REJECTED)
        .order_by("pk")
    )


def _seed_participants(index):
    """Sign-ups through the sign-up rules, and for past activities attendance and certificates.

    Past activities are signed up for as of a week before they started, so the
    same rules apply as on the day.
    """
    pages = {p.slug: p for p in ActivityPage.objects.child_of(index).specific()}
    if Participant.objects.filter(page__in=pages.values()).exists():
        return
    businesses = _demo_businesses()
    staff = demo_staff_user("admin")

    def sign_up(page, candidates, *, now=None):
        signed = []
        for business in candidates:
            try:
                participant, _created = services.sign_up(page, business, now=now, notify=False)
            except services.SignUpRefused:
                continue
            signed.append(participant)
        return signed

    # A popular training: every seat taken and two people waiting.
    photo = pages.get("foto-produk-dengan-ponsel")
    if photo is not None and photo.capacity:
        sign_up(photo, businesses[: photo.capacity + 2])
    # Staff approval: some waiting for a decision, one accepted.
    halal = pages.get("pendampingan-sertifikasi-halal")
    if halal is not None:
        waiting = sign_up(halal, businesses[:6])
        if waiting:
            services.approve(waiting[0], user=staff)
    online = pages.get("kelas-daring-pembukuan-sederhana")
    if online is not None:
        sign_up(online, businesses[5:12])
    # Past trainings: who came, who did not, and certificates where they are given.
    for slug in ("pemasaran-digital-angkatan-1", "manajemen-stok-warung"):
        page = pages.get(slug)
        if page is None:
            continue
        before = page.starts_at - datetime.timedelta(days=7)
        signed = sign_up(page, businesses[10:22], now=before)
        sessions = list(page.sessions.all())
        for participant in signed[: max(len(signed) - 2, 0)]:
            for session in sessions:
                attendance.record_attendance(participant, session, method="list", user=staff)
        attendance.settle_attendance(page)
        certificates.issue_certificates(page, user=staff)


def seed_training(demo_context):
    stdout = demo_context.stdout
    home = demo_context.home_page
    index = _index(home, demo_context.add_to_main_menu)
    feedback_form = _feedback_form(home)
    existing = set(index.get_children().values_list("slug", flat=True))
    for demo in ACTIVITIES:
        if demo.slug not in existing:
            _activity(index, demo, feedback_form)
    _seed_participants(index)
    trainings = TrainingPage.objects.child_of(index).count()
    events = EventPage.objects.child_of(index).count()
    participants = Participant.objects.filter(page__in=ActivityPage.objects.child_of(index))
    certificates_issued = Certificate.objects.filter(participant__in=participants).count()
    stdout.write(
        f"Trainings: index in the main menu, {trainings} trainings, {events} events, feedback form; "
        f"{participants.count()} sign-ups, {certificates_issued} certificates."
    )
    business = next(iter(_demo_businesses()), None)
    if business is not None:
        stdout.write(
            f"Try a sign-up with the demo tracking code {business.tracking_code_display} "
            f"({business.name})."
        )
