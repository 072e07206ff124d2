#!/usr/bin/env python
"""The site against a stock Wagtail project, and the staff screens as the registry grows.

    make bench            # 10 k and 1 M businesses
    make bench QUICK=1    # 10 k and 50 k, a few minutes

Run inside `scripts/with-postgres.sh` (`make bench` does): it writes into the database that
DATABASE_URL names and creates a second one beside it for the stock project.

1. Our site: migrate, `seed_demo` (pages, trainings, news), then the registry seeded up to the
   first size with `seed_registry.py`'s bulk generator, `VACUUM (ANALYZE)`.
2. A stock project made on the spot with `wagtail start`, plus the form builder page of
   Wagtail's documentation (`wagtail.contrib.forms`), on its own PostgreSQL database, with
   WhiteNoise and DEBUG off, as ours.
3. Both served by gunicorn, 2 sync workers each, on their own ports.
4. Public pages: each timed in pairs with the stock home page (ours, stock, ours, stock...)
   over 1 and over 8 connections, so a change of machine load shifts both sides; the
   registration submit is paired with a stock form page submit.
5. Staff screens: each timed at every size (the registry grows between sizes); the ratio is
   the screen's p50 at the largest size over its p50 at the first.
6. SQL queries and HTML bytes per page, inside Django (test client, same settings).
7. Background exports (XLSX, large CSV): one job each, as the worker runs it, in a process
   of its own, with its time and peak resident memory at every size.

It prints the tables and writes `bench/RESULTS.md` (or `--out`). Times are client side, to
the last byte, with `Accept-Encoding: identity` (nginx compresses in production).
"""

from __future__ import annotations

import argparse
import html
import itertools
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api  # noqa: E402  (the bench folder is on the path)
from api import ROOT, Sample, percentile  # noqa: E402

QUICK_SIZES = (10_000, 50_000)
DEFAULT_SIZES = (10_000, 1_000_000)
STOCK_NAME = "stocksite"
SEARCH_WORD = "berkah"  # in many business names (seed_registry.LUCKY)
NO_MATCH = "zqxjvw"
CONNECTIONS = (1, 8)
GIT = shutil.which("git") or "git"


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    cookies: dict[str, str]
    seconds: float


class Browser:
    """One keep-alive-less client with a cookie jar, as a phone behind nginx is to gunicorn."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, body=None, headers=None):
        conn = api.Connection(self.port)
        sent = {
            "Host": api.HOST,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": "10.99.0.3",
            "Accept-Encoding": "identity",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - started
        jar = {}
        for value in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(value)
            jar.update({k: m.value for k, m in parsed.items()})
        self.cookies.update(jar)
        return Answer(response.status, data, dict(response.headers.items()), jar, seconds)

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, data, referer=None):
        token = self.cookies.get("csrftoken", "")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token,
            "Referer": referer or f"https://{api.HOST}{path}",
            "Origin": f"https://{api.HOST}",
        }
        return self.request("POST", path, urlencode(data).encode(), headers)


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_from(answer: Answer):
    found = CSRF_INPUT.search(answer.body)
    return html.unescape(found.group(1).decode()) if found else ""


def location_path(answer: Answer):
    parts = urlsplit(answer.headers.get("Location", ""))
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- A request kind ---------------------------------------------------------------------------


@dataclass
class Page:
    """One timed request: `run(browser_factory)` returns (status, bytes, seconds)."""

    name: str
    path: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    run: object = None  # callable(port) -> (status, nbytes, seconds), for form submits
    expect: tuple[int, ...] = (200,)
    user: str = ""  # who the query count logs in as
    pairs: int = 0  # overrides --pairs

    def once(self, port):
        if self.run is not None:
            return self.run(port)
        answer = Browser(port, self.cookies).get(self.path)
        return answer.status, len(answer.body), answer.seconds


def measure_pairs(ours: Page, our_port, theirs: Page, their_port, pairs, connections, budget):
    """`pairs` (ours, theirs) request pairs over `connections` threads; (Sample, Sample)."""
    counter = itertools.count()
    mine_all, theirs_all = Sample(), Sample()
    lock = threading.Lock()
    per_connection = max(1, -(-pairs // connections))
    started = time.monotonic()
    failures = []

    def worker():
        mine, other = Sample(), Sample()
        try:
            for done in range(per_connection):
                if done >= 5 and time.monotonic() - started > budget:
                    break
                next(counter)
                mine.add(*ours.once(our_port))
                if theirs is not None:
                    other.add(*theirs.once(their_port))
        except Exception as exc:  # noqa: BLE001  (reported with the figures)
            failures.append(repr(exc))
        with lock:
            mine_all.extend(mine)
            theirs_all.extend(other)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        mine_all.statuses[-1] = len(failures)
        print(f"    {ours.name}: {failures[0]}", flush=True)
    return mine_all, theirs_all


def p(sample: Sample, q):
    return percentile(sample.seconds, q) * 1000


def bad_statuses(sample: Sample, expect):
    return {s: n for s, n in sample.statuses.items() if s not in expect}


# --- The stock project ------------------------------------------------------------------------

FORM_MODELS = """\
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractEmailForm):
    intro = models.TextField(blank=True)
    thank_you_text = models.TextField(blank=True)
    content_panels = AbstractEmailForm.content_panels + [
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
    ]
