"""What each app's demo seed is handed, so no app imports another's demo code.

The `seed_demo` command builds one `DemoContext` and passes it to every
`seed_demo` hook in the order of INSTALLED_APPS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class DemoContext:
    stdout: Any
    site: Any
    home_page: Any
    # add_to_main_menu(page, link_text=""): append a page to the site's main menu once.
    add_to_main_menu: Callable
