"""The registry's and trainings' admin screens read Indonesian, Wagtail's own words included.

Two checks on the screens people use every day, and on the e-mail reviewers get:
a list of English phrases once seen there, and every message of Wagtail's own
English catalogue that shows on them untranslated (so a Wagtail upgrade that
adds a string to these screens fails here until `wagtail_locale/id` has it).
"""

import datetime
import glob
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import APIToken

from sme_registry import services
from sme_registry.models import Business, EvaluationReport, Kecamatan
from tests.conftest import built_once_per_module
from tests.factories import UserFactory
from tests.sme_registry.factories import OwnerAnswersFactory
from tests.themes.test_language import read_po
from training_pages.models import ActivitySession, Certificate, Participant

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
WAGTAIL = Path(__import__("wagtail").__file__).parent

ENGLISH = [
    "Privacy and access",
    "Tasks",
    "Approved",
    "More actions",
    "Compare",
    "Rejected at",
    "Changes requested",
    "Workflow history",
    "In Moderation",
    "Download XLSX",
    "Filter by",
    "has been submitted for approval",
    "You can edit the",
    "Only reviewers can edit",
    "Yes",
    "True",
    "False",
    "None",
]
# Words that Indonesian spells the same way.
SAME_IN_INDONESIAN = {"Status", "Status: ", "Token", "Filter", "Total", "Email", "Admin", "Data"}


def _strings(data):
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return [data] if isinstance(data, str) else []


def _scripted_text(soup):
    """What Wagtail's scripts put on screen: the sidebar's menu, the strings of its
    bulk-action bar and date pickers."""
    shown = []
    if sidebar := soup.find(id="wagtail-sidebar-props"):
        shown += re.findall(r'"label": "([^"]*)"', sidebar.string)
    if config := soup.find(id="wagtail-config"):
        shown += _strings(json.loads(config.string).get("STRINGS", {}))
    return shown


def _text(html):
    soup = BeautifulSoup(html, "html.parser")
    scripted = _scripted_text(soup)
    # A <template> is shown when called for (the keyboard shortcuts dialog): it is read.
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    # What is hidden is not read (Wagtail leaves an empty counter's "None" in one).
    for tag in soup.find_all(hidden=True):
        tag.decompose()
    # What a screen reader says of a button or link is read too.
    labels = [tag["aria-label"] for tag in soup.find_all(attrs={"aria-label": True})]
    return " ".join([*soup.get_text(" ").split(), *labels, *scripted])


def _translated_msgids():
    done = set()
    catalogues = [
        *glob.glob(str(WAGTAIL / "**/locale/id_ID/LC_MESSAGES/django.po"), recursive=True),
        ROOT / "locale/id/LC_MESSAGES/django.po",
        ROOT / "wagtail_locale/id/LC_MESSAGES/django.po",
    ]
    for path in catalogues:
        for entry in read_po(Path(path)):
            if any(entry["msgstr"].values()) and "fuzzy" not in entry["flags"]:
                done.add(entry["msgid"])
    return done


def _pattern(fragment):
    left = r"(?<![A-Za-z])" if fragment[0].isalnum() else ""
    right = r"(?![A-Za-z])" if fragment[-1].isalnum() else ""
    return re.compile(left + re.escape(fragment) + right)


def untranslated_wagtail_strings(text):
    """Wagtail msgids without Indonesian whose English words all appear in `text`."""
    done = _translated_msgids()
    found = set()
    for path in glob.glob(str(WAGTAIL / "**/locale/en/LC_MESSAGES/django.po"), recursive=True):
        for entry in read_po(Path(path)):
            msgid = entry["msgid"]
            if msgid in done or msgid in SAME_IN_INDONESIAN:
                continue
            probe = re.sub(r"%\(\w+\)[sd]|%[sd]", "\x00", msgid)
            fragments = [f.strip() for f in probe.split("\x00") if len(f.strip()) >= 4]
            if fragments and all(_pattern(f).search(text) for f in fragments):
                found.add(msgid)
    return found


