"""``inventory check --links`` logic on real record files and a real crawl database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crawlers.base import ForgeKind, Listing, Target
from inventory.catalogue.store import Store
from inventory.errors import StoreError
from inventory.insights.link_check import CODE, with_link_problems
from inventory.model import Level
from inventory.register.validate import check_paths
from tests.insights.helpers import repo

PROJECT = Path(__file__).resolve().parents[2]
RECORD = PROJECT / "algorithms" / "dgfip" / "calcul-impot-revenu.yml"


def crawl_db(path: Path, *repositories) -> Path:
    with Store.open(path) as store:
        for r in repositories:
            kind = ForgeKind.GITLAB if "gitlab" in r.platform else ForgeKind.GITHUB
            target = Target(r.platform, kind, "http://127.0.0.1:1", r.organization_name)
            store.save_listing(Listing(target, (), (r,)))
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "algorithms" / "dgfip"
    target.mkdir(parents=True)
    shutil.copy(RECORD, target / RECORD.name)
    return tmp_path / "algorithms"


def test_unmatched_code_urls_are_warnings_located_on_their_line(tmp_path, folder) -> None:
    db = crawl_db(
        tmp_path / "db.sqlite3",
        repo("https://gitlab.adullact.net/DGFiP/ir-calcul.git", forge="gitlab"),
    )
    base = check_paths([folder])
    result = with_link_problems(base, db)
    extra = [p for p in result.problems if p.code == CODE]
    assert len(extra) == 1
    (problem,) = extra
    assert problem.level is Level.WARNING
    assert problem.field == "ressources[1].url"
    assert (problem.line, problem.column) == (34, 5)  # the `url:` key
    assert "https://github.com/openfisca/openfisca-france" in problem.message
    assert "sources.yml" in problem.message
    assert result.ok == base.ok  # a warning never fails the check
    strict = with_link_problems(base, db, strict=True)
    assert [p.level for p in strict.problems if p.code == CODE] == [Level.ERROR]
    assert not strict.ok


def test_everything_matched_adds_nothing(tmp_path, folder) -> None:
    db = crawl_db(
        tmp_path / "db.sqlite3",
        repo("https://gitlab.adullact.net/dgfip/ir-calcul", forge="gitlab"),
        repo("https://github.com/openfisca/openfisca-france"),
    )
    base = check_paths([folder])
    assert with_link_problems(base, db, strict=True) is base


def test_missing_database_is_a_clear_error(tmp_path, folder) -> None:
    with pytest.raises(StoreError, match="--links a besoin de la base"):
        with_link_problems(check_paths([folder]), tmp_path / "absent.sqlite3")
