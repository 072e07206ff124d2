import datetime

import factory
import wagtail_factories

from sme_registry.models import (
    Business,
    Desa,
    FollowUp,
    Kecamatan,
    MentoringVisit,
    OutreachSession,
    Owner,
    RegistrationPage,
    RegistrationQuestion,
    Status,
)


def nik_for(kecamatan_code="320101", birth=datetime.date(1990, 6, 5), sex="P", serial=1):
    day = birth.day + (40 if sex == "P" else 0)
    return f"{kecamatan_code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


class RegistrationPageFactory(wagtail_factories.PageFactory):
    title = "Daftarkan usaha"
    slug = "daftar"
    intro = "<p>Isi formulir pendaftaran UMKM.</p>"

    class Meta:
        model = RegistrationPage


class RegistrationQuestionFactory(factory.django.DjangoModelFactory):
    label = "Dari mana Anda mengetahui SI MBA UMI?"
    field_type = "singleline"
    required = False
    sort_order = factory.Sequence(int)

    class Meta:
        model = RegistrationQuestion


class OwnerFactory(factory.django.DjangoModelFactory):
    full_name = factory.Sequence(lambda n: f"Pemilik Usaha {n}")
    nik = factory.Sequence(lambda n: nik_for(serial=n + 1))
    sex = "P"
    birth_date = datetime.date(1990, 6, 5)
    phone = "+6281234567890"
    email = factory.Sequence(lambda n: f"pemilik{n}@example.org")
    address = "Jl. Raya Bogor No. 1"
    live = False

    class Meta:
        model = Owner


def _kecamatan():
    return Kecamatan.objects.get(code="32.01.01")


class BusinessFactory(factory.django.DjangoModelFactory):
    owner = factory.SubFactory(OwnerFactory)
    tracking_code = factory.Sequence(lambda n: f"TEST{n:08d}"[:12])
    name = factory.Sequence(lambda n: f"Keripik Singkong {n}")
    kbli_category = "C"
    main_product = "Keripik singkong"
    year_started = 2018
    address = "Jl. Mayor Oking No. 5"
    kecamatan = factory.LazyFunction(_kecamatan)
    desa = factory.LazyAttribute(
        lambda o: Desa.objects.filter(kecamatan=o.kecamatan).order_by("code").first()
    )
    annual_sales = 120_000_000
    capital = 20_000_000
    workers_male = 1
    workers_female = 2
    status = Status.SUBMITTED
    live = False

    class Meta:
        model = Business

    class Params:
        validated = factory.Trait(status=Status.VALIDATED, live=True)


class OutreachSessionFactory(factory.django.DjangoModelFactory):
    date = factory.LazyFunction(datetime.date.today)
    kecamatan = factory.LazyFunction(_kecamatan)
    desa = factory.LazyAttribute(
        lambda o: Desa.objects.filter(kecamatan=o.kecamatan).order_by("code").first()
    )
    place = factory.Sequence(lambda n: f"Aula Kantor Desa {n}")
    attendee_count = 25

    class Meta:
        model = OutreachSession


class MentoringVisitFactory(factory.django.DjangoModelFactory):
    business = factory.SubFactory(BusinessFactory, validated=True)
    mentor = factory.LazyAttribute(lambda o: o.business.mentor)
    visited_on = factory.LazyFunction(datetime.date.today)
    kind = MentoringVisit.Kind.VISIT
    topics = "Pembukuan sederhana"

    class Meta:
        model = MentoringVisit


class FollowUpFactory(factory.django.DjangoModelFactory):
    visit = factory.SubFactory(MentoringVisitFactory)
    action = "Mengurus sertifikat halal"
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))

    class Meta:
        model = FollowUp


PAGE_FACTORIES = {RegistrationPage: RegistrationPageFactory}
