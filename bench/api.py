#!/usr/bin/env python
"""Latency of the registry API at /api/registry/v1/ as the registry grows: p50 and p95 per endpoint.

    scripts/with-postgres.sh bash -c '.venv/bin/python bench/api.py --quick'
    scripts/with-postgres.sh bash -c '.venv/bin/python bench/api.py --sizes 10000,1000000'

For each size, in order: seed the registry up to that many businesses (incremental, with
`seed_registry.py`'s bulk generator: the second size adds to the first), `VACUUM (ANALYZE)`,
start gunicorn as production runs it (sync workers, `simbaumi.settings.production`, DEBUG
off), warm up, time every endpoint over HTTP, stop gunicorn. The first size also migrates
and runs `seed_demo` (home page, registration and directory pages, trainings and events).

Each endpoint is timed in pairs with a baseline, the site's Wagtail pages API
(`/api/v2/pages/?limit=10`), request for request (ours, baseline, ours, baseline...), so a
change of machine load shifts both; the table shows each endpoint's p50 against the
baseline's p50 of the same pairs. Times are to the last byte of the answer, client side.
Queries per request are counted once per endpoint and size inside Django (the test Client
with `CaptureQueriesContext`, after one warm-up request), with the same settings.

Staff endpoints (`staff/businesses/...`, bearer tokens from `core.tokens`) are timed when
the schema has them and `core.tokens` imports; otherwise the script says they were skipped.
PostgreSQL only: run it inside `scripts/with-postgres.sh` (a throw-away server), never
against a database whose content matters: it writes businesses and registrations into it.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import logging
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_registry  # noqa: E402  (the bench folder is put on the path above)

PREFIX = "/api/registry/v1/"
BASELINE_PATH = "/api/v2/pages/?limit=10"
HOST = "localhost"
QUICK_SIZES = (10_000, 50_000)
DEFAULT_SIZES = (10_000, 1_000_000)
# Words a visitor of the directory would type: a "lucky" word of many shop names, and a
# product that about one business in forty makes (see seed_registry.SECTORS).
SEARCH_WORD = "berkah"
PRODUCT_WORD = "keripik"
POOL = 50  # distinct codes, ids and kecamatan an endpoint cycles through


# --- Environment and Django -------------------------------------------------------------


def production_environment(workdir: Path) -> dict[str, str]:
    """What `simbaumi.settings.production` needs, as the deployment README sets it.

    Values already in the environment win, so a run can change any of them (e.g. measure
    under the real hourly limits). The two rate limits are raised by default: the bench
    sends thousands of status lookups and registrations from one address, and the point
    is the endpoint's cost, not its 429.
    """
    values = {
        "DJANGO_SETTINGS_MODULE": "simbaumi.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
        # Production shares its cache between the workers through files (README).
        "CACHE_URL": f"filecache://{workdir / 'cache'}",
        "EMAIL_URL": "dummymail://",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "RATELIMIT_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "REGISTRATIONS_PER_HOUR": str(10**9),
        "STATUS_LOOKUPS_PER_HOUR": str(10**9),
        "REGISTRATION_DRAFTS_PER_HOUR": str(10**9),
        "FORM_SUBMISSIONS_PER_HOUR": str(10**9),
    }
    for name in ("media", "private_media", "static", "cache"):
        (workdir / name).mkdir(parents=True, exist_ok=True)
    return {name: os.environ.get(name, value) for name, value in values.items()}


def setup_django(environment):
    os.environ.update(environment)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "DATABASE_URL must name a PostgreSQL database: run inside scripts/with-postgres.sh"
        )
    import django

    django.setup()


def prepare_site():
    """Migrate (creating the database if needed) and add the demo site once."""
    from django.core.management import call_command

    from sme_registry.models import RegistrationPage

    seed_registry.prepare_database()
    if not RegistrationPage.objects.exists():
        started = time.perf_counter()
        logging.disable(logging.INFO)  # one line per demo sign-up otherwise
        try:
            with open(os.devnull, "w") as quiet:
                call_command("seed_demo", no_admin=True, stdout=quiet)
        finally:
            logging.disable(logging.NOTSET)
        print(f"seed_demo in {time.perf_counter() - started:.1f} s", flush=True)


def seed_up_to(size, seed, batch):
    """Add businesses until there are `size`; returns the bulk seeder's Stats or None."""
    from sme_registry.models import Business, Owner

    have = Business.objects.count()
    if have >= size:
        print(f"{have:,} businesses already: nothing to seed", flush=True)
        return None
    from django.db.models import Max

    gen = seed_registry.Generator(
        seed=seed,
        owner_start=(Owner.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
        business_start=(Business.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
        draft_share=0.2,
        nib_share=0.3,
        docs=True,
    )
    stats = seed_registry.Stats(f"seed {have:,} -> {size:,}")
    print(f"seeding {size - have:,} businesses ({have:,} -> {size:,}) ...", flush=True)
    with seed_registry.keep_given_timestamps(gen.Owner, gen.Business):
        seed_registry.run_bulk(gen, size - have, batch, stats)
    print(
        f"seeded {stats.businesses:,} businesses, {stats.rows:,} rows in {stats.seconds:.1f} s: "
        f"{stats.rate(stats.businesses):,.0f} businesses/s, {stats.rate(stats.rows):,.0f} rows/s",
        flush=True,
    )
    return stats


def vacuum_analyze():
    """Fresh statistics and visibility maps, so autovacuum does not start mid-measurement."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    seconds = time.perf_counter() - started
    print(f"VACUUM (ANALYZE) in {seconds:.1f} s", flush=True)
    return seconds


# --- What is requested --------------------------------------------------------------------


@dataclass
class Endpoint:
    """One timed request kind; `make(i)` gives the i-th (path, body, headers)."""

    name: str
    method: str
    make: Callable[[int], tuple[str, bytes | None, dict[str, str]]]
    max_pairs: int | None = None
    expect: tuple[int, ...] = (200,)
    skipped: str = ""


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    nbytes: list[int] = field(default_factory=list)

    def add(self, status, nbytes, seconds):
        self.seconds.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.nbytes.append(nbytes)

    def extend(self, other):
        self.seconds += other.seconds
        self.nbytes += other.nbytes
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n


def percentile(values, q):
    """Linear interpolation between the closest ranks (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Fixtures:
    """Codes, ids and words the requests use, read from the database once per size."""

    def __init__(self):
        from django.db.models import Count

        from sme_registry import selectors
        from sme_registry.models import Business, Desa, Kecamatan, Source

        by_size = (
            Kecamatan.objects.annotate(n=Count("businesses"))
            .order_by("-n", "code")
            .values_list("code", flat=True)
        )
        self.kecamatan = list(by_size)
        self.busiest = self.kecamatan[0]
        self.kecamatan_nik_prefix = {k.code: k.nik_prefix for k in Kecamatan.objects.all()}
        self.desa = {}
        for kec_code, desa_code in Desa.objects.values_list("kecamatan__code", "code"):
            self.desa.setdefault(kec_code, []).append(desa_code)
        self.directory_codes = list(
            selectors.directory_businesses()
            .prefetch_related(None)
            .order_by("?")
            .values_list("public_code", flat=True)[:POOL]
        )
        self.tracking_codes = list(
            Business.objects.order_by("?").values_list("tracking_code", flat=True)[:POOL]
        )
        self.business_ids = list(
            Business.objects.filter(snapshots__isnull=False)
            .distinct()
            .order_by("?")
            .values_list("pk", flat=True)[:POOL]
        )
        # Each registration sent takes the next NIK; earlier runs on this database took the
        # first ones, as many as the API registrations stored.
        already = Business.objects.filter(source=Source.API).count()
        prefixes = [self.kecamatan_nik_prefix[c] for c in sorted(self.kecamatan_nik_prefix)]
        self.nik_space = seed_registry.NikSpace(prefixes)
        self.registration_counter = itertools.count(already)

    def registration(self):
        """A valid registration document whose NIK no seeded or earlier-sent owner has.

        The seeder gives serial 0001 to its first 1.46 million owners, 0002 to the next
        ones, and so on; counting down from the top of the NIK space (serial 9999) never
        meets one of them.
        """
        n = next(self.registration_counter)
        rng = random.Random(f"registration:{n}")
        _kec_index, born, sex, nik = self.nik_space.decode(self.nik_space.capacity - 1 - n)
        kecamatan = rng.choice(self.kecamatan)
        desa = rng.choice(self.desa[kecamatan])
        letter = rng.choices(
            list(seed_registry.SECTORS), [s[0] for s in seed_registry.SECTORS.values()]
        )[0]
        kbli_code, product, templates = rng.choice(seed_registry.SECTORS[letter][1])
        first = rng.choice(seed_registry.FEMALE_NAMES if sex == "P" else seed_registry.MALE_NAMES)
        surnames = seed_registry.FEMALE_SURNAMES if sex == "P" else seed_registry.MALE_SURNAMES
        call = f"{'Bu' if sex == 'P' else 'Pak'} {first}"
        name = rng.choice(templates).format(
            call=call, lucky=rng.choice(seed_registry.LUCKY), product=product
        )
        return {
            "owner": {
                "full_name": f"{first} {rng.choice(surnames)}",
                "nik": nik,
                "sex": sex,
                "birth_date": born.isoformat(),
                "phone": f"0812-{rng.randrange(10**4):04d}-{rng.randrange(10**4):04d}",
                "email": "",
                "address": f"Jl. Raya Cibinong No. {rng.randint(1, 200)}",
                "kecamatan": kecamatan,
                "desa": desa,
                "education": "sma",
            },
            "business": {
                "name": name,
                "main_product": product,
                "kbli_category": letter,
                "kbli_code": kbli_code,
                "legal_form": "perorangan",
                "nib": "",
                "year_started": str(rng.randint(2005, 2025)),
                "description": "",
            },
            "location": {
                "address": f"Kp. {rng.choice(seed_registry.KAMPUNG)} RT 003/RW 007",
                "kecamatan": kecamatan,
                "desa": desa,
                "rt": "003",
                "rw": "007",
                "postal_code": "",
            },
            "money": {
                "capital": str(rng.randrange(2, 200) * 1_000_000),
                "annual_sales": str(rng.randrange(12, 900) * 1_000_000),
                "workers_male": "1",
                "workers_female": str(rng.randint(0, 3)),
                "workers_disabled": "0",
            },
            "legal": {},
            "consent": {"consent": True, "directory_opt_in": rng.random() < 0.4},
        }


JSON_HEADERS = {"Accept": "application/json"}


def public_endpoints(fx: Fixtures) -> list[Endpoint]:
    def get(path):
        return lambda i: (path, None, JSON_HEADERS)

    def cycle(template, values):
        return lambda i: (template.format(values[i % len(values)]), None, JSON_HEADERS)

    def register(i):
        body = json.dumps(fx.registration()).encode()
        headers = {
            **JSON_HEADERS,
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{uuid.uuid4()}",
        }
        return f"{PREFIX}registrations/", body, headers

    endpoints = [
        Endpoint("GET regions/kecamatan/", "GET", get(f"{PREFIX}regions/kecamatan/")),
        Endpoint(
            "GET regions/kecamatan/{code}/desa/",
            "GET",
            cycle(PREFIX + "regions/kecamatan/{}/desa/", fx.kecamatan),
        ),
    ]
    for by in ("kecamatan", "sector", "scale"):
        endpoints.append(
            Endpoint(f"GET statistics/?by={by}", "GET", get(f"{PREFIX}statistics/?by={by}"))
        )
    endpoints += [
        Endpoint("GET activities/", "GET", get(f"{PREFIX}activities/")),
        Endpoint("GET directory/", "GET", get(f"{PREFIX}directory/")),
        Endpoint(
            f"GET directory/?q={SEARCH_WORD}", "GET", get(f"{PREFIX}directory/?q={SEARCH_WORD}")
        ),
        Endpoint(
            f"GET directory/?product={PRODUCT_WORD}",
            "GET",
            get(f"{PREFIX}directory/?product={PRODUCT_WORD}"),
        ),
        Endpoint(
            "GET directory/{code}/",
            "GET",
            cycle(PREFIX + "directory/{}/", fx.directory_codes or ["00000000"]),
            skipped="" if fx.directory_codes else "no business is listed in the directory",
        ),
        Endpoint(
            "GET registrations/status/?code=",
            "GET",
            cycle(PREFIX + "registrations/status/?code={}", fx.tracking_codes),
        ),
        Endpoint("POST registrations/", "POST", register, expect=(201,)),
    ]
    return endpoints


# --- Staff endpoints (bearer tokens) ----------------------------------------------------------


def staff_paths():
    from simbaumi.registry_api import api

    return [p for p in api.get_openapi_schema()["paths"] if p.startswith(f"{PREFIX}staff/")]


def _match(paths, suffix_parts):
    """The schema path under staff/ made of these parts ('{}' for any one parameter)."""
    for path in paths:
        parts = path[len(PREFIX) :].strip("/").split("/")
        if len(parts) == len(suffix_parts) and all(
            want == "{}" and got.startswith("{") or want == got
            for want, got in zip(suffix_parts, parts, strict=True)
        ):
            return path
    return None


class Staff:
    """Tokens of an Admin Dinas superuser and of one kecamatan's operator, or why not."""

    def __init__(self, fx: Fixtures):
        self.reason = ""
        try:
            self.paths = staff_paths()
        except Exception as exc:  # noqa: BLE001  (work in progress elsewhere: say so, go on)
            self.reason = f"the schema could not be built ({exc!r})"
            return
        if not self.paths:
            self.reason = "the schema has no staff/ paths yet"
            return
        try:
            from core import tokens
        except ImportError as exc:
            self.reason = f"core.tokens does not import ({exc})"
            return
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from core import roles
        from sme_registry.models import Kecamatan, StaffArea

        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="bench-admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "bench-admin@example.org"},
        )
        group = Group.objects.filter(name=roles.ADMIN_DINAS).first()
        if group:
            admin.groups.add(group)
        operator, _ = User.objects.get_or_create(
            username="bench-operator",
            defaults={"is_staff": True, "email": "bench-operator@example.org"},
        )
        group = Group.objects.filter(name=roles.OPERATOR).first()
        if group:
            operator.groups.add(group)
        area, _ = StaffArea.objects.get_or_create(user=operator)
        area.kecamatan.set(Kecamatan.objects.filter(code=fx.busiest))
        self.admin = {"Authorization": f"Bearer {tokens.issue(admin, name='bench')[1]}"}
        self.operator = {"Authorization": f"Bearer {tokens.issue(operator, name='bench')[1]}"}


def _next_path(current, body):
    """The path of the next page from a list answer's `next` (a URL or a bare cursor)."""
    nxt = body.get("next") if isinstance(body, dict) else None
    if not nxt:
        return None
    if "/" in nxt or "?" in nxt:
        parts = urlsplit(nxt)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path
    parts = urlsplit(current)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "cursor"] + [("cursor", nxt)]
    return f"{parts.path}?{urlencode(query)}"


def staff_endpoints(fx: Fixtures, staff: Staff, client) -> list[Endpoint]:
    paths = staff.paths
    listing = _match(paths, ["staff", "businesses"])
    detail = _match(paths, ["staff", "businesses", "{}"])
    snapshots = _match(paths, ["staff", "businesses", "{}", "snapshots"])
    export = _match(paths, ["staff", "businesses", "export.csv"])

    def headers_of(token, csv=False):
        return {**token, "Accept": "text/csv" if csv else "application/json"}

    def get(path, token, csv=False):
        return lambda i: (path, None, headers_of(token, csv))

    def by_id(template, ids):
        param = template[template.index("{") : template.index("}") + 1]
        return lambda i: (
            template.replace(param, str(ids[i % len(ids)])),
            None,
            headers_of(staff.admin),
        )

    base = listing
    endpoints = []
    if listing:
        endpoints += [
            Endpoint("GET staff/businesses/ (admin)", "GET", get(base, staff.admin)),
            Endpoint("GET staff/businesses/ (operator)", "GET", get(base, staff.operator)),
            Endpoint(
                "GET staff/businesses/?kecamatan=&status=validated",
                "GET",
                get(f"{base}?kecamatan={fx.busiest}&status=validated", staff.admin),
            ),
            Endpoint(
                f"GET staff/businesses/?q={SEARCH_WORD}",
                "GET",
                get(f"{base}?q={SEARCH_WORD}", staff.admin),
            ),
        ]
        # The 50th page: follow `next` 49 times once, then time that page's address.
        path, page = base, 1
        while page < 50 and path:
            response = client_request(client, "GET", path, None, headers_of(staff.admin))
            path = (
                _next_path(path, json.loads(response.content))
                if response.status_code == 200
                else None
            )
            page += 1
        later = Endpoint(
            "GET staff/businesses/ page 50 (cursor)", "GET", get(path or base, staff.admin)
        )
        if not path:
            later.skipped = f"no `next` to follow after page {page - 1}"
        endpoints.append(later)
    if detail:
        endpoints.append(
            Endpoint("GET staff/businesses/{id}/", "GET", by_id(detail, fx.business_ids))
        )
    if snapshots:
        endpoints.append(
            Endpoint(
                "GET staff/businesses/{id}/snapshots/", "GET", by_id(snapshots, fx.business_ids)
            )
        )
    if export:
        endpoints.append(
            Endpoint(
                "GET staff/businesses/export.csv?kecamatan=",
                "GET",
                get(f"{export}?kecamatan={fx.busiest}", staff.admin, csv=True),
                max_pairs=10,
            )
        )
    return endpoints


# --- Counting queries inside Django ---------------------------------------------------------


def django_client():
    from django.test import Client

    return Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_X_REAL_IP="10.99.0.1")


