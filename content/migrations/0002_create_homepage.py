"""Replace Wagtail's placeholder welcome page with the site's HomePage."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("content.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    if HomePage.objects.exists():
        return
    # The placeholder created by Wagtail's own migrations, if still untouched.
    Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    # Treebeard's path for the next child of the root (steplen 4).
    last = Page.objects.filter(depth=2).order_by("-path").first()
    next_number = int(last.path[4:8], 36) + 1 if last else 1
    path = root.path + _to_base36(next_number).rjust(4, "0")
    home = HomePage.objects.create(
        title="Beranda",
        draft_title="Beranda",
        slug="beranda",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/beranda/",
        locale=locale,
        live=True,
        hero_title="Daftarkan usaha Anda di SI MBA UMI",
        hero_text=(
            "Pendataan, pelatihan dan pendampingan UMKM Kabupaten Bogor "
            "oleh Dinas Koperasi dan UKM."
        ),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page_id = home.pk
        site.site_name = "SI MBA UMI"
        site.save()
    else:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page_id=home.pk,
            is_default_site=True,
            site_name="SI MBA UMI",
        )


def _to_base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out or "0"


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
