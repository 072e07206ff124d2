"""Load the 40 kecamatan and 435 desa/kelurahan of Kabupaten Bogor (ODbL, see data/NOTICE.md)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "wilayah-kabupaten-bogor"


def load_regions(apps, schema_editor):
    Kecamatan = apps.get_model("sme_registry", "Kecamatan")
    Desa = apps.get_model("sme_registry", "Desa")
    with open(DATA / "districts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            Kecamatan.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    kecamatan = dict(Kecamatan.objects.values_list("code", "pk"))
    with open(DATA / "villages.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kind = "kelurahan" if row["code"].split(".")[3].startswith("1") else "desa"
            Desa.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "kind": kind,
                    "kecamatan_id": kecamatan[row["district_code"]],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("sme_registry", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
