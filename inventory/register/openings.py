"""Announced code openings: the roadmap files of ``ouvertures/`` and their checking.

A ministerial roadmap for data, algorithms and source code commits to opening named source
codes by a date. One YAML file per roadmap (``ouvertures/<identifiant>.yml``, French keys,
``schemas/ouvertures.schema.json``) lists its commitments::

    feuille_de_route: {titre: …, administration: {nom: …}, date: 2021-09-27, url: …}
    engagements:
      - code: HubEE
        echeance: T1 2022          # a quarter, a half-year "S2 2022", a date, or par_defaut
        depot: https://github.com/dinum-HubEE   # a repository or an account; optional

Files are read with the register's safe reader (:func:`inventory.register.records.
load_document`: size cap, libyaml events, line marks, duplicate keys, no aliases nor tags),
checked against the schema with the same French, located messages as records, then with the
rules the schema cannot state: each deadline parsed (:func:`parse_deadline`, with a
suggestion for the usual mistakes), one commitment per code in a roadmap, a deadline before
the roadmap's own date, and a ``depot`` that cannot be tracked (allowed, reported): not the
address of a crawled forge, or, when ``sources.yml`` is known, of an account it does not
list. Whether a commitment was kept is computed against the crawl by
:mod:`inventory.insights.openings`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from inventory.model import Level, Problem
from inventory.register import messages
from inventory.register.records import ID_PATTERN, find_mark, load_document, slug
from inventory.register.schema import validate_document
from inventory.text import fold

FOLDER = "ouvertures"
SCHEMA = "ouvertures.schema.json"
BY_DEFAULT = "par_defaut"
#: Hosts that are forges without a crawl configuration saying so.
DEFAULT_FORGE_HOSTS = frozenset({"github.com", "gitlab.com"})

QUARTER = "trimestre"
HALF_YEAR = "semestre"
DAY = "date"
DEFAULT = BY_DEFAULT

_QUARTER = re.compile(r"^T([1-4])\s+((?:19|20|21)[0-9]{2})$", re.IGNORECASE)
_HALF = re.compile(r"^S([12])\s+((?:19|20|21)[0-9]{2})$", re.IGNORECASE)
_ISO_DAY = re.compile(r"^((?:19|20|21)[0-9]{2})-([0-9]{2})-([0-9]{2})$")
# Usual mistakes, each with the form it most likely meant.
_ENGLISH_QUARTER = re.compile(r"^Q([1-4])\s*[- ]?\s*([0-9]{4})$", re.IGNORECASE)
_ENGLISH_HALF = re.compile(r"^H([12])\s*[- ]?\s*([0-9]{4})$", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^([0-9]{4})\s*[- /]?\s*([TSQH])([1-4])$", re.IGNORECASE)
_GLUED = re.compile(r"^([TS])([1-4])\s*[-/]?\s*([0-9]{4})$", re.IGNORECASE)
_FRENCH_DAY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_YEAR = re.compile(r"^([0-9]{4})$")


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, with the last day it allows (``None``: open by default)."""

    text: str
    kind: str  # QUARTER, HALF_YEAR, DAY or DEFAULT
    last_day: date | None
    first_day: date | None = None

    @property
    def by_default(self) -> bool:
        return self.kind == DEFAULT

    def label(self) -> str:
        """French text: ``T4 2021``, ``S2 2022``, ``31/03/2022`` or ``par défaut``."""
        if self.kind == DEFAULT or self.last_day is None:
            return "par défaut"
        if self.kind == DAY:
            return self.last_day.strftime("%d/%m/%Y")
        return self.text


def quarter_label(day: date) -> str:
    """The quarter of ``day`` as the format writes it: ``T3 2021``."""
    return f"T{(day.month - 1) // 3 + 1} {day.year}"


