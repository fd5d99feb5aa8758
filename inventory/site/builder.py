"""``inventory build``: check the records, generate ``build/docs/``, render it with MkDocs.

Page generation stays in this package, writing plain files; MkDocs (``mkdocs.yml`` at the
project root) only renders them: no hooks, no gen-files, no macros.

The generated tree is written into a fresh staging folder next to ``build/docs/`` and swapped
in only when complete, so a failure leaves either the previous tree or none, never a mix.

On the two cores of a CI runner the pipeline's own work overlaps (forked children, see
:mod:`inventory.site.background`): the crawl is read and exported while the records are
checked and comes back to the build through a pipe; the records' exports run while the joins
are computed; the administration and explorer pages are written by a child while this
process writes the others; the old tree and the build's data are freed while MkDocs renders
(:mod:`inventory.site.datafiles`, :mod:`inventory.site.memory`). ``inventory build
--timings`` prints the time of each step.
"""

from __future__ import annotations

import contextlib
import gc
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

from inventory.errors import SiteError
from inventory.model import Organisation, Record, Repository
from inventory.site import (
    administrations,
    algorithms,
    data,
    format,
    health_page,
    home,
    insights,
    repositories,
)
from inventory.site.background import Task
from inventory.site.datafiles import CrawlRead, Exports, read_and_export_crawl, read_crawl
from inventory.site.memory import frozen_heap, tidying
from inventory.site.phases import Phases
from inventory.site.sitedata import DEFAULT_REPO_URL, SiteData

CONFIG = "mkdocs.yml"
SOURCES = "site"
OVERRIDES = "overrides"
DOCS = Path("build") / "docs"