"""

FORM_TEMPLATE = """{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block content %}<h1>{{ page.title }}</h1><p>{{ page.intro }}</p>
<form action="{% pageurl page %}" method="POST">{% csrf_token %}{{ form.as_p }}<input type="submit"></form>
{% endblock %}
"""

LANDING_TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1><p>{{ page.thank_you_text }}</p>{% endblock %}
"""

BENCH_SETTINGS = """\
from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = {secret!r}
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
DATABASES = {{"default": {{
    "ENGINE": "django.db.backends.postgresql", "NAME": {name!r}, "USER": {user!r},
    "PASSWORD": {password!r}, "HOST": {host!r}, "PORT": {port!r}, "CONN_MAX_AGE": 60,
}}}}
INSTALLED_APPS = ["benchforms"] + INSTALLED_APPS  # noqa: F405
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
STORAGES["staticfiles"] = {{  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = ["https://localhost"]
"""

STOCK_CONTENT = """\
from wagtail.models import Page
from benchforms.models import FormPage, FormField

home = Page.objects.get(depth=2)
if not FormPage.objects.exists():
    form = FormPage(title="Contact", slug="contact", intro="Write to us.", thank_you_text="Thanks")
    home.add_child(instance=form)
    for i, (label, kind) in enumerate([("Name", "singleline"), ("Email", "email"),
                                       ("Message", "multiline")]):
        FormField.objects.create(page=form, sort_order=i, label=label, field_type=kind,
                                 required=True)
    form.save_revision().publish()
"""


