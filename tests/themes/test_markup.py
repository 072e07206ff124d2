"""Every public template, read as a screen reader and a search engine read it.

The checks are the ones HTML and WCAG state plainly, applied to the demo site's pages and
to their error states: no empty `action` (HTML forbids it), each `id` once, every
`aria-describedby` naming elements that exist, one `h1` and no skipped heading level, and a
meta description on every page meant to be indexed.
"""

import io
from html.parser import HTMLParser

import pytest

from content.demo import demo_context, seed_content
from content.models import NewsPage
from sme_registry.demo import seed_registry
from tests.conftest import built_once_per_module
from tests.public_pages import error_states, public_paths, registration_steps
from training_pages.demo import seed_training


def _seed():
    seed_content(io.StringIO())
    seed_registry(demo_context(io.StringIO()))
    seed_training(demo_context(io.StringIO()))


_seeded = built_once_per_module(_seed)


@pytest.fixture
def demo(_seeded, db, settings):
    _output, settings.PRIVATE_MEDIA_ROOT = _seeded


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []
        self.described_by = []
        self.empty_attributes = []
        self.headings = []
        self.meta = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in ("action", "aria-describedby", "aria-labelledby", "id", "for"):
            if name in attrs and not (attrs[name] or "").strip():
                self.empty_attributes.append(f"<{tag} {name}>")
        if attrs.get("aria-describedby"):
            self.described_by += attrs["aria-describedby"].split()
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
        if tag == "meta" and attrs.get("name"):
            self.meta[attrs["name"]] = attrs.get("content", "")


def problems(html):
    parser = Markup()
    parser.feed(html)
    found = list(parser.empty_attributes)
    duplicates = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    if duplicates:
        found.append(f"ids used twice: {duplicates}")
    missing = sorted(set(parser.described_by) - set(parser.ids))
    if missing:
        found.append(f"aria-describedby names no element: {missing}")
    if parser.headings.count(1) != 1:
        found.append(f"{parser.headings.count(1)} h1 elements")
    for before, after in zip(parser.headings, parser.headings[1:], strict=False):
        if after > before + 1:
            found.append(f"heading h{before} followed by h{after}")
    indexed = "noindex" not in parser.meta.get("robots", "")
    if indexed and not parser.meta.get("description", "").strip():
        found.append("no meta description on an indexed page")
    return found


def public_pages(client):
    """(label, response) for every public template, the later registration steps, and the
    error states of the forms."""
    pages = [(label, client.get(path)) for label, path in public_paths()]
    pages += [(label, client.get(path)) for label, path in registration_steps(client)]
    pages += [(label, client.post(path, {})) for label, path in error_states()]
    return pages


def test_every_public_template_has_sound_markup(demo, client):
    report = {}
    for label, response in public_pages(client):
        assert response.status_code in (200, 404), (label, response.status_code)
        found = problems(response.content.decode())
        if found:
            report[label] = found
    assert report == {}


def test_the_checks_catch_what_they_look_for():
    # The checker itself, on pages made to fail each rule once.
    bad = (
        '<html><head></head><body><h1>A</h1><h3>B</h3><form action="">'
        '<input id="x" aria-describedby=""><input id="x" aria-describedby="y"></form></body></html>'
    )
    assert problems(bad) == [
        "<form action>",
        "<input aria-describedby>",
        "ids used twice: ['x']",
        "aria-describedby names no element: ['y']",
        "heading h1 followed by h3",
        "no meta description on an indexed page",
    ]
    good = (
        '<html><head><meta name="description" content="Pelatihan UMKM"></head><body>'
        '<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2><form><p id="h">Hint</p>'
        '<input id="x" aria-describedby="h"></form></body></html>'
    )
    assert problems(good) == []


def test_the_meta_description_falls_back_to_the_pages_own_summary(demo, client):
    news = NewsPage.objects.live().first()
    news.search_description = ""
    news.intro = "Pendataan UMKM serentak di <b>40 kecamatan</b> & desa " + "panjang " * 40
    news.save_revision().publish()
    html = client.get(news.url).content.decode()
    parser = Markup()
    parser.feed(html)
    description = parser.meta["description"]
    assert description.startswith("Pendataan UMKM serentak di 40 kecamatan & desa panjang")
    assert len(description) <= 160 and description.endswith("…")
    news.search_description = "Ringkasan untuk mesin pencari"
    news.save_revision().publish()
    parser = Markup()
    parser.feed(client.get(news.url).content.decode())
    assert parser.meta["description"] == "Ringkasan untuk mesin pencari"
