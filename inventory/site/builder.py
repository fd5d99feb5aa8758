"""``inventory build``: check the records, generate ``build/docs/``, render it with MkDocs.

Page generation stays in this package, writing plain files; MkDocs (``mkdocs.yml`` at the
project root) only renders them: no hooks, no gen-files, no macros.

The generated tree is written into a fresh staging folder next to ``build/docs/`` and swapped
in only when complete, so a failure leaves either the previous tree or none, never a mix.

The steps: read the crawl database (:func:`inventory.catalogue.store.read_snapshot`) and check
the records; compute the joins once (:attr:`SiteData.insights`); write the open data
(:func:`inventory.exports.publish.write_all`, the function ``inventory export`` calls) and the
pages; render with MkDocs. ``inventory build --timings`` prints the time of each step.

Performance devices, each kept because ``benchmarks/bench_build_devices.py`` showed that it
saves at least 5 % of the build (:class:`Devices`; figures in its docstring).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.catalogue.sources import crawl_targets
from inventory.catalogue.store import read_snapshot
from inventory.errors import SiteError
from inventory.exports.publish import Published, write_all
from inventory.insights.history import read_history
from inventory.model import Record
from inventory.site import (
    administrations,
    algorithms,
    data,
    format,
    health_page,
    history,
    home,
    insights,
    openings,
    repositories,
    rights,
)
from inventory.site.background import Task
from inventory.site.devices import Devices
from inventory.site.phases import Phases
from inventory.site.sitedata import DEFAULT_REPO_URL, SiteData

CONFIG = "mkdocs.yml"
SOURCES = "site"
OPENINGS = "ouvertures"
OVERRIDES = "overrides"
DOCS = Path("build") / "docs"


class RecordsInvalid(SiteError):
    """The records have errors: the site is not built. ``result`` holds the check result."""

    def __init__(self, result: Any) -> None:
        super().__init__(
            f"{len(result.errors)} erreur(s) dans les fiches d'algorithmes ou les feuilles de "
            "route : le site n'est pas construit."
        )
        self.result = result


@dataclass(frozen=True)
class BuildSummary:
    pages: int
    algorithms: int
    administrations: int
    repositories: int
    crawled: bool
    docs: Path
    out: Path
    seconds: float
    mkdocs_seconds: float
    warnings: tuple[str, ...] = ()
    #: ``(French label, seconds)`` of each step, in order; steps run beside the main line
    #: (in a child process) say so in their label.
    phases: tuple[tuple[str, float], ...] = ()


# --- configuration -----------------------------------------------------------------------------


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even if it holds tags meant for MkDocs (``!ENV``, ``!!python/name``)."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read_config(project: Path) -> Mapping[str, Any]:
    path = project / CONFIG
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except FileNotFoundError as exc:
        raise SiteError(f"{path} est introuvable : impossible de construire le site") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SiteError(f"{path} est illisible : {exc}") from exc
    if not isinstance(loaded, Mapping):
        raise SiteError(f"{path} doit être un dictionnaire YAML")
    return loaded


def project_repository(config: Mapping[str, Any]) -> tuple[str, str]:
    """``(url, branch)`` of the project repository, from ``extra.depot`` in mkdocs.yml."""
    extra = config.get("extra") if isinstance(config.get("extra"), Mapping) else {}
    depot = extra.get("depot") if isinstance(extra.get("depot"), Mapping) else {}
    url = str(depot.get("url") or config.get("repo_url") or DEFAULT_REPO_URL).rstrip("/")
    branch = str(depot.get("branche") or "main")
    return url, branch


# --- loading -----------------------------------------------------------------------------------


def check_records(paths: Sequence[Path], crawled: Sequence[str] = ()) -> Any:
    """Run ``inventory check`` on ``paths``; raise :class:`RecordsInvalid` on any error."""
    from inventory.register.validate import check_paths

    result = check_paths(list(paths), crawled=crawled)
    if not result.ok:
        raise RecordsInvalid(result)
    return result


def _relative_files(records: Iterable[Record], project: Path) -> dict[str, str]:
    files = {}
    root = project.resolve()
    for record in records:
        try:
            files[record.id] = record.path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
    return files


def _example(records: Sequence[Record]) -> tuple[str, str] | None:
    """The fullest record (most fields filled) as ``(file name, YAML text)``."""

    def weight(record: Record) -> tuple[int, int, str]:
        return (
            len(record.data),
            sum(len(v) for v in record.data.values() if isinstance(v, list)),
            record.id,
        )

    for record in sorted(records, key=weight, reverse=True):
        try:
            return record.path.name, record.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return None


# --- generation --------------------------------------------------------------------------------


def copy_sources(sources: Path, docs: Path) -> None:
    """Copy every file of ``site/`` except the theme overrides into ``docs``."""
    if not sources.is_dir():
        return
    for entry in sources.iterdir():
        if entry.name == OVERRIDES:
            continue
        if entry.is_dir():
            shutil.copytree(entry, docs / entry.name, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, docs / entry.name)


class _Writer:
    """Writes generated files under ``docs``, creating each folder once."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self._folders: set[Path] = set()

    def _target(self, relative: str) -> Path:
        target = self.docs / relative
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def write(self, relative: str, text: str) -> None:
        self._target(relative).write_text(text, encoding="utf-8")

    def write_bytes(self, relative: str, content: bytes) -> None:
        self._target(relative).write_bytes(content)

    def write_all(self, groups: Iterable[Iterable[tuple[str, str]]]) -> int:
        """Write every ``(path, text)``; the number of Markdown pages among them."""
        count = 0
        for group in groups:
            for relative, text in group:
                self.write(relative, text)
                count += relative.endswith(".md")
        return count


