import datetime

import factory
import wagtail_factories

from django.utils import timezone

from sme_registry.models import Kecamatan
from tests.sme_registry.factories import BusinessFactory
from training_pages.models import (
    ActivitySession,
    EventPage,
    Participant,
    ParticipantStatus,
    TrainingIndexPage,
    TrainingPage,
)


def at(days=0, hour=9, minute=0):
    """A moment `days` from today at a Jakarta wall-clock time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class TrainingIndexPageFactory(wagtail_factories.PageFactory):
    title = "Pelatihan dan Acara"
    slug = "pelatihan"
    intro = "<p>Pelatihan gratis untuk UMKM Kabupaten Bogor.</p>"

    class Meta:
        model = TrainingIndexPage


def _kecamatan():
    return Kecamatan.objects.get(code="32.01.01")


class _ActivityFactory(wagtail_factories.PageFactory):
    summary = "Belajar memasarkan produk lewat marketplace."
    venue_name = "Aula Dinas Koperasi dan UKM"
    venue_address = "Jl. Tegar Beriman, Cibinong"
    kecamatan = factory.LazyFunction(_kecamatan)
    capacity = 30
    contact_name = "Bu Rina"
    contact_phone = "0812-1111-2222"

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        """sessions=[3, 4]: one 09:00-12:00 session that many days from today, each."""
        if not create:
            return
        days = extracted if extracted is not None else (7,)
        for order, day in enumerate(days):
            ActivitySession.objects.create(
                page=obj, sort_order=order, starts_at=at(day, 9), ends_at=at(day, 12)
            )
        obj.save()

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.add(*extracted)
            obj.save()


class TrainingPageFactory(_ActivityFactory):
    title = factory.Sequence(lambda n: f"Pelatihan Pemasaran Digital {n}")

    class Meta:
        model = TrainingPage
        skip_postgeneration_save = True


class EventPageFactory(_ActivityFactory):
    title = factory.Sequence(lambda n: f"Bazar UMKM {n}")
    event_kind = EventPage.Kind.BAZAAR
    capacity = None

    class Meta:
        model = EventPage
        skip_postgeneration_save = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(TrainingPageFactory)
    business = factory.SubFactory(BusinessFactory, validated=True)
    status = ParticipantStatus.REGISTERED
    queued_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Participant


PAGE_FACTORIES = {
    TrainingIndexPage: TrainingIndexPageFactory,
    TrainingPage: TrainingPageFactory,
    EventPage: EventPageFactory,
}
