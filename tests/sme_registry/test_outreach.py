"""Outreach sessions: attribution of registrations, short link, poster, report and scope."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from core import roles
from core.codes import READABLE_ALPHABET
from sme_registry.models import Business, Kecamatan, OutreachSession, Status
from sme_registry.models.outreach import REFERRAL_RE
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    CIBINONG,
    BusinessFactory,
    OutreachSessionFactory,
    RegistrationPageFactory,
    move_to,
)
from tests.sme_registry.flow import answers, register, spam_fields

NO_ATTENDEES = {
    "attendees-TOTAL_FORMS": "0",
    "attendees-INITIAL_FORMS": "0",
    "attendees-MIN_NUM_FORMS": "0",
    "attendees-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def page(home_page):
    return RegistrationPageFactory(parent=home_page)


def other_kecamatan():
    return Kecamatan.objects.get(code="32.01.02")


def in_other_kecamatan(**kwargs):
    kecamatan = other_kecamatan()
    return {"kecamatan": kecamatan, "desa": kecamatan.desa_set.order_by("code").first(), **kwargs}


def test_a_session_gets_an_unambiguous_unique_referral_code(db):
    codes = {OutreachSessionFactory().referral_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert REFERRAL_RE.match(code)
        assert set(code) <= set(READABLE_ALPHABET)
        assert not set(code) & set("0O1I")


def test_a_desa_outside_the_kecamatan_is_refused_beside_the_field(db):
    session = OutreachSessionFactory.build(**in_other_kecamatan())
    session.kecamatan = Kecamatan.objects.get(code="32.01.01")
    with pytest.raises(Exception) as error:
        session.full_clean()
    assert "desa" in error.value.message_dict


def test_a_registration_from_the_poster_link_is_attributed_to_the_session(client, page):
    session = OutreachSessionFactory()
    first = client.get(page.url + f"?ref={session.referral_code.lower()}")
    assert f'name="ref" value="{session.referral_code}"' in first.content.decode()
    response = register(client, page, answers(pemilik__ref=session.referral_code.lower()))
    assert response.status_code == 302
    business = Business.objects.get()
    assert business.outreach_session == session
    # The attribution is the office's fact: validating the record does not undo it.
    validated = move_to(business, "validated")
    assert validated.status == Status.VALIDATED and validated.live
    assert validated.outreach_session == session


def test_an_unknown_referral_code_is_ignored(client, page):
    OutreachSessionFactory()
    response = register(client, page, answers(pemilik__ref="ZZZZ99"))
    assert "/selesai/" in response["Location"]
    assert Business.objects.get().outreach_session is None


def test_staff_entry_may_name_the_session(client, db):
    session = OutreachSessionFactory()
    client.force_login(UserFactory(username="admin", superuser=True))
    data = {}
    for slug in ("pemilik", "usaha", "lokasi", "keuangan"):
        for key, value in answers()[slug].items():
            data[f"{slug}-{key}"] = value
    data.update({"persetujuan-consent": "on", **spam_fields()})
    data["penyuluhan-session"] = str(session.pk)
    response = client.post(reverse("sme_registry_staff_entry"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Business.objects.get().outreach_session == session


def test_the_short_link_leads_to_the_registration_page_with_the_code(client, page):
    session = OutreachSessionFactory()
    response = client.get(f"/r/{session.referral_code}/")
    assert response.status_code == 302
    assert response["Location"] == f"{page.url}?ref={session.referral_code}"
    form = client.get(response["Location"]).content.decode()
    assert f'name="ref" value="{session.referral_code}"' in form


def test_an_unknown_short_link_is_not_found(client, page):
    assert client.get("/r/ZZZZ99/").status_code == 404
    assert client.get("/r/bad-code!/").status_code == 404


def test_the_poster_shows_a_qr_code_and_the_short_link(client, site):
    session = OutreachSessionFactory(place="Aula Desa Pakansari")
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    response = client.get(reverse("sme_registry_outreach_poster", args=[session.pk]))
    html = response.content.decode()
    link = f"http://testserver/r/{session.referral_code}/"
    assert response.status_code == 200
    assert "<svg" in html and "@media print" in html
    assert link in html
    assert "Aula Desa Pakansari" in html
    assert "Dinas Koperasi dan UKM Kabupaten Bogor" in html


def test_the_session_list_offers_the_poster_and_counts_registrations(
    client, db, django_assert_max_num_queries
):
    client.force_login(UserFactory(role=roles.ADMIN_DINAS))
    url = reverse("wagtailsnippets_sme_registry_outreachsession:list")

    def make(n):
        for _ in range(n):
            session = OutreachSessionFactory()
            BusinessFactory.create_batch(2, outreach_session=session)

    make(2)
    with django_assert_max_num_queries(100) as few:
        assert client.get(url).status_code == 200
    make(8)
    # Five times the rows, not one query more.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    session = OutreachSession.objects.first()
    assert reverse("sme_registry_outreach_poster", args=[session.pk]) in html


def test_the_report_counts_per_session_and_per_kecamatan_per_month(client, db):
    client.force_login(UserFactory(role=roles.VALIDATOR))
    here = OutreachSessionFactory(place="Balai Desa Satu")
    there = OutreachSessionFactory(place="Balai Desa Dua", **in_other_kecamatan())
    BusinessFactory.create_batch(3, outreach_session=here)
    BusinessFactory(outreach_session=there, **in_other_kecamatan())
    BusinessFactory()  # not from outreach
    earlier = BusinessFactory(outreach_session=here)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    Business.objects.filter(pk=earlier.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(9)))
    )
    response = client.get(reverse("sme_registry_outreach_report"))
    assert response.status_code == 200
    context = response.context
    counts = {s.place: s.registrations for s in context["sessions"]}
    assert counts == {"Balai Desa Satu": 4, "Balai Desa Dua": 1}
    grid = {name: values for name, values, _total in context["grid"]}
    assert grid[here.kecamatan.name][-1] == 3  # this month
    assert grid[here.kecamatan.name][-2] == 1  # last month
    assert grid[there.kecamatan.name][-1] == 1
    assert context["grand_total"] == 5


def test_an_operator_sees_and_edits_only_sessions_in_their_kecamatan(client, db):
    client.force_login(UserFactory(role=roles.OPERATOR, kecamatan=CIBINONG))
    mine = OutreachSessionFactory(place="Sesi Sendiri")
    theirs = OutreachSessionFactory(place="Sesi Lain", **in_other_kecamatan())
    BusinessFactory(outreach_session=theirs, **in_other_kecamatan())
    for action in ("edit", "inspect", "delete"):
        url = reverse(f"wagtailsnippets_sme_registry_outreachsession:{action}", args=[theirs.pk])
        assert client.get(url).status_code == 404, action
    assert client.get(reverse("sme_registry_outreach_poster", args=[theirs.pk])).status_code == 404
    edit = reverse("wagtailsnippets_sme_registry_outreachsession:edit", args=[mine.pk])
    assert client.get(edit).status_code == 200
    listing = client.get(reverse("wagtailsnippets_sme_registry_outreachsession:list"))
    assert "Sesi Sendiri" in listing.content.decode()
    assert "Sesi Lain" not in listing.content.decode()
    report = client.get(reverse("sme_registry_outreach_report"))
    assert report.context["grand_total"] == 0
    assert [s.place for s in report.context["sessions"]] == ["Sesi Sendiri"]


def test_an_operator_cannot_hold_a_session_in_another_kecamatan(client, db):
    home = Kecamatan.objects.get(code=CIBINONG)
    client.force_login(UserFactory(username="operator", role=roles.OPERATOR, kecamatan=home))
    other = other_kecamatan()
    response = client.post(
        reverse("wagtailsnippets_sme_registry_outreachsession:add"),
        {
            "date": "2026-03-02",
            "attendee_count": "30",
            "kecamatan": str(other.pk),
            "desa": str(other.desa_set.first().pk),
            "place": "Aula",
            "notes": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
            **NO_ATTENDEES,
        },
    )
    assert response.status_code == 200
    assert not OutreachSession.objects.exists()
    response = client.post(
        reverse("wagtailsnippets_sme_registry_outreachsession:add"),
        {
            "date": "2026-03-02",
            "attendee_count": "30",
            "kecamatan": str(home.pk),
            "desa": str(home.desa_set.first().pk),
            "place": "Aula Kantor Desa",
            "notes": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
            **NO_ATTENDEES,
        },
    )
    assert response.status_code == 302
    session = OutreachSession.objects.get()
    assert session.created_by.username == "operator"
    assert REFERRAL_RE.match(session.referral_code)
