import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _unquote(lines):
    return "".join(ast.literal_eval(line) for line in lines)


def read_po(path):
    """Every active entry of a .po file: msgctxt, msgid, msgid_plural, msgstr forms, flags.

    A small reader of the gettext format (continuation lines, plural forms,
    contexts, fuzzy flags), so that each entry can be checked as it is used.
    """
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "msgstr": {}}
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):  # obsolete entry
                current = None
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
                continue
            if line.startswith("#") or not line.strip():
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (".*")$', line)
            if match:
                keyword, index, text = match.groups()
                if keyword.startswith("msgstr"):
                    current = ("msgstr", int(index or 0))
                else:
                    current = (keyword, None)
                _store(entry, current, [text])
            elif line.startswith('"') and current:
                _store(entry, current, [line], append=True)
        if "msgid" in entry and entry["msgid"]:
            entries.append(entry)
    return entries


def _store(entry, key, lines, append=False):
    keyword, index = key
    text = _unquote(lines)
    if keyword == "msgstr":
        entry["msgstr"][index] = (entry["msgstr"].get(index, "") if append else "") + text
    else:
        entry[keyword] = (entry.get(keyword, "") if append else "") + text


def test_indonesian_catalogue_is_complete():
    entries = read_po(LOCALE / "id" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"] or not all(e["msgstr"].values()) or not e["msgstr"]
    ]
    assert not untranslated, f"untranslated or fuzzy: {untranslated}"


def _compiled_text(compiled, entry, n):
    """What the compiled catalogue answers for an entry, as Django would ask it."""
    context = entry.get("msgctxt")
    plural = entry.get("msgid_plural")
    if plural is not None and context is not None:
        return compiled.npgettext(context, entry["msgid"], plural, n)
    if plural is not None:
        return compiled.ngettext(entry["msgid"], plural, n)
    if context is not None:
        return compiled.pgettext(context, entry["msgid"])
    return compiled.gettext(entry["msgid"])


CATALOGUES = {
    "id": LOCALE / "id" / "LC_MESSAGES",
    "en": LOCALE / "en" / "LC_MESSAGES",
    # Indonesian for Wagtail's own strings that Wagtail's catalogue lacks.
    "wagtail-id": LOCALE.parent / "wagtail_locale" / "id" / "LC_MESSAGES",
}


def test_the_wagtail_supplement_is_complete():
    entries = read_po(CATALOGUES["wagtail-id"] / "django.po")
    assert entries and all(all(e["msgstr"].values()) for e in entries)


@pytest.mark.parametrize("catalogue", sorted(CATALOGUES))
def test_compiled_catalogue_matches_the_source(catalogue):
    """Every entry, singular and plural, answers from the .mo exactly as the .po says."""
    folder = CATALOGUES[catalogue]
    entries = read_po(folder / "django.po")
    with open(folder / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in entries:
        if "fuzzy" in entry["flags"]:
            continue
        for n in (1, 2, 5):
            index = compiled.plural(n) if "msgid_plural" in entry else 0
            expected = entry["msgstr"].get(index, "")
            if not expected:
                continue  # untranslated: gettext falls back to the source, as it should
            if _compiled_text(compiled, entry, n) != expected:
                stale.append(entry["msgid"])
                break
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