def _finish(tasks: Sequence[Task[tuple[str, ...]]], phases: Phases) -> tuple[str, ...]:
    """Wait for every task; their notes, or the first error once all have stopped."""
    notes: list[str] = []
    error: BaseException | None = None
    with phases("attente des étapes parallèles"):
        for task in tasks:
            try:
                notes.extend(task.result())
            except Exception as exc:  # raised below, once the others have stopped
                error = error or exc
            phases.add(f"{task.label} (en parallèle)", task.seconds)
    if error is not None:
        raise error
    return tuple(notes)


def _cancel(tasks: Iterable[Task[Any]]) -> None:
    for task in tasks:
        task.cancel()


CLI_REFERENCE = "reference-cli/index.md"


def _side_pages(site: SiteData, docs: Path) -> int:
    """The pages generated beside the main line: administrations, the repository explorer,
    and the downloads of each algorithm page (explicit mention, request letter)."""
    writer = _Writer(docs)
    for record in site.records:
        for relative, content in rights.files(record, site_url=site.site_url):
            writer.write_bytes(relative, content)
    return writer.write_all([administrations.pages(site), repositories.pages(site)])


def _write_open_data(published: Published, folder: Path) -> tuple[str, ...]:
    """The open data into ``donnees/`` (without a crawl, the « Données » page says why the
    crawl's files are missing: no warning for that)."""
    write_all(published, folder, force=True)
    return ()


def generate(
    site: SiteData,
    docs: Path,
    *,
    project: Path,
    published: Published | None = None,
    cli_reference: str | None = None,
    devices: Devices | None = None,
    phases: Phases | None = None,
) -> tuple[int, tuple[str, ...]]:
    """Write the whole MkDocs source tree into ``docs`` (a new folder).

    ``published`` is what the open data is made from (the site's records and crawl when not
    given); ``cli_reference`` the Markdown of the command-line reference page, produced by the
    command line itself (none: no such page). Returns the number of pages (generated and
    hand-written) and the notes of the exports.
    """
    devices = devices or Devices()
    phases = phases or Phases()
    docs.mkdir(parents=True, exist_ok=True)
    folder = docs / data.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    if published is None:
        catalogue = site.catalogue if site.crawled else None
        published = Published.of(
            site.records,
            catalogue,
            insights=site.insights,
            history=site.history,
            repo_url=site.repo_url,
            roadmaps=site.roadmaps,
        )
    tasks: list[Task[tuple[str, ...]]] = []
    side: Task[int] | None = None
    try:
        tasks.append(
            Task.start(
                "données ouvertes",
                partial(_write_open_data, published, folder),
                parallel=devices.fork_exports,
            )
        )
        with phases("génération des pages"):
            copy_sources(project / SOURCES, docs)
            side = Task.start(
                "pages des administrations et des dépôts",
                partial(_side_pages, site, docs),
                parallel=devices.fork_pages,
            )
            writer = _Writer(docs)
            count = writer.write_all(
                [
                    [("index.md", home.page(site))],
                    algorithms.pages(site),
                    insights.pages(site),
                    [(history.PAGE, history.page(site))],
                    [(openings.PAGE, openings.page(site))],
                    [(health_page.PAGE, health_page.page())],
                    [(rights.PAGE, rights.page())],
                    [(CLI_REFERENCE, cli_reference)] if cli_reference is not None else [],
                ]
            )
            schema_path = project / "schemas" / "algorithme.schema.json"
            schema = None
            if schema_path.is_file():
                try:
                    schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                    raise SiteError(f"{schema_path} est illisible : {exc}") from exc
            writer.write("format/index.md", format.page(schema, _example(site.records)))
            schemas = data.copy_schemas(project / "schemas", docs)
            insights.write_feeds_of(site, docs, site_url=site.site_url)
            insights.write_changes_feeds_of(site, docs, site_url=site.site_url)
            insights.write_openings_feed_of(site, docs, site_url=site.site_url)
        with phases("attente des pages parallèles"):
            count += side.result()
        phases.add(f"{side.label} (en parallèle)", side.seconds)
        notes = _finish(tasks, phases)
    except BaseException:
        _cancel([*tasks, *([side] if side is not None else [])])
        raise
    writer.write("donnees/index.md", data.page(data.downloads(docs), schemas, crawled=site.crawled))
    handwritten = sum(1 for _ in (project / SOURCES).glob("*.md"))
    return count + 2 + handwritten, notes