class RecordsInvalid(SiteError):
    """The records have errors: the site is not built. ``result`` holds the check result."""

    def __init__(self, result: Any) -> None:
        super().__init__(
            f"{len(result.errors)} erreur(s) dans les fiches d'algorithmes : "
            "le site n'est pas construit."
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


def check_records(paths: Sequence[Path]) -> Any:
    """Run ``inventory check`` on ``paths``; raise :class:`RecordsInvalid` on any error."""
    from inventory.register.validate import check_paths

    result = check_paths(list(paths))
    if not result.ok:
        raise RecordsInvalid(result)
    return result


def load_crawl(
    db: Path | None,
) -> tuple[bool, tuple[Repository, ...], tuple[Organisation, ...]]:
    """``(crawled, repositories, organisations)``; an absent database means no crawl yet."""
    if db is None or not Path(db).exists():
        return False, (), ()
    return True, *read_crawl(Path(db))


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

    def write(self, relative: str, text: str) -> None:
        target = self.docs / relative
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        target.write_text(text, encoding="utf-8")

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


def _cli_reference() -> str:
    """The command-line reference page, from the commands' own ``--help``."""
    from inventory.cli import main  # the site documents the CLI; imported only when building
    from inventory.cli.reference import cli_reference_markdown

    return cli_reference_markdown(main)


def _side_pages(site: SiteData, docs: Path) -> int:
    """The pages generated beside the main line: administrations and the repository explorer."""
    return _Writer(docs).write_all([administrations.pages(site), repositories.pages(site)])


def generate(
    site: SiteData,
    docs: Path,
    *,
    project: Path,
    exports: Exports | None = None,
    parallel: bool = True,
    pending: Sequence[Task[tuple[str, ...]]] = (),
    phases: Phases | None = None,
) -> tuple[int, tuple[str, ...]]:
    """Write the whole MkDocs source tree into ``docs`` (new, or holding only ``donnees/``).

    On two cores the work is shared with forked children: the exports, and the pages of the
    administrations and of the repository explorer, while this process writes the others.
    ``pending`` are steps already started that write into ``docs/donnees/`` (the pipeline
    starts the exports early). Returns the number of pages (generated and hand-written) and
    the notes of the exports.
    """
    phases = phases or Phases()
    docs.mkdir(parents=True, exist_ok=True)
    folder = docs / data.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    tasks = list(pending)
    side: Task[int] | None = None
    try:
        if exports is not None:
            tasks.append(Task.start("exports", partial(exports, folder), parallel=parallel))
        with phases("génération des pages"), frozen_heap():
            copy_sources(project / SOURCES, docs)
            side = Task.start(
                "pages des administrations et des dépôts",
                partial(_side_pages, site, docs),
                parallel=parallel,
            )
            writer = _Writer(docs)
            count = writer.write_all(
                [
                    [("index.md", home.page(site))],
                    algorithms.pages(site),
                    insights.pages(site),
                    [(health_page.PAGE, health_page.page())],
                    [(CLI_REFERENCE, _cli_reference())],
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
            # issue 6: Atom feeds (flux/), indicators and links exports (donnees/)
            insights.write_files(site, docs, site_url=insights.site_url_of(project))
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


CRAWL_STEP = "lecture et exports du moissonnage"


def _generate_checked(
    project: Path,
    *,
    algorithms_path: Path | None,
    db: Path | None,
    parallel: bool,
    phases: Phases,
) -> _Generated:
    """Check the records and, when they are valid, put the new tree in place of build/docs/."""
    repo_url, branch = project_repository(read_config(project))
    crawl_db = Path(db) if db is not None and Path(db).exists() else None
    docs = project / DOCS
    with _staging(docs) as staging, contextlib.ExitStack() as stack:
        folder = staging / data.FOLDER
        folder.mkdir(parents=True)
        tasks: list[Task[Any]] = []
        try:
            reading: Task[CrawlRead] | None = None
            if crawl_db is not None:  # independent of the records: read and exported first
                reading = Task.start(
                    CRAWL_STEP, partial(read_and_export_crawl, crawl_db, folder), parallel=parallel
                )
                tasks.append(reading)
            with phases("vérification des fiches"):
                result = check_records([algorithms_path or project / "algorithms"])
            records = tuple(sorted(result.records, key=lambda r: r.id))
            stack.enter_context(frozen_heap())
            exports = Task.start(
                "exports des fiches",
                partial(Exports(records).algorithms, folder),
                parallel=parallel,
            )
            tasks.append(exports)
            crawl = CrawlRead((), (), (), insights.CrawlExtras())
            if reading is not None:
                with phases("lecture du moissonnage (attente)"):
                    crawl = reading.result()
                phases.add(f"{CRAWL_STEP} (en parallèle)", reading.seconds)
            crawled = reading is not None
            repos, organisations = crawl.repositories, crawl.organisations
            gc.freeze()
            site = SiteData(
                records=records,
                repositories=repos,
                organisations=organisations,
                crawled=crawled,
                repo_url=repo_url,
                branch=branch,
                record_files=_relative_files(records, project),
            )
            with phases("jointures et indicateurs"):
                site.index  # noqa: B018 - computed once here, shared by every generator
                insights.prepare_with(site, crawl.extras)  # issue 6: archive, health...
            pages, notes = generate(
                site, staging, project=project, parallel=parallel, pending=[exports], phases=phases
            )
            notes = (*notes, *crawl.notes)
        except BaseException:
            _cancel(tasks)
            raise
        with phases("remplacement de build/docs"):
            old = swap_tree(staging, docs)
    insights.forget()
    return _Generated(
        pages=pages,
        notes=notes,
        counts=(len(records), len(site.index.administrations), len(repos)),
        crawled=crawled,
        old=old,
        leftovers=[site, result, records, crawl, repos, organisations],
    )


def build(
    project: Path,
    *,
    algorithms_path: Path | None = None,
    db: Path | None = None,
    out: Path | None = None,
    parallel: bool = True,
) -> BuildSummary:
    """Check, generate ``build/docs/`` and render the site into ``out`` (default public/).

    The exports of the crawl do not depend on the records: they start first, in a child
    process, while the records are checked. Nothing reaches ``build/docs/`` or ``out`` unless
    the records are valid.
    """
    started = time.perf_counter()
    phases = Phases()
    project = Path(project)
    out = Path(out) if out is not None else project / "public"
    generated = _generate_checked(
        project, algorithms_path=algorithms_path, db=db, parallel=parallel, phases=phases
    )
    rendering = time.perf_counter()
    with phases("rendu MkDocs"), tidying(generated.old, generated.leftovers):
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
    exports: Exports | None = None,
    parallel: bool = True,
) -> tuple[int, tuple[str, ...]]:
    """Generate into a staging folder beside ``docs`` and swap it in (see :func:`generate`)."""
    with _staging(docs) as staging:
        result = generate(site, staging, project=project, exports=exports, parallel=parallel)
        replace_tree(staging, docs)
    return result
