"""Registry records for the tests, built the way the site builds them.

`BusinessFactory` registers through `services.register_business` and moves
the record to the state asked for through `sme_registry.transitions`, with
reviewers who may really take each step (an operator of the record's
kecamatan, then a validator). So a `validated` business was checked by the
kecamatan and by PUM, exactly as in production:

    BusinessFactory()                          # submitted, at the kecamatan check
    BusinessFactory(state="in_review")         # checked by the kecamatan, at PUM
    BusinessFactory(state="changes_requested") # sent back by the kecamatan
    BusinessFactory(validated=True)            # or state="validated"
    BusinessFactory(state="rejected"), BusinessFactory(state="archived")

Owner fields go as `owner__<field>`; an existing `owner` attaches the new
business to them (their own further business), `owner_confirmed=False` with it
registers with their NIK as someone else would.
"""

import datetime
import io

import factory
import wagtail_factories
from PIL import Image

from django.core.files.base import ContentFile

from core import roles
from sme_registry import services, transitions, uploads
from sme_registry.models import (
    Business,
    Desa,
    DirectoryPage,
    FollowUp,
    Kecamatan,
    MentoringVisit,
    OutreachSession,
    RegistrationPage,
    RegistrationQuestion,
    Source,
)
from tests.factories import UserFactory

CIBINONG = "32.01.01"
STATES = ("submitted", "in_review", "changes_requested", "validated", "rejected", "archived")


def nik_for(kecamatan_code="320101", birth=datetime.date(1990, 6, 5), sex="P", serial=1):
    day = birth.day + (40 if sex == "P" else 0)
    return f"{kecamatan_code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


class RegistrationPageFactory(wagtail_factories.PageFactory):
    title = "Daftarkan usaha"
    slug = "daftar"
    intro = "<p>Isi formulir pendaftaran UMKM.</p>"

    class Meta:
        model = RegistrationPage


class DirectoryPageFactory(wagtail_factories.PageFactory):
    title = "Direktori UMKM"
    slug = "direktori"
    intro = "<p>Produk dan jasa UMKM Kabupaten Bogor.</p>"

    class Meta:
        model = DirectoryPage


class RegistrationQuestionFactory(factory.django.DjangoModelFactory):
    label = "Dari mana Anda mengetahui SI MBA UMI?"
    field_type = "singleline"
    required = False
    sort_order = factory.Sequence(int)

    class Meta:
        model = RegistrationQuestion


def _kecamatan():
    return Kecamatan.objects.get(code=CIBINONG)


def _first_desa(kecamatan):
    return Desa.objects.filter(kecamatan=kecamatan).order_by("code").first()


def kecamatan_reviewer(kecamatan):
    """The operator who checks records of this kecamatan (step 1)."""
    return UserFactory(
        username=f"pemeriksa-{kecamatan.code}", role=roles.OPERATOR, kecamatan=kecamatan
    )


def pum_validator():
    """The PUM validator (step 2)."""
    return UserFactory(username="validator-pum", role=roles.VALIDATOR)


class OwnerAnswersFactory(factory.DictFactory):
    """What a registrant types about the owner (a dict for `RegistrationInput.owner`)."""

    full_name = factory.Sequence(lambda n: f"Pemilik Usaha {n}")
    # Serials 5001-9999, so a test's hand-picked serial below 5000 never meets a factory's NIK,
    # whatever order the tests run in.
    nik = factory.Sequence(lambda n: nik_for(serial=5001 + n % 4999))
    sex = "P"
    birth_date = datetime.date(1990, 6, 5)
    phone = "+6281234567890"
    email = factory.Sequence(lambda n: f"pemilik{n}@example.org")
    address = "Jl. Raya Bogor No. 1"


def reviewer_for(business):
    """Who takes the record's current review step: the kecamatan's operator, then PUM."""
    state = Business.objects.get(pk=business.pk).current_workflow_state
    if state is None or state.current_task_state is None:
        return None
    task = state.current_task_state.task.specific
    return kecamatan_reviewer(business.kecamatan) if task.own_kecamatan_only else pum_validator()


def approve_all(business):
    """Approve every remaining review step, as the reviewers would: the version goes live."""
    for _step in range(4):
        reviewer = reviewer_for(business)
        if reviewer is None:
            break
        assert transitions.approve_step(Business.objects.get(pk=business.pk), reviewer)
    return Business.objects.get(pk=business.pk)


