"""Safe Markdown rendering of untrusted record text."""

from __future__ import annotations

import json

import pytest

from inventory.site.render import (
    escape,
    is_safe_url,
    json_for_script,
    link,
    markdown,
    page_title,
)
from tests.site.safety import dangerous


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href='javascript:alert(1)'>x</a>",
        "![img](https://tracker.example.com/pixel.png)",
        "<https://ok.fr> <javascript:alert(1)>",
        "<svg onload=alert(1)>",
    ],
)
def test_markdown_leaves_nothing_executable(text: str) -> None:
    assert dangerous(markdown(text)) == []


def test_markdown_escapes_raw_html_as_visible_text() -> None:
    assert markdown("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_markdown_keeps_http_https_mailto_links_only() -> None:
    html = markdown(
        "[a](https://a.fr) [b](http://b.fr) [c](mailto:c@d.fr) [d](/relatif) [e](ftp://e)"
    )
    assert '<a href="https://a.fr" rel="noopener nofollow">a</a>' in html
    assert '<a href="http://b.fr" rel="noopener nofollow">b</a>' in html
    assert '<a href="mailto:c@d.fr" rel="noopener nofollow">c</a>' in html
    assert "[d](/relatif)" in html
    assert "[e](ftp://e)" in html


def test_markdown_images_are_not_loaded() -> None:
    html = markdown("![logo](https://example.com/logo.png)")
    assert "<img" not in html


def test_markdown_headings_are_shifted_below_the_page_structure() -> None:
    assert markdown("# Titre\n\n## Sous-titre") == "<h4>Titre</h4>\n<h5>Sous-titre</h5>"


def test_markdown_renders_emphasis_lists_and_tables() -> None:
    html = markdown("*a* **b**\n\n- un\n- deux\n\n| x | y |\n|---|---|\n| 1 | 2 |")
    assert "<em>a</em> <strong>b</strong>" in html
    assert "<li>un</li>" in html
    assert "<td>1</td>" in html


def test_markdown_of_nothing_is_empty() -> None:
    assert markdown(None) == ""
    assert markdown("  \n ") == ""


def test_is_safe_url() -> None:
    assert is_safe_url("https://a.fr/x")
    assert is_safe_url("mailto:a@b.fr")
    assert not is_safe_url("javascript:alert(1)")
    assert not is_safe_url(" javascript:alert(1)")
    assert not is_safe_url("https:relative")
    assert not is_safe_url("https://a.fr/\nx")
    assert not is_safe_url(None)


def test_link_escapes_attribute_and_text() -> None:
    assert link('https://a.fr/?q="><script>', "<b>") == (
        '<a href="https://a.fr/?q=&quot;&gt;&lt;script&gt;" rel="noopener nofollow">&lt;b&gt;</a>'
    )
    assert link("javascript:alert(1)", "x") == "x (<code>javascript:alert(1)</code>)"
    assert link("javascript:alert(1)", None) == "javascript:alert(1)"


def test_json_for_script_cannot_close_the_script_element() -> None:
    text = json_for_script({"a": "</script><script>alert(1)</script>", "b": "<!--"})
    assert "</" not in text
    assert "<!--" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!--"}


def test_page_title_is_escaped_html_in_a_yaml_string() -> None:
    import yaml

    title = page_title('<script>alert("1")</script> & co\n')
    assert yaml.safe_load(f"title: {title}")["title"] == (
        "&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; co"
    )


def test_escape() -> None:
    assert escape('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    assert escape(None) == ""


@pytest.mark.parametrize(
    "text",
    [
        "Une phrase simple.",
        'Deux lignes\nqui se suivent, avec « guillemets » et "doubles".',
        "  indentée  \n  puis une autre ligne  ",
        "Article L312-1-3 : 25 % des 1 000 dossiers.",
        "2025. Une année",
        "- liste\n- suite",
        "a\n\nb",
        "ligne avec deux espaces  \nfin",
        "Titre\n=====",
        "    code indenté",
        "texte\n    suite indentée",
        "a & b < c",
        "x\x00y",
        "1) premier",
        "+ plus",
        "> citation",
        "tab\tinterne",
        "fin avec antislash \\",
        "l'apostrophe n'est pas échappée",
        "\u00a0insécable\u00a0",
        "Article\u00a0: ligne\n\u00a0suite\u00a0\nfin",
        "séparateur\u2028unicode",
        "retour\r\nWindows\rMac",
    ],
)
def test_fast_path_renders_like_markdown_it(text: str) -> None:
    from inventory.site import render

    assert markdown(text) == render._PARSER.render(text).strip()
