"""Rendering a :class:`~inventory.register.validate.CheckResult`: text, GitHub annotations,
JSON or a Code Quality report."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable

from inventory.model import Level, Problem
from inventory.register import messages
from inventory.register.openings import FOLDER as OPENINGS_FOLDER
from inventory.register.validate import CheckResult


def summary(result: CheckResult) -> str:
    """``3 erreurs, 1 avertissement dans 2 fichiers sur 17`` (French plural rules)."""
    checked = messages.plural(len(result.files), "fichier")
    if not result.problems:
        return messages.SUMMARY_CLEAN.format(checked=checked)
    if not result.files:
        return messages.SUMMARY_NO_FILE.format(
            errors=messages.plural(len(result.errors), "erreur"),
            warnings=messages.plural(len(result.warnings), "avertissement"),
        )
    return messages.SUMMARY.format(
        errors=messages.plural(len(result.errors), "erreur"),
        warnings=messages.plural(len(result.warnings), "avertissement"),
        files=messages.plural(result.files_with_problems, "fichier"),
        checked=len(result.files),
    )


def text_line(problem: Problem) -> str:
    """``path:line:column: erreur: message`` (without line and column when unknown)."""
    where = problem.path
    if problem.line is not None:
        where += f":{problem.line}"
        if problem.column is not None:
            where += f":{problem.column}"
    return f"{where}: {problem.level.value}: {problem.message}"


def format_text(result: CheckResult) -> str:
    return "\n".join([*(text_line(p) for p in result.problems), summary(result)])


def _escape_data(text: str) -> str:
    """GitHub workflow-command message escaping."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub workflow-command property escaping (``:`` and ``,`` separate properties)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(problem: Problem, *, title: str | None = None) -> str:
    """``::error file=…,line=…,col=…,title=…::message`` for inline pull-request annotations.

    ``title`` replaces the default title (a record's field), e.g. for ``sources.yml``.
    """
    command = "error" if problem.level is Level.ERROR else "warning"
    properties = [f"file={_escape_property(problem.path)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
    if title is None:
        roadmap = f"/{OPENINGS_FOLDER}/" in f"/{problem.path}"
        name = messages.GITHUB_TITLE_ROADMAP if roadmap else messages.GITHUB_TITLE
        title = f"{name} : {problem.field}" if problem.field else name
    properties.append(f"title={_escape_property(title)}")
    return f"::{command} {','.join(properties)}::{_escape_data(problem.message)}"


def format_github(result: CheckResult) -> str:
    return "\n".join([*(github_line(p) for p in result.problems), summary(result)])


def problem_object(problem: Problem) -> dict[str, object]:
    return {
        "fichier": problem.path,
        "ligne": problem.line,
        "colonne": problem.column,
        "champ": problem.field,
        "niveau": problem.level.value,
        "code": problem.code,
        "message": problem.message,
    }


def format_json(result: CheckResult) -> str:
    document = {
        "problemes": [problem_object(p) for p in result.problems],
        "bilan": {
            "valide": result.ok,
            "erreurs": len(result.errors),
            "avertissements": len(result.warnings),
            "fichiers_concernes": result.files_with_problems,
            "fichiers_verifies": len(result.files),
            "fiches_lues": len(result.records),
            "feuilles_de_route_lues": len(result.roadmaps),
            "message": summary(result),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def codequality_issues(result: CheckResult) -> list[dict[str, object]]:
    """GitLab Code Quality issues: merge requests show each problem inline.

    The fingerprint hashes the file, field, code and message (not the line, so that an
    unrelated edit above does not make a known problem look new), plus a counter for identical
    problems of one file.
    """
    seen: Counter[str] = Counter()
    issues: list[dict[str, object]] = []
    for problem in result.problems:
        key = "\x1f".join((problem.path, problem.field, problem.code, problem.message))
        occurrence = seen[key]
        seen[key] += 1
        fingerprint = hashlib.sha256(f"{key}\x1f{occurrence}".encode()).hexdigest()
        issues.append(
            {
                "description": problem.message,
                "check_name": problem.code or "inventory-check",
                "fingerprint": fingerprint,
                "severity": "major" if problem.level is Level.ERROR else "minor",
                "location": {"path": problem.path, "lines": {"begin": problem.line or 1}},
            }
        )
    return issues


def format_codequality(result: CheckResult) -> str:
    return json.dumps(codequality_issues(result), ensure_ascii=False, indent=2)


FORMATTERS: dict[str, Callable[[CheckResult], str]] = {
    "text": format_text,
    "github": format_github,
    "json": format_json,
    "codequality": format_codequality,
}