def parse_deadline(value: object) -> Deadline | None:
    """The deadline written ``value``, or None when it is not one of the four forms."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if text == BY_DEFAULT:
        return Deadline(text, DEFAULT, None)
    match = _QUARTER.match(text)
    if match:
        quarter, year = int(match.group(1)), int(match.group(2))
        last_month = 3 * quarter
        last = date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Deadline(f"T{quarter} {year}", QUARTER, last, date(year, last_month - 2, 1))
    match = _HALF.match(text)
    if match:
        half, year = int(match.group(1)), int(match.group(2))
        last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        first = date(year, 1, 1) if half == 1 else date(year, 7, 1)
        return Deadline(f"S{half} {year}", HALF_YEAR, last, first)
    match = _ISO_DAY.match(text)
    if match:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
        return Deadline(text, DAY, day, day)
    return None


def deadline_hint(value: object) -> str:
    """The French advice for a deadline that :func:`parse_deadline` refused."""
    text = " ".join(str(value).split()) if value is not None else ""
    for pattern, build in (
        (_ENGLISH_QUARTER, lambda m: f"T{m.group(1)} {m.group(2)}"),
        (_ENGLISH_HALF, lambda m: f"S{m.group(1)} {m.group(2)}"),
        (_GLUED, lambda m: f"{m.group(1).upper()}{m.group(2)} {m.group(3)}"),
    ):
        match = pattern.match(text)
        if match and parse_deadline(build(match)) is not None:
            return messages.OPENINGS["hint-did-you-mean"].format(suggestion=build(match))
    match = _YEAR_FIRST.match(text)
    if match:
        letter = {"Q": "T", "H": "S"}.get(match.group(2).upper(), match.group(2).upper())
        suggestion = f"{letter}{match.group(3)} {match.group(1)}"
        if parse_deadline(suggestion) is not None:
            return messages.OPENINGS["hint-did-you-mean"].format(suggestion=suggestion)
    match = _FRENCH_DAY.match(text)
    if match:
        suggestion = f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}"
        return messages.OPENINGS["hint-did-you-mean"].format(suggestion=suggestion)
    if fold(text).replace(" ", "_").replace("-", "_") in {"par_defaut", "pardefaut", "defaut"}:
        return messages.OPENINGS["hint-did-you-mean"].format(suggestion=BY_DEFAULT)
    match = _YEAR.match(text)
    if match:
        return messages.OPENINGS["hint-year"].format(year=match.group(1))
    if _ISO_DAY.match(text):
        return messages.OPENINGS["hint-impossible-day"]
    if re.match(r"^[TSQH][0-9]", text, re.IGNORECASE):
        return messages.OPENINGS["hint-period-number"]
    return ""


@dataclass(frozen=True)
class Body:
    """An administration as a roadmap names it."""

    nom: str
    sigle: str = ""
    pso_id: str = ""

    @classmethod
    def from_data(cls, data: object, default: Body | None = None) -> Body:
        if not isinstance(data, Mapping):
            return default or cls("")
        return cls(_text(data.get("nom")), _text(data.get("sigle")), _text(data.get("pso_id")))

    def label(self) -> str:
        return f"{self.nom} ({self.sigle})" if self.sigle and self.sigle != self.nom else self.nom


@dataclass(frozen=True)
class Commitment:
    """One announced opening: a named code, its deadline, where it should appear."""

    roadmap_id: str
    position: int  # 0-based place in ``engagements``
    code: str
    administration: Body
    deadline: Deadline
    depot: str = ""
    note: str = ""
    line: int | None = None
    action: str = ""

    @cached_property
    def id(self) -> str:
        """Stable identifier: ``<roadmap>/<slug of the code>`` (codes are unique in a roadmap)."""
        return f"{self.roadmap_id}/{slug(self.code)}"


@dataclass(frozen=True)
class Roadmap:
    """One roadmap file and its commitments, in file order."""

    id: str
    path: Path
    title: str
    administration: Body
    published: date
    url: str
    commitments: tuple[Commitment, ...]

    @property
    def source_file(self) -> str:
        return f"{FOLDER}/{self.path.name}"


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


@dataclass(frozen=True)
class Crawled:
    """What ``sources.yml`` says is crawled: accounts (``host/owner``) and whole forges
    (``host``), lower-cased. Empty: unknown (no sources file), only the default forges."""

    accounts: frozenset[str] = frozenset()
    forges: frozenset[str] = frozenset()

    @classmethod
    def of(cls, targets: Iterable[str]) -> Crawled:
        keys = {t.strip().lower().strip("/") for t in targets if t and t.strip()}
        return cls(
            accounts=frozenset(k for k in keys if "/" in k),
            forges=frozenset(k for k in keys if "/" not in k),
        )

    @property
    def hosts(self) -> frozenset[str]:
        return self.forges | {a.partition("/")[0] for a in self.accounts} | DEFAULT_FORGE_HOSTS

    @property
    def known(self) -> bool:
        return bool(self.accounts or self.forges)

    def covers(self, host: str, segments: tuple[str, ...]) -> bool:
        """Whether the account (or group, at any depth) holding this address is crawled."""
        if host in self.forges:
            return True
        parts = [s.lower() for s in segments]
        return any("/".join([host, *parts[:n]]) in self.accounts for n in range(1, len(parts) + 1))


def forge_address(url: str, crawled: Crawled) -> tuple[str, tuple[str, ...]] | None:
    """``(host, path segments)`` when ``url`` names an account or repository on a forge."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = tuple(s for s in parts.path.split("/") if s)
    if parts.scheme not in {"http", "https"} or host not in crawled.hosts or not segments:
        return None
    return host, segments


