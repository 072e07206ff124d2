import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def read_po(path):
    """(msgid, msgstr) pairs of a .po file, plurals folded to their first form."""
    text = path.read_text(encoding="utf-8")
    pairs = []
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            pairs.append(("<fuzzy>", ""))
        msgid = re.search(r'^msgid ((?:".*"\n)+)', block + "\n", re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block + "\n", re.M)
        if not msgid:
            continue
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if key:
            pairs.append((key, "".join(re.findall(r'"(.*)"', msgstr.group(1)))))
    return pairs


def test_indonesian_catalogue_is_complete():
    pairs = read_po(LOCALE / "id" / "LC_MESSAGES" / "django.po")
    assert len(pairs) > 100
    untranslated = [msgid for msgid, msgstr in pairs if not msgstr]
    assert not untranslated, f"untranslated or fuzzy: {untranslated}"


def test_compiled_catalogue_matches_the_source():
    pairs = read_po(LOCALE / "id" / "LC_MESSAGES" / "django.po")
    with open(LOCALE / "id" / "LC_MESSAGES" / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [
        msgid
        for msgid, msgstr in pairs
        if "%(" not in msgid
        and compiled.gettext(msgid.encode().decode("unicode_escape")) == msgid
        and msgstr != msgid
    ]
    assert not stale, f"run `make messages`: not compiled: {stale[:5]}"


def test_site_is_in_indonesian_even_for_an_english_browser(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="id"' in html
    assert "Langsung ke konten utama" in html
    assert response["Content-Language"] == "id"


@pytest.mark.parametrize(
    ("language", "skip_text"),
    [("en", "Skip to main content"), ("id", "Langsung ke konten utama")],
)
def test_language_switch_changes_the_interface(client, home_page, language, skip_text):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/berita/"})
    assert response.status_code == 302
    assert response["Location"] == "/berita/"
    html = client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    assert skip_text in html


def test_unknown_language_cookie_falls_back_to_indonesian(client, home_page, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="id"' in client.get("/").content.decode()