def client_request(client, method, path, body, headers):
    meta = {}
    content_type = None
    for name, value in headers.items():
        if name.lower() == "content-type":
            content_type = value
        else:
            meta["HTTP_" + name.upper().replace("-", "_")] = value
    if method == "POST":
        return client.post(path, body, content_type=content_type, **meta)
    return client.get(path, **meta)


# Django logs these too; left out of the count, like the statements of other benchmarks here.
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


def count_queries(client, endpoint: Endpoint):
    """(SQL statements, status, body start) of one request after a warm-up one.

    Django's per-process caches (content types, the site's root paths) are filled by then,
    as in a running worker. Savepoints count; BEGIN and COMMIT do not.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def send(i):
        client.cookies.clear()  # the timed requests carry no cookie (no session lookup)
        response = client_request(client, endpoint.method, *endpoint.make(i))
        if response.streaming:  # a CSV export queries while it is read
            body = b"".join(response.streaming_content)
            response.close()
        else:
            body = response.content
        return response, body

    send(0)
    with CaptureQueriesContext(connection) as captured:
        response, body = send(1)
    statements = [q for q in captured.captured_queries if q["sql"] not in TRANSACTION_CONTROL]
    return len(statements), response.status_code, body[:300]


# --- gunicorn -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as the deployment README starts it, on a free local port."""

    def __init__(self, workdir: Path, workers: int, env=None):
        self.port = free_port()
        self.log_path = workdir / f"gunicorn-{self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed by stop())
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "simbaumi.wsgi",
            "--pythonpath",
            "site",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "300",
        ]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.tail()}")
            conn = Connection(self.port)
            try:
                status, _nbytes, _s = fetch(conn, "GET", BASELINE_PATH, None, {})
                if status == 200:
                    return
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer within {timeout} s:\n{self.tail()}")

    def tail(self, lines=40):
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def Connection(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=600)


