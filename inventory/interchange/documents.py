"""The texts of :mod:`inventory.interchange.rights` as documents: text, Markdown, HTML, ODT.

The templates write a lightweight structure (``textes/README.md``): blocks separated by a
blank line, ``# `` titles, ``- `` list items, ``| a | b |`` table rows (the first one is the
header; ``\\|`` is a ``|`` inside a cell). :func:`blocks` reads it; each writer renders it.
OpenDocument text (the format of the French administration's interoperability framework) is
written with odfpy, every record text as a text node.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass

from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Block:
    """One block: ``kind`` is ``title``, ``paragraph``, ``items`` or ``table``."""

    kind: str
    lines: tuple[str, ...]

    def cells(self) -> list[list[str]]:
        rows = []
        for line in self.lines:
            parts = _CELL_SPLIT.split(line.strip())[1:-1]
            rows.append([part.strip().replace("\\|", "|") for part in parts])
        return rows


def blocks(text: str) -> list[Block]:
    found: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = tuple(line.rstrip() for line in chunk.splitlines() if line.strip())
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("# "):
            found.append(Block("title", (lines[0][2:].strip(),)))
        elif all(line.startswith("- ") for line in lines):
            found.append(Block("items", tuple(line[2:].strip() for line in lines)))
        elif all(line.startswith("|") for line in lines):
            found.append(Block("table", lines))
        else:
            found.append(Block("paragraph", (" ".join(line.strip() for line in lines),)))
    return found


def as_text(text: str) -> str:
    """Plain text: titles underlined, items with a dash, table rows with « | »."""
    out = []
    for block in blocks(text):
        if block.kind == "title":
            out.append(f"{block.lines[0]}\n{'=' * min(len(block.lines[0]), 78)}")
        elif block.kind == "items":
            out.append("\n".join(f"- {line}" for line in block.lines))
        elif block.kind == "table":
            out.append("\n".join(" | ".join(row) for row in block.cells()))
        else:
            out.append(block.lines[0])
    return "\n\n".join(out) + "\n"


def as_markdown(text: str) -> str:
    out = []
    for block in blocks(text):
        if block.kind == "title":
            out.append(f"## {block.lines[0]}")
        elif block.kind == "items":
            out.append("\n".join(f"- {line}" for line in block.lines))
        elif block.kind == "table":
            rows = list(block.lines)
            width = len(block.cells()[0])
            out.append("\n".join([rows[0], "|" + " --- |" * width, *rows[1:]]))
        else:
            out.append(block.lines[0])
    return "\n\n".join(out) + "\n"


def as_html(text: str) -> str:
    """An HTML fragment (the text was escaped for HTML before it reached the template)."""
    out = []
    for block in blocks(text):
        if block.kind == "title":
            out.append(f"<h2>{block.lines[0]}</h2>")
        elif block.kind == "items":
            out.append("<ul>" + "".join(f"<li>{line}</li>" for line in block.lines) + "</ul>")
        elif block.kind == "table":
            header, *rows = block.cells()
            head = "".join(f'<th scope="col">{cell}</th>' for cell in header)
            body = "".join(
                "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            out.append(f"<p>{block.lines[0]}</p>")
    return "\n".join(out) + "\n"


def _document(text: str) -> OpenDocumentText:
    """The odfpy document of the structure (the same styles for every text)."""
    document = OpenDocumentText()
    heading = Style(name="Titre", family="paragraph")
    heading.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
    heading.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
    document.styles.addElement(heading)
    column = Style(name="Colonne", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="4cm"))
    document.automaticstyles.addElement(column)
    for index, block in enumerate(blocks(text)):
        if block.kind == "title":
            document.text.addElement(H(outlinelevel=1, stylename=heading, text=block.lines[0]))
        elif block.kind == "items":
            for line in block.lines:
                document.text.addElement(P(text=f"• {line}"))
        elif block.kind == "table":
            rows = block.cells()
            table = Table(name=f"Tableau{index}")
            for _ in rows[0]:
                table.addElement(TableColumn(stylename=column))
            for row in rows:
                element = TableRow()
                for cell in row:
                    holder = TableCell(valuetype="string")
                    holder.addElement(P(text=cell))
                    element.addElement(holder)
                table.addElement(element)
            document.text.addElement(table)
        else:
            document.text.addElement(P(text=block.lines[0]))
    return document


@functools.cache
def _package_parts() -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    """Every part of a package written by odfpy, once: all texts share them but
    ``content.xml`` (styles, metadata, manifest: the same styles for every text)."""
    buffer = io.BytesIO()
    _document("").write(buffer)
    parts = []
    with zipfile.ZipFile(io.BytesIO(_reproducible(buffer.getvalue()))) as package:
        for info in package.infolist():
            parts.append((info, package.read(info.filename)))
    return tuple(parts)


def as_odt(text: str) -> bytes:
    """An OpenDocument text file (``.odt``) of the structure, as bytes: odfpy writes its
    ``content.xml``; the other parts, the same for every text, are written once."""
    content = _tidy_namespaces(_document(text).contentxml())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info, data in _package_parts():
            package.writestr(info, content if info.filename == "content.xml" else data)
    return out.getvalue()


_DECLARATION = re.compile(rb' xmlns:([\w.-]+)="[^"]*"')
_PREFIX_USE = re.compile(rb"[<\s/]([\w.-]+):[\w.-]+")


def _tidy_namespaces(xml: bytes) -> bytes:
    """The root's namespace declarations reduced to the prefixes the document uses, sorted
    (odfpy declares every namespace any earlier document of the process used)."""
    end = xml.find(b">", xml.find(b"<", xml.find(b"?>") + 2))
    if end < 0:
        return xml
    head, rest = xml[:end], xml[end:]
    declared = {m.group(1): m.group(0) for m in _DECLARATION.finditer(head)}
    bare = _DECLARATION.sub(b"", head)
    used = {m.group(1) for m in _PREFIX_USE.finditer(bare + rest)}
    kept = b"".join(declared[prefix] for prefix in sorted(declared) if prefix in used)
    return bare + kept + rest


def _reproducible(data: bytes) -> bytes:
    """The same package with fixed entry dates and tidy namespaces: one text always gives the
    same bytes (the site's downloads do not change between builds when the record does not)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xml"):
                content = _tidy_namespaces(content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
