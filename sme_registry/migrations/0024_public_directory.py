import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import wagtail.contrib.routable_page.models
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

from core import codes


def give_public_codes(apps, schema_editor):
    """Every business gets its directory code: random, one per business, none shared."""
    Business = apps.get_model("sme_registry", "Business")
    taken = set()
    for pk in Business.objects.filter(public_code__isnull=True).values_list("pk", flat=True):
        code = codes.readable_code(8)
        while code in taken:
            code = codes.readable_code(8)
        taken.add(code)
        Business.objects.filter(pk=pk).update(public_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("sme_registry", "0023_forget_what_served"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "intro",
                    wagtail.fields.RichTextField(blank=True, verbose_name="introduction"),
                ),
            ],
            options={
                "verbose_name": "UMKM directory page",
                "verbose_name_plural": "UMKM directory pages",
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, "wagtailcore.page"),
        ),
        migrations.AddField(
            model_name="business",
            name="public_phone",
            field=models.CharField(
                blank=True,
                help_text="A shop number shown in the public directory; never the owner's own "
                "number unless the owner gives it here.",
                max_length=20,
                verbose_name="public phone / WhatsApp",
            ),
        ),
        migrations.AddField(
            model_name="business",
            name="public_link",
            field=models.CharField(
                blank=True,
                help_text="Shown in the public directory, e.g. https://shopee.co.id/your-shop.",
                max_length=200,
                validators=[
                    django.core.validators.URLValidator(
                        message="Enter a web address that starts with http:// or https://.",
                        schemes=["http", "https"],
                    )
                ],
                verbose_name="shop or marketplace link",
            ),
        ),
        # Added empty, filled for the existing records, then made required and unique.
        migrations.AddField(
            model_name="business",
            name="public_code",
            field=models.CharField(
                editable=False, max_length=8, null=True, verbose_name="directory code"
            ),
        ),
        migrations.RunPython(give_public_codes, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="business",
            name="public_code",
            field=models.CharField(
                editable=False, max_length=8, unique=True, verbose_name="directory code"
            ),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                django.db.models.functions.text.Lower("name"),
                models.F("id"),
                condition=models.Q(
                    ("directory_opt_in", True), ("live", True), ("status", "validated")
                ),
                name="business_directory_idx",
            ),
        ),
    ]
