"""Every admin address of the registry and the trainings, for every role, read and write.

The oracle is written out by hand below: which records each role may see
(VISIBLE) and which actions it may take (MAY), straight from the office's
rules in the README, never from the permission code under test. Each admin
URL names the record it concerns and the action it performs (ROUTES); a URL
that is not in ROUTES fails `test_every_admin_address_is_in_the_table`, so a
view added later (by this project or by Wagtail) cannot go unchecked.

For each role and each record: a record the role may not see answers 404 to
GET and POST and stays exactly as it was; one it may see but not act on
answers 403 and stays as it was; otherwise the view answers.
"""

import pytest

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core import roles
from sme_registry import uploads
from sme_registry.models import (
    Business,
    CoverageTarget,
    EmailTemplate,
    EvaluationReport,
    ImportBatch,
    ImportMapping,
    Kecamatan,
    LegalDocument,
    MentoringVisit,
    OutreachSession,
    Owner,
    StaffArea,
)
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    MentoringVisitFactory,
    OutreachSessionFactory,
    RegistrationPageFactory,
)
from tests.training_pages.factories import (
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from training_pages import certificates
from training_pages.models import ActivityPage, Certificate, Participant, ParticipantStatus

pytestmark = pytest.mark.django_db

HERE = "32.01.01"  # the operator's kecamatan
ROLES = [
    "no_role",
    "admin",
    "validator",
    "operator",
    "operator_without_area",
    "mentor",
    "editor",
    "analyst",
    "superuser",
]

# --- The oracle: who sees which record ------------------------------------------------------

_ALL_BUSINESSES = {"business_here", "business_there"}
_ALL_SESSIONS = {"session_here", "session_there"}
_ALL_VISITS = {"visit_here", "visit_there"}
_ALL_PARTICIPANTS = {"participant_here", "participant_online", "participant_past"}
_OFFICE = {
    "business": _ALL_BUSINESSES,
    "owner": {"owner_here", "owner_there"},
    "session": _ALL_SESSIONS,
    "visit": _ALL_VISITS,
    "area": {"area"},
    "template": {"template"},
    "target": {"target"},
    "participant": _ALL_PARTICIPANTS,
    "certificate": {"certificate"},
    "activity_session": {"activity_session_here", "activity_session_online"},
    # Import batches: the operator's own, and the office's own.
    "import": {"import_here", "import_there"},
    "mapping": {"mapping"},
    # Evaluation reports: of a kecamatan (here, there) and a final one of the kabupaten.
    "report": {"report_here", "report_there", "report_final"},
}
VISIBLE = {
    "no_role": {},
    "admin": _OFFICE,
    "superuser": _OFFICE,
    "validator": {k: v for k, v in _OFFICE.items() if k not in ("area", "template", "target")},
    # Saved column mappings are the office's, for everyone who imports (no area needed).
    # The operator of HERE: records of HERE, participants of HERE's businesses (also in
    # the office's online activity) and of activities held in HERE.
    "operator": {
        "business": {"business_here"},
        "owner": {"owner_here"},
        "session": {"session_here"},
        "visit": {"visit_here"},
        "participant": _ALL_PARTICIPANTS,
        "certificate": {"certificate"},
        "activity_session": {"activity_session_here"},
        "import": {"import_here"},
        "mapping": {"mapping"},
        "report": {"report_here"},
    },
    "operator_without_area": {"mapping": {"mapping"}},
    # The mentor of the business over there, and its visit (not its owner's record).
    "mentor": {"business": {"business_there"}, "visit": {"visit_there"}},
    "editor": {},
    # Aggregates only: outreach sessions name no business or person.
    "analyst": {"session": _ALL_SESSIONS, "report": _OFFICE["report"]},
}

# --- The oracle: what each role may do (on records it sees) ---------------------------------

_ADMIN = {
    ("business", "view"),
    ("business", "change"),
    ("business", "add"),
    ("business", "archive"),
    ("owner", "view"),
    ("owner", "change"),
    ("owner", "publish"),
    ("session", "view"),
    ("session", "add"),
    ("session", "change"),
    ("visit", "view"),
    ("visit", "add"),
    ("visit", "change"),
    ("visit", "delete"),
    ("area", "view"),
    ("area", "add"),
    ("area", "change"),
    ("area", "delete"),
    ("template", "view"),
    ("template", "add"),
    ("template", "change"),
    # The estimates of UMKM per kecamatan that Analisis reads coverage against.
    ("target", "view"),
    ("target", "add"),
    ("target", "change"),
    ("target", "delete"),
    ("participant", "view"),
    ("participant", "add"),
    ("participant", "change"),
    ("certificate", "view"),
    ("certificate", "revoke"),
    ("activity_session", "view"),
    ("activity_session", "change"),
    ("import", "view"),
    ("import", "add"),
    ("import", "change"),
    ("mapping", "view"),
    ("mapping", "change"),
    ("mapping", "delete"),
    ("report", "view"),
    ("report", "add"),
    ("report", "change"),
}
# Never, for anyone: a business is published only by its last review step and never
# deleted; owners come with a registration; certificates are issued, never typed.
_NEVER = {
    ("business", "publish"),
    ("business", "delete"),
    ("owner", "add"),
    ("owner", "delete"),
    ("participant", "delete"),
    ("certificate", "add"),
    ("certificate", "change"),
    ("certificate", "delete"),
    ("import", "delete"),
    # A mapping is saved by importing, on the import's column screen.
    ("mapping", "add"),
    # A report is the record of its period: kept, never deleted.
    ("report", "delete"),
}
_EVERYTHING = {
    (model, action)
    for model in _OFFICE
    for action in ("view", "add", "change", "delete", "publish", "archive", "revoke", "lock")
}
MAY = {
    "no_role": set(),
    "admin": _ADMIN,
    "superuser": _EVERYTHING - _NEVER,
    "validator": {
        ("business", "view"),
        ("business", "change"),
        ("business", "add"),
        ("owner", "view"),
        ("owner", "change"),
        ("owner", "publish"),
        ("session", "view"),
        ("visit", "view"),
        ("participant", "view"),
        ("certificate", "view"),
        ("activity_session", "view"),
        ("import", "view"),
        ("import", "add"),
        ("import", "change"),
        ("mapping", "view"),
        ("report", "view"),
    },
    "operator": {
        ("business", "view"),
        ("business", "change"),
        ("business", "add"),
        ("owner", "view"),
        ("session", "view"),
        ("session", "add"),
        ("session", "change"),
        ("visit", "view"),
        ("participant", "view"),
        ("participant", "add"),
        ("participant", "change"),
        ("certificate", "view"),
        ("certificate", "revoke"),
        ("activity_session", "view"),
        ("activity_session", "change"),
        ("import", "view"),
        ("import", "add"),
        ("import", "change"),
        ("mapping", "view"),
        ("report", "view"),
    },
    "operator_without_area": "operator",  # the operator's permissions, on no record at all
    "mentor": {("business", "view"), ("visit", "view"), ("visit", "add"), ("visit", "change")},
    "editor": set(),
    "analyst": {("session", "view"), ("report", "view")},
}
MAY["operator_without_area"] = MAY["operator"]
# An operator handles participants only of activities held in their kecamatan.
HANDLED_BY_OPERATOR = {"participant_here", "participant_past"}
# An import is run only by whoever uploaded it (the office sees them all).
OWN_IMPORT = {"operator": "import_here", "admin": "import_there"}
# A final report is closed: seen, never changed (403 like any record one may only read).
CLOSED = {("report", "change"): {"report_final"}}

# --- The admin addresses: (record, action) ---------------------------------------------------

S = "wagtailsnippets_sme_registry_"
C = "wagtailsnippetchoosers_sme_registry_"
_SNIPPET_RECORD_URLS = {
    "edit": "change",
    "delete": "delete",
    # A record's history and where it is used: for those who may change it.
    "usage": "change",
    "history": "change",
    "history_results": "change",
    "inspect": "view",
    "revisions_revert": "change",
    "revisions_compare": "change",
    "revisions_unschedule": "publish",
    "unpublish": "publish",
}
ROUTES = {}
for _model, _record in (
    ("business", "business"),
    ("owner", "owner"),
    ("outreachsession", "session"),
    ("mentoringvisit", "visit"),
    ("staffarea", "area"),
    ("emailtemplate", "template"),
    ("coveragetarget", "target"),
    ("importmapping", "mapping"),
    ("evaluationreport", "report"),
):
    ROUTES[f"{S}{_model}:list"] = (_record, "view", None)
    ROUTES[f"{S}{_model}:list_results"] = (_record, "view", None)
    ROUTES[f"{S}{_model}:add"] = (_record, "add", None)
    for _name, _action in _SNIPPET_RECORD_URLS.items():
        ROUTES[f"{S}{_model}:{_name}"] = (_record, _action, "record")
    for _name in ("choose", "choose_results", "chosen_multiple", "create"):
        ROUTES[f"{C}{_model}:{_name}"] = (_record, "add" if _name == "create" else "view", None)
    ROUTES[f"{C}{_model}:chosen"] = (_record, "view", "record")
ROUTES.update(
    {
        # Reviewers never lock a record; only a superuser can.
        f"{S}business:lock": ("business", "lock", "record"),
        f"{S}business:unlock": ("business", "lock", "record"),
        f"{S}business:workflow_action": ("business", "review", "record"),
        f"{S}business:collect_workflow_action_data": ("business", "review", "record"),
        f"{S}business:confirm_workflow_cancellation": ("business", "change", "record"),
        f"{S}business:workflow_history": ("business", "change", "record"),
        f"{S}business:workflow_history_detail": ("business", "change", "record"),
        "sme_registry_staff_entry": ("business", "add", None),
        "sme_registry_owner_link": ("business", "change", "record"),
        "sme_registry_merge": ("business", "change", "record"),
        "sme_registry_archive": ("business", "archive", "record"),
        "sme_registry_private_file": ("business", "view", "record"),
        "sme_registry_personal_data": ("owner", "personal_data", "record"),
        "sme_registry_nik_search": ("owner", "personal_data", None),
        "sme_registry_outreach_poster": ("session", "view", "record"),
        "sme_registry_outreach_report": ("session", "view", None),
        "sme_registry_import": ("import", "add", None),
        "sme_registry_import_template": ("import", "add", None),
        "sme_registry_import_detail": ("import", "view", "record"),
        "sme_registry_import_progress": ("import", "view", "record"),
        "sme_registry_import_refused": ("import", "view", "record"),
        "sme_registry_import_mapping": ("import", "change", "record"),
        "sme_registry_import_apply": ("import", "change", "record"),
        "sme_registry_import_cancel": ("import", "change", "record"),
        "sme_registry_import_resume": ("import", "change", "record"),
        "sme_registry_evaluation_print": ("report", "view", "record"),
        "sme_registry_evaluation_finalise": ("report", "change", "record"),
        "training_pages_participant:index": ("participant", "view", None),
        "training_pages_participant:index_results": ("participant", "view", None),
        "training_pages_participant:add": ("participant", "add", None),
        "training_pages_participant:edit": ("participant", "change", "record"),
        "training_pages_participant:delete": ("participant", "delete", "record"),
        "training_pages_participant:history": ("participant", "change", "record"),
        "training_pages_participant:history_results": ("participant", "change", "record"),
        "training_pages_participant:inspect": ("participant", "view", "record"),
        "training_pages_participant:usage": ("participant", "change", "record"),
        "training_participant_action": ("participant", "change", "record"),
        "training_participant_message": ("participant", "change", "record"),
        "training_certificates:index": ("certificate", "view", None),
        "training_certificates:index_results": ("certificate", "view", None),
        "training_certificates:add": ("certificate", "add", None),
        "training_certificates:edit": ("certificate", "change", "record"),
        "training_certificates:delete": ("certificate", "delete", "record"),
        "training_certificates:history": ("certificate", "change", "record"),
        "training_certificates:history_results": ("certificate", "change", "record"),
        "training_certificates:inspect": ("certificate", "view", "record"),
        "training_certificates:usage": ("certificate", "change", "record"),
        "training_certificate_revoke": ("certificate", "revoke", "record"),
        "training_attendance": ("activity_session", "view", None),
        "training_attendance_sheet": ("activity_session", "view", "record"),
        "training_certificates_issue": ("activity_session", "change", "record"),
        "training_check_in": ("participant", "change", "record"),
    }
)
# Addresses that concern no one record but list many: checked by name in the body.
LISTINGS = {
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:locked_pages_results",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:aging_pages_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    "scoped_workflow_report",
    "scoped_workflow_report_results",
    "scoped_workflow_tasks_report",
    "scoped_workflow_tasks_report_results",
    "wagtailadmin_home",
    # Figures only; who may open them: tests/sme_registry/test_analysis.py, test_growth.py,
    # test_quality.py, test_outcomes.py, test_outreach_analysis.py,
    # tests/training_pages/test_analysis.py.
    "sme_registry_analysis_registry",
    "sme_registry_analysis_growth",
    "sme_registry_analysis_quality",
    "sme_registry_analysis_outcomes",
    "sme_registry_analysis_outreach",
    "training_analysis",
    # Points and counts of the map (tests/sme_registry/test_map.py).
    "sme_registry_analysis_map",
    "sme_registry_analysis_map_data",
    # Reports side by side: the reports the role may read (tests/sme_registry/test_evaluation.py).
    "sme_registry_evaluation_compare",
}
# Covered by their own tests (named here so the table stays complete).
ELSEWHERE = {
    "wagtail_bulk_action": "tests/sme_registry/test_bulk_actions.py",
    "wagtailadmin_editing_sessions:ping": "test_the_editing_session_ping_keeps_to_the_scope",
    "wagtailadmin_editing_sessions:release": "releases the user's own session only (Wagtail)",
    "sme_registry_analysis_map_boundaries": "tests/sme_registry/test_map.py (geography, no record)",
    "sme_registry_analysis_map_upload": "test_only_the_office_changes_the_boundaries",
}
SCOPED_PREFIXES = (S, C, "sme_registry_", "training_", "wagtailadmin_reports:", "scoped_")


def _walk(patterns, namespace="", prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


def test_every_admin_address_is_in_the_table():
    names = {
        name
        for path, name in _walk(get_resolver().url_patterns)
        if path.startswith("admin/")
        and (name.startswith(SCOPED_PREFIXES) or "editing_sessions" in name or "bulk" in name)
    }
    known = set(ROUTES) | LISTINGS | set(ELSEWHERE)
    assert not names - known, f"admin addresses with no entry in the scope table: {names - known}"


# --- The world ------------------------------------------------------------------------------


@pytest.fixture
def world(home_page):
    here = Kecamatan.objects.get(code=HERE)
    there = Kecamatan.objects.exclude(pk=here.pk).order_by("code").first()
    users = {
        "no_role": UserFactory(username="tanpa_peran"),
        "admin": UserFactory(username="admin_dinas", role=roles.ADMIN_DINAS),
        "validator": UserFactory(username="validator", role=roles.VALIDATOR),
        "operator": UserFactory(username="operator", role=roles.OPERATOR, kecamatan=here),
        "operator_without_area": UserFactory(username="operator_baru", role=roles.OPERATOR),
        "mentor": UserFactory(username="pendamping", role=roles.MENTOR),
        "editor": UserFactory(username="redaktur", role=roles.EDITOR),
        "analyst": UserFactory(username="analis", role=roles.ANALYST),
        "superuser": UserFactory(username="super", superuser=True),
    }
    # A user who may enter the admin but holds no role at all.
    users["no_role"].user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    RegistrationPageFactory(parent=home_page)
    stored = uploads.private_storage().save("dokumen/uji.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    business_here = BusinessFactory(name="Usaha Sini", owner__full_name="Pemilik Sini")
    LegalDocument.objects.create(business=business_here, kind="pirt", number="P-1", file=stored)
    business_there = BusinessFactory(
        name="Usaha Sana",
        owner__full_name="Pemilik Sana",
        kecamatan=there,
        desa=there.desa_set.order_by("code").first(),
        mentor=users["mentor"],
    )
    LegalDocument.objects.create(business=business_there, kind="pirt", number="P-2", file=stored)
    index = TrainingIndexPageFactory(parent=home_page)
    held_here = TrainingPageFactory(parent=index, title="Pelatihan Sini", kecamatan=here)
    online = TrainingPageFactory(
        parent=index,
        title="Kelas Daring Dinas",
        mode=ActivityPage.Mode.ONLINE,
        online_link="https://meet.example.org/kelas",
        venue_name="",
        kecamatan=None,
    )
    past = TrainingPageFactory(
        parent=index, title="Pelatihan Lalu", kecamatan=here, sessions=[-3], gives_certificate=True
    )
    participant_past = ParticipantFactory(
        page=past, business=business_here, status=ParticipantStatus.ATTENDED
    )
    certificates.issue_certificates(past)
    records = {
        "business_here": business_here,
        "business_there": business_there,
        "owner_here": business_here.owner,
        "owner_there": business_there.owner,
        "session_here": OutreachSessionFactory(kecamatan=here, place="Aula Sini"),
        "session_there": OutreachSessionFactory(
            kecamatan=there, desa=there.desa_set.order_by("code").first(), place="Aula Sana"
        ),
        "report_here": _report("Laporan Sini", here),
        "report_there": _report("Laporan Sana", there),
        "report_final": _report("Laporan Tahunan", None, final_by=users["admin"]),
        "visit_here": MentoringVisitFactory(business=business_here, topics="Topik Sini"),
        "visit_there": MentoringVisitFactory(
            business=business_there, mentor=users["mentor"], topics="Topik Sana"
        ),
        "area": StaffArea.objects.get(user=users["operator"]),
        "template": EmailTemplate.objects.create(
            kind=EmailTemplate.Kind.REJECTED, subject="Subjek", body="Isi {nama}"
        ),
        "target": CoverageTarget.objects.create(kecamatan=there, estimated_businesses=900),
        "participant_here": ParticipantFactory(page=held_here, business=business_here),
        "participant_online": ParticipantFactory(page=online, business=business_here),
        "participant_past": participant_past,
        "certificate": Certificate.objects.get(participant=participant_past),
        "activity_session_here": held_here.sessions.first(),
        "activity_session_online": online.sessions.first(),
        "import_here": _checked_import(users["operator"]),
        "import_there": _checked_import(users["admin"]),
        "mapping": ImportMapping.objects.create(
            name="Format kecamatan", columns={"pemilik-nik": "No KTP"}
        ),
    }
    return users, records


def _report(title, kecamatan, final_by=None):
    import datetime

    from sme_registry import evaluation

    report = EvaluationReport.objects.create(
        title=title,
        kind=EvaluationReport.Kind.MONTH,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
        kecamatan=kecamatan,
    )
    if final_by:
        evaluation.finalise(report, user=final_by)
    return report


def _checked_import(user):
    """A batch whose dry run is done: the next step would write the registry."""
    from django.utils import timezone

    return ImportBatch.objects.create(
        file_name="data.xlsx",
        file_format="xlsx",
        header=["NIK pemilik", "Nama usaha"],
        columns={"pemilik-nik": "NIK pemilik", "usaha-name": "Nama usaha"},
        state=ImportBatch.State.CHECKED,
        checked_at=timezone.now(),
        created_by=user,
    )


def fingerprint(obj):
    """What a write could change, read fresh from the database."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    if isinstance(obj, Business):
        state = obj.current_workflow_state
        return (
            obj.status,
            obj.kecamatan_id,
            obj.name,
            obj.live,
            obj.latest_revision_id,
            obj.mentor_id,
            obj.merged_into_id,
            state and (state.status, state.current_task_state_id),
            obj.legal_documents.count(),
        )
    if isinstance(obj, Owner):
        return (obj.full_name, obj.nik, obj.phone, obj.latest_revision_id, obj.live)
    if isinstance(obj, OutreachSession):
        return (obj.kecamatan_id, obj.place, obj.date)
    if isinstance(obj, MentoringVisit):
        return (obj.topics, obj.business_id, obj.follow_ups.count())
    if isinstance(obj, StaffArea):
        return tuple(obj.kecamatan.values_list("pk", flat=True))
    if isinstance(obj, EmailTemplate):
        return (obj.subject, obj.body)
    if isinstance(obj, CoverageTarget):
        return (obj.kecamatan_id, obj.estimated_businesses, obj.source)
    if isinstance(obj, Participant):
        return (obj.status, obj.page_id, obj.attendee_name, obj.attendances.count())
    if isinstance(obj, Certificate):
        return (obj.revoked_at, obj.revoked_reason)
    if isinstance(obj, EvaluationReport):
        return (obj.title, obj.kecamatan_id, obj.period_end, obj.finalised_at, obj.figures)
    if isinstance(obj, ImportMapping):
        return (obj.name, obj.columns)
    if isinstance(obj, ImportBatch):
        return (obj.state, obj.columns, obj.rows_applied, obj.cancel_requested, obj.as_validated)
    if hasattr(obj, "attendances"):  # an activity session
        return (
            obj.attendances.count(),
            obj.page.participants.filter(certificate__isnull=False).count(),
        )
    raise AssertionError(obj)


def url_for(name, record, records):
    """The address of `name` for `record` (and the extra parts some addresses need)."""
    pk = record.pk
    if name.startswith(S) and name.endswith(("revisions_revert", "revisions_unschedule")):
        return reverse(name, args=[pk, record.latest_revision_id])
    if name.endswith("revisions_compare"):
        return reverse(name, args=[pk, "earliest", "latest"])
    if name.endswith(("workflow_action", "collect_workflow_action_data")):
        return reverse(name, args=[pk, "approve", record.current_workflow_task_state.pk])
    if name.endswith("workflow_history_detail"):
        return reverse(name, args=[pk, record.current_workflow_state.pk])
    if name == "sme_registry_private_file":
        return reverse(name, args=["dokumen", record.legal_documents.get().pk])
    if name == "training_participant_action":
        return reverse(name, args=[pk, "cancel"])
    if name == "training_check_in":
        return reverse(name, args=[record.token])
    if name == "training_certificates_issue":
        return reverse(name, args=[record.page_id])
    if name == "training_attendance_sheet":
        return reverse(name, args=[pk])
    if name.startswith(C) and name.endswith(":chosen"):
        return reverse(name, args=[pk])
    return reverse(name, args=[pk])


FORBIDDEN = "forbidden"


def outcome(response):
    """403, or Wagtail's way of saying it in the admin: back to the dashboard with a message."""
    if response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    ):
        return FORBIDDEN
    return response.status_code


def _records_of(kind, records):
    return [key for key in records if key.startswith(kind + "_") or key == kind]


def _can(role, kind, action, key):
    if action == "personal_data":
        return role in ("admin", "validator", "superuser")
    if action == "review":  # a record at the kecamatan check: its operator and the office
        return role in ("admin", "superuser") or (role == "operator" and key == "business_here")
    if (kind, action) not in MAY[role]:
        return False
    if role == "operator" and kind == "participant" and action == "change":
        return key in HANDLED_BY_OPERATOR
    if kind == "import" and action == "change":
        return OWN_IMPORT.get(role) == key
    return True


def _admin_names():
    return {name for path, name in _walk(get_resolver().url_patterns) if path.startswith("admin/")}


# The table names every address a viewset could have; these are the ones this site has.
RECORD_ROUTES = [
    (name, *spec)
    for name, spec in sorted(ROUTES.items())
    if spec[2] == "record" and name in _admin_names()
]


@pytest.mark.parametrize("role", ROLES)
def test_every_record_address_answers_by_the_table_and_writes_nothing_outside_it(
    client, world, role
):
    users, records = world
    client.force_login(users[role])
    problems = []
    for name, kind, action, _by in RECORD_ROUTES:
        for key in _records_of(kind, records):
            record = records[key]
            visible = key in VISIBLE[role].get(kind, set())
            closed = key in CLOSED.get((kind, action), ())
            allowed = visible and not closed and _can(role, kind, action, key)
            url = url_for(name, record, records)
            if allowed:
                got = outcome(client.get(url))
                if got in (FORBIDDEN, 404):
                    problems.append(f"{name} {key}: GET {got} but the role may {action} it")
                continue
            # Outside the scope: 404. In it, not allowed: 403. A role with no permission on
            # this kind of record at all may be turned away before the record is looked up.
            if visible and kind == "participant" and role == "operator":
                # Seen with the business, handled where the activity is run: not here.
                expected = {FORBIDDEN, 404}
            elif visible:
                expected = {FORBIDDEN}
            elif (kind, "view") in MAY[role] or action == "personal_data" and role == "operator":
                expected = {404}
            else:
                expected = {FORBIDDEN, 404}
            before = fingerprint(record)
            got = outcome(client.get(url))
            posted = outcome(
                client.post(url, {"reason": "uji", "comment": "uji", "status": "validated"})
            )
            after = fingerprint(record)
            if got not in expected or posted not in expected | {405}:
                problems.append(f"{name} {key}: GET {got}, POST {posted}, expected {expected}")
            if after != before:
                problems.append(f"{name} {key}: POST changed {before} -> {after}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def may_see_name(role, kind, side):
    """A name may show where its record may be seen; an owner's name also with their business."""
    seen = VISIBLE[role]
    if f"{kind}_{side}" in seen.get(kind, set()):
        return True
    return kind == "owner" and f"business_{side}" in seen.get("business", set())


NAMES = {
    "business": ("Usaha Sini", "Usaha Sana"),
    "owner": ("Pemilik Sini", "Pemilik Sana"),
    "session": ("Aula Sini", "Aula Sana"),
    "visit": ("Topik Sini", "Topik Sana"),
    "report": ("Laporan Sini", "Laporan Sana"),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_listing_chooser_and_report_shows_only_what_the_role_may_see(client, world, role):
    users, records = world
    client.force_login(users[role])
    problems = []
    existing = _admin_names()
    pages = [
        (name, kind)
        for name, (kind, action, by) in ROUTES.items()
        if by is None and action == "view" and kind in NAMES and name in existing
    ] + [(name, None) for name in sorted(LISTINGS)]
    for name, kind in pages:
        response = client.get(reverse(name))
        if kind is not None and (kind, "view") not in MAY[role]:
            if response.status_code not in (302, 403):
                problems.append(f"{name}: {response.status_code} for a role that may not view")
            continue
        if response.status_code != 200:
            continue  # a report the role may not open: nothing shown
        html = response.content.decode()
        for record_kind, (here_name, there_name) in NAMES.items():
            for side, text in (("here", here_name), ("there", there_name)):
                if text in html and not may_see_name(role, record_kind, side):
                    problems.append(f"{name} shows {text!r}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_chooser_search_keeps_to_the_scope_and_never_fails(client, world, role):
    users, records = world
    client.force_login(users[role])
    for model, kind in (("business", "business"), ("owner", "owner")):
        response = client.get(reverse(f"{C}{model}:choose_results"), {"q": "Sini"})
        if (kind, "view") not in MAY[role]:
            assert response.status_code in (302, 403), (role, model, response.status_code)
            continue
        assert response.status_code == 200, (role, model, response.status_code)
        html = response.content.decode()
        here_name = NAMES[kind][0]
        assert (here_name in html) == may_see_name(role, kind, "here"), (role, model)
        assert NAMES[kind][1] not in html  # the search term does not match it anyway


def test_the_editing_session_ping_keeps_to_the_scope(client, world):
    users, records = world
    client.force_login(users["operator"])
    for key, expected in (("business_here", 200), ("business_there", 404)):
        url = reverse(
            "wagtailadmin_editing_sessions:ping",
            args=["sme_registry", "business", records[key].pk, 0],
        )
        assert client.post(url).status_code == expected, key


def test_the_site_history_never_tells_an_operator_who_viewed_whose_personal_data(client, world):
    users, records = world
    client.force_login(users["admin"])
    client.get(reverse("sme_registry_personal_data", args=[records["owner_there"].pk]))
    client.get(reverse("sme_registry_personal_data", args=[records["owner_here"].pk]))
    client.force_login(users["operator"])
    for params in ({}, {"export": "csv"}):
        response = client.get(reverse("wagtailadmin_reports:site_history"), params)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert "Pemilik Sana" not in body and "Usaha Sana" not in body
        assert "Data pribadi dilihat" not in body and "Personal data viewed" not in body
    client.force_login(users["admin"])
    html = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Pemilik Sana" in html


def test_an_operator_without_an_area_sees_nothing(client, world):
    users, records = world
    client.force_login(users["operator_without_area"])
    html = client.get(reverse(f"{S}business:list")).content.decode()
    assert "Usaha Sini" not in html and "Usaha Sana" not in html
