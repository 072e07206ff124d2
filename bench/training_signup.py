#!/usr/bin/env python
"""Sign-up throughput, sign-up under contention and the public list of trainings.

    .venv/bin/python bench/training_signup.py [--signups 2000] [--threads 8] [--capacity 50]
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/training_signup.py --migrate
    scripts/with-postgres.sh bash -c '.venv/bin/python bench/training_signup.py --migrate'

Three parts, each printed with its baseline side by side:

1. Sign-up throughput. N distinct businesses sign up, one after the other, through
   ``training_pages.services.sign_up(..., notify=False)``: the activity's row is locked
   (``select_for_update``), the window, eligibility and capacity are checked and the
   participant is stored with a seat or on the waiting list. The baseline stores the same
   number of rows with a plain ``Participant.objects.create()``: no rules, no lock. Both run
   in autocommit mode, so each sign-up and each baseline row pays for one commit. The
   queries of a sign-up are counted on a sample in a separate activity.
2. Contention (PostgreSQL only). T threads wait at a barrier, then each signs up M distinct
   businesses into ONE activity with capacity C. Exactly C participants may hold a seat and
   the rest must be on the waiting list; the script checks it. The baseline is the same
   T x M sign-ups into a twin activity from a single thread. SQLite serialises writers (and
   ignores ``select_for_update``), so there the part is skipped.
3. The public list. The index page is rendered through the test client with A and with
   20 x A activities under it (two sessions, two topics and a few participants each), all
   on one page (``per_page`` is raised for the run). The number of queries must not grow
   with the rows: the script checks that too.

The businesses come from ``bench/seed_registry.py``'s generator (valid, live, validated
records written with ``bulk_create``). Activities are added to the page tree like an editor's
(``index.add_child``, sessions and topics in the page's cluster, so ``starts_at``/``ends_at``
are filled on save), live without a revision. Everything is added to the database named by
DATABASE_URL and left there; each run uses fresh slugs, so runs can follow each other.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import logging
import sys
import threading
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_registry import (  # noqa: E402  (the bench folder is put on the path above)
    Generator,
    current_rss_mb,
    keep_given_timestamps,
    peak_rss_mb,
    prepare_database,
    setup_django,
)

TOPICS = ("pemasaran digital", "keuangan", "pengemasan", "legalitas", "halal", "foto produk")


def _at(days, hour):
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_businesses(count, seed):
    """`count` validated live businesses (with owners), written in bulk; returns them loaded."""
    from django.db import transaction
    from django.db.models import Max

    from sme_registry.models import Business, Owner

    owner_start = (Owner.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    business_start = (Business.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    gen = Generator(
        seed=seed,
        owner_start=owner_start,
        business_start=business_start,
        draft_share=0.0,
        nib_share=0.3,
        docs=False,
    )
    ids = []
    with keep_given_timestamps(Owner, Business):
        done = 0
        while done < count:
            size = min(5000, count - done)
            with transaction.atomic():
                counts = gen.plan(size)
                owner_counters, _ = gen.owner_counters(len(counts))
                business_counters, _ = gen.business_counters(size)
                owners, businesses, _ = gen.build(owner_counters, business_counters, counts)
                Owner.objects.bulk_create(owners)
                Business.objects.bulk_create(businesses)
            ids += [b.pk for b in businesses]
            done += size
    return list(Business.objects.filter(pk__in=ids).order_by("pk"))


class Tree:
    """Adds an index and activities below the site's home page, as an editor would."""

    def __init__(self, run_id):
        from content.models import HomePage
        from sme_registry.models import Kecamatan

        self.home = HomePage.objects.first()
        if self.home is None:
            raise SystemExit("No home page in the database: run with --migrate first.")
        self.run_id = run_id
        self.pages = 0
        # An in-person activity needs the kecamatan of its venue (ActivityPage.clean).
        self.kecamatans = list(Kecamatan.objects.order_by("code")[:5])

    def index(self, label, per_page=10):
        from training_pages.models import TrainingIndexPage

        index = TrainingIndexPage(
            title=f"Bench {label} {self.run_id}",
            slug=f"bench-{label}-{self.run_id}",
            intro="<p>Pelatihan untuk pengukuran.</p>",
            per_page=per_page,
        )
        self.home.add_child(instance=index)
        return index

    def activity(self, index, *, capacity, sessions=1, topics=()):
        from training_pages.models import ActivitySession, TrainingPage

        self.pages += 1
        days = 20 + self.pages % 60
        page = TrainingPage(
            title=f"Pelatihan Pemasaran Digital {self.pages}",
            slug=f"pelatihan-{self.run_id}-{self.pages}",
            summary="Belajar memasarkan produk lewat marketplace dan media sosial.",
            venue_name="Aula Dinas Koperasi dan UKM",
            venue_address="Jl. Tegar Beriman, Cibinong",
            kecamatan=self.kecamatans[self.pages % len(self.kecamatans)],
            capacity=capacity,
            contact_name="Bu Rina",
            contact_phone="0812-1111-2222",
        )
        page.sessions = [
            ActivitySession(sort_order=i, starts_at=_at(days + i, 9), ends_at=_at(days + i, 12))
            for i in range(sessions)
        ]
        if topics:
            page.topics.add(*topics)
        # live=True (the default) without a revision: the public list only asks for live().
        index.add_child(instance=page)
        return page