def _screens():
    """The text of the screens each role works on, and of a reviewer's e-mail."""
    from django.test import Client, TestCase

    client = Client()
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())
    submitted = Business.objects.filter(status="submitted", kecamatan__code="32.01.01").first()
    validated = Business.objects.filter(status="validated").first()
    asked = Business.objects.filter(status="changes_requested").first()
    task_state = submitted.current_workflow_task_state
    participant = Participant.objects.first()
    report = EvaluationReport.objects.create(
        title="Evaluasi November",
        kind=EvaluationReport.Kind.MONTH,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
    )
    snippets = "wagtailsnippets_sme_registry_"
    pages = {
        "operator_cibinong": [
            reverse("wagtailadmin_home"),
            reverse(f"{snippets}business:list"),
            reverse(f"{snippets}business:edit", args=[submitted.pk]),
            reverse(
                f"{snippets}business:collect_workflow_action_data",
                args=[submitted.pk, "reject", task_state.pk],
            ),
            reverse("wagtail_bulk_action", args=["sme_registry", "business", "approve"])
            + f"?id={submitted.pk}",
            reverse(f"{snippets}outreachsession:add"),
            reverse("training_attendance_sheet", args=[ActivitySession.objects.first().pk]),
            reverse("wagtailusers_api_tokens:index"),
            reverse("wagtailusers_api_tokens:add"),
        ],
        "admin_dinas": [
            reverse("wagtailadmin_home"),
            reverse(f"{snippets}business:inspect", args=[validated.pk]),
            reverse(f"{snippets}business:edit", args=[validated.pk]),
            reverse(f"{snippets}business:history", args=[validated.pk]),
            reverse(f"{snippets}business:history", args=[asked.pk]),
            reverse(f"{snippets}business:workflow_history", args=[validated.pk]),
            reverse(
                f"{snippets}business:workflow_history_detail",
                args=[validated.pk, validated.workflow_states.first().pk],
            ),
            reverse(
                f"{snippets}business:revisions_compare",
                args=[validated.pk, "earliest", "latest"],
            ),
            reverse(f"{snippets}owner:list"),
            reverse(f"{snippets}owner:inspect", args=[validated.owner.pk]),
            reverse(f"{snippets}mentoringvisit:list"),
            reverse("training_pages_participant:index"),
            reverse("training_pages_participant:inspect", args=[participant.pk]),
            reverse("training_participant_message", args=[participant.pk]),
            reverse("training_certificates:index"),
            reverse("training_certificates:inspect", args=[Certificate.objects.first().pk]),
            reverse("wagtailadmin_reports:workflow"),
            reverse("wagtailadmin_reports:site_history"),
            reverse("sme_registry_archive", args=[validated.pk]),
            reverse("sme_registry_analysis_registry"),
            reverse("sme_registry_analysis_growth"),
            reverse("sme_registry_analysis_quality"),
            reverse("sme_registry_analysis_outcomes"),
            reverse("sme_registry_analysis_outreach"),
            reverse("training_analysis"),
            reverse(f"{snippets}evaluationreport:list"),
            reverse(f"{snippets}evaluationreport:add"),
            reverse("sme_registry_evaluation_compare"),
            reverse(f"{snippets}evaluationreport:inspect", args=[report.pk]),
            reverse("sme_registry_evaluation_print", args=[report.pk]),
            reverse("sme_registry_evaluation_finalise", args=[report.pk]),
        ],
    }
    texts = {}
    for username, urls in pages.items():
        user = UserFactory(username=username)  # the demo's account
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            texts[f"{username} {url}"] = _text(response.content.decode())
    # A personal API token: the page that shows it once, its rename and revoke screens.
    made = client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Aplikasi kecamatan", "user": user.pk}
    )
    texts["API token made"] = _text(made.content.decode())
    token = APIToken.objects.get(user=user)
    for name in ("index", "edit", "delete"):
        args = [] if name == "index" else [token.pk]
        response = client.get(reverse(f"wagtailusers_api_tokens:{name}", args=args))
        assert response.status_code == 200, (name, response.status_code)
        texts[f"API token {name}"] = _text(response.content.decode())
    texts.update(_import_screens(client))
    kecamatan = Kecamatan.objects.get(code="32.01.01")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.register_business(
            services.RegistrationInput(
                owner=OwnerAnswersFactory(nik="3201014506909999"),
                business={
                    "name": "Usaha Baru",
                    "kbli_category": "C",
                    "main_product": "Keripik",
                    "year_started": 2020,
                    "address": "Jl. 1",
                    "kecamatan_id": kecamatan.pk,
                    "desa_id": kecamatan.desa_set.first().pk,
                    "annual_sales": 1_000_000,
                },
            )
        )
    for message in mail.outbox:
        texts[f"e-mail to {message.to}"] = f"{message.subject}\n{message.body}"
    return texts


def _import_screens(client):
    """An operator's import: upload, column mapping, the dry run's report."""
    from openpyxl import Workbook

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    from sme_registry.imports import workbooks
    from sme_registry.models import ImportBatch

    texts = {}
    client.force_login(UserFactory(username="operator_cibinong"))
    workbook = Workbook()
    workbook.active.append(workbooks.template_headers())
    workbook.active.append(["3201014506900001", "Ibu Uji", "Perempuan", "31/02/1990"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    index = reverse("sme_registry_import")
    texts["import index"] = _text(client.get(index).content.decode())
    refused = client.post(index, {"file": SimpleUploadedFile("x.csv", b"\x89PNG\x00")})
    texts["import refused file"] = _text(refused.content.decode())
    client.post(index, {"file": SimpleUploadedFile("data.xlsx", buffer.getvalue())})
    batch = ImportBatch.objects.latest("pk")
    mapping = reverse("sme_registry_import_mapping", args=[batch.pk])
    texts["import mapping"] = _text(client.get(mapping).content.decode())
    wrong = client.post(mapping, {"col:usaha-name": "Nama usaha"})
    texts["import mapping refused"] = _text(wrong.content.decode())
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(mapping, {f"col:{k}": v for k, v in batch.columns.items()})
    detail = client.get(reverse("sme_registry_import_detail", args=[batch.pk]))
    assert detail.status_code == 200
    texts["import dry run"] = _text(detail.content.decode())
    return texts


_built = built_once_per_module(_screens)


@pytest.fixture
def screens(_built, db):
    return _built[0]


def test_no_english_phrase_on_the_registry_and_training_screens(screens):
    problems = [
        f"{where}: {phrase!r}"
        for where, text in screens.items()
        for phrase in ENGLISH
        if _pattern(phrase).search(text)
    ]
    assert not problems, "\n".join(problems)


def test_every_wagtail_string_on_these_screens_has_its_indonesian(screens):
    missing = untranslated_wagtail_strings("\n".join(screens.values()))
    assert not missing, f"translate in wagtail_locale/id/LC_MESSAGES/django.po: {sorted(missing)}"