class Stock:
    """A project from `wagtail start`, with a form page, ready for gunicorn."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "stock"
        self.env = {}

    def build(self):
        from django.db import connection

        wagtail = Path(sys.executable).with_name("wagtail")
        self.dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 (our own interpreter's command)
            [str(wagtail), "start", STOCK_NAME, str(self.dir)], check=True
        )
        app = self.dir / "benchforms"
        (app / "templates" / "benchforms").mkdir(parents=True)
        (app / "__init__.py").write_text("")
        (app / "models.py").write_text(FORM_MODELS)
        (app / "templates" / "benchforms" / "form_page.html").write_text(FORM_TEMPLATE)
        (app / "templates" / "benchforms" / "form_page_landing.html").write_text(LANDING_TEMPLATE)
        settings = connection.settings_dict
        name = f"{settings['NAME']}_stock"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        (self.dir / STOCK_NAME / "settings" / "bench.py").write_text(
            BENCH_SETTINGS.format(
                secret=os.urandom(24).hex(),
                name=name,
                user=settings["USER"] or "",
                password=settings["PASSWORD"] or "",
                host=settings["HOST"] or "",
                port=str(settings["PORT"] or ""),
            )
        )
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL"))
        }
        self.env["DJANGO_SETTINGS_MODULE"] = f"{STOCK_NAME}.settings.bench"
        self.env["STATIC_ROOT"] = str(self.dir / "static")
        manage = [sys.executable, "manage.py"]
        for command in (
            ["makemigrations", "benchforms", "-v0"],
            ["migrate", "--no-input", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
            ["shell", "-c", STOCK_CONTENT],
        ):
            subprocess.run(manage + command, cwd=self.dir, env=self.env, check=True)  # noqa: S603


class ReadyWhenHomeAnswers:
    """Ready once the home page answers 200 (the API baseline of `api.Server` may not exist)."""

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.tail()}")
            try:
                if Browser(self.port).get("/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer:\n{self.tail()}")


class StockServer(ReadyWhenHomeAnswers, api.Server):
    """gunicorn serving the stock project, the same way as ours."""

    def __init__(self, stock: Stock, workers: int):
        self.port = api.free_port()
        self.log_path = stock.dir / f"gunicorn-{self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed by stop())
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            f"{STOCK_NAME}.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "300",
        ]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=stock.dir, env=stock.env, stdout=self.log, stderr=subprocess.STDOUT
        )


class OurServer(ReadyWhenHomeAnswers, api.Server):
    """Our site under gunicorn, as the deployment README runs it."""


def stock_form_submit(port):
    browser = Browser(port)
    form = browser.get("/contact/")
    token = csrf_from(form)
    answer = browser.post_form(
        "/contact/",
        {
            "csrfmiddlewaretoken": token,
            "name": "Siti Aminah",
            "email": "siti@example.org",
            "message": "Saya ingin ikut pelatihan.",
        },
    )
    return answer.status, len(answer.body), answer.seconds


# --- Our pages --------------------------------------------------------------------------------


class Site:
    """Paths of our pages and the sessions of the two staff users, read once per size."""

    def __init__(self, owner_word=None):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.test import Client

        from content.models import NewsPage
        from core import roles
        from sme_registry.models import Business, Kecamatan, Owner, RegistrationPage, StaffArea
        from training_pages.models import TrainingIndexPage, TrainingPage

        self.fx = api.Fixtures()
        self.registration_page = RegistrationPage.objects.live().first()
        self.pages = {
            "home": "/",
            "news item": NewsPage.objects.live().first().url,
            "training index": TrainingIndexPage.objects.live().first().url,
            "training detail": TrainingPage.objects.live().first().url,
            "registration step 1": self.registration_page.url,
        }
        for label, model_path in (
            ("directory", "sme_registry.models.DirectoryPage"),
            ("statistics", "sme_registry.models.StatisticsPage"),
        ):
            module, _, name = model_path.rpartition(".")
            model = getattr(__import__(module, fromlist=[name]), name, None)
            if model is not None and model.objects.live().exists():
                self.pages[label] = model.objects.live().first().url
        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="bench-admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "bench-admin@example.org"},
        )
        operator, _ = User.objects.get_or_create(
            username="bench-operator",
            defaults={"is_staff": True, "email": "bench-operator@example.org"},
        )
        operator.groups.add(Group.objects.get(name=roles.OPERATOR))
        area, _ = StaffArea.objects.get_or_create(user=operator)
        self.kecamatan = Kecamatan.objects.get(code=self.fx.busiest)
        area.kecamatan.set([self.kecamatan])
        self.users = {"admin": admin, "operator": operator}
        self.sessions = {}
        for key, user in self.users.items():
            client = Client()
            client.force_login(user)
            self.sessions[key] = {"sessionid": client.cookies["sessionid"].value}
        busiest = Business.objects.filter(kecamatan=self.kecamatan)
        self.business_id = busiest.order_by("-submitted_at").values_list("pk", flat=True)[100]
        # Chosen at the first size and kept: both sizes search the same word, and the
        # screen keeps one name in the table.
        self.owner_word = (
            owner_word
            or (
                Owner.objects.filter(pk__in=busiest.values("owner_id")[:1])
                .values_list("full_name", flat=True)
                .first()
                .split()[-1]
            )
        )

    def public(self):
        pages = [Page(name, path) for name, path in self.pages.items()]
        pages.append(Page("registration submit", run=self.register, expect=(302,)))
        return pages

    def staff(self):
        base = "/admin/registry/businesses/"
        admin = self.sessions["admin"]
        operator = self.sessions["operator"]
        kec = self.kecamatan.pk
        return [
            Page("business list", base, admin, user="admin"),
            Page(
                "filtered (kecamatan + status)",
                f"{base}?kecamatan={kec}&status=validated",
                admin,
                user="admin",
            ),
            Page(
                f"search by business name ({SEARCH_WORD})",
                f"{base}?q={SEARCH_WORD}",
                admin,
                user="admin",
            ),
            Page("search, no match", f"{base}?q={NO_MATCH}", admin, user="admin"),
            Page(
                f"search by owner name ({self.owner_word})",
                f"{base}?q={self.owner_word}",
                admin,
                user="admin",
            ),
            Page("sorted by name", f"{base}?ordering=name", admin, user="admin"),
            Page("page 50", f"{base}?p=50", admin, user="admin"),
            Page("inspect", f"{base}inspect/{self.business_id}/", admin, user="admin"),
            Page("edit", f"{base}edit/{self.business_id}/", admin, user="admin"),
            Page(
                "owner search", f"/admin/registry/owners/?q={self.owner_word}", admin, user="admin"
            ),
            Page("analysis: registry", "/admin/analysis/registry/", admin, user="admin"),
            Page("analysis: registry, not kept", run=self._fresh_analysis(admin), user="admin"),
            Page("analysis: growth", "/admin/analysis/growth/", admin, user="admin"),
            Page(
                "analysis: growth, not kept",
                run=self._fresh_analysis(admin, "growth"),
                user="admin",
            ),
            Page("analysis: outcomes", "/admin/analysis/outcomes/", admin, user="admin"),
            Page(
                "analysis: outcomes, not kept",
                run=self._fresh_analysis(admin, "outcomes"),
                user="admin",
            ),
            Page("analysis: outreach", "/admin/analysis/outreach/", admin, user="admin"),
            Page(
                "analysis: outreach, not kept",
                run=self._fresh_analysis(admin, "outreach"),
                user="admin",
            ),
            Page("analysis: trainings", "/admin/analysis/trainings/", admin, user="admin"),
            Page(
                "analysis: trainings, not kept",
                run=self._fresh_analysis(admin, "trainings"),
                user="admin",
            ),
            Page("analysis: map", "/admin/analysis/map/", admin, user="admin"),
            Page("analysis: map data", "/admin/analysis/map/data/", admin, user="admin"),
            Page("operator: map data", "/admin/analysis/map/data/", operator, user="operator"),
            Page("analysis: data quality", "/admin/analysis/quality/", admin, user="admin"),
            Page(
                "analysis: data quality, not kept",
                run=self._fresh_analysis(admin, "quality"),
                user="admin",
            ),
            Page(
                "operator: analysis",
                "/admin/analysis/registry/",
                operator,
                user="operator",
            ),
            Page("operator: admin home", "/admin/", operator, user="operator"),
            Page("operator: business list", base, operator, user="operator"),
            Page("operator: review queue", f"{base}?status=submitted", operator, user="operator"),
            Page(
                "export CSV, one kecamatan",
                f"{base}?kecamatan={kec}&export=csv",
                admin,
                user="admin",
                pairs=3,
            ),
            Page("export CSV, everything", f"{base}?export=csv", admin, user="admin", pairs=2),
        ]

    @staticmethod
    def _fresh_analysis(cookies, screen="registry"):
        """The figures as the first viewer after a write sees them: every request names
        another period start before any record or snapshot (the same ones, a key not kept)."""
        days = itertools.count()

        def run(port):
            start = date(1990, 1, 1) + timedelta(days=next(days))
            path = f"/admin/analysis/{screen}/?period_from={start.isoformat()}"
            answer = Browser(port, cookies).get(path)
            return answer.status, len(answer.body), answer.seconds

        return run

    def register(self, port):
        """Every step of the public form; the time is the final step's, which stores it."""
        from core.spam import HONEYPOT_FIELD, TOKEN_FIELD, make_form_token
        from sme_registry.models import Desa, Kecamatan

        doc = self.fx.registration()
        kec = {
            k.code: k.pk
            for k in Kecamatan.objects.filter(
                code__in=[doc["owner"]["kecamatan"], doc["location"]["kecamatan"]]
            )
        }
        desa = {
            d.code: d.pk
            for d in Desa.objects.filter(code__in=[doc["owner"]["desa"], doc["location"]["desa"]])
        }
        owner = {
            **doc["owner"],
            "kecamatan": kec[doc["owner"]["kecamatan"]],
            "desa": desa[doc["owner"]["desa"]],
        }
        location = {
            **doc["location"],
            "kecamatan": kec[doc["location"]["kecamatan"]],
            "desa": desa[doc["location"]["desa"]],
        }
        # A person takes more than the form's minimum time; the bench does not wait.
        spam = {TOKEN_FIELD: make_form_token(now=time.time() - 60), HONEYPOT_FIELD: ""}
        by_step = {
            "usaha": doc["business"],
            "lokasi": location,
            "keuangan": {**doc["money"], "reported_scale": "mikro"},
            "persetujuan": {"consent": "on", **spam},
            # The last page shows everything once more and sends it.
            "periksa": spam,
        }
        first = {**owner, **spam}
        browser = Browser(port)
        path = self.registration_page.url
        answer = browser.get(path)
        data = first
        for _step in range(12):
            token = csrf_from(answer)
            answer = browser.post_form(path, {"csrfmiddlewaretoken": token, **data})
            if answer.status != 302:
                return answer.status, len(answer.body), answer.seconds
            path = location_path(answer)
            if "/selesai/" in path:
                return answer.status, len(answer.body), answer.seconds
            # The next step's slug ends its address (draf/<token>/<slug>/); steps not
            # listed (legal documents, photos, the page's optional questions) go empty.
            data = by_step.get(path.rstrip("/").rsplit("/", 1)[-1], {})
            answer = browser.get(path)
        return 599, 0, answer.seconds