def rate(n, seconds):
    return n / seconds if seconds else 0.0


# --- 1. sign-up throughput ------------------------------------------------------------


TRANSACTION_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def count_queries(function):
    """Run `function`; return the SQL statements it sent, transaction control left out.

    SQLite's backend sends BEGIN and COMMIT as statements, PostgreSQL's does not: leaving
    them out keeps the counts of the two comparable.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].lstrip().upper().startswith(TRANSACTION_WORDS)
    ]


def query_kinds(statements):
    kinds = {}
    for sql in statements:
        word = sql.lstrip().split(" ", 1)[0].upper()
        if word == "SELECT" and sql.rstrip().upper().endswith("FOR UPDATE"):
            word = "SELECT ... FOR UPDATE"
        kinds[word] = kinds.get(word, 0) + 1
    return ", ".join(f"{n} {word}" for word, n in sorted(kinds.items()))


def signup_throughput(tree, businesses, count, per_activity, sample):
    from django.db import connection
    from django.utils import timezone

    from training_pages import services
    from training_pages.models import Participant, ParticipantStatus
    from training_pages.models.participants import SEAT_STATUSES

    capacity = per_activity * 3 // 4  # a quarter of each activity's sign-ups wait
    index = tree.index("signup")
    n_activities = -(-count // per_activity)
    rules_pages = [tree.activity(index, capacity=capacity) for _ in range(n_activities)]
    plain_pages = [tree.activity(index, capacity=capacity) for _ in range(n_activities)]
    sample_page = tree.activity(index, capacity=capacity)
    chosen = businesses[:count]
    print(
        f"  {count:,} sign-ups into {n_activities} activities of {per_activity} "
        f"(capacity {capacity}: the rest wait), one at a time, autocommit",
        flush=True,
    )

    started = time.perf_counter()
    for i, business in enumerate(chosen):
        services.sign_up(rules_pages[i // per_activity], business, notify=False)
    rules_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for i, business in enumerate(chosen):
        Participant.objects.create(
            page=plain_pages[i // per_activity],
            business=business,
            status=ParticipantStatus.REGISTERED,
            queued_at=timezone.now(),
        )
    plain_seconds = time.perf_counter() - started

    statements = []
    for business in chosen[:sample]:
        statements += count_queries(
            lambda b=business: services.sign_up(sample_page, b, notify=False)
        )
    plain_statements = count_queries(
        lambda: Participant.objects.create(
            page=sample_page,
            business=chosen[sample],
            status=ParticipantStatus.REGISTERED,
            queued_at=timezone.now(),
        )
    )

    stored = Participant.objects.filter(page__in=rules_pages)
    seats = stored.filter(status__in=SEAT_STATUSES).count()
    waiting = stored.filter(status=ParticipantStatus.WAITLISTED).count()
    expected_seats = sum(min(capacity, count - a * per_activity) for a in range(n_activities))
    ok = seats == expected_seats and seats + waiting == count

    print(f"== 1. sign-up throughput, {connection.vendor} ==")
    print(f"  {'':34}{'services.sign_up':>18}{'plain create()':>18}")
    print(f"  {'sign-ups':34}{count:>18,}{count:>18,}")
    print(f"  {'seconds':34}{rules_seconds:>18.2f}{plain_seconds:>18.2f}")
    print(
        f"  {'sign-ups/s':34}{rate(count, rules_seconds):>18,.0f}"
        f"{rate(count, plain_seconds):>18,.0f}"
    )
    print(
        f"  {'ms per sign-up':34}{1000 * rules_seconds / count:>18.2f}"
        f"{1000 * plain_seconds / count:>18.2f}"
    )
    print(
        f"  {f'queries per sign-up ({sample} sampled)':34}{len(statements) / sample:>18.1f}"
        f"{len(plain_statements):>18}"
    )
    print(f"    a sign-up sends: {query_kinds(statements[: len(statements) // sample])}")
    print(f"  rules + lock cost {rules_seconds / plain_seconds:.1f}x the time of a plain create()")
    print(
        f"  stored: {seats:,} with a seat, {waiting:,} waiting "
        f"(expected {expected_seats:,} seats of {count:,}): {'OK' if ok else 'FAIL'}"
    )
    return ok


# --- 2. contention ------------------------------------------------------------------


def contention(tree, businesses, threads, per_thread, capacity):
    from django.db import connection

    from training_pages import services
    from training_pages.models import Participant, ParticipantStatus
    from training_pages.models.participants import SEAT_STATUSES

    total = threads * per_thread
    index = tree.index("contention")
    contended = tree.activity(index, capacity=capacity)
    sequential = tree.activity(index, capacity=capacity)
    chosen = businesses[:total]
    print(
        f"  {threads} threads x {per_thread} sign-ups into one activity of capacity {capacity}",
        flush=True,
    )

    barrier = threading.Barrier(threads + 1)
    errors = []

    def worker(part):
        from django.db import connection as thread_connection

        try:
            thread_connection.ensure_connection()  # connect before the start signal
            barrier.wait()
            for business in part:
                services.sign_up(contended, business, notify=False)
        except Exception as exc:  # reported below; the check then fails
            errors.append(repr(exc))
            barrier.abort()
        finally:
            thread_connection.close()

    workers = [
        threading.Thread(target=worker, args=(chosen[t * per_thread : (t + 1) * per_thread],))
        for t in range(threads)
    ]
    for thread in workers:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a thread failed: errors say why
        barrier.wait()
    started = time.perf_counter()
    for thread in workers:
        thread.join()
    threaded_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for business in chosen:
        services.sign_up(sequential, business, notify=False)
    sequential_seconds = time.perf_counter() - started

    stored = Participant.objects.filter(page=contended)
    seats = stored.filter(status__in=SEAT_STATUSES).count()
    waiting = stored.filter(status=ParticipantStatus.WAITLISTED).count()
    # Who joined the queue after someone who waits and still got a seat. Not a check:
    # sign_up reads the clock before it takes the lock, so under contention a few
    # queue times can be out of step with the order the lock was granted in.
    first_wait = stored.filter(status=ParticipantStatus.WAITLISTED).order_by("queued_at").first()
    overtaken = 0
    if first_wait is not None:
        overtaken = stored.filter(
            status__in=SEAT_STATUSES, queued_at__gt=first_wait.queued_at
        ).count()
    expected_seats = min(capacity, total)
    ok = not errors and seats == expected_seats and waiting == total - expected_seats

    print(f"== 2. contention on one activity, {connection.vendor} ==")
    print(f"  {'':34}{f'{threads} threads':>18}{'1 thread':>18}")
    print(f"  {'sign-ups':34}{total:>18,}{total:>18,}")
    print(f"  {'wall seconds':34}{threaded_seconds:>18.2f}{sequential_seconds:>18.2f}")
    print(
        f"  {'sign-ups/s':34}{rate(total, threaded_seconds):>18,.0f}"
        f"{rate(total, sequential_seconds):>18,.0f}"
    )
    print(f"  threads give {sequential_seconds / threaded_seconds:.2f}x the single thread's rate")
    for error in errors[:5]:
        print(f"  error in a thread: {error}")
    print(
        f"  stored: {seats} with a seat, {waiting} waiting, {stored.count()} in all "
        f"(expected {expected_seats} and {total - expected_seats}): {'OK' if ok else 'FAIL'}"
    )
    print(f"  seat holders whose queue time is later than the first waiting one's: {overtaken}")
    return ok


# --- 3. the public list ---------------------------------------------------------------


def listing(tree, businesses, activities, renders):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from training_pages.models import Participant, ParticipantStatus

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    statuses = (
        ParticipantStatus.REGISTERED,
        ParticipantStatus.REGISTERED,
        ParticipantStatus.WAITLISTED,
    )
    client = Client()
    results = []
    for label, size in (("small", activities), ("large", 20 * activities)):
        # Every card on one page, or the large list would render per_page cards too.
        index = tree.index(f"list-{label}", per_page=min(size, 32767))
        started = time.perf_counter()
        pages = [
            tree.activity(
                index,
                capacity=30,
                sessions=2,
                topics=(TOPICS[n % len(TOPICS)], TOPICS[(n + 1) % len(TOPICS)]),
            )
            for n in range(size)
        ]
        Participant.objects.bulk_create(
            Participant(page=page, business=business, status=status, queued_at=timezone.now())
            for page in pages
            for business, status in zip(businesses[:3], statuses, strict=True)
        )
        built = time.perf_counter() - started
        url = index.url
        response = client.get(url)  # warm-up: template loading, site root paths
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        cards = response.content.decode().count('<article class="card activity-card"')
        statements = count_queries(lambda u=url: client.get(u))
        started = time.perf_counter()
        for _ in range(renders):
            client.get(url)
        seconds = (time.perf_counter() - started) / renders
        results.append((size, cards, len(statements), seconds, built))

    (small, small_cards, small_q, small_s, _), (large, large_cards, large_q, large_s, built) = (
        results
    )
    ok = small_q == large_q
    print(f"== 3. public list of trainings, {connection.vendor} ==")
    print(f"  {'':34}{f'{small} activities':>18}{f'{large} activities':>18}")
    print(f"  {'cards rendered':34}{small_cards:>18,}{large_cards:>18,}")
    print(f"  {'queries per render':34}{small_q:>18}{large_q:>18}")
    print(
        f"  {f'ms per render (mean of {renders})':34}{1000 * small_s:>18.1f}{1000 * large_s:>18.1f}"
    )
    print(f"  {'ms per card':34}{1000 * small_s / small:>18.2f}{1000 * large_s / large:>18.2f}")
    print(f"  20x the activities cost {large_s / small_s:.1f}x the time per render")
    print(f"  same number of queries for both lists (no query per row): {'OK' if ok else 'FAIL'}")
    print(f"  (building the {large} activities took {built:.1f} s, not timed above)")
    return ok


# --- main ---------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signups", type=int, default=2000, help="sequential sign-ups (N)")
    parser.add_argument(
        "--per-activity", type=int, default=100, help="sign-ups per activity in part 1"
    )
    parser.add_argument("--sample", type=int, default=20, help="sign-ups whose queries count")
    parser.add_argument("--threads", type=int, default=8, help="threads in part 2 (T)")
    parser.add_argument("--per-thread", type=int, default=25, help="sign-ups per thread (M)")
    parser.add_argument("--capacity", type=int, default=50, help="seats in part 2 (C)")
    parser.add_argument("--activities", type=int, default=10, help="small list in part 3 (A)")
    parser.add_argument("--renders", type=int, default=10, help="timed renders per list")
    parser.add_argument("--seed", type=int, default=1, help="drives the generated businesses")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("signup", "contention", "listing"),
        help="leave a part out (repeatable)",
    )
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="create the PostgreSQL database if missing and run migrate first (not timed)",
    )
    args = parser.parse_args(argv)
    if min(args.signups, args.per_activity, args.sample, args.threads, args.per_thread) < 1:
        parser.error("counts must be >= 1")
    if min(args.activities, args.renders) < 1 or args.capacity < 0:
        parser.error("--activities and --renders must be >= 1, --capacity >= 0")
    if args.sample >= args.signups:
        parser.error("--sample must be below --signups")
    return args


def main(argv=None):
    args = parse_args(argv)
    wall = time.perf_counter()
    setup_django()
    # The test client builds the middleware stack; WhiteNoise then warns that
    # collectstatic never ran. The list renders the same without it.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    if args.migrate:
        prepare_database()
    from django.db import connection

    # One INFO line per sign-up on the console would drown the figures.
    logging.getLogger("training_pages.services").setLevel(logging.WARNING)
    rss_setup = current_rss_mb()
    needed = max(args.signups, args.threads * args.per_thread, 3)
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: "
        f"{needed:,} businesses for the run ...",
        flush=True,
    )
    started = time.perf_counter()
    businesses = make_businesses(needed, args.seed)
    print(f"  written in {time.perf_counter() - started:.1f} s (not timed below)", flush=True)
    tree = Tree(run_id=format(int(time.time() * 1000) % 36**7, "x"))

    results = {}
    if "signup" not in args.skip:
        print("1. sign-up throughput ...", flush=True)
        results["sign-up"] = signup_throughput(
            tree, businesses, args.signups, args.per_activity, args.sample
        )
        print()
    if "contention" not in args.skip:
        if connection.vendor == "postgresql":
            print("2. contention ...", flush=True)
            results["contention"] = contention(
                tree, businesses, args.threads, args.per_thread, args.capacity
            )
        else:
            print(
                f"== 2. contention: skipped on {connection.vendor} ==\n"
                "  SQLite lets one writer in at a time and has no row locks, so threads there\n"
                "  measure its file lock, not the sign-up rules. Run it on PostgreSQL:\n"
                "  scripts/with-postgres.sh bash -c "
                "'.venv/bin/python bench/training_signup.py --migrate'"
            )
        print()
    if "listing" not in args.skip:
        print("3. public list ...", flush=True)
        results["listing"] = listing(tree, businesses, args.activities, args.renders)
        print()
    print(f"peak memory {peak_rss_mb():.1f} MB max RSS (after setup {rss_setup:.1f} MB)")
    verdict = ", ".join(f"{name} {'OK' if ok else 'FAIL'}" for name, ok in results.items())
    print(f"checks: {verdict or 'none'}; wall time {time.perf_counter() - wall:.1f} s")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
