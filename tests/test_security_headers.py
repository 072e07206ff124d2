"""Every page carries a Content-Security-Policy and a Permissions-Policy.

The public site's policy allows no inline script or style, so an injected
<script> or onerror= does nothing; the pages themselves must then carry none
either (one with a nonce excepted). The admin has its own, looser policy.
"""

import re
from html.parser import HTMLParser

import pytest

from tests.content.factories import (
    FormPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    DirectoryPageFactory,
    RegistrationPageFactory,
    stored_photo,
)
from tests.sme_registry.flow import answers, spam_fields
from tests.training_pages.factories import (
    EventPageFactory,
    ParticipantFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from training_pages import attendance, certificates
from training_pages.models import Certificate

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


class InlineCode(HTMLParser):
    """Collects what a strict policy would refuse: inline scripts, styles and handlers."""

    def __init__(self, nonce):
        super().__init__()
        self.nonce = nonce
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # A JSON data block is not run, so no policy applies to it.
        runs_inline = not attrs.get("src") and attrs.get("type") != "application/json"
        if tag == "script" and runs_inline and attrs.get("nonce") != self.nonce:
            self.found.append("<script> without src or nonce")
        if tag == "style" and attrs.get("nonce") != self.nonce:
            self.found.append("<style> without nonce")
        if "style" in attrs:
            self.found.append(f"style= on <{tag}>")
        self.found += [f"{name}= on <{tag}>" for name in attrs if name.startswith("on")]
        for name in ("href", "src", "action"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: in {name} of <{tag}>")


def inline_code(response):
    sources = policy(response).get("script-src", [])
    nonce = next((s[7:-1] for s in sources if s.startswith("'nonce-")), None)
    parser = InlineCode(nonce)
    parser.feed(response.content.decode())
    return parser.found


@pytest.fixture
def pages(home_page):
    """One address of every kind of public page."""
    news = NewsIndexPageFactory(parent=home_page)
    article = NewsPageFactory(parent=news)
    standard = StandardPageFactory(parent=home_page)
    form = FormPageFactory(parent=home_page)
    registration = RegistrationPageFactory(parent=home_page)
    directory = DirectoryPageFactory(parent=home_page)
    listed = BusinessFactory(
        validated=True,
        directory_opt_in=True,
        public_phone="0813-1111-2222",
        public_link="https://shopee.co.id/makijah",
        photos=[stored_photo()],
    )
    index = TrainingIndexPageFactory(parent=home_page)
    training = TrainingPageFactory(parent=index, sessions=[7])
    event = EventPageFactory(parent=index)
    participant = ParticipantFactory(page=training)
    ended = TrainingPageFactory(parent=index, sessions=[-3], gives_certificate=True)
    attendee = ParticipantFactory(page=ended)
    attendance.record_attendance(attendee, ended.ordered_sessions()[0], method="list")
    attendance.settle_attendance(ended)
    certificates.issue_certificates(ended)
    certificate = Certificate.objects.get(participant=attendee)
    return {
        "home": home_page.url,
        "standard": standard.url,
        "news index": news.url,
        "news": article.url,
        "form": form.url,
        "registration": registration.url,
        "registration status": registration.url + "status/",
        "directory": directory.url + "?q=keripik",
        "directory business": directory.business_url(listed),
        "training index": index.url,
        "training calendar": index.url + "kalender/",
        "training": training.url,
        "event": event.url,
        "sign-up": training.url + "daftar/",
        "participation": training.url
        + training.reverse_subpage("participation", kwargs={"token": participant.token}),
        "certificate": ended.url
        + ended.reverse_subpage("certificate", kwargs={"token": attendee.token}),
        "certificate check": f"/sertifikat/{certificate.code}/",
        "search": "/cari/?q=pelatihan",
        "not found": "/tidak-ada-halaman-ini/",
        "bad request": "/cari/?q=%00",
    }


def test_every_public_page_has_a_strict_policy_and_no_inline_code(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        assert "text/html" in response["Content-Type"], name
        directives = policy(response)
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in directives[directive], (name, directive)
            assert "'unsafe-eval'" not in directives[directive], (name, directive)
        assert directives["default-src"] == ["'self'"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["frame-ancestors"] == ["'self'"], name
        assert "camera=()" in response["Permissions-Policy"], name
        assert not inline_code(response), (name, inline_code(response))


def test_a_registration_step_has_the_policy_and_no_inline_code(client, pages):
    data = answers()
    response = client.post(pages["registration"], {**data["pemilik"], **spam_fields()})
    step = client.get(response["Location"])
    assert step.status_code == 200
    assert "'unsafe-inline'" not in policy(step)["script-src"]
    assert not inline_code(step), inline_code(step)
    assert '<progress class="steps__bar"' in step.content.decode()


def test_the_certificate_styles_itself_with_the_requests_nonce(client, pages):
    response = client.get(pages["certificate"])
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    # A fresh nonce for every response.
    again = client.get(pages["certificate"])
    assert nonce not in again["Content-Security-Policy"]


def test_a_form_page_after_sending_has_the_policy(client, pages):
    response = client.post(
        pages["form"],
        {"nama": "Siti", "alamat_e_mail": "siti@example.org", "pesan": "Halo", **spam_fields()},
    )
    assert response.status_code in (200, 302)
    assert "'unsafe-inline'" not in policy(response)["script-src"]


def test_the_admin_has_its_own_policy_and_the_public_one_stays_strict_for_staff(client, pages):
    client.force_login(UserFactory(username="admin-super", superuser=True))
    admin = client.get("/admin/")
    assert admin.status_code == 200
    directives = policy(admin)
    assert "'unsafe-inline'" in directives["script-src"]
    assert not any(source.startswith("'nonce-") for source in directives["script-src"])
    assert directives["object-src"] == ["'none'"]
    assert "camera=()" in admin["Permissions-Policy"]
    # With the userbar on the page, a signed-in editor still gets the strict public policy.
    home = client.get(pages["home"])
    assert "wagtail-userbar" in home.content.decode()
    assert "'unsafe-inline'" not in policy(home)["script-src"]
    assert not inline_code(home), inline_code(home)


def test_the_sign_in_page_has_a_policy(client):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert "'unsafe-inline'" in policy(login)["style-src"]  # Wagtail's own page


def test_the_server_error_page_has_the_policy_and_its_style_in_a_file(client, monkeypatch):
    from wagtail.models import Site

    def broken(request):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Site, "find_for_request", staticmethod(broken))
    client.raise_request_exception = False
    response = client.get("/cari/?q=kopi")
    assert response.status_code == 500
    assert "'unsafe-inline'" not in policy(response)["style-src"]
    assert not inline_code(response), inline_code(response)
    assert "themes/css/error.css" in response.content.decode()
