import factory
import wagtail_factories

from django.utils import timezone

from content.models import (
    FormField,
    FormPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Beranda"
    hero_title = "Daftarkan usaha Anda"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Halaman {n}")
    intro = "Pengantar halaman."
    body = wagtail_factories.StreamFieldFactory({})

    class Meta:
        model = StandardPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Berita"
    intro = "Kabar terbaru."

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Kabar UMKM {n}")
    intro = "Ringkasan berita."
    date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = NewsPage


class FormPageFactory(wagtail_factories.PageFactory):
    title = "Hubungi kami"
    intro = "<p>Kirim pesan.</p>"
    thank_you_text = "<p>Pesan Anda sudah kami terima.</p>"
    to_address = "pum@example.org"
    from_address = "no-reply@example.org"
    subject = "Pesan baru"

    class Meta:
        model = FormPage
        skip_postgeneration_save = True

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted or [
            ("Nama", "singleline", True),
            ("Alamat e-mail", "email", True),
            ("Pesan", "multiline", True),
        ]
        for order, (label, field_type, required) in enumerate(specs):
            FormField.objects.create(
                page=obj, sort_order=order, label=label, field_type=field_type, required=required
            )


def _app_factories():
    from tests.sme_registry.factories import PAGE_FACTORIES as registry
    from tests.training_pages.factories import PAGE_FACTORIES as training

    return {**registry, **training}


# Every page type must have a factory (checked by a test).
PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    StandardPage: StandardPageFactory,
    NewsIndexPage: NewsIndexPageFactory,
    NewsPage: NewsPageFactory,
    FormPage: FormPageFactory,
}
PAGE_FACTORIES.update(_app_factories())
