#!/usr/bin/env python
"""Speed and memory of the bulk import: rows per second and peak RSS of the dry run and the apply.

    scripts/with-postgres.sh .venv/bin/python bench/imports.py --quick
    scripts/with-postgres.sh .venv/bin/python bench/imports.py --rows 10000,100000

For each file size: write a CSV in the office template's columns (90 % new businesses,
5 % updates of registered ones by NIB, 5 % rows with a bad cell), then, each in a process
of its own so that its peak RSS is its own, run the phases an import runs
(`sme_registry.imports.batches`): the dry run (read + check) of the whole file, and the
apply of its first `--apply-rows` rows (then the bench presses the import's stop button:
the apply writes revisions, workflow states and history per row, and runs about 15 rows a
second, so 100 000 rows would take hours), in the name of an Admin Dinas user, into a registry already seeded with `--registry` businesses
(`seed_registry.py`). The baseline, side by side, is reading the same file with the
import's own reader and nothing else: the floor a row check cannot go below.

Flat memory shows as the same peak RSS for a small and a large file. PostgreSQL only
(`scripts/with-postgres.sh`): it writes thousands of businesses into the database.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "site"))
sys.path.insert(0, str(ROOT))

import api  # noqa: E402  (the bench folder is put on the path above)

USER = "bench_import"
QUICK_ROWS = (2_000, 10_000)
QUICK_APPLY_ROWS = 500
DEFAULT_ROWS = (10_000, 100_000)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def importer():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core import roles

    user, created = get_user_model().objects.get_or_create(username=USER)
    if created:
        user.groups.add(Group.objects.get(name=roles.ADMIN_DINAS))
    return user


_SYLLABLES = tuple(consonant + vowel for consonant in "bdgjklmnrstwy" for vowel in "aiu")


def _word(rnd):
    return "".join(rnd.choice(_SYLLABLES) for _ in range(3)).capitalize()


def write_file(path, rows, seed=1):
    """A CSV in the template's columns: mostly new rows, some updates by NIB, some bad."""
    from sme_registry.forms import _regions
    from sme_registry.imports import workbooks
    from sme_registry.models import Business

    rnd = random.Random(seed + rows)
    _kecamatan, desa = _regions()
    places = list(desa.values())
    headers = workbooks.template_headers()
    known = list(
        Business.objects.exclude(nib="")
        .exclude(status__in=("archived",))
        .values_list("nib", "owner__nik")[: max(1, rows // 20)]
    )
    index = {h: i for i, h in enumerate(headers)}
    counts = {"new": 0, "update": 0, "bad": 0}
    stamp = int(time.time()) % 10_000
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for number in range(rows):
            place = places[number % len(places)]
            code = place.kecamatan.code.replace(".", "")
            day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(60, 99)
            serial = (stamp * 7919 + number) % 9999 + 1
            cells = [""] * len(headers)
            values = {
                "NIK pemilik": f"{code}{day + 40:02d}{month:02d}{year:02d}{serial:04d}",
                "Nama lengkap pemilik": f"Ibu Uji {number}",
                "Jenis kelamin": "Perempuan",
                "Tanggal lahir": f"{day:02d}/{month:02d}/19{year:02d}",
                "Nomor telepon / WhatsApp": f"0812{rnd.randint(10**7, 10**8 - 1)}",
                "Alamat rumah": "Jl. Uji No. 1",
                # Made-up words: names alike enough to be "likely duplicates" stay rare.
                "Nama usaha": f"{_word(rnd)} {_word(rnd)}",
                "Bentuk usaha": "Perorangan",
                "Bidang usaha": "C - Industri Pengolahan",
                "Produk atau jasa utama": "Kue basah",
                "Tahun mulai usaha": rnd.randint(2000, 2024),
                "Alamat usaha": "Jl. Usaha No. 2",
                "Kecamatan": place.kecamatan.name,
                "Desa/kelurahan": place.name,
                "Modal usaha (Rp)": rnd.randint(1, 50) * 1_000_000,
                "Omzet setahun terakhir (Rp)": f"Rp {rnd.randint(10, 900) * 1_000_000:,}".replace(
                    ",", "."
                ),
                "Tenaga kerja laki-laki": rnd.randint(0, 3),
                "Tenaga kerja perempuan": rnd.randint(0, 3),
            }
            kind = "new"
            if number % 20 == 7 and known:
                nib, nik = known[(number // 20) % len(known)]
                values["NIB"], values["NIK pemilik"] = nib, nik
                values["Bidang usaha"] = ""  # an update names what changes, not the sector
                kind = "update"
            elif number % 20 == 13:
                values["Tanggal lahir"] = "31/02/1990"
                kind = "bad"
            counts[kind] += 1
            for header, value in values.items():
                if header in index:
                    cells[index[header]] = value
            writer.writerow(cells)
    return counts


# --- The phases, each in a process of its own ---------------------------------------------


def child(phase, argument):
    """Run one phase and print what it measured as JSON (the parent reads the last line)."""
    import django

    django.setup()
    from sme_registry.imports import batches, fields, files
    from sme_registry.models import ImportBatch

    started = time.perf_counter()
    if phase == "read":
        with open(argument, "rb") as handle:
            count = sum(1 for _number, _cells in files.rows(handle, "csv"))
        result = {"rows": count - 1}
    elif phase == "check":
        with open(argument, "rb") as handle:
            from django.core.files import File

            upload = File(handle, name=Path(argument).name)
            sheet = files.inspect(upload, size_limit=False)  # as import_registry reads it
            batch = batches.create(
                handle, upload.name, sheet, importer(), columns=fields.auto_columns(sheet.header)
            )
        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx(
                "batches.check(batch)", globals(), locals(), os.environ["BENCH_PROFILE"] + ".check"
            )
        else:
            batches.check(batch)
        batch.refresh_from_db()
        result = {"rows": batch.rows_total, "batch": batch.pk, "counts": batches.counts(batch)}
        # What the refusals said, by message: the bad rows should give one message only.
        messages = {}
        for errors in batch.rows.filter(outcome="refused").values_list("errors", flat=True):
            for key, texts in errors.items():
                for text in texts:
                    messages[f"{key}: {text}"] = messages.get(f"{key}: {text}", 0) + 1
        result["refusals"] = messages
    else:
        batch_id, limit = (int(part) for part in argument.split(":"))
        batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)

        def stop_at_limit(phase, done, total):
            if done >= limit:  # the import's own stop button, pressed by the bench
                ImportBatch.objects.filter(pk=batch.pk).update(cancel_requested=True)

        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx(
                "batches.apply(batch, progress=stop_at_limit)",
                globals(),
                locals(),
                os.environ["BENCH_PROFILE"] + ".apply",
            )
        else:
            batches.apply(batch, progress=stop_at_limit)
        batch.refresh_from_db()
        result = {"rows": batch.rows_applied, "counts": batches.counts(batch)}
    result.update(seconds=time.perf_counter() - started, peak_rss_mb=peak_rss_mb())
    print(json.dumps(result))


def run_child(phase, argument):
    output = subprocess.run(  # noqa: S603 (this very script, with its own arguments)
        [sys.executable, __file__, "--child", phase, str(argument)],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    if output.returncode:
        raise SystemExit(f"the {phase} phase failed:\n{output.stderr[-4000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default=",".join(str(r) for r in DEFAULT_ROWS))
    parser.add_argument("--registry", type=int, default=20_000, help="businesses seeded first")
    parser.add_argument("--quick", action="store_true", help=f"rows {QUICK_ROWS}, registry 5000")
    parser.add_argument(
        "--apply-rows",
        type=int,
        default=2_000,
        help="rows the apply writes before the bench stops it (the apply is the slow part)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    if args.child:
        child(*args.child)
        return
    environment = api.production_environment(workdir)
    api.setup_django(environment)
    api.prepare_site()
    sizes = QUICK_ROWS if args.quick else tuple(int(r) for r in args.rows.split(","))
    if args.quick:
        args.apply_rows = QUICK_APPLY_ROWS
    api.seed_up_to(5_000 if args.quick else args.registry, seed=1, batch=5_000)
    importer()
    api.vacuum_analyze()
    results = []
    for size in sizes:
        path = workdir / f"import-{size}.csv"
        mix = write_file(path, size)
        print(
            f"\n{size:,} rows ({mix['new']:,} new, {mix['update']:,} updates, {mix['bad']:,} bad)"
        )
        read = run_child("read", path)
        print(f"  baseline read : {read['seconds']:.1f} s", flush=True)
        check = run_child("check", path)
        print(f"  dry run       : {check['seconds']:.1f} s {check['counts']}", flush=True)
        for message, count in sorted(check["refusals"].items(), key=lambda item: -item[1])[:5]:
            print(f"      refused {count:>6,} × {message}")
        applied = run_child("apply", f"{check['batch']}:{args.apply_rows}")
        print(
            f"  apply         : {applied['rows']:,} rows in {applied['seconds']:.1f} s", flush=True
        )
        results.append({"size": size, "read": read, "check": check, "apply": applied})
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def print_table(results):
    print()
    print("| rows | phase | seconds | rows/s | ÷ reading | peak RSS MiB |")
    print("|---:|---|---:|---:|---:|---:|")
    for result in results:
        read_rate = result["read"]["rows"] / max(result["read"]["seconds"], 1e-9)
        for phase in ("read", "check", "apply"):
            figures = result[phase]
            rate = figures["rows"] / max(figures["seconds"], 1e-9)
            name = {"read": "reading only (baseline)", "check": "dry run", "apply": "apply"}[phase]
            print(
                f"| {result['size']:,} | {name} | {figures['seconds']:.1f} | {rate:,.0f} | "
                f"{rate / read_rate:.3f} | {figures['peak_rss_mb']:.0f} |"
            )


if __name__ == "__main__":
    main()
