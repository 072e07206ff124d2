#!/usr/bin/env python
"""Seed the SME registry with N synthetic but realistic owners and businesses, fast.

    .venv/bin/python bench/seed_registry.py --count 100000 [--batch 5000] [--seed 1]
    .venv/bin/python bench/seed_registry.py --count 100000 --baseline 2000   # + naive run

What it creates, and what it deliberately skips
-----------------------------------------------
Rows are written with ``bulk_create`` in batches, one transaction per batch: no per-row
``save()``, no signals, no Wagtail revisions, no search-index entries, no moderation
workflow states. They are **already validated live records** (status "validated",
``live=True``, ``first_published_at`` set) for list, filter and count benchmarks, plus a
realistic share (``--draft-share``, default 20 %) of **submitted drafts** (status
"submitted", ``live=False``, ``has_unpublished_changes=True``). None of them has a
``latest_revision``: ``services.validate_business`` copes with that (it saves a revision
first), but the admin's revision history and compare views show nothing for them, and
Wagtail search (``wagtailsearch`` index entries) does not know them until
``manage.py update_index`` runs. Owners are live when at least one of their businesses is.

Every row passes the project's validators: the NIK passes ``validators.parse_nik``
(checked for each row) with the birth date and sex it encodes, phones are E.164 like
``+62812xxxxxxxx``, the desa always lies in the kecamatan, KBLI codes belong to their
category, ``computed_scale`` comes from ``scale.compute_scale``, and the first row of
the first batch and of one batch in ten goes through ``full_clean()``.

Uniqueness and re-runs
----------------------
NIK, tracking code and NIB are fixed bijections of a counter (owner counter for the NIK,
business counter for the tracking code and NIB), so different counters never give the same
value and no per-row lookup is needed. The counters of a run start at the current
``MAX(id)`` of owners and businesses: a counter used earlier is always below the id its
row received, so a re-run never reuses one. The seed only drives the other attributes
(names, places, money...): mixing it into the bijections would let two runs with
different seeds collide. To survive rows made some other way (a real applicant whose NIK
happens to match), each batch asks the database once per unique column
(``nik__in=...``, ``tracking_code__in=...``, ``nib__in=...``) and skips taken values.
Do not run two seeders against the same database at the same time.

Figures printed: rows created per table, seconds (split into generating objects,
uniqueness checks and inserts), businesses/s and rows/s, peak memory (``ru_maxrss``) and
the resident memory along the way, to show it stays flat. ``--baseline N`` first inserts
N businesses (with their owners and documents) the naive way, one
``Model.objects.create()`` per row in autocommit mode, and prints the bulk/naive ratio.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import resource
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's packages (`core`, `sme_registry`) and settings (`simbaumi`, under site/) are
# imported below at module level, before Django starts: no PYTHONPATH needed.
for _path in (ROOT / "site", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simbaumi.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    # With DEBUG on (the dev default) Django keeps the SQL of every query in memory:
    # thousands of multi-megabyte INSERT statements. Benchmarks never want that.
    settings.DEBUG = False


# --- Bijections: distinct counters give distinct values, whatever the seed -----------------

from core.codes import READABLE_ALPHABET as TRACKING_ALPHABET  # noqa: E402

_MASK60 = (1 << 60) - 1  # 12 characters of a 32-letter alphabet hold exactly 60 bits


def tracking_code(counter: int) -> str:
    """12 characters from TRACKING_ALPHABET; a bijection of the 60-bit counter space."""
    x = (counter + 0x2545F4914F6CDD1D) & _MASK60
    x = (x * 0x9E3779B97F4A7C15) & _MASK60  # odd multiplier: bijective mod 2**60
    x ^= x >> 29
    x = (x * 0xBF58476D1CE4E5B9) & _MASK60
    x ^= x >> 32
    chars = []
    for _ in range(12):
        x, digit = divmod(x, 32)
        chars.append(TRACKING_ALPHABET[digit])
    return "".join(chars)


_MASK40 = (1 << 40) - 1  # 8 characters of the same alphabet: a business's directory code


def public_code(counter: int) -> str:
    """8 characters from the same alphabet; a bijection of the 40-bit counter space."""
    x = (counter + 0x5DEECE66D) & _MASK40
    x = (x * 0x9E3779B97F) & _MASK40  # odd multiplier: bijective mod 2**40
    x ^= x >> 19
    x = (x * 0xBF58476D1D) & _MASK40
    x ^= x >> 21
    chars = []
    for _ in range(8):
        x, digit = divmod(x, 32)
        chars.append(TRACKING_ALPHABET[digit])
    return "".join(chars)


_NIB_SPACE = 10**11
_NIB_MULTIPLIER = 61_803_398_877  # coprime with 10, so the affine map is a bijection


def nib(counter: int) -> str:
    """13 digits, "91" and a bijection of the counter: OSS NIBs look like 91202...."""
    return f"91{(counter * _NIB_MULTIPLIER + 4_206_911) % _NIB_SPACE:011d}"


BIRTH_FIRST = date(1958, 1, 1)  # owners aged about 18 to 67
BIRTH_LAST = date(2007, 12, 31)
BIRTH_DAYS = (BIRTH_LAST - BIRTH_FIRST).days + 1


def _coprime_near(target: int, modulus: int) -> int:
    value = target
    while math.gcd(value, modulus) != 1:
        value += 1
    return value


class NikSpace:
    """Owner counter -> (kecamatan, birth date, sex, serial), one to one.

    The low part of the counter is spread over (kecamatan, birth date, sex) by an affine
    permutation with a golden-ratio step; the high part is the serial, so serials stay
    small (0001, 0002, ...) as in real NIKs until a million and a half owners.
    """

    def __init__(self, prefixes: list[str]):
        self.prefixes = prefixes
        self.cells = len(prefixes) * BIRTH_DAYS * 2
        self.step = _coprime_near(int(self.cells * 0.6180339887), self.cells)
        self.capacity = self.cells * 9999

    def decode(self, counter: int) -> tuple[int, date, str, str]:
        if counter >= self.capacity:
            raise OverflowError("NIK space exhausted")
        serial, cell = divmod(counter, self.cells)
        cell = (cell * self.step + 7919) % self.cells
        cell, female = divmod(cell, 2)
        kec_index, day_index = divmod(cell, BIRTH_DAYS)
        born = BIRTH_FIRST + timedelta(days=day_index)
        day = born.day + 40 if female else born.day
        nik = f"{self.prefixes[kec_index]}{day:02d}{born.month:02d}{born.year % 100:02d}"
        return kec_index, born, ("P" if female else "L"), f"{nik}{serial + 1:04d}"


# --- Word lists -------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


MALE_NAMES = _words(
    "Asep, Ujang, Dedi, Dadang, Agus, Budi, Yudi, Hendra, Rudi, Iwan, Wawan, Ade, Dede, "
    "Cecep, Encep, Jajang, Usep, Aep, Dodi, Eko, Rizky, Fajar, Ahmad, Muhammad, Hadi, "
    "Andi, Bambang, Slamet, Yusuf, Ridwan, Irfan, Deni, Eman, Mamat, Nandang, Tatang, "
    "Yayan, Heri, Rahmat, Dani, Gilang, Ilham"
)
FEMALE_NAMES = _words(
    "Siti, Euis, Neneng, Yuyun, Imas, Enung, Nur, Dewi, Sri, Rina, Lilis, Popon, Cucu, "
    "Entin, Iis, Tuti, Yanti, Rini, Wati, Ai, Eti, Nining, Ratna, Fitri, Ani, Nurhayati, "
    "Aisyah, Putri, Wulan, Santi, Dian, Ika, Mega, Reni, Titin, Eni, Yani, Nia, Yeni, "
    "Lina, Nenden, Rosita"
)
MALE_SURNAMES = _words(
    "Saepudin, Hidayat, Kurniawan, Setiawan, Supriatna, Suryana, Hermawan, Gunawan, "
    "Sulaeman, Nugraha, Permana, Ramdani, Firmansyah, Kusnadi, Mulyadi, Sutisna, "
    "Suherman, Gumilar, Ruhiyat, Abdullah, Hakim, Saputra, Pratama, Wijaya, Santoso, "
    "Prasetyo, Maulana, Hidayatullah"
)
FEMALE_SURNAMES = _words(
    "Rohimah, Nurjanah, Komalasari, Sumarni, Rahayu, Maryani, Susilawati, Handayani, "
    "Lestari, Wahyuni, Fauziah, Hasanah, Rostiana, Kurniasih, Mulyani, Purnamasari, "
    "Anggraeni, Nuraeni"
)
MALE_CALL = ("Pak", "Mang", "Kang", "Bang")
FEMALE_CALL = ("Bu", "Teh", "Ceu", "Mbak")
LUCKY = _words(
    "Berkah, Barokah, Jaya, Sejahtera, Mandiri, Makmur, Abadi, Sentosa, Rezeki, Putra, "
    "Putri, Lestari, Mulya, Sauyunan, Amanah, Sinar, Cahaya, Harapan, Mekar, Sumber"
)
KAMPUNG = _words(
    "Babakan, Cipayung, Sukamaju, Pasir Angin, Cibeureum, Cijeruk, Pabuaran, Tegal, "
    "Ciherang, Cikaret, Pondok Nangka, Kebon Kopi, Bojong, Sindang Barang, Ciburial, "
    "Leuwisadeng, Cimanggu, Lebak, Sawah"
)
STREETS = _words(
    "Raya Bogor, Raya Jakarta-Bogor, Mayor Oking, Raya Cibinong, Raya Puncak, "
    "Raya Parung, Raya Tajur, Masjid, Pasar, Melati, Mawar, Kenanga, Cempaka, "
    "Pendidikan, Pemuda, Swadaya, Gotong Royong"
)

# sector -> weight, [(KBLI code, main product, name templates)]; {call} = "Bu Euis",
# {lucky} = a word of good fortune, {product} = the main product. Codes are plausible
# KBLI 2020 codes; the validators check their division (first two digits).
SECTORS = {
    "G": (
        0.44,
        [
            ("47112", "Sembako dan kebutuhan sehari-hari", ("Toko {call}", "Warung {lucky}")),
            ("47711", "Pakaian jadi", ("{lucky} Collection", "Butik {call}")),
            ("47413", "Pulsa, kuota dan aksesoris HP", ("{lucky} Cell", "Konter {call}")),
            ("47214", "Sayur dan buah", ("Lapak Sayur {call}", "Kios {lucky}")),
            ("47524", "Bahan bangunan", ("TB {lucky}", "Toko Bangunan {lucky}")),
            ("47919", "Frozen food dan camilan (online)", ("{lucky} Frozen", "{call} Shop")),
            ("45405", "Servis dan suku cadang motor", ("Bengkel {call}", "{lucky} Motor")),
        ],
    ),
    "I": (
        0.22,
        [
            ("56102", "Nasi uduk dan lauk", ("Warung Nasi {call}", "Nasi Uduk {lucky}")),
            ("56103", "Soto Bogor", ("Soto Bogor {call}", "Kedai Soto {lucky}")),
            ("56103", "Bakso dan mie ayam", ("Bakso {call}", "Mie Ayam {lucky}")),
            ("56104", "Gorengan dan seblak", ("Gorengan {call}", "Seblak {lucky}")),
            ("56102", "Ayam geprek dan pecel lele", ("Geprek {call}", "Pecel Lele {lucky}")),
            ("56104", "Doclang dan toge goreng", ("Doclang {call}", "Toge Goreng {lucky}")),
            ("56303", "Kopi dan minuman kekinian", ("Kopi {lucky}", "Kedai {call}")),
        ],
    ),
    "C": (
        0.17,
        [
            ("10794", "Keripik singkong dan talas", ("Keripik {call}", "Kripik {lucky}")),
            ("10710", "Roti dan kue basah", ("Kue {call}", "Roti {lucky}")),
            ("10393", "Tahu dan tempe", ("Tahu {lucky}", "Pabrik Tahu {call}")),
            ("15201", "Sepatu dan sandal kulit", ("Sepatu {lucky}", "{lucky} Shoes")),
            ("14111", "Konveksi pakaian", ("Konveksi {lucky}", "Jahit {call}")),
            ("31001", "Mebel kayu", ("Mebel {lucky}", "Meubel {call}")),
            ("10773", "Sambal dan bumbu", ("Sambal {call}", "Dapur {lucky}")),
        ],
    ),
    "S": (
        0.07,
        [
            ("96200", "Laundry kiloan", ("{lucky} Laundry", "Laundry {call}")),
            ("96111", "Pangkas rambut", ("Barbershop {lucky}", "Cukur {call}")),
            ("95120", "Servis HP dan elektronik", ("Servis {lucky}", "{lucky} Elektronik")),
        ],
    ),
    "A": (
        0.04,
        [
            ("03221", "Budidaya ikan lele", ("Lele {lucky}", "Kolam {call}")),
            ("01462", "Ternak ayam kampung", ("Ternak {lucky}", "Ayam Kampung {call}")),
            ("01301", "Tanaman hias", ("Nursery {lucky}", "Tanaman Hias {call}")),
        ],
    ),
    "H": (0.02, [("53201", "Jasa kurir dan antar barang", ("{lucky} Ekspres",))]),
    "N": (0.012, [("77100", "Rental mobil", ("{lucky} Rent Car", "Rental {call}"))]),
    "F": (0.008, [("43300", "Renovasi rumah", ("{lucky} Renovasi",))]),
    "M": (0.006, [("74201", "Fotografi dan dokumentasi", ("{lucky} Foto",))]),
    "P": (0.006, [("85499", "Kursus dan les privat", ("Bimbel {lucky}",))]),
    "J": (0.004, [("61929", "Warnet dan jasa internet", ("{lucky} Net",))]),
    "R": (0.004, [("90002", "Sanggar seni dan jaipong", ("Sanggar {lucky}",))]),
}
SALES_FACTOR = {"G": 1.5, "I": 0.9, "C": 1.2, "S": 0.7, "A": 0.8}
MOBILE_PREFIXES = _words(
    "811, 812, 813, 821, 822, 823, 852, 853, 814, 815, 816, 855, 856, 857, 858, 817, "
    "818, 819, 859, 877, 878, 895, 896, 897, 898, 899, 881, 882, 883, 887, 888, 831, "
    "832, 833, 838"
)
EDUCATION = (("sd", 20), ("smp", 22), ("sma", 40), ("diploma", 6), ("s1", 9), ("s2", 1))
LEGAL_FORMS = (("perorangan", 93), ("cv", 3), ("pt", 2), ("koperasi", 1), ("lainnya", 1))
SOURCES = (("public_form", 55), ("staff_entry", 35), ("import", 10))
CONSENT_VERSION = "2026-11"  # sme_registry.forms.CONSENT_VERSION when this was written


def _cum(pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    total, cum = 0, []
    for w in weights:
        total += w
        cum.append(total)
    return values, cum


def _round_money(amount: float) -> Decimal:
    return Decimal(max(100_000, int(round(amount, -5))))


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


class FastModels:
    """Unsaved model instances without ``Model.__init__``.

    ``Model(**kwargs)`` costs about 75 µs for a Business on the bench machine (57 fields,
    plus modelcluster's child-relation scan): more than generating the row. What
    ``__init__`` does for plain values is fill ``__dict__`` and give a fresh ``_state``,
    which is all ``bulk_create`` needs. No pre_init/post_init receivers exist for these
    models (checked at start). Every concrete field gets a value, so nothing is deferred.
    """

    def __init__(self, *models):
        from django.db.models.base import ModelState
        from django.db.models.signals import post_init, pre_init

        self.ModelState = ModelState
        self.defaults = {}
        for model in models:
            if pre_init.has_listeners(model) or post_init.has_listeners(model):
                raise SystemExit(f"{model.__name__} has init signal receivers: use Model()")
            self.defaults[model] = {f.attname: f.get_default() for f in model._meta.concrete_fields}

    def new(self, model, values):
        obj = model.__new__(model)
        obj._state = self.ModelState()
        obj.__dict__.update(self.defaults[model])
        obj.__dict__.update(values)
        return obj


@contextmanager
def keep_given_timestamps(*models):
    """Let bulk_create store our spread-out dates instead of auto_now/auto_now_add's now()."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Generator:
    """Builds unsaved Owner, Business and LegalDocument objects, one batch at a time."""

    def __init__(self, *, seed, owner_start, business_start, draft_share, nib_share, docs):
        from django.utils import timezone

        from sme_registry import scale, validators
        from sme_registry.models import (
            Business,
            Desa,
            IndicatorSnapshot,
            Kecamatan,
            LegalDocument,
            Owner,
        )
        from sme_registry.services.snapshots import SNAPSHOT_FIELDS

        self.Owner, self.Business, self.LegalDocument = Owner, Business, LegalDocument
        self.IndicatorSnapshot = IndicatorSnapshot
        self.snapshot_fields = SNAPSHOT_FIELDS
        self.fast = FastModels(Owner, Business, LegalDocument, IndicatorSnapshot)
        self.validators = validators
        self.scale = scale
        self.rng = random.Random(f"{seed}:{owner_start}:{business_start}")
        self.next_owner, self.next_business = owner_start, business_start
        self.draft_share, self.nib_share, self.docs = draft_share, nib_share, docs
        self.now = timezone.now()
        self.today = timezone.localdate()

        kecamatans = list(Kecamatan.objects.order_by("code"))
        if not kecamatans:
            raise SystemExit("No kecamatan in the database: run `manage.py migrate` first.")
        self.kec_ids = [k.id for k in kecamatans]
        self.nik_space = NikSpace([k.nik_prefix for k in kecamatans])
        self.desa_by_kec = {k.id: [] for k in kecamatans}
        for desa_id, kec_id, name in Desa.objects.values_list("id", "kecamatan_id", "name"):
            self.desa_by_kec[kec_id].append((desa_id, name))
        self.kec_cum = []
        total = 0
        for kec_id in self.kec_ids:  # bigger kecamatan (more desa), more businesses
            total += len(self.desa_by_kec[kec_id])
            self.kec_cum.append(total)
        self.postal = {k: f"16{(110 + 23 * i) % 900 + 100}" for i, k in enumerate(self.kec_ids)}
        self.sector_letters = list(SECTORS)
        self.sector_cum = _cum([(s, SECTORS[s][0]) for s in SECTORS])[1]
        self.education = _cum(EDUCATION)
        self.legal_forms = _cum(LEGAL_FORMS)
        self.sources = _cum(SOURCES)

    # unique keys ----------------------------------------------------------------------

    def _free_counters(self, attr, how_many, keys_of, taken_in_db):
        """Next `how_many` counters whose unique values are not in the database yet."""
        chosen, skipped = [], 0
        while len(chosen) < how_many:
            start = getattr(self, attr)
            wanted = how_many - len(chosen)
            candidates = list(range(start, start + wanted))
            setattr(self, attr, start + wanted)
            taken = taken_in_db(candidates)
            for counter in candidates:
                if any(key in taken for key in keys_of(counter)):
                    skipped += 1
                else:
                    chosen.append(counter)
        return chosen, skipped

    def owner_counters(self, how_many):
        def taken(counters):
            niks = [self.nik_space.decode(c)[3] for c in counters]
            return set(_existing(self.Owner, "nik", niks))

        return self._free_counters(
            "next_owner", how_many, lambda c: (self.nik_space.decode(c)[3],), taken
        )

    def business_counters(self, how_many):
        def taken(counters):
            codes = [tracking_code(c) for c in counters]
            nibs = [nib(c) for c in counters]
            public = [public_code(c) for c in counters]
            return (
                set(_existing(self.Business, "tracking_code", codes))
                | set(_existing(self.Business, "nib", nibs))
                | set(_existing(self.Business, "public_code", public))
            )

        return self._free_counters(
            "next_business",
            how_many,
            lambda c: (tracking_code(c), nib(c), public_code(c)),
            taken,
        )

    # rows ---------------------------------------------------------------------------

    def _pick(self, table):
        values, cum = table
        return self.rng.choices(values, cum_weights=cum)[0]

    def _random_kec(self):
        return self.rng.choices(self.kec_ids, cum_weights=self.kec_cum)[0]

    def _address(self, desa_name, rt, rw):
        rng = self.rng
        if rng.random() < 0.55:
            return f"Kp. {rng.choice(KAMPUNG)} RT {rt}/RW {rw}, Desa {desa_name}"
        return f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 250)}, {desa_name}"

    def plan(self, target):
        """How many businesses each owner of the batch gets: mostly one, some two or three."""
        counts, total = [], 0
        while total < target:
            roll = self.rng.random()
            n = 1 if roll < 0.92 else (2 if roll < 0.99 else 3)
            n = min(n, target - total)
            counts.append(n)
            total += n
        return counts

    def build(self, owner_counters, business_counters, counts):
        """Owners, businesses (owner set as an object) and documents of one batch."""
        rng, today = self.rng, self.today
        owners, businesses, documents = [], [], []
        business_iter = iter(business_counters)
        for owner_counter, n_businesses in zip(owner_counters, counts, strict=True):
            kec_index, born, sex, nik = self.nik_space.decode(owner_counter)
            info = self.validators.parse_nik(nik, today=today)
            if info.birth_date != born or info.sex != sex:
                raise RuntimeError(f"NIK {nik} does not encode {born} {sex}")
            female = sex == "P"
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            roll = rng.random()
            if roll < 0.15:
                full_name = first
            elif roll < 0.25:
                full_name = f"{first} {rng.choice(FEMALE_NAMES if female else MALE_NAMES)}"
            else:
                full_name = f"{first} {rng.choice(FEMALE_SURNAMES if female else MALE_SURNAMES)}"
            call = f"{rng.choice(FEMALE_CALL if female else MALE_CALL)} {first}"
            home_kec = self.kec_ids[kec_index] if rng.random() < 0.85 else self._random_kec()
            home = (home_kec, *rng.choice(self.desa_by_kec[home_kec]))
            home_desa, home_desa_name = home[1], home[2]
            rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 15):03d}"
            email = ""
            if rng.random() < 0.35:
                email = f"{full_name.lower().replace(' ', '.')}{rng.randint(1, 999)}@gmail.com"
            owner = self.fast.new(
                self.Owner,
                {
                    "full_name": full_name,
                    "nik": nik,
                    "sex": sex,
                    "birth_date": born,
                    "phone": f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}",
                    "email": email,
                    "address": self._address(home_desa_name, rt, rw),
                    "kecamatan_id": home_kec,
                    "desa_id": home_desa,
                    "education": "" if rng.random() < 0.05 else self._pick(self.education),
                    "has_disability": rng.random() < 0.02,
                    "nik_outside_bogor": False,
                    "birth_date_mismatch": False,
                },
            )
            owner_live = False
            first_submitted = None
            for _ in range(n_businesses):
                business, docs = self._business(
                    owner, next(business_iter), call, born, female, home, rt, rw
                )
                businesses.append(business)
                documents.extend(docs)
                owner_live = owner_live or business.live
                if first_submitted is None or business.submitted_at < first_submitted:
                    first_submitted = business.submitted_at
            owner.created_at = owner.updated_at = first_submitted
            owner.live, owner.has_unpublished_changes = owner_live, not owner_live
            if owner_live:
                owner.first_published_at = owner.last_published_at = first_submitted
            owners.append(owner)
        return owners, businesses, documents

    def _business(self, owner, counter, call, born, female, home, rt, rw):
        rng, today, now = self.rng, self.today, self.now
        letter = rng.choices(self.sector_letters, cum_weights=self.sector_cum)[0]
        kbli_code, product, templates = rng.choice(SECTORS[letter][1])
        name = rng.choice(templates).format(call=call, lucky=rng.choice(LUCKY), product=product)
        if rng.random() < 0.88:  # mostly in the owner's kecamatan, often at home
            kec, desa, desa_name = home
            if rng.random() < 0.4:
                desa, desa_name = rng.choice(self.desa_by_kec[kec])
        else:
            kec = self._random_kec()
            desa, desa_name = rng.choice(self.desa_by_kec[kec])
            rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 15):03d}"

        # Money: log-normal, so most are micro and a long tail reaches small and medium.
        sales = rng.lognormvariate(math.log(60e6 * SALES_FACTOR.get(letter, 1.0)), 1.35)
        annual_sales = None if rng.random() < 0.05 else _round_money(min(sales, 9e10))
        capital_f = sales * rng.lognormvariate(math.log(0.25), 0.9)
        capital = None if rng.random() < 0.08 else _round_money(min(capital_f, 5e10))
        if annual_sales is None and capital is None:
            # The form asks for one of the two (check constraint `business_sales_or_capital`):
            # an owner who does not know the sales gives an estimate of the capital.
            capital = _round_money(min(capital_f, 5e10))
        assets = None
        if rng.random() < 0.7:
            assets = _round_money(min(capital_f * rng.lognormvariate(math.log(1.6), 0.5), 9e10))
        age = min(int(rng.expovariate(1 / 6)), today.year - born.year - 17, 45)
        year_started = today.year - max(age, 0)
        computed = self.scale.compute_scale(
            capital=capital, annual_sales=annual_sales, year_started=year_started, today=today
        )
        computed = computed or ""
        reported = ""
        if computed and rng.random() < 0.7:
            reported = computed if rng.random() < 0.92 else rng.choice(("mikro", "kecil"))
        workers = 1 + int(rng.expovariate(1 / 1.3)) + int((sales or 0) / 4e8)
        workers = min(workers, 5000)
        female_workers = sum(rng.random() < (0.65 if female else 0.35) for _ in range(workers))

        # When: registrations over the last 18 months, more of them recently.
        submitted_at = now - timedelta(seconds=540 * 86400 * rng.random() ** 1.5)
        is_draft = rng.random() < self.draft_share
        published_at = None
        if not is_draft:
            published_at = min(now, submitted_at + timedelta(hours=rng.uniform(2, 24 * 21)))
        has_nib = rng.random() < self.nib_share
        legal_form = self._pick(self.legal_forms)
        if legal_form in ("pt", "cv"):
            has_nib = True
        marketplace = rng.random() < 0.18
        social = rng.random() < 0.45
        slug = name.lower().replace(" ", "")
        links = []
        if marketplace:
            links.append(f"https://shopee.co.id/{slug}")
        if social:
            links.append(f"https://instagram.com/{slug}")
        source = self._pick(self.sources)
        # Directory: the owner's opt-in, and what they chose to show (nothing without it).
        opt_in = rng.random() < 0.4
        public_phone = public_link = ""
        if opt_in:
            if rng.random() < 0.6:
                own = rng.random() < 0.7
                public_phone = (
                    owner.phone
                    if own
                    else f"+62{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
                )
            if links and rng.random() < 0.8:
                public_link = links[0]
        lat = lon = None
        if rng.random() < 0.4:
            lat = Decimal(f"{rng.uniform(-6.78, -6.32):.6f}")
            lon = Decimal(f"{rng.uniform(106.40, 107.14):.6f}")
        business = self.fast.new(
            self.Business,
            {
                "tracking_code": tracking_code(counter),
                "public_code": public_code(counter),
                "status": "submitted" if is_draft else "validated",
                "live": not is_draft,
                "has_unpublished_changes": is_draft,
                "first_published_at": published_at,
                "last_published_at": published_at,
                "owner_confirmed": True,
                "name": name,
                "nib": nib(counter) if has_nib else "",
                "legal_form": legal_form,
                "kbli_category": letter,
                "kbli_code": kbli_code,
                "main_product": product,
                "description": "" if rng.random() < 0.6 else f"{product} buatan sendiri, {name}.",
                "year_started": year_started,
                "address": self._address(desa_name, rt, rw),
                "kecamatan_id": kec,
                "desa_id": desa,
                "rt": rt,
                "rw": rw,
                "postal_code": self.postal[kec] if rng.random() < 0.6 else "",
                "latitude": lat,
                "longitude": lon,
                "workers_male": workers - female_workers,
                "workers_female": female_workers,
                "workers_disabled": 1 if rng.random() < 0.02 else 0,
                "capital": capital,
                "annual_sales": annual_sales,
                "assets": assets,
                "reported_scale": reported,
                "computed_scale": computed,
                "scale_mismatch": bool(reported and computed and reported != computed),
                "has_shop": rng.random() < 0.55,
                "sells_on_marketplace": marketplace,
                "uses_social_media": social,
                "accepts_qris": rng.random() < 0.3,
                "online_store_links": "\n".join(links),
                "consent_given_at": submitted_at if source == "public_form" else None,
                "consent_version": CONSENT_VERSION if source == "public_form" else "",
                "directory_opt_in": opt_in,
                "public_phone": public_phone,
                "public_link": public_link,
                "source": source,
                "submitted_at": submitted_at,
                "updated_at": published_at or submitted_at,
                "owner_claim": {},
                "extra_answers": {},
            },
        )
        business.owner = owner  # owner_id is filled in by bulk_create once the owner has one
        return business, self._documents(business, letter, kbli_code) if self.docs else []

    REVALIDATED_SHARE = 0.2  # validated records updated by the owner and validated again

    def snapshots(self, businesses, documents):
        """The IndicatorSnapshot rows validation would have taken for this batch's records.

        `services.snapshots.take_snapshot` stores one each time a version is validated: so
        one per validated record, at its first publication, with its figures and the kinds
        of document it holds; for a share of the older ones a second, later validation
        (an owner's update), whose figures are today's and the first one's some 15 % lower.
        That later date becomes the record's `last_published_at`. Drafts have none.
        Call it after `build` and before the businesses are inserted.
        """
        rng, now = self.rng, self.now
        held = {}
        for doc in documents:
            held.setdefault(id(doc.business), set()).add(doc.kind)
        rows = []
        for business in businesses:
            if not business.live:
                continue
            kinds = sorted(held.get(id(business), ()))
            first = business.first_published_at
            current = {name: getattr(business, name) for name in self.snapshot_fields}
            age = (now - first).total_seconds()
            if age > 60 * 86400 and rng.random() < self.REVALIDATED_SHARE:
                later = first + timedelta(seconds=rng.uniform(30 * 86400, age))
                business.last_published_at = business.updated_at = later
                growth = rng.lognormvariate(math.log(1.15), 0.3)
                older = dict(current)
                for name in ("annual_sales", "assets", "capital"):
                    if older[name] is not None:
                        older[name] = _round_money(float(older[name]) / growth)
                scale = self.scale.compute_scale(
                    capital=older["capital"],
                    annual_sales=older["annual_sales"],
                    year_started=business.year_started,
                    today=first.date(),
                )
                rows.append(self._snapshot(business, first, older, scale or "", kinds))
                rows.append(
                    self._snapshot(business, later, current, business.computed_scale, kinds)
                )
            else:
                rows.append(
                    self._snapshot(business, first, current, business.computed_scale, kinds)
                )
        return rows

    def _snapshot(self, business, taken_at, figures, scale, kinds):
        snapshot = self.fast.new(
            self.IndicatorSnapshot,
            {
                "taken_at": taken_at,
                "origin": "validation",
                "revision_id": None,
                "scale": scale,
                "legal_documents": kinds,
                **figures,
            },
        )
        snapshot.business = business
        return snapshot

    def _documents(self, business, letter, kbli_code):
        rng, docs = self.rng, []
        issued = business.submitted_at.date() - timedelta(days=int(rng.expovariate(1 / 400)))

        def add(kind, number, years=None):
            expires = issued + timedelta(days=365 * years) if years else None
            doc = self.fast.new(
                self.LegalDocument,
                {
                    "kind": kind,
                    "number": number,
                    "issued_on": issued,
                    "expires_on": expires,
                    "sort_order": len(docs),
                },
            )
            doc.business = business
            docs.append(doc)

        if business.nib and rng.random() < 0.6:
            add("nib", business.nib)
        food = letter == "I" or kbli_code.startswith("10")
        if food and letter == "C" and rng.random() < 0.45:
            add("pirt", f"{rng.randint(1, 5)}{rng.randint(10, 99)}3201{rng.randrange(10**7):07d}")
        if food and rng.random() < 0.2:
            add("halal", f"ID32110{rng.randrange(10**12):012d}", years=4)
        if letter == "C" and rng.random() < 0.02:
            add("bpom", f"MD {rng.randrange(10**12):012d}", years=5)
        if rng.random() < 0.015:
            add("hki", f"IDM000{rng.randrange(10**6):06d}", years=10)
        return docs


