"""Safe rendering of untrusted record text into HTML fragments.

Record text comes from pull requests: it is rendered with markdown-it-py with raw HTML
disabled, images disabled (no request to a third-party host) and only ``http``, ``https`` and
``mailto`` links kept; anything else stays visible as escaped text. The fragments are placed
in the generated Markdown as raw HTML blocks, so Python-Markdown never interprets untrusted
text as Markdown or HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# Text that Markdown would render as one plain paragraph: no inline or block syntax at all.
_MARKUP_CHARS = re.compile(r"[*_`\[\]<>#!|~&\\\x00]|\n\s*\n|  \n|^\s*(?:[-+=>]|\d+[.)])", re.M)
_INDENTED = re.compile(r"^(?: {4}|\t)", re.M)
# Headings written inside a record field are shifted below the page's own h1-h3.
_HEADING_SHIFT = 3


_SPECIAL = re.compile(r"[&<>\"']")


def escape(text: object) -> str:
    """HTML-escape any value for text content or a double-quoted attribute."""
    value = "" if text is None else str(text)
    return html.escape(value, quote=True) if _SPECIAL.search(value) else value


def is_safe_url(url: object) -> bool:
    """True when ``url`` is an absolute http(s) URL with a host, or a mailto URL."""
    if not isinstance(url, str):
        return False
    candidate = url.strip()
    if not candidate or _CONTROL.search(candidate):
        return False
    head = candidate[:8].lower()
    if head.startswith("mailto:"):
        return len(candidate) > len("mailto:")
    for prefix in ("https://", "http://"):
        if head.startswith(prefix):
            rest = candidate[len(prefix) :]
            return bool(rest) and rest[0] not in "/\\?#@"
    return False


def link(url: object, text: object, *, external: bool = True) -> str:
    """An ``<a>`` to ``url`` when it is safe, otherwise the escaped text (and URL) inert."""
    label = escape(text if text not in (None, "") else url)
    if not is_safe_url(url):
        if url in (None, ""):
            return label
        return f"{label} (<code>{escape(url)}</code>)" if text not in (None, "") else label
    rel = ' rel="noopener nofollow"' if external else ""
    return f'<a href="{escape(str(url).strip())}"{rel}>{label}</a>'


def json_for_script(value: Any) -> str:
    """JSON for an inline ``<script type="application/json">``: ``</`` cannot close it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def front_matter_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML) for a front matter value."""
    return json.dumps(text, ensure_ascii=False)


def page_title(text: object) -> str:
    """A page title for front matter: Material prints ``page.meta.title`` as raw HTML."""
    return front_matter_string(escape(" ".join(str(text or "").split())))


class _SafeRenderer(RendererHTML):
    """markdown-it's HTML renderer with shifted headings and marked external links."""

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        level = min(6, int(tokens[idx].tag[1]) + _HEADING_SHIFT)
        return f"<h{level}>"

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        level = min(6, int(tokens[idx].tag[1]) + _HEADING_SHIFT)
        return f"</h{level}>\n"

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        tokens[idx].attrSet("rel", "noopener nofollow")
        return self.renderToken(tokens, idx, options, env)


def _make_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    parser.enable("strikethrough")
    parser.disable("image")
    parser.validateLink = is_safe_url  # type: ignore[method-assign]
    parser.renderer = _SafeRenderer(parser)
    return parser


_PARSER = _make_parser()


def markdown(text: object) -> str:
    """Render untrusted Markdown to a safe HTML fragment (empty string for empty input)."""
    if text is None:
        return ""
    source = str(text)
    if not source.strip():
        return ""
    if not _MARKUP_CHARS.search(source) and not _INDENTED.search(source):
        # Fast path, same output as markdown-it: one paragraph of escaped text.
        normalised = source.replace("\r\n", "\n").replace("\r", "\n").strip()
        lines = "\n".join(line.strip(" \t") for line in normalised.split("\n"))
        return "<p>" + lines.replace('"', "&quot;") + "</p>"
    return _PARSER.render(source).strip()


def raw_block(fragment: str, *, tag: str = "div", css: str = "") -> str:
    """Wrap an HTML fragment in a block element, with blank lines around it.

    Python-Markdown passes a block-level element that starts a line and follows a blank line
    through untouched, so nothing inside is re-read as Markdown.
    """
    klass = f' class="{escape(css)}"' if css else ""
    return f"\n<{tag}{klass}>\n{fragment}\n</{tag}>\n"