def _depot_problem(
    depot: object,
    where: str,
    shown: str,
    marks: Mapping[str, tuple[int, int]],
    crawled: Crawled,
) -> Problem | None:
    """A warning when the ``depot`` cannot be tracked: not on a forge, or on an account
    that ``sources.yml`` does not list."""
    if not isinstance(depot, str) or not depot.strip():
        return None
    field = f"{where}.depot"
    address = forge_address(depot, crawled)
    if address is None:
        host = (urlsplit(depot.strip()).hostname or depot).lower()
        message = messages.OPENINGS["not-trackable"].format(field=field, host=host)
        return _problem(shown, marks, field, message, "ouvertures-non-suivi", Level.WARNING)
    host, segments = address
    if crawled.known and not crawled.covers(host, segments):
        account = f"{host}/{segments[0]}"
        message = messages.OPENINGS["account-not-crawled"].format(field=field, account=account)
        return _problem(
            shown, marks, field, message, "ouvertures-compte-non-moissonne", Level.WARNING
        )
    return None


@dataclass(frozen=True)
class OpeningsCheck:
    """The roadmaps read (the files without errors) and every problem found."""

    roadmaps: tuple[Roadmap, ...]
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]


def _problem(
    shown: str,
    marks: Mapping[str, tuple[int, int]],
    field: str,
    message: str,
    code: str,
    level: Level = Level.ERROR,
) -> Problem:
    line, column = find_mark(marks, field)
    return Problem(shown, line, column, field, message, level, code)


def _file_problems(path: Path, shown: str) -> list[Problem]:
    if ID_PATTERN.match(path.stem):
        return []
    example = slug(path.stem) + ".yml"
    message = messages.OPENINGS["bad-name"].format(name=path.name, example=example)
    return [Problem(shown, None, None, "", message, code="ouvertures-nom")]


def _rules(
    data: Mapping[str, Any],
    marks: Mapping[str, tuple[int, int]],
    shown: str,
    crawled: Crawled,
) -> list[Problem]:
    """What the schema cannot say: deadlines, duplicates, dates, trackable addresses."""
    problems: list[Problem] = []
    roadmap = data.get("feuille_de_route")
    published = None
    if isinstance(roadmap, Mapping) and isinstance(roadmap.get("date"), str):
        try:
            published = date.fromisoformat(roadmap["date"])
        except ValueError:
            published = None
    seen: dict[str, int] = {}
    commitments = data.get("engagements")
    for position, item in enumerate(commitments if isinstance(commitments, list) else ()):
        if not isinstance(item, Mapping):
            continue
        where = f"engagements[{position}]"
        raw = item.get("echeance")
        if isinstance(raw, str) and raw.strip():
            deadline = parse_deadline(raw)
            if deadline is None:
                message = messages.OPENINGS["bad-deadline"].format(
                    field=f"{where}.echeance", value=" ".join(raw.split()), hint=deadline_hint(raw)
                )
                problems.append(
                    _problem(shown, marks, f"{where}.echeance", message, "ouvertures-echeance")
                )
            elif (
                published is not None
                and deadline.last_day is not None
                and deadline.last_day < published
            ):
                message = messages.OPENINGS["deadline-before-roadmap"].format(
                    field=f"{where}.echeance",
                    deadline=deadline.label(),
                    published=published.strftime("%d/%m/%Y"),
                )
                problems.append(
                    _problem(
                        shown,
                        marks,
                        f"{where}.echeance",
                        message,
                        "ouvertures-echeance-anterieure",
                        Level.WARNING,
                    )
                )
        code = item.get("code")
        if isinstance(code, str) and code.strip():
            key = fold(" ".join(code.split()))
            if key in seen:
                first = find_mark(marks, f"engagements[{seen[key]}]")[0]
                message = messages.OPENINGS["duplicate-code"].format(
                    field=f"{where}.code", code=" ".join(code.split()), line=first or "?"
                )
                problems.append(
                    _problem(shown, marks, f"{where}.code", message, "ouvertures-doublon")
                )
            else:
                seen[key] = position
        depot_problem = _depot_problem(item.get("depot"), where, shown, marks, crawled)
        if depot_problem is not None:
            problems.append(depot_problem)
    return problems


