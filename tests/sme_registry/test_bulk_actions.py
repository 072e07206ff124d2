from django.core import mail
from django.urls import reverse

from core import audit, roles
from core.models import RecordLogEntry
from sme_registry import services
from sme_registry.models import Business, Kecamatan, Status
from tests.factories import UserFactory
from tests.sme_registry.factories import CIBINONG, BusinessFactory, RegistrationPageFactory


def elsewhere(**kwargs):
    """A registration in another kecamatan, waiting at its own kecamatan check."""
    kecamatan = Kecamatan.objects.get(code="32.01.02")
    return BusinessFactory(kecamatan=kecamatan, desa=kecamatan.desa_set.first(), **kwargs)


def operator():
    return UserFactory(username="operator", role=roles.OPERATOR, kecamatan=CIBINONG)


LIST_URL = "/admin/registry/businesses/"


def url(action, *businesses):
    """The bulk action as the business list links to it: back to the list afterwards."""
    query = "&".join(f"id={b.pk}" for b in businesses)
    bulk = reverse("wagtail_bulk_action", args=("sme_registry", "business", action))
    return f"{bulk}?{query}&next={LIST_URL}"


def test_operator_approves_several_at_once_in_their_kecamatan_only(client, db):
    client.force_login(operator())
    # Fresh registrations wait at the kecamatan check.
    first, second = BusinessFactory(name="Usaha Satu"), BusinessFactory(name="Usaha Dua")
    far = elsewhere(name="Usaha Jauh")
    confirm = client.get(url("approve", first, second, far))
    html = confirm.content.decode()
    assert "Usaha Satu" in html and "Usaha Jauh" not in html  # outside the scope: not even named
    response = client.post(url("approve", first, second, far), follow=True)
    assert "2 pendaftaran disetujui." in response.content.decode()
    statuses = dict(Business.objects.values_list("name", "status"))
    assert statuses == {
        "Usaha Satu": Status.IN_REVIEW,
        "Usaha Dua": Status.IN_REVIEW,
        "Usaha Jauh": Status.SUBMITTED,
    }
    assert first.current_workflow_state.current_task_state.task.name == "Validasi PUM"
    # Only records out of scope selected: none remain, and the page does not exist.
    assert client.get(url("approve", far)).status_code == 404
    assert client.post(url("approve", far)).status_code == 404
    assert Business.objects.get(pk=far.pk).status == Status.SUBMITTED


def test_bulk_approval_checks_the_rules_again(client, db):
    client.force_login(operator())
    ok = BusinessFactory(name="Usaha Baik")
    stale = BusinessFactory(name="Usaha NIB Bentrok")
    # The owner adds an NIB to the version under review ...
    services.update_by_owner(
        stale, services.RegistrationInput(owner={}, business={"nib": "1234567890123"})
    )
    # ... and meanwhile another owner registers a business with that NIB.
    BusinessFactory(name="Pemilik NIB", nib="1234567890123")
    response = client.post(url("approve", ok, stale), follow=True)
    html = response.content.decode()
    assert "1 pendaftaran disetujui." in html
    assert "1 dilewati: tidak lagi memenuhi aturan" in html
    assert Business.objects.get(pk=ok.pk).status == Status.IN_REVIEW
    assert Business.objects.get(pk=stale.pk).status == Status.SUBMITTED


def test_request_changes_in_bulk_needs_a_reason_and_tells_each_applicant(
    client, home_page, django_capture_on_commit_callbacks
):
    RegistrationPageFactory(parent=home_page)
    client.force_login(operator())
    first, second = BusinessFactory(), BusinessFactory()
    response = client.post(url("request_changes", first, second), {"reason": ""})
    assert response.status_code == 200
    assert Business.objects.filter(status=Status.CHANGES_REQUESTED).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("request_changes", first, second), {"reason": "Alamat usaha belum lengkap."}
        )
    changed = Business.objects.filter(status=Status.CHANGES_REQUESTED)
    assert changed.count() == 2
    assert {b.review_note for b in changed} == {"Alamat usaha belum lengkap."}
    mails = [m for m in mail.outbox if "Alamat usaha belum lengkap." in m.body]
    assert sorted(m.to[0] for m in mails) == sorted([first.owner.email, second.owner.email])


def test_export_selected_is_scoped_masked_and_audited(client, db, caplog):
    user = operator()
    client.force_login(user)
    mine = BusinessFactory(name="=Usaha Saya")
    far = elsewhere(name="Usaha Jauh")
    exports = RecordLogEntry.objects.filter(action=audit.EXPORT)
    with caplog.at_level("INFO", logger="simbaumi.audit"):
        response = client.post(url("export", mine, far))
        assert response["Content-Type"].startswith("text/csv")
        assert not exports.exists()  # audited once the rows have gone out, with their count
        body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")  # spreadsheet programs read the names as UTF-8
    assert "'=Usaha Saya" in body  # not run as a formula by a spreadsheet
    assert "Usaha Jauh" not in body
    assert mine.owner.nik not in body and mine.owner.masked_nik in body
    assert ",Diajukan," in body  # the status as a person reads it
    assert any(
        "query='selected'" in r.getMessage() and "rows=1" in r.getMessage() for r in caplog.records
    )
    entry = exports.get()
    assert entry.user == user and entry.data["rows"] == 1 and entry.data["query"] == "selected"
