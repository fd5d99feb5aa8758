"""``inventory build``: check the records, generate ``build/docs/``, render it with MkDocs.

Page generation stays in this package, writing plain files; MkDocs (``mkdocs.yml`` at the
project root) only renders them: no hooks, no gen-files, no macros.

The generated tree is written into a fresh staging folder next to ``build/docs/`` and swapped
in only when complete, so a failure leaves either the previous tree or none, never a mix.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from inventory.errors import InventoryError, SiteError
from inventory.model import Organisation, Record, Repository
from inventory.site import (
    administrations,
    algorithms,
    data,
    format,
    home,
    insights,
    repositories,
)
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
    from inventory.validate import check_paths

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
    from inventory.store import Store

    store = Store.open_readonly(Path(db))
    try:
        return True, tuple(store.repositories()), tuple(store.organisations())
    finally:
        store.close()


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


def _write(docs: Path, relative: str, text: str) -> None:
    target = docs / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Exports:
    """The open-data exports written into ``donnees/``: the records, and the crawl if any.

    Picklable, so that it can run in a worker process while the pages are generated.
    """

    records: tuple[Record, ...]
    db: Path | None = None

    def __call__(self, folder: Path) -> tuple[str, ...]:
        """Write the files into ``folder``; French notes about what could not be exported."""
        from inventory.export import export_algorithms

        export_algorithms(self.records, folder, force=True)
        if self.db is None:
            return ()
        try:
            from inventory.export_repos import export_repositories
        except ImportError:
            return ("l'export des dépôts n'est pas disponible : fichiers des dépôts omis",)
        from inventory.store import Store

        store = Store.open_readonly(self.db)
        try:
            export_repositories(store, folder, force=True)
        finally:
            store.close()
        return ()


def _start(exports: Exports | None, folder: Path, parallel: bool) -> Callable[[], tuple[str, ...]]:
    """Start the exports (in a forked worker when possible); a function waiting for them."""
    if exports is None:
        return lambda: ()
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        notes = exports(folder)
        return lambda: notes
    try:
        executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = executor.submit(exports, folder)
    except OSError:
        notes = exports(folder)
        return lambda: notes

    def wait() -> tuple[str, ...]:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise SiteError("l'export des données a été interrompu") from exc
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    return wait


CLI_REFERENCE = "reference-cli/index.md"


def _cli_reference() -> str:
    """The command-line reference page, from the commands' own ``--help``."""
    from inventory.cli import main  # the site documents the CLI; imported only when building
    from inventory.clidoc import cli_reference_markdown

    return cli_reference_markdown(main)


def generate(
    site: SiteData,
    docs: Path,
    *,
    project: Path,
    exports: Exports | None = None,
    parallel: bool = True,
) -> tuple[int, tuple[str, ...]]:
    """Write the whole MkDocs source tree into ``docs`` (which must not exist).

    The exports run beside the page generation (a worker process on two cores). Returns the
    number of pages (generated and hand-written) and the notes of the exports.
    """
    docs.mkdir(parents=True)
    folder = docs / data.FOLDER
    folder.mkdir(parents=True)
    wait = _start(exports, folder, parallel)
    try:
        copy_sources(project / SOURCES, docs)
        count = 0
        generated: list[Iterable[tuple[str, str]]] = [
            [("index.md", home.page(site))],
            algorithms.pages(site),
            administrations.pages(site),
            repositories.pages(site),
            insights.pages(site),
            [(CLI_REFERENCE, _cli_reference())],
        ]
        for group in generated:
            for relative, text in group:
                _write(docs, relative, text)
                count += relative.endswith(".md")
        schema_path = project / "schemas" / "algorithme.schema.json"
        schema = None
        if schema_path.is_file():
            try:
                schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise SiteError(f"{schema_path} est illisible : {exc}") from exc
        _write(docs, "format/index.md", format.page(schema, _example(site.records)))
        schemas = data.copy_schemas(project / "schemas", docs)
        # issue 6: Atom feeds (flux/), indicators and links exports (donnees/)
        insights.write_files(site, docs, site_url=insights.site_url_of(project))
    finally:
        notes = wait()
    _write(docs, "donnees/index.md", data.page(data.downloads(docs), schemas, crawled=site.crawled))
    handwritten = sum(1 for _ in (project / SOURCES).glob("*.md"))
    return count + 2 + handwritten, notes


def replace_tree(staging: Path, docs: Path) -> None:
    """Swap the finished ``staging`` tree in place of ``docs``."""
    old = None
    if docs.exists():
        old = docs.with_name(f".{docs.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(docs, old)
    os.replace(staging, docs)
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


def build(
    project: Path,
    *,
    algorithms_path: Path | None = None,
    db: Path | None = None,
    out: Path | None = None,
) -> BuildSummary:
    """Check, generate ``build/docs/`` and render the site into ``out`` (default public/)."""
    started = time.perf_counter()
    project = Path(project)
    out = Path(out) if out is not None else project / "public"
    config = read_config(project)
    repo_url, branch = project_repository(config)
    result = check_records([algorithms_path or project / "algorithms"])
    records = tuple(sorted(result.records, key=lambda r: r.id))
    crawled, repos, organisations = load_crawl(db)
    site = SiteData(
        records=records,
        repositories=repos,
        organisations=organisations,
        crawled=crawled,
        repo_url=repo_url,
        branch=branch,
        record_files=_relative_files(records, project),
    )
    insights.prepare(site, db if crawled else None)  # issue 6: archive, health, renames
    docs = project / DOCS
    exports = Exports(records, Path(db) if crawled and db is not None else None)
    pages, notes = write_docs(site, docs, project=project, exports=exports)
    counts = (len(records), len(site.index.administrations), len(repos))
    rendering = time.perf_counter()
    warnings = (*notes, *run_mkdocs(project / CONFIG, out))
    finished = time.perf_counter()
    return BuildSummary(
        pages=pages,
        algorithms=counts[0],
        administrations=counts[1],
        repositories=counts[2],
        crawled=crawled,
        docs=docs,
        out=out,
        seconds=finished - started,
        mkdocs_seconds=finished - rendering,
        warnings=warnings,
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
    docs.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{docs.name}.new-", dir=docs.parent)) / "docs"
    try:
        result = generate(site, staging, project=project, exports=exports, parallel=parallel)
        replace_tree(staging, docs)
    except InventoryError:
        raise
    except OSError as exc:
        raise SiteError(f"impossible d'écrire les pages du site dans {docs} : {exc}") from exc
    finally:
        shutil.rmtree(staging.parent, ignore_errors=True)
    return result