def queries_and_bytes(site: Site, page: Page):
    """(queries, HTML bytes) of one request inside Django, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if page.run is not None or "export" in page.path:
        return None, None
    client = Client(HTTP_HOST=api.HOST, HTTP_X_FORWARDED_PROTO="https")
    if page.user:
        client.force_login(site.users[page.user])
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    return len(queries), len(response.content)


# --- Export memory ----------------------------------------------------------------------------


def worker_peak_rss(server):
    """The largest VmHWM (peak resident set, MiB) among the server's worker processes."""
    peak = 0
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) // 1024)
    return peak


# A background export as the worker runs it, in a process of its own so that its peak
# resident memory is the export's: Django set up, the job written, VmHWM read. It prints
# JSON: seconds, rows, bytes of the file, peak RSS and the RSS before the export began.
EXPORT_JOB = r"""
import json, os, resource, sys, time
sys.path.insert(0, "site")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from core.background_exports import storage, write_export
from core.models import ExportJob
from sme_registry.models import Business
Business.objects.only("pk").first()  # connection and apps warm, as a running worker's
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
before = peak()
job = ExportJob.objects.create(
    user=get_user_model().objects.get(username=os.environ["BENCH_USER"]),
    view_name="wagtailsnippets_sme_registry_business:list",
    query=os.environ["BENCH_QUERY"], language="id",
    file_format=os.environ["BENCH_FORMAT"], label="bench",
)
started = time.monotonic()
write_export.call(job.pk)
seconds = time.monotonic() - started
job.refresh_from_db()
size = storage().size(job.file_name) if job.file_name else 0
print(json.dumps({"seconds": seconds, "rows": job.rows_done, "state": job.state,
                  "bytes": size, "rss": peak(), "rss_before": before}))
"""


