import datetime

import factory
import wagtail_factories

from django.utils import timezone

from core import roles
from sme_registry.models import Kecamatan
from tests.factories import UserFactory
from tests.sme_registry.factories import BusinessFactory
from training_pages import services
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


def _sign_up_moment(page):
    """A moment at which sign-up for `page` is open: now, or within its window if that passed."""
    now = timezone.now()
    if page.sign_up_state(now) == "open" and not page.is_past:
        return now
    opens = page.registration_opens_at
    closes = page.sign_up_closes_at()
    moment = (closes or now) - datetime.timedelta(hours=1)
    if opens and moment < opens:
        moment = opens + datetime.timedelta(minutes=1)
    return moment


def activity_staff():
    """Admin Dinas runs every activity, online ones included."""
    return UserFactory(username="penyelenggara", role=roles.ADMIN_DINAS)


class ParticipantFactory(factory.Factory):
    """A participation reached through the sign-up rules, as the site would reach it.

    `status` is where it should end: REGISTERED, AWAITING_APPROVAL or WAITLISTED
    as the activity's settings and seats give them; APPROVED, REJECTED and
    CANCELLED through the staff and participant actions; ATTENDED and NO_SHOW
    through attendance. A status the activity cannot give (a waiting list with
    seats free, approval on an activity without it) fails: set the activity up so.
    """

    page = factory.SubFactory(TrainingPageFactory)
    business = factory.SubFactory(BusinessFactory, validated=True)
    attendee_name = ""

    class Meta:
        model = Participant

    @classmethod
    def _create(cls, model_class, page, business, attendee_name="", status=None, **kwargs):
        assert not kwargs, f"unknown fields: {sorted(kwargs)}"
        S = ParticipantStatus
        wanted = status or S.REGISTERED
        participant, _created = services.sign_up(
            page, business, attendee_name=attendee_name, now=_sign_up_moment(page), notify=False
        )
        given = participant.status
        staff = activity_staff()
        if wanted == S.APPROVED and given in (S.AWAITING_APPROVAL, S.WAITLISTED):
            participant = services.approve(participant, user=staff)
        elif wanted == S.REJECTED:
            participant = services.reject(participant, user=staff, reason="Kuota sudah penuh.")
        elif wanted == S.CANCELLED:
            participant = _cancel(participant)
        elif wanted in (S.ATTENDED, S.NO_SHOW):
            participant = _attend(participant, present=wanted == S.ATTENDED, staff=staff)
        assert participant.status == wanted, (
            f"the sign-up rules gave {participant.status}, not {wanted}: set the activity up "
            "(capacity, approval, dates) so that they lead there"
        )
        return participant


def _cancel(participant):
    return services.cancel(participant, notify=False)


def _attend(participant, *, present, staff):
    from training_pages import attendance

    assert participant.page.is_past, "attendance is settled after the activity"
    if present:
        for session in participant.page.sessions.all():
            attendance.record_attendance(participant, session, method="list", user=staff)
    attendance.settle_attendance(participant.page)
    participant.refresh_from_db()
    return participant


PAGE_FACTORIES = {
    TrainingIndexPage: TrainingIndexPageFactory,
    TrainingPage: TrainingPageFactory,
    EventPage: EventPageFactory,
}