def _build(path: Path, data: Mapping[str, Any], marks: Mapping[str, tuple[int, int]]) -> Roadmap:
    """The roadmap of a file that passed every check."""
    head = data["feuille_de_route"]
    body = Body.from_data(head.get("administration"))
    commitments = []
    for position, item in enumerate(data["engagements"]):
        deadline = parse_deadline(item["echeance"])
        assert deadline is not None  # checked
        commitments.append(
            Commitment(
                roadmap_id=path.stem,
                position=position,
                code=_text(item["code"]),
                administration=Body.from_data(item.get("administration"), body),
                deadline=deadline,
                depot=_text(item.get("depot")),
                note=_text(item.get("note")),
                line=find_mark(marks, f"engagements[{position}]")[0],
                action=_text(item.get("action")),
            )
        )
    return Roadmap(
        id=path.stem,
        path=path,
        title=_text(head["titre"]),
        administration=body,
        published=date.fromisoformat(head["date"]),
        url=_text(head.get("url")),
        commitments=tuple(commitments),
    )


def load_roadmap(path: Path, crawled: Iterable[str] = ()) -> tuple[Roadmap | None, list[Problem]]:
    """Read and check one roadmap file: the roadmap (``None`` when it has an error) and
    every problem found (``crawled``: the accounts of ``sources.yml``, ``host/owner``, or a
    whole forge, ``host``)."""
    path = Path(path)
    shown = path.as_posix()
    problems = _file_problems(path, shown)
    data, marks, found = load_document(path)
    problems.extend(found)
    if data is None:
        return None, problems
    problems.extend(validate_document(data, marks, shown, SCHEMA))
    problems.extend(_rules(data, marks, shown, Crawled.of(crawled)))
    if any(p.level is Level.ERROR for p in problems):
        return None, problems
    return _build(path, data, marks), problems


def is_roadmap_path(path: Path) -> bool:
    """Whether a file given to ``inventory check`` is a roadmap (it lies in ``ouvertures/``)."""
    return Path(path).resolve().parent.name == FOLDER


def roadmap_files(folder: Path) -> list[Path]:
    """The roadmap files of ``folder`` (not recursive, hidden files skipped), sorted."""
    if not Path(folder).is_dir():
        return []
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.suffix in (".yml", ".yaml") and not p.name.startswith(".") and p.is_file()
    )


def check_roadmaps(files: Iterable[Path], crawled: Iterable[str] = ()) -> OpeningsCheck:
    """Check roadmap files; the roadmaps of the files without error, in file order."""
    targets = tuple(crawled)
    roadmaps: list[Roadmap] = []
    problems: list[Problem] = []
    checked: list[Path] = []
    for path in files:
        checked.append(Path(path))
        roadmap, found = load_roadmap(path, targets)
        problems.extend(found)
        if roadmap is not None:
            roadmaps.append(roadmap)
    return OpeningsCheck(tuple(roadmaps), tuple(problems), tuple(checked))


def load_roadmaps(folder: Path, crawled: Iterable[str] = ()) -> OpeningsCheck:
    """Every roadmap of ``folder`` (``ouvertures/``), checked."""
    return check_roadmaps(roadmap_files(folder), crawled)