def background_exports(site):
    """(name, query, format) of the exports the worker writes, timed at every size."""
    kec = site.kecamatan.pk
    return [
        ("background XLSX, one kecamatan", f"kecamatan={kec}", "xlsx"),
        ("background CSV, one kecamatan", f"kecamatan={kec}", "csv"),
        ("background CSV, everything", "", "csv"),
    ]


def run_background_exports(site, size, results):
    import json

    for name, query, export_format in background_exports(site):
        answer = subprocess.run(  # noqa: S603
            [sys.executable, "-c", EXPORT_JOB],
            cwd=ROOT,
            env={
                **os.environ,
                "BENCH_USER": site.users["admin"].username,
                "BENCH_QUERY": query,
                "BENCH_FORMAT": export_format,
            },
            capture_output=True,
            text=True,
            check=True,
        )
        done = json.loads(answer.stdout.strip().splitlines()[-1])
        results.setdefault(name, {})[size] = {
            "p50": done["seconds"] * 1000,
            "p95": done["seconds"] * 1000,
            "n": 1,
            "queries": None,
            "bytes": done["bytes"],
            "rss": done["rss"],
            "bad": {} if done["state"] == "done" else {"state": done["state"]},
        }
        print(
            f"  {name:<34} {done['seconds']:8.1f} s  rows={done['rows']:,} "
            f"bytes={done['bytes']:,}  rss={done['rss']} MiB "
            f"(a worker before it: {done['rss_before']} MiB)",
            flush=True,
        )


