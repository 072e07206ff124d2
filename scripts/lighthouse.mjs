#!/usr/bin/env node
// Lighthouse (mobile, its default) on a list of pages, several runs each, in Debian's Chromium.
//
//   node scripts/lighthouse.mjs < plan.json > scores.json
//
// plan.json: {"base": "http://127.0.0.1:8000", "runs": 3, "chromeFlags": ["--no-sandbox"],
//             "pages": [{"label": "home", "path": "/", "headers": {"Cookie": "..."}}]}
// It prints, per page, each run's category scores and, for every category below 1, the
// audits that cost it points. Medians and thresholds are the caller's (tests/test_reach.py).
//
// One Chromium, one page at a time: Lighthouse keeps global timing marks, so two runs in
// one process break each other; run several processes for parallel lanes. A run that ends
// without a score (Lighthouse's own runtime error, seen on a cold first load) is repeated once.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Shorter quiet windows than the defaults (server-rendered pages with one small script
// settle at once); the screenshots and the back/forward-cache probe score nothing.
const CONFIG = {
  extends: "lighthouse:default",
  settings: {
    onlyCategories: CATEGORIES,
    disableFullPageScreenshot: true,
    skipAudits: ["screenshot-thumbnails", "final-screenshot", "bf-cache"],
    pauseAfterFcpMs: 250,
    pauseAfterLoadMs: 250,
    networkQuietThresholdMs: 250,
    cpuQuietThresholdMs: 250,
  },
};

function readStdin() {
  return new Promise((resolve) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolve(text));
  });
}

function scores(lhr) {
  return Object.fromEntries(CATEGORIES.map((id) => [id, lhr.categories[id]?.score ?? null]));
}

function complete(lhr) {
  return !lhr.runtimeError && CATEGORIES.every((id) => typeof lhr.categories[id]?.score === "number");
}

function losses(lhr) {
  // Audits that weigh in a category scoring below 1, with what they found.
  const found = {};
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    if (!category || category.score === 1) continue;
    found[id] = category.auditRefs
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit && typeof audit.score === "number" && audit.score < 1)
      .map((audit) => {
        const items = (audit.details?.items || []).slice(0, 3);
        const where = items
          .map((item) => item.node?.snippet || item.url || item.source || "")
          .filter(Boolean);
        return `${audit.id} ${audit.score}${audit.displayValue ? ` (${audit.displayValue})` : ""}${where.length ? `: ${where.join(" | ")}` : ""}`;
      });
  }
  return found;
}

async function lane(jobs, results, flags) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", ...flags],
  });
  try {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      let lhr;
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await lighthouse(
          job.url,
          { port: chrome.port, output: "json", logLevel: "error", extraHeaders: job.headers },
          CONFIG,
        );
        lhr = answer.lhr;
        if (complete(lhr)) break;
      }
      results[job.label].push({ scores: scores(lhr), losses: losses(lhr), error: lhr.runtimeError?.message });
    }
  } finally {
    await chrome.kill();
  }
}

const plan = JSON.parse(await readStdin());
const results = Object.fromEntries(plan.pages.map((page) => [page.label, []]));
const jobs = [];
for (let run = 0; run < (plan.runs || 1); run++) {
  for (const page of plan.pages) {
    jobs.push({ label: page.label, url: plan.base + page.path, headers: page.headers || {} });
  }
}
await lane(jobs, results, plan.chromeFlags || []);
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
