"""Mentoring: a mentor's businesses and visits, snapshots from visits, the dashboard panel."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core import roles
from sme_registry import services
from sme_registry.models import Business, IndicatorSnapshot, Kecamatan, MentoringVisit
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    CIBINONG,
    BusinessFactory,
    FollowUpFactory,
    MentoringVisitFactory,
    move_to,
)


@pytest.fixture
def mentors(db):
    return (
        UserFactory(username="pendamping_a", first_name="Ani", role=roles.MENTOR),
        UserFactory(username="pendamping_b", first_name="Budi", role=roles.MENTOR),
    )


def visit_form(business, **overrides):
    data = {
        "business": str(business.pk),
        "visited_on": timezone.localdate().isoformat(),
        "kind": "visit",
        "topics": "Pengemasan dan label",
        "notes": "",
        "next_visit_on": "",
        "annual_sales": "",
        "capital": "",
        "assets": "",
        "workers_male": "",
        "workers_female": "",
        "workers_disabled": "",
        "follow_ups": inline_formset(
            [{"action": "Daftar sertifikat halal", "due_on": "2030-01-10", "done_on": ""}]
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


ADD = "wagtailsnippets_sme_registry_mentoringvisit:add"


def test_a_mentor_sees_only_visits_of_their_own_businesses(client, mentors):
    mine, theirs = mentors
    own = MentoringVisitFactory(business=BusinessFactory(mentor=mine, name="Usaha Binaan A"))
    other = MentoringVisitFactory(business=BusinessFactory(mentor=theirs, name="Usaha Binaan B"))
    client.force_login(mine)
    listing = client.get(reverse("wagtailsnippets_sme_registry_mentoringvisit:list"))
    html = listing.content.decode()
    assert "Usaha Binaan A" in html and "Usaha Binaan B" not in html
    for action in ("edit", "inspect"):
        url = reverse(f"wagtailsnippets_sme_registry_mentoringvisit:{action}", args=[own.pk])
        assert client.get(url).status_code == 200, action
        url = reverse(f"wagtailsnippets_sme_registry_mentoringvisit:{action}", args=[other.pk])
        assert client.get(url).status_code == 404, action


def test_a_mentor_records_a_visit_only_for_their_own_business(client, mentors):
    mine, theirs = mentors
    own = BusinessFactory(mentor=mine, name="Usaha Binaan A", validated=True)
    other = BusinessFactory(mentor=theirs, name="Usaha Binaan B", validated=True)
    client.force_login(mine)
    form = client.get(reverse(ADD)).content.decode()
    assert "Usaha Binaan A" in form and "Usaha Binaan B" not in form
    refused = client.post(reverse(ADD), visit_form(other))
    assert refused.status_code == 200
    assert not MentoringVisit.objects.exists()
    response = client.post(reverse(ADD), visit_form(own))
    assert response.status_code == 302
    visit = MentoringVisit.objects.get()
    assert visit.business == own and visit.mentor == mine
    assert [f.action for f in visit.follow_ups.all()] == ["Daftar sertifikat halal"]
    assert visit.snapshot is None  # no figures given: no snapshot


def test_figures_from_a_visit_become_a_mentoring_snapshot_without_changing_the_business(
    client, mentors
):
    mine, _other = mentors
    business = BusinessFactory(
        mentor=mine, validated=True, annual_sales=120_000_000, capital=20_000_000, assets=None
    )
    client.force_login(mine)
    response = client.post(
        reverse(ADD),
        visit_form(business, annual_sales="2500000000", workers_female="5"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    snapshots = IndicatorSnapshot.objects.filter(business=business)
    validation = snapshots.get(origin=IndicatorSnapshot.Origin.VALIDATION)
    snapshot = snapshots.get(origin=IndicatorSnapshot.Origin.MENTORING)
    assert snapshot.annual_sales == Decimal(2_500_000_000)
    assert snapshot.workers_female == 5
    assert snapshot.capital == Decimal(20_000_000)  # not given: the business's own figure
    assert snapshot.workers_male == 1
    assert snapshot.scale == "kecil"
    business.refresh_from_db()
    assert business.annual_sales == Decimal(120_000_000)
    assert business.workers_female == 2
    # Correcting the visit replaces its snapshot, it does not add a second one.
    visit = MentoringVisit.objects.get()
    visit.annual_sales = Decimal(300_000_000)
    services.record_mentoring_visit(visit, user=mine)
    snapshot = snapshots.get(origin=IndicatorSnapshot.Origin.MENTORING)
    assert snapshot.annual_sales == Decimal(300_000_000) and snapshot.scale == "mikro"
    # The snapshot of the validated version is left as it was.
    assert list(snapshots.filter(origin=IndicatorSnapshot.Origin.VALIDATION)) == [validation]
    assert validation.annual_sales == Decimal(120_000_000)


def test_office_and_operators_see_visits_in_their_scope(client, mentors):
    mine, _other = mentors
    far = Kecamatan.objects.get(code="32.01.02")
    local = MentoringVisitFactory(business=BusinessFactory(mentor=mine, name="Usaha Dekat"))
    remote = MentoringVisitFactory(
        business=BusinessFactory(
            mentor=mine, name="Usaha Jauh", kecamatan=far, desa=far.desa_set.first()
        )
    )
    client.force_login(UserFactory(username="operator", role=roles.OPERATOR, kecamatan=CIBINONG))
    inspect = "wagtailsnippets_sme_registry_mentoringvisit:inspect"
    assert client.get(reverse(inspect, args=[local.pk])).status_code == 200
    assert client.get(reverse(inspect, args=[remote.pk])).status_code == 404
    edit = reverse("wagtailsnippets_sme_registry_mentoringvisit:edit", args=[local.pk])
    assert client.get(edit).status_code in (302, 403)  # operators read, they do not record
    client.force_login(UserFactory(username="validator", role=roles.VALIDATOR))
    assert client.get(reverse(inspect, args=[remote.pk])).status_code == 200


def test_the_mentor_dashboard_lists_overdue_follow_ups_and_visits_due_soon(client, mentors):
    mine, theirs = mentors
    today = timezone.localdate()
    own = BusinessFactory(mentor=mine, name="Usaha Binaan A")
    visit = MentoringVisitFactory(
        business=own,
        visited_on=today - datetime.timedelta(days=20),
        next_visit_on=today + datetime.timedelta(days=5),
    )
    FollowUpFactory(visit=visit, action="Urus PIRT", due_on=today - datetime.timedelta(days=3))
    FollowUpFactory(
        visit=visit,
        action="Foto produk",
        due_on=today - datetime.timedelta(days=3),
        done_on=today - datetime.timedelta(days=4),
    )
    FollowUpFactory(visit=visit, action="Buka toko daring", due_on=today + datetime.timedelta(1))
    far_future = BusinessFactory(mentor=mine, name="Usaha Nanti")
    MentoringVisitFactory(
        business=far_future, visited_on=today, next_visit_on=today + datetime.timedelta(days=30)
    )
    other = BusinessFactory(mentor=theirs, name="Usaha Binaan B")
    other_visit = MentoringVisitFactory(business=other, next_visit_on=today)
    FollowUpFactory(visit=other_visit, action="Urus NIB", due_on=today - datetime.timedelta(1))

    client.force_login(mine)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Urus PIRT" in html and "Usaha Binaan A" in html
    assert "Foto produk" not in html  # done
    assert "Buka toko daring" not in html  # not yet due
    assert (today + datetime.timedelta(days=5)).strftime("%d-%m-%Y") in html
    assert "Usaha Nanti" not in html  # beyond two weeks
    assert "Usaha Binaan B" not in html and "Urus NIB" not in html  # another mentor's
    edit = reverse("wagtailsnippets_sme_registry_mentoringvisit:edit", args=[visit.pk])
    assert edit in html


def test_the_dashboard_panel_is_only_for_users_with_mentored_businesses(client, mentors):
    mine, _theirs = mentors
    client.force_login(mine)
    assert 'id="mentoring-section"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    BusinessFactory(mentor=mine)
    assert 'id="mentoring-section"' in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_visit_list_does_not_grow_queries_with_rows(
    client, mentors, django_assert_max_num_queries
):
    mine, _theirs = mentors
    client.force_login(mine)
    url = reverse("wagtailsnippets_sme_registry_mentoringvisit:list")

    def make(n):
        for _ in range(n):
            visit = MentoringVisitFactory(business=BusinessFactory(mentor=mine))
            FollowUpFactory(visit=visit)

    make(2)
    with django_assert_max_num_queries(100) as few:
        assert client.get(url).status_code == 200
    make(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_mentor_is_chosen_among_mentors_and_applies_at_once(client, mentors):
    mine, _theirs = mentors
    admin = UserFactory(username="admin_dinas", role=roles.ADMIN_DINAS)
    operator = UserFactory(username="operator_x", role=roles.OPERATOR, kecamatan=CIBINONG)
    UserFactory(username="retired", role=roles.MENTOR, is_active=False)
    business = BusinessFactory(validated=True)
    edit = reverse("wagtailsnippets_sme_registry_business:edit", args=[business.pk])
    bulk = reverse("wagtail_bulk_action", args=("sme_registry", "business", "assign_mentor"))

    # Operators edit the record but do not choose its mentor.
    client.force_login(operator)
    response = client.get(edit)
    assert response.status_code == 200
    assert "mentor" not in response.context["form"].fields
    client.post(f"{bulk}?id={business.pk}", {"mentor": str(mine.pk)})
    assert Business.objects.get(pk=business.pk).mentor is None

    client.force_login(admin)
    form = client.get(edit).context["form"]
    choices = set(form.fields["mentor"].queryset.values_list("username", flat=True))
    assert choices == {"pendamping_a", "pendamping_b"}
    assert operator.username not in choices

    response = client.post(f"{bulk}?id={business.pk}", {"mentor": str(mine.pk)})
    assert response.status_code == 302
    assert Business.objects.get(pk=business.pk).mentor == mine
    # A version validated later (the owner's update) keeps the mentor the office assigned.
    services.update_by_owner(
        Business.objects.get(pk=business.pk),
        services.RegistrationInput(owner={}, business={"description": "Kini juga keripik pisang."}),
    )
    validated = move_to(Business.objects.get(pk=business.pk), "validated")
    assert validated.description == "Kini juga keripik pisang."
    assert validated.mentor == mine
    client.force_login(mine)
    inspect = reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
    assert client.get(inspect).status_code == 200


def test_the_business_page_shows_its_visits_and_outreach_session(client, mentors):
    from tests.sme_registry.factories import OutreachSessionFactory

    mine, _theirs = mentors
    session = OutreachSessionFactory(place="Aula Desa Tengah")
    business = BusinessFactory(mentor=mine, outreach_session=session)
    MentoringVisitFactory(business=business, topics="Strategi harga jual")
    client.force_login(mine)
    html = client.get(
        reverse("wagtailsnippets_sme_registry_business:inspect", args=[business.pk])
    ).content.decode()
    assert "Strategi harga jual" in html
    assert "Aula Desa Tengah" in html
