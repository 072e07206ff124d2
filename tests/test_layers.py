"""The apps depend one way: core at the bottom, content and the registry on it, trainings on top.

Where a lower app must show something of a higher one, a Wagtail hook turns the
dependency round (the owner's page, a business's inspect view, the demo seed).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_APPS = {"core", "content", "sme_registry", "training_pages", "themes", "simbaumi"}
# What each app may import of the project's own apps.
ALLOWED = {
    "core": set(),
    "content": {"core"},
    "sme_registry": {"core"},
    "training_pages": {"core", "content", "sme_registry"},
    "themes": {"core", "content"},
}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {}
    for path in (ROOT / app).rglob("*.py"):
        used = {name for name in _imports(path) if name in PROJECT_APPS} - {app}
        if used - ALLOWED[app]:
            wrong[str(path.relative_to(ROOT))] = sorted(used - ALLOWED[app])
    assert not wrong, wrong
