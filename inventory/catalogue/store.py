"""The crawl database, in SQLite: the one owner of every table of the code inventory.

Repositories, organisations, owners' status, ETags, rounds, health signals and archival
statuses (the tables: :mod:`inventory.catalogue.tables`). One file (``--db``, default
``data/inventory.sqlite3``) in WAL mode, versioned with ``PRAGMA user_version`` and migrated
forward on :meth:`Store.open`. Each target's listing is committed in one transaction
(:meth:`Store.save_listing`), with the health signals observed with it, so an interrupted
crawl loses nothing already committed; a failed target keeps its last known repositories,
marked stale (:meth:`Store.mark_failed`). The store also is the
:class:`crawlers.http.EtagStore` of the HTTP layer (bodies zlib-compressed). One connection
shared by the crawl's threads behind a lock: every operation is short, the threads mostly
wait for the network.

Readers (exports, the site, ``check --links``) get everything in one read transaction as a
:class:`~inventory.catalogue.snapshot.CatalogueSnapshot` (:meth:`Store.snapshot`, or
:func:`read_snapshot` from a path).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawlers.base import Known, Listing, Target
from crawlers.http import CachedResponse
from inventory.catalogue import tables
from inventory.catalogue.archive import ArchiveStatus
from inventory.catalogue.health import HealthSignals
from inventory.catalogue.snapshot import CatalogueSnapshot, DepartedRepository, OwnerStatus
from inventory.catalogue.tables import (
    ORG_FIELDS,
    REPO_FIELDS,
    SCHEMA_VERSION,
    StoredHealth,
    repo_from_row,
    repo_row,
)
from inventory.errors import StoreError
from inventory.model import Organisation, Repository

#: How long an interrupted round may be resumed.
RESUME_WINDOW = timedelta(hours=24)


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def now_utc() -> str:
    """The current time, ISO 8601 UTC with microseconds (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: A listing that loses more than this share of its owner's repositories at once is suspect.
SUSPECT_SHARE = 0.5


@dataclass(frozen=True)
class SaveCounts:
    """What one listing changed. ``held``: repositories no longer listed but kept, because
    the drop is suspect (see :meth:`Store.save_listing`); ``before``: the owner's repositories
    before this listing (those already held excluded)."""

    new: int = 0
    updated: int = 0
    gone: int = 0
    held: int = 0
    before: int = 0


def is_suspect_drop(before: int, missing: int) -> bool:
    """Whether losing ``missing`` of ``before`` repositories at once is suspect: the owner
    lists none of them any more, or more than half of them are missing."""
    return missing > 0 and (missing == before or missing > before * SUSPECT_SHARE)


@dataclass(frozen=True)
class Round:
    """One crawl round; ``resumed`` when it continues an interrupted one."""

    id: int
    scope: str
    started_at: str
    resumed: bool


def _compress(body: bytes) -> bytes:
    """A standard zlib stream of ``body``, made for speed (one per request of the crawl).

    zlib's fastest level, and a window no larger than the body: deflate's set-up cost grows
    with its window (32 KiB by default), which made it cost more than the compression itself
    for the small answers most requests get. JSON still shrinks several times, and
    :func:`zlib.decompress` reads any window size.
    """
    return zlib.compress(body, 1, min(15, max(9, len(body).bit_length())))


class Store:
    """The SQLite state (see the module docstring). Use :meth:`open` or :meth:`open_readonly`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self._db = connection
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self.path = path
        self.readonly = readonly

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=30
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"impossible d'ouvrir la base {path} : {exc}") from None
        store = cls(connection, path, readonly=False)
        store._migrate()
        return store

    @classmethod
    def open_readonly(cls, path: Path | str) -> Store:
        path = Path(path)
        if not path.is_file():
            raise StoreError(
                f"base de moissonnage introuvable : {path} (lancez « inventory crawl »)"
            )
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise StoreError(f"impossible de lire la base {path} : {exc}") from None
        if version != SCHEMA_VERSION:
            connection.close()
            raise StoreError(
                f"la base {path} est au schéma {version}, attendu {SCHEMA_VERSION} : "
                "relancez « inventory crawl » pour la mettre à jour"
            )
        return cls(connection, path, readonly=True)

    def _migrate(self) -> None:
        with self._lock:
            try:
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"la base {self.path} vient d'une version plus récente "
                        f"(schéma {version} > {SCHEMA_VERSION})"
                    )
                for number in range(version, SCHEMA_VERSION):
                    self._db.execute("BEGIN IMMEDIATE")
                    try:
                        for statement in tables.MIGRATIONS[number].split(";"):
                            if statement.strip():
                                self._db.execute(statement)
                        self._db.execute(f"PRAGMA user_version = {number + 1}")
                        self._db.execute("COMMIT")
                    except BaseException:
                        self._db.execute("ROLLBACK")
                        raise
            except sqlite3.Error as exc:
                raise StoreError(f"impossible de préparer la base {self.path} : {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise StoreError(f"la base {self.path} est ouverte en lecture seule")
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"écriture impossible dans la base {self.path} : {exc}") from None

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"lecture impossible de la base {self.path} : {exc}") from None

    # -- crawl results -----------------------------------------------------------------------

    def known(self, target: Target) -> Known:
        rows = self._query("SELECT * FROM repositories WHERE target = ?", (target.key,))
        hint = self._query("SELECT listing_hint FROM owners WHERE target = ?", (target.key,))
        return Known(
            repositories={row["id"]: repo_from_row(row) for row in rows},
            hint=hint[0]["listing_hint"] if hint else None,
        )

    def stored_health(self, target: Target | None = None) -> dict[str, StoredHealth]:
        """The health rows (of ``target``'s repositories, or all), by repository id."""
        if target is None:
            rows = self._query(f"SELECT * FROM {tables.HEALTH_TABLE}")
        else:
            rows = self._query(
                f"SELECT h.* FROM {tables.HEALTH_TABLE} h JOIN repositories r "
                "ON r.id = h.repository_id WHERE r.target = ?",
                (target.key,),
            )
        return {row["repository_id"]: tables.health_from_row(row) for row in rows}

    def save_health(
        self,
        repository: Repository,
        signals: HealthSignals | None,
        *,
        checked_at: str,
        error: str | None = None,
    ) -> None:
        """One repository's health check (outside a crawl: ``inventory health``), committed."""
        row = tables.health_values(
            repository.id, repository.last_update, signals, checked_at=checked_at, error=error
        )
        with self._transaction() as db:
            db.execute(tables.HEALTH_UPSERT, row)

    def archive_statuses(self) -> dict[str, ArchiveStatus]:
        """Software Heritage's answers, by repository id."""
        rows = self._query(f"SELECT * FROM {tables.ARCHIVE_TABLE}")
        return {row["repository_id"]: tables.archive_from_row(row) for row in rows}

    def save_archive_status(self, status: ArchiveStatus) -> None:
        """One archival status, committed at once (an interrupted run loses nothing)."""
        with self._transaction() as db:
            db.execute(tables.ARCHIVE_UPSERT, tables.archive_values(status))

    def save_listing(
        self,
        listing: Listing,
        *,
        now: str | None = None,
        health: Mapping[str, HealthSignals] | None = None,
        health_errors: Mapping[str, str] | None = None,
        confirm_drops: bool = False,
    ) -> SaveCounts:
        """Commit one target's listing as a unit; repositories no longer listed are gone.

        Unless the drop is suspect (:func:`is_suspect_drop`: all of the owner's repositories,
        or more than half, missing at once; a glitch, a permission change or an API bug looks
        like that): then the missing repositories are *held*, kept and marked stale, and are
        removed only if the next listing confirms their absence (``confirm_drops``: at once).
        A held repository listed again is simply back. One repository missing, as happens
        every day, is removed at once.

        The health signals observed with the listing (``health``, by repository id) and the
        health checks that failed (``health_errors``, repository id -> French reason, retried
        at the next crawl) are committed in the same transaction.
        """
        now = now or now_utc()
        target = listing.target
        key = target.key
        columns = ["id", "target", *REPO_FIELDS[1:]]
        placeholders = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        new = updated = 0
        with self._transaction() as db:
            previous = {
                row["id"]: row
                for row in db.execute("SELECT * FROM repositories WHERE target = ?", (key,))
            }
            listed = set()
            moves: list[tuple[str, str, str, str]] = []
            returned: list[tuple[str]] = []
            for repo in listing.repositories:
                listed.add(repo.id)
                old = previous.get(repo.id)
                row = repo_row(repo, key)
                if old is None:
                    exists = db.execute(
                        "SELECT 1 FROM repositories WHERE id = ?", (repo.id,)
                    ).fetchone()
                    if exists is None:
                        new += 1
                elif old["stale_since"] is None and tuple(old[c] for c in columns) == row:
                    continue  # unchanged (the row as it would be written): nothing to write
                else:
                    updated += 1
                if old is not None and old["repository_url"] != repo.repository_url:
                    moves.append((old["repository_url"], repo.repository_url, repo.id, now))
                elif old is None:
                    returned.append((repo.id,))
                db.execute(
                    f"INSERT INTO repositories ({', '.join(columns)}, stale_since, first_seen) "
                    f"VALUES ({placeholders}, NULL, ?) "
                    f"ON CONFLICT(id) DO UPDATE SET {updates}, stale_since = NULL, "
                    "held_since = NULL",
                    (*row, now),
                )
            missing = [repo_id for repo_id in previous if repo_id not in listed]
            # Held at the previous crawl and still missing: the drop is confirmed.
            confirmed = [i for i in missing if previous[i]["held_since"] is not None]
            fresh = [i for i in missing if previous[i]["held_since"] is None]
            before = sum(1 for row in previous.values() if row["held_since"] is None)
            held_ids: list[str] = []
            if not confirm_drops and is_suspect_drop(before, len(fresh)):
                held_ids = fresh
                since = now[:19] + "Z"
                db.executemany(
                    "UPDATE repositories SET held_since = ?, "
                    "stale_since = COALESCE(stale_since, ?) WHERE id = ?",
                    [(since, since, i) for i in held_ids],
                )
            gone_ids = confirmed if held_ids else missing
            self._record_sightings(db, gone_ids, moves, returned, now)
            db.executemany("DELETE FROM repositories WHERE id = ?", [(i,) for i in gone_ids])
            self._save_health(db, listing, health or {}, health_errors or {}, now)
            db.executemany(
                f"DELETE FROM {tables.HEALTH_TABLE} WHERE repository_id = ?",
                [(i,) for i in gone_ids],
            )
            db.execute("DELETE FROM organisations WHERE target = ?", (key,))
            org_columns = ", ".join(["target", *ORG_FIELDS])
            org_marks = ", ".join("?" for _ in range(len(ORG_FIELDS) + 1))
            for org in listing.organisations:
                db.execute(
                    f"INSERT OR REPLACE INTO organisations ({org_columns}) VALUES ({org_marks})",
                    (key, *(getattr(org, name) for name in ORG_FIELDS)),
                )
            db.execute(
                "INSERT INTO owners (target, host, owner, forge, status, last_attempt, "
                "last_success, last_error, stale_since, renamed_to, listing_hint) "
                "VALUES (?, ?, ?, ?, 'ok', ?, ?, NULL, NULL, ?, ?) "
                "ON CONFLICT(target) DO UPDATE SET status = 'ok', "
                "last_attempt = excluded.last_attempt, "
                "last_success = excluded.last_success, last_error = NULL, stale_since = NULL, "
                "renamed_to = excluded.renamed_to, forge = excluded.forge, "
                "listing_hint = excluded.listing_hint",
                (
                    key,
                    target.host,
                    target.owner,
                    target.forge.value,
                    now,
                    now,
                    listing.renamed_to,
                    listing.hint,
                ),
            )
        return SaveCounts(
            new=new, updated=updated, gone=len(gone_ids), held=len(held_ids), before=before
        )

    @staticmethod
    def _record_sightings(
        db: sqlite3.Connection,
        gone_ids: Sequence[str],
        moves: Sequence[tuple[str, str, str, str]],
        returned: Sequence[tuple[str]],
        now: str,
    ) -> None:
        """Keep what went away (with its dates), the addresses that changed, and forget the
        departure of a repository listed again."""
        db.executemany("DELETE FROM departed_repositories WHERE id = ?", returned)
        db.executemany(
            "INSERT OR REPLACE INTO departed_repositories (id, target, repository_url, name, "
            "organization_name, platform, forge, is_fork, creation_date, first_seen, "
            "departed_at) SELECT id, target, repository_url, name, organization_name, "
            "platform, forge, is_fork, creation_date, first_seen, ? FROM repositories "
            "WHERE id = ?",
            [(now, i) for i in gone_ids],
        )
        db.executemany(
            "INSERT OR REPLACE INTO repository_moves (old_url, new_url, repository_id, "
            "moved_at) VALUES (?, ?, ?, ?)",
            moves,
        )

    @staticmethod
    def _save_health(
        db: sqlite3.Connection,
        listing: Listing,
        health: Mapping[str, HealthSignals],
        errors: Mapping[str, str],
        now: str,
    ) -> None:
        checked_at = now[:19] + "Z"
        rows = []
        for repo in listing.repositories:
            signals = health.get(repo.id)
            if signals is not None:
                rows.append(
                    tables.health_values(repo.id, repo.last_update, signals, checked_at=checked_at)
                )
            elif repo.id in errors:
                error = errors[repo.id]
                rows.append(
                    tables.health_values(
                        repo.id, repo.last_update, None, checked_at=checked_at, error=error
                    )
                )
        db.executemany(tables.HEALTH_UPSERT, rows)

    def mark_failed(self, target: Target, error: str, *, now: str | None = None) -> None:
        """Record a failed target; its last known repositories stay, stale since now."""
        now = now or now_utc()
        since = now[:19] + "Z"
        with self._transaction() as db:
            db.execute(
                "INSERT INTO owners (target, host, owner, forge, status, last_attempt, "
                "last_error, stale_since) VALUES (?, ?, ?, ?, 'failed', ?, ?, ?) "
                "ON CONFLICT(target) DO UPDATE SET status = 'failed', "
                "last_attempt = excluded.last_attempt, last_error = excluded.last_error, "
                "stale_since = COALESCE(owners.stale_since, excluded.stale_since)",
                (target.key, target.host, target.owner, target.forge.value, now, error, since),
            )
            db.execute(
                "UPDATE repositories SET stale_since = ? WHERE target = ? AND stale_since IS NULL",
                (since, target.key),
            )

    # -- rounds (resume) ---------------------------------------------------------------------

    def begin_round(
        self, scope: str, *, now: str | None = None, max_age: timedelta = RESUME_WINDOW
    ) -> Round:
        """Continue the unfinished round of this scope, or start a new one.

        An unfinished round older than ``max_age`` is abandoned: resuming it would skip
        targets whose last success is stale by now.
        """
        started = now or now_utc()
        oldest = (_parse(started) - max_age).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._transaction() as db:
            db.execute(
                "UPDATE rounds SET finished_at = ? "
                "WHERE scope = ? AND finished_at IS NULL AND started_at < ?",
                (started, scope, oldest),
            )
            row = db.execute(
                "SELECT id, started_at FROM rounds WHERE scope = ? AND finished_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (scope,),
            ).fetchone()
            if row is not None:
                return Round(row["id"], scope, row["started_at"], resumed=True)
            cursor = db.execute(
                "INSERT INTO rounds (scope, started_at) VALUES (?, ?)", (scope, started)
            )
            return Round(int(cursor.lastrowid or 0), scope, started, resumed=False)

    def finish_round(self, round_: Round, *, now: str | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE rounds SET finished_at = ? WHERE id = ?", (now or now_utc(), round_.id)
            )

    def done_in_round(self, round_: Round) -> set[str]:
        """Targets already committed successfully since the round started."""
        rows = self._query(
            "SELECT target FROM owners WHERE status = 'ok' AND last_success >= ?",
            (round_.started_at,),
        )
        return {row["target"] for row in rows}

    # -- reading -----------------------------------------------------------------------------

    def repositories(self) -> list[Repository]:
        rows = self._query(
            "SELECT * FROM repositories "
            "ORDER BY platform, lower(organization_name), lower(name), id"
        )
        return [repo_from_row(row) for row in rows]

    def organisations(self) -> list[Organisation]:
        rows = self._query("SELECT * FROM organisations ORDER BY platform, lower(login)")
        return [Organisation(**{name: row[name] for name in ORG_FIELDS}) for row in rows]

    def owner_statuses(self) -> list[OwnerStatus]:
        rows = self._query("SELECT * FROM owners ORDER BY target")
        return [OwnerStatus(**{f.name: row[f.name] for f in fields(OwnerStatus)}) for row in rows]

    def first_seen(self) -> dict[str, str]:
        """Repository id -> when the crawl first saw it (rows crawled before this was kept
        have none)."""
        rows = self._query("SELECT id, first_seen FROM repositories WHERE first_seen IS NOT NULL")
        return {row["id"]: row["first_seen"] for row in rows}

    def departed(self) -> list[DepartedRepository]:
        """The repositories the crawl saw and that went away since, oldest departure first."""
        rows = self._query("SELECT * FROM departed_repositories ORDER BY departed_at, id")
        return [
            DepartedRepository(
                **{f.name: row[f.name] for f in fields(DepartedRepository) if f.name != "is_fork"},
                is_fork=None if row["is_fork"] is None else bool(row["is_fork"]),
            )
            for row in rows
        ]

    def moves(self) -> dict[str, str]:
        """Old repository URL -> new one, for every repository whose address changed."""
        rows = self._query("SELECT old_url, new_url FROM repository_moves ORDER BY moved_at")
        return {row["old_url"]: row["new_url"] for row in rows}

    def snapshot(self) -> CatalogueSnapshot:
        """Everything readers need, read in one transaction (a consistent view)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                return CatalogueSnapshot(
                    repositories=tuple(self.repositories()),
                    organisations=tuple(self.organisations()),
                    owners=tuple(self.owner_statuses()),
                    health={
                        key: stored.signals
                        for key, stored in self.stored_health().items()
                        if stored.signals is not None
                    },
                    archive=self.archive_statuses(),
                    first_seen=self.first_seen(),
                    departed=tuple(self.departed()),
                    moves=self.moves(),
                )
            finally:
                self._db.execute("COMMIT")

    # -- EtagStore ---------------------------------------------------------------------------

    def get_etag(self, url: str) -> CachedResponse | None:
        rows = self._query("SELECT etag, body, headers FROM etags WHERE url = ?", (url,))
        if not rows:
            return None
        row = rows[0]
        try:
            body = zlib.decompress(row["body"])
        except zlib.error:
            return None
        return CachedResponse(etag=row["etag"], body=body, headers=json.loads(row["headers"]))

    def put_etag(self, url: str, cached: CachedResponse) -> None:
        if self.readonly:
            return
        row = (url, cached.etag, _compress(cached.body), json.dumps(dict(cached.headers)))
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO etags (url, etag, body, headers) VALUES (?, ?, ?, ?)", row
            )


def read_snapshot(path: Path | str) -> CatalogueSnapshot:
    """The snapshot of the crawl database at ``path``, opened read-only (:class:`StoreError`
    in French when it is missing, unreadable or from another schema version)."""
    with Store.open_readonly(path) as store:
        return store.snapshot()
