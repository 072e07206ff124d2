"""Indexes for the staff searches and the list sorted by name.

On PostgreSQL, trigram indexes (pg_trgm) answer `icontains` on each searched column:
Django writes it as `UPPER(column::text) LIKE UPPER('%word%')`, and these indexes are
on that very expression. They are built CONCURRENTLY (this migration is not atomic), so
a deployment onto a full registry does not lock out writes while they build. SQLite has
no such index; the searches behave the same there, only without the speed.
"""

from django.db import migrations, models

# (index name, table, column)
TRIGRAM_INDEXES = [
    ("business_name_trgm", "sme_registry_business", "name"),
    ("business_product_trgm", "sme_registry_business", "main_product"),
    ("business_nib_trgm", "sme_registry_business", "nib"),
    ("business_code_trgm", "sme_registry_business", "tracking_code"),
    ("owner_name_trgm", "sme_registry_owner", "full_name"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.db.utils import ProgrammingError

    try:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except ProgrammingError as exc:
        raise RuntimeError(
            "The pg_trgm extension could not be created with this database user. Run "
            "'CREATE EXTENSION pg_trgm;' once as the database's owner or a superuser "
            "(see the README, 'Deployment'), then migrate again."
        ) from exc
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sme_registry", "0028_import_purged_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="business",
            index=models.Index(fields=["name"], name="business_name_idx"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
