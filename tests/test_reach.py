"""Every public template as a cheap phone, a screen reader and a validator read it.

Three tools over one demo site, seeded once (seeding is most of a browser test's cost):
- axe-core in Chromium, on a phone-sized screen: no violation of any impact;
- the Nu HTML checker (vnu.jar on Debian's Java): no error in the HTML the server sends, for
  the GET pages, the later registration steps and the forms sent back with errors;
- Lighthouse 12 (mobile), median of three runs per page: performance at least 95,
  accessibility and best practices 100, SEO 100 on every page meant to be indexed.

The tools are the project's npm dev dependencies (package.json, `make install-dev`).
"""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from django.core.management import call_command
from django.test import Client

from tests.conftest import CHROMIUM_ARGS, missing_tool
from tests.public_pages import error_states, public_paths, registration_steps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("tests.reach_urls"),
]

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "scripts" / "lighthouse.mjs"
PHONE = {"width": 412, "height": 823}

# Kept by hand: the pages that ask search engines to stay away, on purpose (transient,
# personal or error pages). Every other page must score 100 for SEO.
NOT_INDEXED = {
    "search",
    "status",
    "owner update request",
    "sign-up",
    "participation",
    "certificate check",
    "404",
}
# Lighthouse takes seconds a run: the same template with another query is left to axe and
# the Nu checker; of the later registration steps, the three that differ most.
# Lighthouse refuses to audit a page that answers 404 ("unable to reliably load"): the 404
# template is left to axe and the Nu checker.
LIGHTHOUSE_SKIPS = {"status with an unknown code", "certificate check with a bad code", "404"}
LIGHTHOUSE_STEPS = {
    "registration step lokasi",
    "registration step foto",
    "registration step periksa",
}
THRESHOLDS = {"performance": 0.95, "accessibility": 1, "best-practices": 1, "seo": 1}


def tool(path: Path, what: str):
    if path.exists():
        return path
    missing_tool(f"{what} not found at {path} (run `make install-dev`)")


def axe_violations(browser, base_url, pages):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="id-ID")
    tab = context.new_page()
    # The check itself, on a page made to fail it once: an image without a text.
    tab.set_content('<html lang="id"><title>x</title><main><img src="/x.png"></main></html>')
    assert "image-alt" in {v["id"] for v in axe.run(tab).response["violations"]}
    found = {}
    for label, path in pages:
        tab.goto(path)
        violations = axe.run(tab).response["violations"]
        if violations:
            found[label] = [
                f"{v['id']} ({v['impact']}): " + "; ".join(n["target"][0] for n in v["nodes"][:3])
                for v in violations
            ]
    context.close()
    return found


CONTROL = "a document made to fail"


def nu_errors(documents, folder: Path):
    """Errors the Nu checker finds in each (label, html) document."""
    java = shutil.which("java") or pytest.fail("java not found (install default-jre-headless)")
    files = {}
    # The check itself, on a document made to fail it once: a div inside a p.
    control = "<!doctype html><html lang=id><title>x</title><p><div>x</div></p></html>"
    for number, (label, html) in enumerate([*documents, (CONTROL, control)]):
        file = folder / f"page-{number:02d}.html"
        file.write_text(html, encoding="utf-8")
        files[str(file.resolve())] = label
    checked = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = {}
    for message in json.loads(checked.stderr)["messages"]:
        if message["type"] in ("error", "non-document-error"):
            # vnu names a file "file:/path".
            url = message.get("url", "")
            label = files.get(url.removeprefix("file:"), url)
            found.setdefault(label, []).append(
                f"line {message.get('lastLine')}: {message['message']}"
            )
    assert found.pop(CONTROL, None), "the Nu checker found nothing wrong in the control"
    return found


def lighthouse_runs(base_url, pages, runs=3, lanes=2):
    """{label: [run, ...]} from `lanes` Lighthouse processes sharing the runs out."""
    node = shutil.which("node") or pytest.fail("node not found (install nodejs)")
    jobs = [page for _run in range(runs) for page in pages]
    processes = []
    for lane in range(lanes):
        plan = {
            "base": base_url,
            "chromeFlags": CHROMIUM_ARGS,
            "pages": [{"label": label, "path": path} for label, path in jobs[lane::lanes]],
        }
        process = subprocess.Popen(
            [node, str(LIGHTHOUSE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        processes.append((process, json.dumps(plan)))
    merged = {label: [] for label, _path in pages}
    for process, plan in processes:
        out, err = process.communicate(plan, timeout=900)
        assert process.returncode == 0, err[-3000:]
        for label, results in json.loads(out).items():
            merged[label] += results
    return merged


def median(values):
    numbers = sorted(v for v in values if v is not None)
    return numbers[(len(numbers) - 1) // 2] if numbers else None


def lighthouse_shortfalls(base_url, pages, drafts):
    found = {}
    runs_by_page = lighthouse_runs(base_url, pages)
    for label, runs in runs_by_page.items():
        assert len(runs) == 3, (label, runs)
        print(label, {c: median([run["scores"][c] for run in runs]) for c in THRESHOLDS})
        for category, minimum in THRESHOLDS.items():
            if category == "seo" and (label in NOT_INDEXED or label in drafts):
                continue
            scores = [run["scores"][category] for run in runs]
            score = median(scores)
            if score is None or score < minimum:
                # The losses of the run that scored the median explain it.
                middle = next((run for run in runs if run["scores"][category] == score), runs[0])
                found.setdefault(label, []).append(
                    f"{category} {score} < {minimum} (runs {scores}): "
                    + "; ".join(middle["losses"].get(category, []) + [middle.get("error") or ""])
                )
    return found


@pytest.fixture
def demo_site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--no-admin", stdout=io.StringIO())
    return live_server.url


def test_every_public_template_passes_axe_the_nu_checker_and_lighthouse(
    browser, demo_site, tmp_path
):
    tool(VNU_JAR, "The Nu HTML checker")
    tool(ROOT / "node_modules" / "lighthouse", "Lighthouse")
    client = Client()
    steps = registration_steps(client)
    drafts = {label for label, _path in steps}  # a draft's pages are never indexed
    pages = public_paths() + steps

    documents = [(label, client.get(path).content.decode()) for label, path in pages]
    documents += [(label, client.post(path, {}).content.decode()) for label, path in error_states()]

    problems = {
        "axe": axe_violations(browser, demo_site, pages),
        "nu": nu_errors(documents, tmp_path),
        "lighthouse": lighthouse_shortfalls(
            demo_site,
            [
                (label, path)
                for label, path in pages
                if label not in LIGHTHOUSE_SKIPS
                and (label not in drafts or label in LIGHTHOUSE_STEPS)
            ],
            drafts,
        ),
    }
    assert {tool: found for tool, found in problems.items() if found} == {}
