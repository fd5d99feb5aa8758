"""Reading one algorithm record: safe YAML with line marks, in one libyaml pass.

The file's events come from libyaml's C parser (``yaml.CSafeLoader``); this module composes
them into plain Python values itself, which lets it, in the same pass:

* keep the 1-based ``(line, column)`` of every key and list item (:attr:`Record.marks`);
* refuse what safe loading must not accept: aliases and anchors (a small file must not expand
  into millions of nodes), any tag but the core scalar ones (``!!python/...`` included), and
  duplicate keys (YAML would silently keep the last one);
* keep dates as written (``"2025-03-31"``), so that the schema sees the same string whether the
  date was quoted or not; :attr:`Record.data` then holds ``date_mise_a_jour`` as a
  :class:`datetime.date` when it is a real calendar date.

Scalars follow YAML 1.2's core schema where YAML 1.1 surprises French writers: ``oui``, ``non``,
``yes``, ``no``, ``on``, ``off`` stay text; only ``true``/``false`` are booleans.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from inventory.model import Problem, Record
from inventory.register import messages

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EXTENSIONS = (".yml", ".yaml")
DATE_FIELD = "date_mise_a_jour"
DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
# Explicit tags a writer may use: the core scalar ones, nothing else.
_ALLOWED_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL})
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_BUILDERS: dict[str, Callable[[ScalarNode], Any]] = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _NULL: _CONSTRUCTOR.construct_yaml_null,
}
_BOOLEANS = {"true": True, "false": False}


# Records nest three levels deep; anything far deeper is refused before Python's recursion
# limit could be reached.
MAX_DEPTH = 32


class _TooDeep(Exception):
    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


def _mark(event: Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Composer:
    """Builds plain values from libyaml events, recording marks and structural problems."""

    def __init__(self, text: str, shown: str) -> None:
        self.loader = yaml.CSafeLoader(text)
        self.shown = shown
        self.marks: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.depth = 0

    def problem(self, event: Event, field: str, code: str, message: str) -> None:
        line, column = _mark(event)
        self.problems.append(Problem(self.shown, line, column, field, message, code=code))

    def document(self) -> tuple[Any, Event | None]:
        """The single document's value (``None`` for an empty stream) and its first event."""
        get = self.loader.get_event
        try:
            get()  # stream start
            event = get()
            if isinstance(event, StreamEndEvent):
                return None, None
            first = get()  # the document start was `event`; `first` is its root node
            value = self.node(first, "")
            get()  # document end
            event = get()
            if not isinstance(event, StreamEndEvent):
                self.problem(
                    event, "", "yaml-multiple-documents", messages.FILE["multiple-documents"]
                )
            return value, first
        finally:
            self.loader.dispose()

    def node(self, event: Event, path: str) -> Any:
        kind = type(event)
        if kind is AliasEvent:
            self.problem(
                event, path, "yaml-alias", messages.YAML["alias"].format(anchor=event.anchor)
            )
            return None
        if event.anchor is not None:
            self.problem(
                event, path, "yaml-anchor", messages.YAML["anchor"].format(anchor=event.anchor)
            )
        if kind is ScalarEvent:
            return self.scalar(event, path)
        if event.tag is not None:
            self.problem(
                event, path, "yaml-tag", messages.YAML["tag"].format(tag=_short_tag(event.tag))
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(event)
        try:
            if kind is MappingStartEvent:
                return self.mapping(path)
            return self.sequence(path)
        finally:
            self.depth -= 1

    def scalar(self, event: ScalarEvent, path: str) -> Any:
        tag, value = event.tag, event.value
        if tag is None:
            if not event.implicit[0]:  # quoted or block scalar: text
                return value
            tag = self.loader.resolve(ScalarNode, value, (True, False))
        elif tag == "!":
            return value
        elif tag not in _ALLOWED_TAGS:
            self.problem(event, path, "yaml-tag", messages.YAML["tag"].format(tag=_short_tag(tag)))
            return value
        if tag in (_STR, _TIMESTAMP):
            return value
        if tag == _BOOL:
            return _BOOLEANS.get(value.lower(), value)
        if tag == _INT and ":" in value:  # YAML 1.1 base 60 (`1:30`): text in YAML 1.2
            return value
        try:
            return _BUILDERS[tag](ScalarNode(tag, value))
        except (ValueError, KeyError):
            return value

    def mapping(self, path: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        get = self.loader.get_event
        while True:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent:
                return result
            if kind is not ScalarEvent:
                self.problem(event, path, "yaml-complex-key", messages.YAML["complex-key"])
                self.node(event, path)
                self.node(get(), path)
                continue
            key = event.value
            child = f"{path}.{key}" if path else key
            if event.anchor is not None or event.tag not in (None, "!", _STR):
                self.node(event, child)  # reports the anchor or tag
            value = self.node(get(), child)
            if key in result:
                first = self.marks[child][0]
                self.problem(
                    event,
                    child,
                    "yaml-duplicate-key",
                    messages.YAML["duplicate-key"].format(key=key, first=first),
                )
                continue
            self.marks[child] = _mark(event)
            result[key] = value

    def sequence(self, path: str) -> list[Any]:
        result: list[Any] = []
        get = self.loader.get_event
        while True:
            event = get()
            if type(event) is SequenceEndEvent:
                return result
            child = f"{path}[{len(result)}]"
            self.marks[child] = _mark(event)
            result.append(self.node(event, child))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def slug(text: str) -> str:
    """A valid identifier close to ``text`` (accents dropped, separators as ``-``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "mon-algorithme"


def _file_problem(shown: str, key: str, code: str, **values: object) -> Problem:
    """A problem with the file as a whole (no line: it was not parsed), worded by ``key``."""
    return Problem(shown, None, None, "", messages.FILE[key].format(**values), code=code)


def _location_problems(path: Path, root: Path, shown: str) -> tuple[str, list[Problem]]:
    """The record's folder name, and problems with its file name or place in the tree."""
    problems: list[Problem] = []
    name = path.name
    if not ID_PATTERN.match(path.stem):
        example = slug(path.stem) + ".yml"
        problems.append(_file_problem(shown, "bad-name", "file-name", name=name, example=example))
    parent = os.path.abspath(path.parent)
    relative = os.path.relpath(parent, os.path.abspath(root))
    if relative == ".":
        problems.append(_file_problem(shown, "no-folder", "file-place", name=name))
    elif not relative.startswith("..") and os.sep in relative:
        problems.append(
            _file_problem(
                shown, "too-deep", "file-place", folder=Path(relative).as_posix(), name=name
            )
        )
    return os.path.basename(parent), problems


def _read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The file's UTF-8 text, or the problem that prevents reading it."""

    def refused(key: str, code: str, **values: object) -> tuple[None, list[Problem]]:
        return None, [_file_problem(shown, key, code, **values)]

    def too_large(size: int) -> tuple[None, list[Problem]]:
        size_text = f"{size / 1024:.0f} Kio"
        return refused("too-large", "file-size", size=size_text, limit=messages.MAX_FILE_LABEL)

    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO or device would block or never end
            return refused("not-regular", "file-read")
        if status.st_size > messages.MAX_FILE_BYTES:
            return too_large(status.st_size)
        with path.open("rb") as handle:
            raw = handle.read(messages.MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = messages.OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
        return refused("unreadable", "file-read", reason=reason)
    if len(raw) > messages.MAX_FILE_BYTES:  # grew since stat
        return too_large(len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = messages.FILE["encoding"].format(byte=raw[exc.start])
        return None, [Problem(shown, line, column, "", message, code="file-encoding")]
    return text.removeprefix("\ufeff"), []


def _tab_problems(text: str, shown: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "\t" in line:
            problems.append(
                Problem(
                    shown, number, line.index("\t") + 1, "", messages.FILE["tab"], code="yaml-tab"
                )
            )
    return problems


def _syntax_problem(exc: yaml.YAMLError, text: str, shown: str) -> Problem:
    """A French, located message for libyaml's error."""
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: no marks, a position
        data = text.encode("utf-8")  # libyaml reads UTF-8: its position counts bytes
        start = data.rfind(b"\n", 0, exc.position) + 1
        line = data.count(b"\n", 0, exc.position) + 1
        column = len(data[start : exc.position].decode("utf-8", "replace")) + 1
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = messages.YAML["control-character"].format(code=f"{character:04X}")
        return Problem(shown, line, column, "", message, code="yaml-syntax")
    problem = str(getattr(exc, "problem", None) or exc)
    mark = getattr(exc, "problem_mark", None)
    known = messages.YAML_PROBLEMS.get(problem)
    problem_text = known or messages.YAML["unknown-problem"].format(
        problem=" ".join(problem.split())
    )
    context = messages.YAML_CONTEXTS.get(str(getattr(exc, "context", None)))
    if context:
        message = messages.YAML["syntax-context"].format(problem=problem_text, context=context)
    else:
        message = messages.YAML["syntax"].format(problem=problem_text)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Problem(shown, line, column, "", message, code="yaml-syntax")


def _is_depth_limit(exc: yaml.YAMLError) -> bool:
    """Whether libyaml refused the text for its nesting depth.

    The libyaml of recent PyYAML wheels caps nesting while it scans ahead, before our composer
    could count the levels: the same refusal, reported the same way.
    """
    return "maximum nesting depth" in str(getattr(exc, "problem", "") or "")


def _depth_problem(shown: str, line: int | None, column: int | None) -> Problem:
    message = messages.YAML["too-deep"].format(limit=MAX_DEPTH)
    return Problem(shown, line, column, "", message, code="yaml-depth")


def _as_date(value: Any) -> Any:
    if isinstance(value, str) and DATE_TEXT.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def load_record(path: Path, root: Path) -> tuple[Record | None, list[Problem]]:
    """Read the record at ``path`` (``root`` is the register's folder, ``algorithms/``).

    Returns the record (``None`` when the file cannot be read as a YAML mapping) and every
    problem found while reading it: file name, place, size, encoding, YAML syntax and
    structure. Schema and cross-record checks are :mod:`inventory.register.validate`'s job.
    """
    path = Path(path)
    shown = path.as_posix()
    folder, problems = _location_problems(path, Path(root), shown)
    text, read_problems = _read_text(path, shown)
    problems.extend(read_problems)
    if text is None:
        return None, problems
    value, marks, parse_problems = parse_text(text, shown)
    problems.extend(parse_problems)
    if value is None:
        return None, problems
    record = Record(id=path.stem, folder=folder, path=path, data=value, marks=marks)
    return record, problems


def load_document(
    path: Path,
) -> tuple[dict[str, Any] | None, dict[str, tuple[int, int]], list[Problem]]:
    """Any register file (a record, a roadmap) read safely: its mapping (``None`` when it
    cannot be read as one), the marks of its keys and the problems met while reading it."""
    shown = Path(path).as_posix()
    text, problems = _read_text(Path(path), shown)
    if text is None:
        return None, {}, problems
    value, marks, found = parse_text(text, shown)
    return value, marks, [*problems, *found]


def parse_text(
    text: str, shown: str
) -> tuple[dict[str, Any] | None, dict[str, tuple[int, int]], list[Problem]]:
    """A record's text read safely: its mapping (``None`` when it is not one), the marks of
    its keys and the problems found (YAML syntax and structure; ``shown`` names the file)."""
    marks: dict[str, tuple[int, int]] = {}
    tabs = _tab_problems(text, shown)
    if tabs:
        return None, marks, tabs
    problems: list[Problem] = []
    composer = _Composer(text, shown)
    try:
        value, first = composer.document()
    except yaml.YAMLError as exc:
        if _is_depth_limit(exc):  # libyaml's own nesting limit, hit while scanning ahead
            mark = getattr(exc, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
            return None, marks, [_depth_problem(shown, line, column)]
        return None, marks, [_syntax_problem(exc, text, shown)]
    except _TooDeep as exc:
        return None, marks, [_depth_problem(shown, *_mark(exc.event))]
    problems.extend(composer.problems)
    if value is None or value == "":
        problems.append(_file_problem(shown, "empty", "file-empty"))
        return None, marks, problems
    if not isinstance(value, dict):
        kind = "sequence" if isinstance(value, list) else "scalar"
        line, column = _mark(first) if first is not None else (None, None)
        message = messages.FILE["not-mapping"].format(found=messages.FOUND_KIND[kind])
        problems.append(Problem(shown, line, column, "", message, code="file-not-mapping"))
        return None, marks, problems
    if first is not None:
        composer.marks[""] = _mark(first)
    if DATE_FIELD in value:
        value[DATE_FIELD] = _as_date(value[DATE_FIELD])
    return value, composer.marks, problems


def read_version(raw: bytes, shown: str) -> tuple[dict[str, Any] | None, str]:
    """One earlier version of a record (bytes from git, untrusted): its data, or ``None``
    and the French reason it cannot be read (size, encoding, YAML).

    A register's history holds many versions: most are read by :class:`_ValueComposer`
    (same values, no marks); anything it does not settle is read again by :func:`parse_text`,
    whose result and reason are the ones given."""
    if len(raw) > messages.MAX_FILE_BYTES:
        size = f"{len(raw) / 1024:.0f} Kio"
        return None, messages.FILE["too-large"].format(size=size, limit=messages.MAX_FILE_LABEL)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return None, messages.FILE["encoding"].format(byte=raw[exc.start])
    quick = _quick_value(text)
    if quick is not None:
        return quick, ""
    value, _, problems = parse_text(text, shown)
    if value is None:
        return None, problems[0].message if problems else messages.FILE["empty"]
    return value, ""


class _Unsettled(Exception):
    """The quick reading met something only the careful one words (or refuses)."""


# First characters of the plain scalars the loader may resolve to another type than text.
_IMPLICIT = yaml.CSafeLoader.yaml_implicit_resolvers
_RESOLVED_FIRST = frozenset(key for key in _IMPLICIT if key)
_WILDCARD = None in _IMPLICIT
# Plain scalars the resolver turned into values (numbers, dates, words): the versions of a
# record repeat most of them. Bounded; the values are immutable (text, numbers, booleans).
_RESOLVED: dict[str, Any] = {}
_MAX_RESOLVED = 50_000


class _ValueComposer(_Composer):
    """The values :class:`_Composer` builds, without marks or paths: any problem (alias,
    anchor, tag, complex or duplicate key, several documents, depth) stops it."""

    def problem(self, event: Event, field: str, code: str, message: str) -> None:
        raise _Unsettled

    def node(self, event: Event, path: str) -> Any:
        kind = type(event)
        if event.anchor is not None or kind is AliasEvent:
            raise _Unsettled
        if kind is ScalarEvent:
            value = event.value
            if event.tag is not None:
                return self.scalar(event, path)
            if not event.implicit[0] or (
                value and not _WILDCARD and value[0] not in _RESOLVED_FIRST
            ):
                return value  # text, whatever the resolver
            found = _RESOLVED.get(value, _RESOLVED)
            if found is _RESOLVED:
                found = self.scalar(event, path)
                if len(_RESOLVED) < _MAX_RESOLVED:
                    _RESOLVED[value] = found
            return found
        if event.tag is not None or self.depth >= MAX_DEPTH:
            raise _Unsettled
        self.depth += 1
        value = self.mapping(path) if kind is MappingStartEvent else self.sequence(path)
        self.depth -= 1
        return value

    def mapping(self, path: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        get = self.loader.get_event
        while True:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent:
                return result
            if kind is not ScalarEvent or event.anchor is not None or event.tag is not None:
                raise _Unsettled
            key = event.value
            if key in result:
                raise _Unsettled
            result[key] = self.node(get(), path)

    def sequence(self, path: str) -> list[Any]:
        result: list[Any] = []
        get = self.loader.get_event
        while True:
            event = get()
            if type(event) is SequenceEndEvent:
                return result
            result.append(self.node(event, path))


def _quick_value(text: str) -> dict[str, Any] | None:
    """The record's mapping when :class:`_ValueComposer` reads it without a problem."""
    if "\t" in text:
        return None
    try:
        value, _ = _ValueComposer(text, "").document()
    except (yaml.YAMLError, _TooDeep, _Unsettled):
        return None
    if not isinstance(value, dict) or not value:
        return None
    if DATE_FIELD in value:
        value[DATE_FIELD] = _as_date(value[DATE_FIELD])
    return value


def as_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """The record's data as JSON values (its date as an ISO ``YYYY-MM-DD`` string)."""
    result = dict(data)
    value = result.get(DATE_FIELD)
    if isinstance(value, date):
        result[DATE_FIELD] = value.isoformat()
    return result


def find_mark(marks: Mapping[str, tuple[int, int]], field: str) -> tuple[int | None, int | None]:
    """The mark of ``field``, else of its closest located parent, else ``(None, None)``."""
    while True:
        mark = marks.get(field)
        if mark is not None:
            return mark
        if not field:
            return None, None
        cut = max(field.rfind("."), field.rfind("["))
        field = field[:cut] if cut > 0 else ""