def swap_tree(staging: Path, docs: Path) -> Path | None:
    """Put the finished ``staging`` tree in place of ``docs``; the old tree, set aside."""
    old = None
    if docs.exists():
        old = docs.with_name(f".{docs.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(docs, old)
    os.replace(staging, docs)
    return old


def replace_tree(staging: Path, docs: Path) -> None:
    """Swap the finished ``staging`` tree in place of ``docs`` and delete the old one."""
    old = swap_tree(staging, docs)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --- rendering ---------------------------------------------------------------------------------


def run_mkdocs(config_file: Path, out: Path) -> tuple[str, ...]:
    """Render with MkDocs in a fresh interpreter; the warnings it printed.

    A separate process renders exactly as a bare ``mkdocs build`` would (measured: rendering
    in-process after the checks and the generation is markedly slower, the process being
    loaded with their objects). Failures become :class:`SiteError` with MkDocs' message.
    """
    command = [
        sys.executable, "-m", "mkdocs", "build", "--quiet",
        "--config-file", str(config_file.resolve()), "--site-dir", str(Path(out).resolve()),
    ]  # fmt: skip
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    try:
        done = subprocess.run(
            command,
            cwd=config_file.resolve().parent,
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
    except OSError as exc:
        raise SiteError(f"impossible de lancer MkDocs : {exc}") from exc
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    if done.returncode != 0:
        reason = next((ln for ln in reversed(lines) if "Error" in ln or "Aborted" in ln), "")
        reason = reason or (lines[-1] if lines else f"code de sortie {done.returncode}")
        raise SiteError(f"MkDocs n'a pas pu construire le site : {reason}")
    return tuple(ln for ln in lines if ln.startswith(("WARNING", "ERROR")))


# --- the whole pipeline ------------------------------------------------------------------------


@contextlib.contextmanager
def _staging(docs: Path) -> Iterator[Path]:
    """A fresh folder beside ``docs`` to generate into; removed on the way out."""
    created = not docs.parent.exists()
    docs.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{docs.name}.new-", dir=docs.parent)) / "docs"
    try:
        yield staging
    except OSError as exc:
        raise SiteError(f"impossible d'écrire les pages du site dans {docs} : {exc}") from exc
    finally:
        shutil.rmtree(staging.parent, ignore_errors=True)
        if created and not docs.exists():
            with contextlib.suppress(OSError):
                docs.parent.rmdir()


@dataclass(frozen=True)
class _Generated:
    """What the generation leaves for the rendering step."""

    pages: int
    notes: tuple[str, ...]
    counts: tuple[int, int, int]  # algorithms, administrations, repositories
    crawled: bool
    old: Path | None  # the previous tree, set aside, still to delete
    leftovers: list[Any]  # the last references to the build's data, to free


CRAWL_STEP = "lecture du moissonnage"


def _generate_checked(
    project: Path,
    *,
    algorithms_path: Path | None,
    db: Path | None,
    cli_reference: str | None,
    devices: Devices,
    phases: Phases,
) -> _Generated:
    """Check the records and, when they are valid, put the new tree in place of build/docs/."""
    repo_url, branch = project_repository(read_config(project))
    crawl_db = Path(db) if db is not None and Path(db).exists() else None
    docs = project / DOCS
    with _staging(docs) as staging:
        tasks: list[Task[Any]] = []
        try:
            reading: Task[CatalogueSnapshot] | None = None
            if crawl_db is not None:  # independent of the records: read while they are checked
                reading = Task.start(
                    CRAWL_STEP, partial(read_snapshot, crawl_db), parallel=devices.fork_crawl
                )
                tasks.append(reading)
            openings_folder = project / OPENINGS
            with phases("vérification des fiches"):
                result = check_records(
                    [
                        algorithms_path or project / "algorithms",
                        *([openings_folder] if openings_folder.is_dir() else []),
                    ],
                    sorted(crawl_targets(project / "sources.yml")),
                )
            records = tuple(sorted(result.records, key=lambda r: r.id))
            with phases("historique des fiches"):
                register_history = read_history(
                    algorithms_path or project / "algorithms", current=records
                )
            catalogue = CatalogueSnapshot()
            if reading is not None:
                with phases("lecture du moissonnage (attente)"):
                    catalogue = reading.result()
                phases.add(f"{CRAWL_STEP} (en parallèle)", reading.seconds)
            site = SiteData(
                records=records,
                catalogue=catalogue,
                crawled=reading is not None,
                repo_url=repo_url,
                branch=branch,
                record_files=_relative_files(records, project),
                site_url=insights.site_url_of(project),
                history=register_history,
                roadmaps=result.roadmaps if openings_folder.is_dir() else None,
            )
            with phases("jointures et indicateurs"):
                site.insights  # noqa: B018 - computed once here, shared by every generator
            pages, notes = generate(
                site,
                staging,
                project=project,
                cli_reference=cli_reference,
                devices=devices,
                phases=phases,
            )
        except BaseException:
            _cancel(tasks)
            raise
        with phases("remplacement de build/docs"):
            old = swap_tree(staging, docs)
    if register_history.note:
        notes = (*notes, register_history.note)
    return _Generated(
        pages=pages,
        notes=notes,
        counts=(len(records), len(site.index.administrations), len(catalogue.repositories)),
        crawled=reading is not None,
        old=old,
        leftovers=[site, result, records, catalogue],
    )


def build(
    project: Path,
    *,
    algorithms_path: Path | None = None,
    db: Path | None = None,
    out: Path | None = None,
    cli_reference: str | None = None,
    devices: Devices | None = None,
) -> BuildSummary:
    """Check, generate ``build/docs/`` and render the site into ``out`` (default public/).

    Nothing reaches ``build/docs/`` or ``out`` unless the records are valid. ``cli_reference``
    is the command-line reference page (Markdown), which the command line produces.
    """
    started = time.perf_counter()
    phases = Phases()
    devices = devices or Devices.from_environment()
    project = Path(project)
    out = Path(out) if out is not None else project / "public"
    generated = _generate_checked(
        project,
        algorithms_path=algorithms_path,
        db=db,
        cli_reference=cli_reference,
        devices=devices,
        phases=phases,
    )
    rendering = time.perf_counter()
    with phases("rendu MkDocs"), devices.tidying(generated.old, generated.leftovers):
        warnings = (*generated.notes, *run_mkdocs(project / CONFIG, out))
    finished = time.perf_counter()
    return BuildSummary(
        pages=generated.pages,
        algorithms=generated.counts[0],
        administrations=generated.counts[1],
        repositories=generated.counts[2],
        crawled=generated.crawled,
        docs=project / DOCS,
        out=out,
        seconds=finished - started,
        mkdocs_seconds=finished - rendering,
        warnings=warnings,
        phases=phases.entries(),
    )


def write_docs(
    site: SiteData,
    docs: Path,
    *,
    project: Path,
    published: Published | None = None,
    cli_reference: str | None = None,
    devices: Devices | None = None,
) -> tuple[int, tuple[str, ...]]:
    """Generate into a staging folder beside ``docs`` and swap it in (see :func:`generate`)."""
    with _staging(docs) as staging:
        result = generate(
            site,
            staging,
            project=project,
            published=published,
            cli_reference=cli_reference,
            devices=devices,
        )
        replace_tree(staging, docs)
    return result