# --- The run -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    figures: dict = field(default_factory=dict)


def run_public(site, our_port, stock_port, args, rows):
    stock_home = Page("stock home", "/")
    stock_submit = Page("stock form submit", run=stock_form_submit)
    for page in site.public():
        baseline = stock_submit if page.run is not None else stock_home
        queries, nbytes = queries_and_bytes(site, page)
        row = Row(page.name, {"queries": queries, "bytes": nbytes, "baseline": baseline.name})
        for connections in CONNECTIONS:
            ours, theirs = measure_pairs(
                page, our_port, baseline, stock_port, args.pairs, connections, args.budget
            )
            row.figures[connections] = {
                "p50": p(ours, 50),
                "p95": p(ours, 95),
                "base_p50": p(theirs, 50),
                "ratio": p(ours, 50) / p(theirs, 50),
                "n": len(ours.seconds),
                "bad": {**bad_statuses(ours, page.expect), **bad_statuses(theirs, (200,))},
            }
        rows.append(row)
        one, eight = row.figures[1], row.figures[8]
        print(
            f"  {page.name:<28} {one['p50']:7.1f} ms ({one['ratio']:.2f}x)  "
            f"8 conn {eight['p50']:7.1f} ms ({eight['ratio']:.2f}x)  "
            f"q={queries} bytes={nbytes}{'  BAD ' + str(one['bad']) if one['bad'] else ''}",
            flush=True,
        )