def _existing(model, field, values, chunk=2000):
    """Which of `values` are already stored in `field` (one query per `chunk` values)."""
    found = []
    for i in range(0, len(values), chunk):
        part = [v for v in values[i : i + chunk] if v]
        found += model.objects.filter(**{f"{field}__in": part}).values_list(field, flat=True)
    return found


class Stats:
    def __init__(self, label):
        self.label = label
        self.owners = self.businesses = self.documents = self.snapshots = self.skipped = 0
        self.t_gen = self.t_check = self.t_db = 0.0
        self.seconds = 0.0
        self.stopped_early = False

    @property
    def rows(self):
        return self.owners + self.businesses + self.documents + self.snapshots

    def rate(self, n):
        return n / self.seconds if self.seconds else 0.0


def run_bulk(gen, count, batch, stats, max_seconds=None, snapshots=True):
    from django.db import transaction

    from sme_registry.models import Business, IndicatorSnapshot, LegalDocument, Owner

    started = time.perf_counter()
    report_every = max(1, math.ceil(count / batch) // 10)
    batch_no = 0
    # Django, Wagtail and the word lists stay alive all along: keep them out of the cyclic
    # collector, and collect once per batch instead of every few hundred allocations.
    gc.freeze()
    while stats.businesses < count:
        size = min(batch, count - stats.businesses)
        gc.disable()
        with transaction.atomic():
            t0 = time.perf_counter()
            counts = gen.plan(size)
            owner_counters, skipped_o = gen.owner_counters(len(counts))
            business_counters, skipped_b = gen.business_counters(size)
            t1 = time.perf_counter()
            owners, businesses, documents = gen.build(owner_counters, business_counters, counts)
            taken = gen.snapshots(businesses, documents) if snapshots else []
            t2 = time.perf_counter()
            Owner.objects.bulk_create(owners)
            Business.objects.bulk_create(businesses)
            if documents:
                LegalDocument.objects.bulk_create(documents)
            if taken:
                IndicatorSnapshot.objects.bulk_create(taken)
            if batch_no == 0 or batch_no % report_every == 0:
                # A sample goes through the model's own validation (a few queries).
                owners[0].full_clean(validate_unique=False)
                businesses[0].full_clean(
                    validate_unique=False, exclude=["tracking_code", "public_code"]
                )
        stats.t_check += t1 - t0
        stats.t_gen += t2 - t1
        stats.t_db += time.perf_counter() - t2
        stats.owners += len(owners)
        stats.businesses += len(businesses)
        stats.documents += len(documents)
        stats.snapshots += len(taken)
        stats.skipped += skipped_o + skipped_b
        del owners, businesses, documents, taken, owner_counters, business_counters
        gc.enable()
        gc.collect()
        batch_no += 1
        elapsed = time.perf_counter() - started
        out_of_time = max_seconds is not None and elapsed >= max_seconds
        if batch_no % report_every == 0 or stats.businesses >= count or out_of_time:
            print(
                f"  {stats.businesses:>10,} businesses  {elapsed:8.1f} s  "
                f"{stats.businesses / elapsed:8,.0f}/s  RSS {current_rss_mb():6.1f} MB",
                flush=True,
            )
        if out_of_time and stats.businesses < count:
            stats.stopped_early = True
            print(f"  stopped after --max-seconds {max_seconds:g}: partial figures", flush=True)
            break
    stats.seconds = time.perf_counter() - started


@contextmanager
def status_writes_allowed():
    """Let `create()` store a record that is already validated, as a first version would.

    The registry refuses a `status` other than "submitted" outside
    `sme_registry.transitions` (its `_writing_state` flag). The naive baseline writes
    finished records one `create()` at a time, which only that module may do; the bulk
    path never meets the guard (`bulk_create` skips `save()`).
    """
    from sme_registry import transitions

    token = transitions._writing_state.set(True)
    try:
        yield
    finally:
        transitions._writing_state.reset(token)


def run_naive(gen, count, stats, snapshots=True):
    """The baseline: one Model.objects.create() per row, autocommit, signals and all."""
    from sme_registry.models import Business, IndicatorSnapshot, LegalDocument, Owner

    def fields(obj, skip=()):
        return {
            f.attname: getattr(obj, f.attname)
            for f in type(obj)._meta.concrete_fields
            if not f.primary_key and f.attname not in skip
        }

    started = time.perf_counter()
    counts = gen.plan(count)
    owner_counters, skipped_o = gen.owner_counters(len(counts))
    business_counters, skipped_b = gen.business_counters(count)
    owners, businesses, documents = gen.build(owner_counters, business_counters, counts)
    taken = gen.snapshots(businesses, documents) if snapshots else []
    stats.t_gen = time.perf_counter() - started
    t_db = time.perf_counter()
    created = {}
    for owner in owners:
        created[id(owner)] = Owner.objects.create(**fields(owner))
    saved_businesses = {}
    with status_writes_allowed():
        for business in businesses:
            row = fields(business, skip=("owner_id",))
            saved_businesses[id(business)] = Business.objects.create(
                owner=created[id(business.owner)], **row
            )
    for doc in documents:
        LegalDocument.objects.create(
            business=saved_businesses[id(doc.business)], **fields(doc, skip=("business_id",))
        )
    for snapshot in taken:
        IndicatorSnapshot.objects.create(
            business=saved_businesses[id(snapshot.business)],
            **fields(snapshot, skip=("business_id",)),
        )
    stats.t_db = time.perf_counter() - t_db
    stats.seconds = time.perf_counter() - started
    stats.owners, stats.businesses, stats.documents = len(owners), len(businesses), len(documents)
    stats.snapshots = len(taken)
    stats.skipped = skipped_o + skipped_b


def print_stats(stats):
    print(f"== {stats.label}{' (PARTIAL: time limit)' if stats.stopped_early else ''} ==")
    print(f"  owners            {stats.owners:>12,}")
    print(f"  businesses        {stats.businesses:>12,}")
    print(f"  legal documents   {stats.documents:>12,}")
    print(f"  snapshots         {stats.snapshots:>12,}")
    print(f"  rows total        {stats.rows:>12,}")
    if stats.skipped:
        print(f"  counters skipped  {stats.skipped:>12,}  (value already in the database)")
    print(f"  seconds           {stats.seconds:>12.1f}")
    print(
        f"    generating {stats.t_gen:.1f} s, uniqueness checks {stats.t_check:.1f} s, "
        f"database {stats.t_db:.1f} s"
    )
    print(f"  businesses/s      {stats.rate(stats.businesses):>12,.0f}")
    print(f"  rows/s            {stats.rate(stats.rows):>12,.0f}")


def prepare_database():
    """Create the PostgreSQL database when it is missing, then migrate.

    ``scripts/with-postgres.sh`` starts an empty server: the database named in
    DATABASE_URL does not exist yet, and ``manage.py migrate`` alone would fail.
    """
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
                print(f"created database {name}", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="businesses to create")
    parser.add_argument("--batch", type=int, default=5000, help="businesses per transaction")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--baseline",
        type=int,
        default=0,
        metavar="N",
        help="first create N businesses the naive way (one create() per row) and compare",
    )
    parser.add_argument("--draft-share", type=float, default=0.2, help="share of drafts")
    parser.add_argument("--nib-share", type=float, default=0.3, help="share with an NIB")
    parser.add_argument("--no-documents", action="store_true", help="skip legal documents")
    parser.add_argument(
        "--no-snapshots", action="store_true", help="skip the validation IndicatorSnapshot rows"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="stop the bulk phase after the batch that crosses this time, print partial figures",
    )
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="create the PostgreSQL database if missing and run migrate first (not timed)",
    )
    args = parser.parse_args(argv)
    if args.count < 0 or args.batch < 1 or args.baseline < 0:
        parser.error("--count and --baseline must be >= 0, --batch >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    wall = time.perf_counter()
    setup_django()
    if args.migrate:
        prepare_database()
    from django.db import connection
    from django.db.models import Max

    from sme_registry.models import Business, IndicatorSnapshot, LegalDocument, Owner

    rss_setup = current_rss_mb()
    owner_start = (Owner.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    business_start = (Business.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: seeding {args.count:,} "
        f"businesses in batches of {args.batch:,}, seed {args.seed}; "
        f"counters start at owner {owner_start:,}, business {business_start:,}",
        flush=True,
    )
    gen = Generator(
        seed=args.seed,
        owner_start=owner_start,
        business_start=business_start,
        draft_share=args.draft_share,
        nib_share=args.nib_share,
        docs=not args.no_documents,
    )
    naive = None
    with keep_given_timestamps(Owner, Business):
        if args.baseline:
            naive = Stats(f"naive baseline: Model.objects.create() per row, {connection.vendor}")
            print(f"naive baseline: {args.baseline:,} businesses ...", flush=True)
            run_naive(gen, args.baseline, naive, snapshots=not args.no_snapshots)
        bulk = Stats(f"bulk_create, batches of {args.batch:,}, {connection.vendor}")
        print("bulk_create ...", flush=True)
        run_bulk(
            gen, args.count, args.batch, bulk, args.max_seconds, snapshots=not args.no_snapshots
        )

    print()
    print_stats(bulk)
    print(f"  peak memory       {peak_rss_mb():>12.1f} MB max RSS (after setup {rss_setup:.1f} MB)")
    if naive:
        print_stats(naive)
        ratio = bulk.rate(bulk.businesses) / naive.rate(naive.businesses)
        print(f"== bulk vs naive: {ratio:.1f}x the businesses/s ==")
    print(
        f"in the database now: {Owner.objects.count():,} owners, "
        f"{Business.objects.count():,} businesses, "
        f"{LegalDocument.objects.count():,} legal documents, "
        f"{IndicatorSnapshot.objects.count():,} snapshots; "
        f"wall time {time.perf_counter() - wall:.1f} s"
    )


if __name__ == "__main__":
    main()
