"""Every public template of the demo site, as addresses: one table for the markup checks
(tests/themes/test_markup.py) and the reach checks in Chromium (tests/test_reach.py)."""

from content.models import FormPage, NewsIndexPage, NewsPage, StandardPage
from sme_registry.models import DirectoryPage, RegistrationPage
from tests.sme_registry.flow import answers, spam_fields
from training_pages.models import Participant, TrainingIndexPage, TrainingPage


def public_paths():
    """(label, path) of every public template the demo site serves to a GET."""
    registration = RegistrationPage.objects.live().get()
    training = next(page for page in TrainingPage.objects.live() if page.sign_up_state() == "open")
    index = TrainingIndexPage.objects.live().get()
    participant = Participant.objects.filter(page=training).first() or Participant.objects.first()
    activity = participant.page.specific
    participation = activity.url + activity.reverse_subpage(
        "participation", kwargs={"token": participant.token}
    )
    return [
        ("home", "/"),
        ("standard", StandardPage.objects.live().get(slug="tentang").url),  # with a figure
        ("news index", NewsIndexPage.objects.live().get().url),
        ("news item", NewsPage.objects.live().first().url),
        ("form", FormPage.objects.live().first().url),
        ("search", "/cari/?q=pelatihan"),
        ("registration step 1", registration.url),
        ("status", registration.url + "status/"),
        ("status with an unknown code", registration.url + "status/?code=ZZZZ"),
        ("owner update request", registration.url + "perbarui/"),
        ("training index", index.url),
        ("calendar", index.url + "kalender/"),
        ("training detail", training.url),
        ("sign-up", training.url + "daftar/"),
        ("participation", participation),
        ("certificate check", "/sertifikat/"),
        ("certificate check with a bad code", "/sertifikat/?code=12-34"),
        ("directory", DirectoryPage.objects.live().get().url),
        ("404", "/halaman-yang-tidak-ada/"),
    ]


def error_states():
    """(label, path) of the forms that a POST of nothing sends back with their errors."""
    registration = RegistrationPage.objects.live().get()
    training = next(page for page in TrainingPage.objects.live() if page.sign_up_state() == "open")
    return [
        ("form with errors", FormPage.objects.live().first().url),
        ("registration step 1 with errors", registration.url),
        ("owner update request with errors", registration.url + "perbarui/"),
        ("sign-up with errors", training.url + "daftar/"),
    ]


def registration_steps(client):
    """(label, path) of each later step of a registration draft, up to its review page.

    The draft's address carries its token, so a fresh browser (Lighthouse's) opens it too.
    """
    page = RegistrationPage.objects.live().get()
    data = answers()
    response = client.post(page.url, {**data["pemilik"], **spam_fields()})
    assert response.status_code == 302, response.content.decode()[:2000]
    steps = []
    for _step in range(12):
        path = response["Location"]
        slug = path.rstrip("/").rsplit("/", 1)[-1]
        steps.append((f"registration step {slug}", path))
        if slug == "periksa":
            return steps
        response = client.post(path, data.get(slug, {}))
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
    raise AssertionError(f"no review page after {steps}")