def run_staff(site, port, export_server, size, args, results):
    for page in site.staff():
        queries, nbytes = queries_and_bytes(site, page)
        server_port = export_server.port if "export" in page.path else port
        before = worker_peak_rss(export_server) if "export" in page.path else None
        ours, _ = measure_pairs(
            page, server_port, None, None, page.pairs or args.staff_pairs, 1, args.budget
        )
        figures = {
            "p50": p(ours, 50),
            "p95": p(ours, 95),
            "n": len(ours.seconds),
            "queries": queries,
            "bytes": nbytes if nbytes is not None else (max(ours.nbytes) if ours.nbytes else 0),
            "bad": bad_statuses(ours, page.expect),
        }
        if before is not None:
            figures["rss"] = worker_peak_rss(export_server)
        results.setdefault(page.name, {})[size] = figures
        print(
            f"  {page.name:<34} {figures['p50']:8.1f} ms  p95 {figures['p95']:8.1f}  "
            f"q={queries} bytes={figures['bytes']:,}"
            f"{'  rss=' + str(figures.get('rss')) + ' MiB' if 'rss' in figures else ''}"
            f"{'  BAD ' + str(figures['bad']) if figures['bad'] else ''}",
            flush=True,
        )


def short(size):
    return api.short(size)


def postgres_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def write_results(path, args, sizes, public_rows, staff, seeding, started):
    commit = subprocess.run(  # noqa: S603
        [GIT, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(  # noqa: S603
        [GIT, "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = f"{len(names)} × {names[0]}" if names else "?"
    lines = [
        "# Benchmark results",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, run took "
        f"{(time.monotonic() - started) / 60:.0f} min",
        f"- machine: {platform.node()}, {cpu}, Python {platform.python_version()}",
        f"- commit: {commit}{' (with uncommitted changes)' if dirty else ''}",
        f"- sizes: {', '.join(short(s) for s in sizes)} businesses; gunicorn "
        f"{args.workers} sync workers per site; {postgres_version()}",
        f"- command: `make bench{' QUICK=1' if args.quick else ''}`",
        "",
        "## Public pages against the stock `wagtail start` home page",
        "",
        "p50 and p95 in ms; ratio = our p50 ÷ the stock page's p50 in the same pairs "
        "(registration submit: against a stock form page submit). Queries and bytes: one "
        f"request inside Django, at {short(sizes[0])} businesses.",
        "",
        "| page | p50 (1 conn) | p95 | ratio | p50 (8 conn) | p95 | ratio | queries | HTML bytes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in public_rows:
        one, eight = row.figures[1], row.figures[8]
        lines.append(
            f"| {row.name} | {one['p50']:.1f} | {one['p95']:.1f} | **{one['ratio']:.2f}×** | "
            f"{eight['p50']:.1f} | {eight['p95']:.1f} | **{eight['ratio']:.2f}×** | "
            f"{row.figures['queries'] if row.figures['queries'] is not None else '–'} | "
            f"{row.figures['bytes'] if row.figures['bytes'] is not None else '–'} |"
        )
    bad = [
        (r.name, r.figures[c]["bad"])
        for r in public_rows
        for c in CONNECTIONS
        if r.figures[c]["bad"]
    ]
    if bad:
        lines += ["", "Unexpected answers: " + "; ".join(f"{n}: {b}" for n, b in bad)]
    first, last = sizes[0], sizes[-1]
    lines += [
        "",
        f"## Staff screens at {short(first)} and {short(last)} businesses",
        "",
        "p50 in ms over one connection; ratio = p50 at the largest size ÷ p50 at the first. "
        "Queries and HTML bytes per request inside Django; export: bytes of the file and the "
        "gunicorn worker's peak resident memory; background export: the worker's run of one "
        "job in a process of its own (time, file bytes, peak resident memory).",
        "",
        "| screen | "
        + " | ".join(f"p50 {short(s)}" for s in sizes)
        + " | ratio | queries | "
        + " | ".join(f"bytes {short(s)}" for s in sizes)
        + " | export RSS |",
        "|---" * (4 + 2 * len(sizes)) + "|",
    ]
    for name, by_size in staff.items():
        if first not in by_size or last not in by_size:
            continue
        ratio = by_size[last]["p50"] / by_size[first]["p50"]
        queries = "/".join(str(by_size[s]["queries"]) for s in sizes if s in by_size)
        rss = "/".join(f"{by_size[s]['rss']}" for s in sizes if "rss" in by_size.get(s, {}))
        lines.append(
            f"| {name} | "
            + " | ".join(f"{by_size[s]['p50']:.0f}" for s in sizes)
            + f" | **{ratio:.2f}×** | {queries} | "
            + " | ".join(f"{by_size[s]['bytes']:,}" for s in sizes)
            + f" | {rss + ' MiB' if rss else ''} |"
        )
    bad = [(n, s, f["bad"]) for n, by in staff.items() for s, f in by.items() if f["bad"]]
    if bad:
        lines += [
            "",
            "Unexpected answers: " + "; ".join(f"{n} at {short(s)}: {b}" for n, s, b in bad),
        ]
    if seeding:
        lines += ["", "## Seeding", ""]
        lines += [
            f"- {short(s['from'])} → {short(s['to'])}: {s['businesses']:,} businesses, "
            f"{s['rows']:,} rows in {s['seconds']} s ({s['businesses_per_s']:,} businesses/s)"
            for s in seeding
        ]
    path.write_text("\n".join(lines) + "\n")
    print(f"\nwrote {path}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 k and 50 k businesses")
    parser.add_argument("--sizes", help="comma-separated registry sizes (default 10000,1000000)")
    parser.add_argument("--pairs", type=int, default=None, help="request pairs per public page")
    parser.add_argument("--staff-pairs", type=int, default=None, help="requests per staff screen")
    parser.add_argument("--budget", type=float, default=None, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = tuple(int(s) for s in args.sizes.split(","))
    else:
        args.sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    args.pairs = args.pairs or (40 if args.quick else 120)
    args.staff_pairs = args.staff_pairs or (8 if args.quick else 20)
    args.budget = args.budget or (8 if args.quick else 30)
    return args


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="simbaumi-bench-"))
    try:
        environment = api.production_environment(workdir)
        # Before Django starts here: the manifest storage reads its manifest once, at the
        # first static URL, and that may come while the apps load.
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env={**os.environ, **environment},
            check=True,
        )
        api.setup_django(environment)
        api.prepare_site()
        stock = Stock(workdir)
        stock.build()
        stock_server = StockServer(stock, args.workers)
        stock_server.wait_ready()
        public_rows, staff, seeding = [], {}, []
        try:
            owner_word = None  # the owner-name search word, chosen at the first size
            for index, size in enumerate(args.sizes):
                stats = api.seed_up_to(size, args.seed, args.batch)
                if stats is not None:
                    seeding.append(
                        {
                            "from": size - stats.businesses,
                            "to": size,
                            "businesses": stats.businesses,
                            "rows": stats.rows,
                            "seconds": round(stats.seconds, 1),
                            "businesses_per_s": round(stats.rate(stats.businesses)),
                        }
                    )
                api.vacuum_analyze()
                site = Site(owner_word)
                owner_word = site.owner_word
                server = OurServer(workdir, args.workers)
                # The streamed CSV is what is timed here, at every size: the site hands
                # exports past EXPORT_INLINE_ROWS rows to the background worker instead.
                export_server = OurServer(workdir, 1, env={"EXPORT_INLINE_ROWS": str(10**9)})
                try:
                    server.wait_ready()
                    export_server.wait_ready()
                    for _ in range(3):  # warm both workers of both sites
                        for page in site.public()[:-1]:
                            page.once(server.port)
                        Page("stock", "/").once(stock_server.port)
                    if index == 0:
                        print(f"\npublic pages at {short(size)} businesses", flush=True)
                        run_public(site, server.port, stock_server.port, args, public_rows)
                    print(f"\nstaff screens at {short(size)} businesses", flush=True)
                    run_staff(site, server.port, export_server, size, args, staff)
                    run_background_exports(site, size, staff)
                finally:
                    server.stop()
                    export_server.stop()
        finally:
            stock_server.stop()
        write_results(args.out, args, args.sizes, public_rows, staff, seeding, started)
        print(args.out.read_text())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
