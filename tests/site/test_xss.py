"""Untrusted record text in every field and URL renders as inert text, through MkDocs too."""

from __future__ import annotations

import json
import re
from pathlib import Path

from inventory.site import administrations, algorithms, builder, home, repositories
from tests.site import factories as f
from tests.site.project import make_project
from tests.site.safety import dangerous


def _hostile_site() -> object:
    hostile = f.hostile_record()
    repo = f.repository(
        f.XSS_TEXT,
        owner="x",
        description=f.XSS_TEXT,
        repository_url="https://github.com/x/d",
        language=f.XSS_TEXT,
        license=f.XSS_TEXT,
    )
    org = f.organisation("x", name=f.XSS_TEXT, organization_url=f.XSS_URL, pso_id=None)
    return f.site((hostile,), (repo,), (org,))


def test_every_generated_page_is_inert() -> None:
    data = _hostile_site()
    generated = dict(algorithms.pages(data))
    generated.update(administrations.pages(data))
    generated.update(repositories.pages(data))
    generated["index.md"] = home.page(data)
    for path, text in generated.items():
        if path.endswith(".md"):
            assert dangerous(text) == [], path
    page = generated["algorithmes/hostile.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "[x](javascript:alert(1))" in page
    # A refused URL stays visible as text, never as a link.
    assert "<code>javascript:alert(1)</code>" in page


def test_catalogue_attributes_and_labels_are_escaped() -> None:
    text = algorithms.catalogue(_hostile_site())
    card = re.search(r'<li class="inv-card" ([^>]*)>', text)
    assert card is not None
    assert (
        'data-administration="&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x ' in card.group(1)
    )
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", text, re.S)
    assert len(scripts) == 1
    json.loads(scripts[0])


def test_explorer_json_keeps_text_as_data() -> None:
    decoded = json.loads(repositories.explorer_json(_hostile_site()))
    assert decoded["repositories"][0]["nom"] == f.XSS_TEXT


def test_hostile_values_stay_inert_after_mkdocs(tmp_path: Path) -> None:
    root = make_project(tmp_path / "projet")
    docs = root / builder.DOCS
    builder.write_docs(_hostile_site(), docs, project=root)
    builder.run_mkdocs(root / builder.CONFIG, root / "public")
    for html_file in (root / "public").rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text, html_file
        assert "onerror=alert(1)>" not in text, html_file
        assert 'href="javascript:' not in text, html_file
        article = re.search(r"<article[^>]*>(.*)</article>", text, re.S)
        if article:
            assert dangerous(article.group(1)) == [], html_file
    page = (root / "public/algorithmes/hostile/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None
    assert title.group(1).startswith("&lt;script&gt;alert(1)&lt;/script&gt;")
    header = re.search(r"<header.*?</header>", page, re.S)
    assert header is not None
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"
        in header.group(0)
    )
