"""An HTML parser listing what could run in a browser: scripts, handlers, unsafe URLs."""

from __future__ import annotations

from html.parser import HTMLParser

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset"})
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


class _Finder(HTMLParser):
    def __init__(self, allowed_scripts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "iframe", "object", "embed", "img", "svg", "math"}:
            key = values.get("id") or values.get("src") or ""
            if tag != "script" or key not in self.allowed_scripts:
                self.found.append(f"<{tag} {values}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value is not None:
                text = value.strip().lower()
                if ":" in text.split("/", 1)[0] and not text.startswith(ALLOWED_SCHEMES):
                    self.found.append(f"{tag}[{name}={value}]")


def dangerous(
    html: str, *, allowed_scripts: frozenset[str] = frozenset({"inv-labels"})
) -> list[str]:
    """Every element or attribute that could execute or load something unexpected."""
    finder = _Finder(allowed_scripts)
    finder.feed(html)
    finder.close()
    return finder.found
