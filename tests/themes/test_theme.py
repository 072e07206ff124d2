import re
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.content.factories import StandardPageFactory


def test_pages_have_a_skip_link_to_the_main_content(client, home_page):
    html = client.get("/").content.decode()
    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert '<main id="main"' in html


def test_theme_loads_nothing_from_other_hosts(client, home_page):
    StandardPageFactory(parent=home_page, title="Profil")
    html = client.get("/profil/").content.decode()
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        if attr.startswith(("http://", "https://", "//")):
            # Only links a person follows may leave the site, never assets.
            assert not attr.endswith((".css", ".js", ".woff", ".woff2", ".ttf")), attr
    assert "fonts.googleapis" not in html
    css = Path(finders.find("themes/css/main.css")).read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css


def test_footer_shows_the_office_contact(client, home_page, site):
    from content.models import OfficeSettings

    office = OfficeSettings.for_site(site)
    office.address = "Jalan KSR Dadi Kusmayadi\nCibinong"
    office.phone = "(021) 87929919"
    office.email = "diskopukm@example.org"
    office.save()
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Jalan KSR Dadi Kusmayadi<br>Cibinong" in footer
    assert 'href="tel:(021)87929919"' in footer
    assert 'href="mailto:diskopukm@example.org"' in footer