def fetch(conn, method, path, body, headers):
    """(status, bytes, seconds to the last byte). A sync worker closes every connection
    after its answer; http.client then opens a new one for the next request, inside the
    timing, as nginx in front of gunicorn does."""
    started = time.perf_counter()
    conn.request(
        method,
        path,
        body=body,
        headers={
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": "10.99.0.2",
            "Accept-Encoding": "identity",
            **headers,
        },
    )
    response = conn.getresponse()
    data = response.read()
    return response.status, len(data), time.perf_counter() - started


# --- Measuring --------------------------------------------------------------------------------


def measure(port, endpoint: Endpoint, pairs, connections, budget):
    """Time `pairs` request pairs (ours, baseline) over `connections` parallel connections.

    A connection stops early once `budget` seconds have passed and it has done 5 pairs.
    Returns (ours, baseline) Samples.
    """
    counter = itertools.count()
    ours, base = Sample(), Sample()
    lock = threading.Lock()
    pairs = min(pairs, endpoint.max_pairs or pairs)
    per_connection = max(1, -(-pairs // connections))
    started = time.monotonic()
    failures = []

    def worker():
        conn = Connection(port)
        mine, theirs = Sample(), Sample()
        try:
            for done in range(per_connection):
                if done >= 5 and time.monotonic() - started > budget:
                    break
                i = next(counter)
                mine.add(*fetch(conn, endpoint.method, *endpoint.make(i)))
                theirs.add(*fetch(conn, "GET", BASELINE_PATH, None, JSON_HEADERS))
        except Exception as exc:  # noqa: BLE001  (reported with the figures)
            failures.append(repr(exc))
        finally:
            conn.close()
        with lock:
            ours.extend(mine)
            base.extend(theirs)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        ours.statuses[-1] = len(failures)
        print(f"    {endpoint.name}: {failures[0]}", flush=True)
    return ours, base


def warm_up(port, endpoints):
    """A few requests of each kind, so both workers have imported, connected and planned."""
    conn = Connection(port)
    for _ in range(4):
        fetch(conn, "GET", BASELINE_PATH, None, JSON_HEADERS)
        for endpoint in endpoints:
            if not endpoint.skipped and endpoint.method == "GET":
                fetch(conn, endpoint.method, *endpoint.make(0))
    conn.close()


def run_size(size, args, workdir, seed_rates):
    from sme_registry.models import Business

    stats = seed_up_to(size, args.seed, args.batch)
    if stats is not None:
        seed_rates.append(
            {
                "from": size - stats.businesses,
                "to": size,
                "businesses": stats.businesses,
                "rows": stats.rows,
                "seconds": round(stats.seconds, 1),
                "businesses_per_s": round(stats.rate(stats.businesses)),
                "rows_per_s": round(stats.rate(stats.rows)),
            }
        )
    vacuum_seconds = vacuum_analyze()
    fx = Fixtures()
    client = django_client()
    endpoints = public_endpoints(fx)
    staff = Staff(fx)
    if staff.reason:
        print(f"staff endpoints skipped: {staff.reason}", flush=True)
    else:
        try:
            endpoints += staff_endpoints(fx, staff, client)
        except Exception as exc:  # noqa: BLE001  (work in progress elsewhere: say so, go on)
            staff.reason = f"setting them up failed ({exc!r})"
            print(f"staff endpoints skipped: {staff.reason}", flush=True)

    result = {
        "size": size,
        "businesses": Business.objects.count(),
        "vacuum_analyze_s": round(vacuum_seconds, 1),
        "staff_skipped": staff.reason,
        "endpoints": {},
    }
    for endpoint in endpoints:
        if endpoint.skipped:
            continue
        queries, status, body = count_queries(client, endpoint)
        if status not in endpoint.expect:
            endpoint.skipped = f"answered {status} in Django: {body!r}"
            print(f"  skipped {endpoint.name}: {endpoint.skipped}", flush=True)
            continue
        result["endpoints"][endpoint.name] = {"queries": queries}
    base_queries, _status, _body = count_queries(
        client, Endpoint("baseline", "GET", lambda i: (BASELINE_PATH, None, JSON_HEADERS))
    )
    result["baseline_queries"] = base_queries

    server = Server(workdir, args.workers)
    try:
        server.wait_ready()
        warm_up(server.port, endpoints)
        result["load_before"] = os.getloadavg()
        result["by_connections"] = {}
        for connections in args.connections:
            print(f"{size:,} businesses, {connections} connection(s):", flush=True)
            rows, pooled = {}, Sample()
            for endpoint in endpoints:
                if endpoint.skipped:
                    continue
                ours, base = measure(
                    server.port, endpoint, args.requests, connections, args.endpoint_seconds
                )
                pooled.extend(base)
                rows[endpoint.name] = summarise(ours, base)
                row = rows[endpoint.name]
                print(
                    f"  {endpoint.name:<52} p50 {row['p50_ms']:8.1f} ms"
                    f"  p95 {row['p95_ms']:8.1f} ms"
                    f"  baseline p50 {row['baseline_p50_ms']:6.1f} ms  n {row['n']}"
                    + (f"  statuses {row['statuses']}" if row["errors"] else ""),
                    flush=True,
                )
            result["by_connections"][str(connections)] = {
                "endpoints": rows,
                "baseline": summarise(pooled, pooled),
            }
        result["load_after"] = os.getloadavg()
    finally:
        server.stop()
    result["skipped"] = {e.name: e.skipped for e in endpoints if e.skipped}
    return result


def summarise(ours: Sample, base: Sample):
    ok = sum(n for status, n in ours.statuses.items() if 200 <= status < 300)
    return {
        "n": len(ours.seconds),
        "p50_ms": percentile(ours.seconds, 50) * 1000,
        "p95_ms": percentile(ours.seconds, 95) * 1000,
        "baseline_p50_ms": percentile(base.seconds, 50) * 1000,
        "bytes": int(percentile(ours.nbytes, 50)) if ours.nbytes else 0,
        "statuses": {str(k): v for k, v in sorted(ours.statuses.items())},
        "errors": sum(ours.statuses.values()) - ok,
    }


# --- The table ---------------------------------------------------------------------------------


def short(size):
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000}k"
    return f"{size:,}"


def print_tables(results, connections_list):
    first, last = results[0], results[-1]
    a, b = short(first["size"]), short(last["size"])
    for connections in connections_list:
        key = str(connections)
        print()
        print(
            f"== {connections} connection(s), 2 sync workers: ms to the last byte; "
            f"{a} = {first['businesses']:,}, {b} = {last['businesses']:,} businesses =="
        )
        header = (
            f"{'endpoint':<52} {'p50 ' + a:>9} {'p50 ' + b:>9} {b + '÷' + a:>8} "
            f"{'p95 ' + a:>9} {'p95 ' + b:>9} {'÷base ' + a:>10} {'÷base ' + b:>10} "
            f"{'queries':>9} {'bytes ' + b:>10}"
        )
        print(header)
        print("-" * len(header))
        names = list(first["by_connections"][key]["endpoints"])
        names += [n for n in last["by_connections"][key]["endpoints"] if n not in names]

        def cell(row, name, width=9):
            return f"{row[name]:{width}.1f}" if row else f"{'-':>{width}}"

        def vs_base(row):
            return f"{row['p50_ms'] / row['baseline_p50_ms']:10.2f}" if row else f"{'-':>10}"

        for name in names:
            r1 = first["by_connections"][key]["endpoints"].get(name)
            r2 = last["by_connections"][key]["endpoints"].get(name)
            q1 = first["endpoints"].get(name, {}).get("queries", "")
            q2 = last["endpoints"].get(name, {}).get("queries", "")
            # One figure when the sizes agree (or only one size has the endpoint).
            both = q1 != "" and q2 != "" and q1 != q2
            queries = f"{q1}/{q2}" if both else f"{q1 if q1 != '' else q2}"
            ratio = f"{r2['p50_ms'] / r1['p50_ms']:8.2f}" if r1 and r2 else f"{'-':>8}"
            errors = [r for r in (r1, r2) if r and r["errors"]]
            print(
                f"{name:<52} {cell(r1, 'p50_ms')} {cell(r2, 'p50_ms')} {ratio} "
                f"{cell(r1, 'p95_ms')} {cell(r2, 'p95_ms')} {vs_base(r1)} {vs_base(r2)} "
                f"{queries:>9} {(r2 or r1)['bytes']:>10,}"
                + ("  non-2xx: " + "; ".join(str(r["statuses"]) for r in errors) if errors else "")
            )
        base1 = first["by_connections"][key]["baseline"]
        base2 = last["by_connections"][key]["baseline"]
        print(
            f"{'baseline GET ' + BASELINE_PATH + ' (all pairs)':<52} {base1['p50_ms']:9.1f} "
            f"{base2['p50_ms']:9.1f} {base2['p50_ms'] / base1['p50_ms']:8.2f} "
            f"{base1['p95_ms']:9.1f} {base2['p95_ms']:9.1f} {1:10.2f} {1:10.2f} "
            f"{first['baseline_queries']:>9} {base2['bytes']:>10,}"
        )
    for result in results:
        if result["skipped"]:
            print(f"skipped at {short(result['size'])}:")
            for name, why in result["skipped"].items():
                print(f"  {name}: {why}")
        if result["staff_skipped"]:
            print(f"staff endpoints skipped at {short(result['size'])}: {result['staff_skipped']}")
        before = ", ".join(f"{x:.2f}" for x in result["load_before"])
        after = ", ".join(f"{x:.2f}" for x in result["load_after"])
        print(f"load average at {short(result['size'])}: before {before}; after {after}")


# --- Command line ------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="businesses per round, ascending, comma-separated (default 10000,1000000)",
    )
    parser.add_argument("--quick", action="store_true", help="sizes 10000,50000")
    parser.add_argument(
        "--requests", type=int, default=100, help="request pairs per endpoint (default 100)"
    )
    parser.add_argument(
        "--connections",
        default="1",
        help="parallel connections, comma-separated rounds (default 1; e.g. 1,8)",
    )
    parser.add_argument(
        "--endpoint-seconds",
        type=float,
        default=60,
        help="stop an endpoint after this long once each connection has 5 pairs (default 60)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--batch", type=int, default=5000, help="seeder's batch size")
    parser.add_argument("--seed", type=int, default=1, help="seeder's random seed")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(","))
    if list(sizes) != sorted(set(sizes)) or sizes[0] < 1:
        parser.error("--sizes must be ascending positive numbers")
    args.sizes = sizes
    args.connections = tuple(int(c) for c in args.connections.split(","))
    if args.requests < 1 or min(args.connections) < 1:
        parser.error("--requests and --connections must be >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    wall = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="simbaumi-bench-api-"))
    try:
        setup_django(production_environment(workdir))
        prepare_site()
        results, seed_rates = [], []
        for size in args.sizes:
            results.append(run_size(size, args, workdir, seed_rates))
        print_tables(results, args.connections)
        for rate in seed_rates:
            print(
                f"seed {rate['from']:,} -> {rate['to']:,}: {rate['businesses_per_s']:,} "
                f"businesses/s ({rate['rows_per_s']:,} rows/s, {rate['seconds']} s)"
            )
        print(f"wall time {time.perf_counter() - wall:.0f} s")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "cpus": os.cpu_count(),
                        "args": {
                            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                        },
                        "seed": seed_rates,
                        "results": results,
                    },
                    indent=2,
                )
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