def move_to(business, state, *, reason="Mohon lengkapi data usaha."):
    """Walk a freshly registered business to `state` through the transitions."""
    if state == "submitted":
        return business
    kecamatan = business.kecamatan
    if state in ("changes_requested", "rejected") and not transitions.review(
        business,
        kecamatan_reviewer(kecamatan),
        "reject" if state == "changes_requested" else "refuse",
        comment=reason,
    ):
        raise AssertionError(f"could not send {business} back")
    if state in ("in_review", "validated", "archived"):
        assert transitions.approve_step(business, kecamatan_reviewer(kecamatan))
    if state in ("validated", "archived"):
        business = Business.objects.get(pk=business.pk)
        assert transitions.approve_step(business, pum_validator())
    if state == "archived":
        transitions.archive(
            Business.objects.get(pk=business.pk), None, "Usaha sudah tutup (data uji)."
        )
    return Business.objects.get(pk=business.pk)


def stored_photo(colour=(190, 90, 30), size=(1600, 1200)):
    """A product photo as the photo step leaves it: cleaned, re-encoded, privately stored.

    Give the name to `BusinessFactory(photos=[...])`.
    """
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return uploads.store_private(uploads.clean_image(ContentFile(buffer.getvalue(), name="a.jpg")))


class BusinessFactory(factory.Factory):
    """See the module docstring: a registration through the services, then transitions."""

    name = factory.Sequence(lambda n: f"Keripik Singkong {n}")
    kbli_category = "C"
    main_product = "Keripik singkong"
    year_started = 2018
    address = "Jl. Mayor Oking No. 5"
    kecamatan = factory.LazyFunction(_kecamatan)
    desa = factory.LazyAttribute(lambda o: _first_desa(o.kecamatan))
    annual_sales = 120_000_000
    capital = 20_000_000
    workers_male = 1
    workers_female = 2
    # The owner's answers (override with owner__<field>), or an existing Owner.
    owner = factory.SubFactory(OwnerAnswersFactory)

    class Meta:
        model = Business

    class Params:
        validated = factory.Trait(state="validated")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # `status=Status.X` reads as `state="x"`: the values are the same words.
        state = str(kwargs.pop("state", None) or kwargs.pop("status", "submitted"))
        assert state in STATES, state
        owner = kwargs.pop("owner")
        owner_confirmed = kwargs.pop("owner_confirmed", True)
        mentor = kwargs.pop("mentor", None)
        session = kwargs.pop("outreach_session", None)
        merged_into = kwargs.pop("merged_into", None)
        page = kwargs.pop("registration_page", None)
        extra_answers = kwargs.pop("extra_answers", {})
        documents = kwargs.pop("documents", [])
        photos = kwargs.pop("photos", [])  # stored names, as the photo step leaves them
        source = kwargs.pop("source", Source.PUBLIC_FORM)
        kecamatan = kwargs.pop("kecamatan")
        desa = kwargs.pop("desa")
        business_fields = {**kwargs, "kecamatan_id": kecamatan.pk, "desa_id": desa.pk}
        unknown = set(business_fields) - set(services.BUSINESS_FIELDS)
        assert not unknown, f"not something a registration carries: {sorted(unknown)}"

        if isinstance(owner, dict):
            owner_data, owner = owner, None
        elif not owner_confirmed:
            # Registered with a registered owner's NIK, as someone else would.
            owner_data, owner = OwnerAnswersFactory(nik=owner.nik), None
        else:
            owner_data = {}  # a further business of a registered owner
        registration = services.RegistrationInput(
            owner=owner_data,
            business=business_fields,
            documents=documents,
            photos=photos,
            extra_answers=extra_answers,
            consent_version="2026-11",
        )
        business = services.register_business(
            registration,
            source=source,
            owner=owner,
            page=page,
            referral_code=session.referral_code if session else "",
        )
        business = move_to(business, state)
        if mentor is not None:
            services.assign_mentor([business], mentor)
        if merged_into is not None:
            transitions.merge(merged_into, business)
        return Business.objects.select_related("owner").get(pk=business.pk)


class OutreachSessionFactory(factory.django.DjangoModelFactory):
    date = factory.LazyFunction(datetime.date.today)
    kecamatan = factory.LazyFunction(_kecamatan)
    desa = factory.LazyAttribute(lambda o: _first_desa(o.kecamatan))
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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        visit = model_class(*args, **kwargs)
        return services.record_mentoring_visit(visit, user=visit.mentor)


class FollowUpFactory(factory.django.DjangoModelFactory):
    visit = factory.SubFactory(MentoringVisitFactory)
    action = "Mengurus sertifikat halal"
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))

    class Meta:
        model = FollowUp


PAGE_FACTORIES = {RegistrationPage: RegistrationPageFactory, DirectoryPage: DirectoryPageFactory}
