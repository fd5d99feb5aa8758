"""Repository explorer with 30,000 rows in headless Chromium: explorer.js against a baseline.

Both run side by side in the same page on the same data. For a series of search queries,
``explorer.js`` (strings lower-cased once at load, cached sort, only the current page of 50
rows rendered) is timed from the input event to the laid-out table; the baseline does what a
straightforward script would: normalise every row's text on each query and render every
matching row (in the file's order: it is not even charged for sorting). Prints the
explorer's first render time, both per-search times, and on the LAST line the ratio
explorer / baseline (lower is better).

Usage: ``python benchmarks/bench_explorer.py [ROWS]`` (Debian's chromium required).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
EXPLORER_JS = PROJECT / "site" / "assets" / "javascripts" / "explorer.js"
ROUNDS = 2
QUERIES = ("outil", "budget", "org-12", "depot-0", "python", "a", "zz", "fiscalite", "", "o")

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Banc d'essai</title></head>
<body><div id="inv-explorer" data-src="depots.json"></div>
<table id="naive"><tbody></tbody></table>
<script src="explorer.js"></script></body></html>
"""

BASELINE = """(queries) => {
  const rows = window.__rows;
  const fold = (t) => String(t || "").normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
    .toLowerCase();
  const body = document.querySelector("#naive tbody");
  const started = performance.now();
  for (const query of queries) {
    const q = fold(query);
    const matches = rows.filter((r) => fold(r.nom + " " + r.organisation + " " + r.description)
      .includes(q));
    const fragment = document.createDocumentFragment();
    for (const r of matches) {
      const tr = document.createElement("tr");
      for (const value of [r.nom, r.organisation, r.forge, r.langage, r.licence, r.etoiles,
                           r.derniere_activite]) {
        const td = document.createElement("td");
        td.textContent = value;
        tr.appendChild(td);
      }
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    void body.offsetHeight;
  }
  const elapsed = performance.now() - started;
  body.replaceChildren();
  return elapsed;
}"""

EXPLORER = """(queries) => {
  const input = document.querySelector("#inv-explorer input[type=search]");
  const table = document.querySelector("#inv-explorer table");
  const started = performance.now();
  for (const query of queries) {
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    void table.offsetHeight;
  }
  return performance.now() - started;
}"""


def rows(count: int) -> list[dict[str, object]]:
    return [
        {
            "nom": f"depot-{i:05d}",
            "organisation": f"org-{i % 400}",
            "forge": "github.com" if i % 3 else "gitlab.example.org",
            "url": f"https://github.com/org-{i % 400}/depot-{i:05d}",
            "description": "outil budgétaire de fiscalité" if i % 10 == 0 else "outil",
            "langage": "Python" if i % 2 else "Java",
            "licence": "MIT" if i % 4 else None,
            "etoiles": i % 1000,
            "fork": i % 9 == 0,
            "archive": i % 7 == 0,
            "derniere_activite": f"2025-{1 + i % 12:02d}-01",
        }
        for i in range(count)
    ]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = rows(count)
        (folder / "depots.json").write_text(
            json.dumps({"generated_at": "2026-01-01T00:00:00Z", "repositories": data}),
            encoding="utf-8",
        )
        (folder / "index.html").write_text(PAGE, encoding="utf-8")
        shutil.copyfile(EXPLORER_JS, folder / "explorer.js")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                page.wait_for_selector("#inv-explorer table", timeout=120_000)
                first = time.perf_counter() - started
                page.evaluate("(rows) => { window.__rows = rows; }", data)
                # Warm both code paths once, then measure them alternately, side by side.
                page.evaluate(EXPLORER, list(QUERIES[:2]))
                page.evaluate(BASELINE, list(QUERIES[:2]))
                explorer_ms = baseline_ms = 0.0
                for _ in range(ROUNDS):
                    explorer_ms += page.evaluate(EXPLORER, list(QUERIES))
                    baseline_ms += page.evaluate(BASELINE, list(QUERIES))
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    searches = ROUNDS * len(QUERIES)
    print(f"{count} dépôts : premier affichage (chargement compris) {first:.2f} s")
    print(f"explorer.js : {explorer_ms / searches:.1f} ms par recherche ({searches} recherches)")
    print(f"référence naïve : {baseline_ms / searches:.1f} ms par recherche")
    print(f"rapport explorer.js / référence naïve : {explorer_ms / baseline_ms:.3f}")


if __name__ == "__main__":
    main()
