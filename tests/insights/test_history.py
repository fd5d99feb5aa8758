"""The history of each record, read from a real git repository built by scripted commits."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from inventory import gitrepo
from inventory.insights import history as hist
from inventory.insights.changes import differences, word_diff
from inventory.insights.history import read_history
from inventory.model import Record
from tests import history_repo
from tests.history_repo import MOVED, OTHER, PRIME, RENAMED


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("register")
    return root, history_repo.build(root)


def summaries(version: hist.Version) -> list[str]:
    return [change.summary for change in version.changes]


def test_versions_follow_moves_and_renames(scripted: tuple[Path, dict[str, str]]) -> None:
    root, shas = scripted
    history = read_history(root / "algorithms")
    assert history.available and not history.partial and history.note == ""
    prime = history.of("prime-activite")
    assert prime is not None and not prime.removed
    assert [v.kind for v in prime.versions] == [
        "creation",
        "modification",
        "modification",
        "modification",
        "deplacement",
        "deplacement",
    ]
    assert [v.sha for v in prime.versions] == [
        shas[k] for k in ("creation", "finalite", "statut", "donnees", "move", "rename")
    ]
    assert prime.versions[0].path == PRIME
    assert (prime.versions[4].previous_path, prime.versions[4].path) == (PRIME, MOVED)
    assert (prime.versions[5].previous_path, prime.versions[5].path) == (MOVED, RENAMED)
    assert prime.path == RENAMED
    assert history.of("calcul-prime-activite") is None  # one record, under its latest name
    # The commit touching only a comment is not a change of the record.
    assert shas["comment"] not in [v.sha for v in prime.versions]


def test_field_level_differences_in_french(scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    prime = read_history(root / "algorithms").of("prime-activite")
    assert prime is not None
    versions = prime.versions
    assert summaries(versions[1]) == [
        "Date de mise à jour : 2024-01-10 → 2024-02-01",
        "Finalité modifiée",
    ]
    finalite = versions[1].changes[1]
    assert ("-", "ressources déclarées") in finalite.words
    assert ("+", "revenus professionnels déclarés") in finalite.words
    assert finalite.before == history_repo.FINALITE_1
    assert "Statut : Expérimentation → En service" in summaries(versions[2])
    assert summaries(versions[3]) == [
        "Administration (sigle) : Cnaf → CNAF",
        "Date de mise à jour : 2024-03-01 → 2024-04-01",
        "Donnée ajoutée : Revenus professionnels",
        "Paramètre retiré : Bonification",
    ]
    assert versions[4].changes == ()  # moved without change


def test_removal_and_merge_requests(scripted: tuple[Path, dict[str, str]]) -> None:
    root, shas = scripted
    history = read_history(root / "algorithms")
    other = history.of("affectation")
    assert other is not None and other.removed and other.path == OTHER
    removal = other.versions[-1]
    assert (removal.sha, removal.kind, removal.changes) == (shas["removal"], hist.REMOVAL, ())
    prime = history.of("prime-activite")
    assert prime is not None
    gitlab = "https://gitlab.example.org/cnaf/registre"
    github = "https://github.com/cnaf/registre"
    assert hist.merge_request(prime.versions[2].message, gitlab) == "12"
    assert hist.merge_request(prime.versions[3].message, github) == "34"
    assert hist.merge_request(prime.versions[1].message, github) == ""
    assert hist.merge_request_url(gitlab, "12") == f"{gitlab}/-/merge_requests/12"
    assert hist.merge_request_url(github, "34") == f"{github}/pull/34"
    assert hist.commit_url(github, "abc") == f"{github}/commit/abc"
    assert hist.commit_url(gitlab, "abc") == f"{gitlab}/-/commit/abc"
    latest = history.latest(3)
    assert [v.sha for _, v in latest] == [shas["removal"], shas["rename"], shas["move"]]


def test_shallow_clone_gives_a_partial_history(
    scripted: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, shas = scripted
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)],
        check=True,
        capture_output=True,
    )
    history = read_history(clone / "algorithms")
    assert history.available and history.partial
    assert "clone superficiel" in history.note
    prime = history.of("prime-activite")
    assert prime is not None
    assert [(v.kind, v.sha) for v in prime.versions] == [("plus-ancien-connu", shas["removal"])]


def test_no_git_repository_means_no_history(tmp_path: Path) -> None:
    folder = tmp_path / "algorithms" / "a"
    folder.mkdir(parents=True)
    (folder / "x.yml").write_text(history_repo.other(), encoding="utf-8")
    history = read_history(tmp_path / "algorithms")
    assert not history.available and history.records == ()
    assert history.note == hist.NOTE_ABSENT


def test_unreadable_version_is_kept_with_its_reason(tmp_path: Path) -> None:
    script = history_repo.Script(tmp_path)
    script.write("algorithms/a/x.yml", history_repo.other())
    script.commit("ajout")
    script.write("algorithms/a/x.yml", "nom: [non fermé\n")
    bad = script.commit("fiche cassée")
    script.write("algorithms/a/x.yml", "!!python/object:os.system ls\n")
    script.commit("étiquette dangereuse")
    script.write("algorithms/a/x.yml", "x: " + "a" * 300_000 + "\n")
    script.commit("trop grande")
    script.write("algorithms/a/x.yml", history_repo.other("2024-05-01"))
    script.commit("réparée")
    record = read_history(tmp_path / "algorithms").of("x")
    assert record is not None
    broken = [v for v in record.versions if v.problem]
    assert [v.sha for v in broken][:1] == [bad]
    assert len(broken) == 3 and all(v.changes == () for v in broken)
    assert "YAML" in broken[0].problem and "étiquette" in broken[1].problem
    assert "256 Kio" in broken[2].problem
    assert record.versions[-1].changes[0].summary == (
        "Date de mise à jour : 2024-02-01 → 2024-05-01"
    )


def test_versions_per_record_are_bounded(tmp_path: Path) -> None:
    script = history_repo.Script(tmp_path)
    for day in range(1, 8):
        script.write("algorithms/a/x.yml", history_repo.other(f"2024-01-{day:02d}"))
        script.commit(f"version {day}")
    record = read_history(tmp_path / "algorithms", max_versions=3).of("x")
    assert record is not None and record.truncated
    assert len(record.versions) == 3 and record.versions[0].kind == "plus-ancien-connu"


def test_log_parsing_does_not_trust_messages(tmp_path: Path) -> None:
    script = history_repo.Script(tmp_path)
    script.write("algorithms/a/x.yml", history_repo.other())
    script.commit("message\x1e\x1fpiégé :000000 000000 A\nalgorithms/a/y.yml")
    commits = gitrepo.log(tmp_path, "algorithms")
    assert len(commits) == 1
    assert [c.path for c in commits[0].changes] == ["algorithms/a/x.yml"]


def test_word_diff_and_differences() -> None:
    assert word_diff("a b c", "a x c") == (("=", "a"), ("-", "b"), ("+", "x"), ("=", "c"))
    before = {"parametres": [{"nom": "Âge"}], "statut": "en_service", "nom": "A"}
    after = {"parametres": [{"nom": "Âge", "ponderation": "forte"}], "nom": "B"}
    assert [c.summary for c in differences(before, after)] == [
        "Nom : A → B",
        "Statut retiré",
        "Paramètre modifié : Âge",
    ]
    # Fields the guide does not name come last, in alphabetical order.
    extra_before = {"zeta": "1", "alpha": "1", "ressources": [], "nom": "A"}
    extra_after = {"zeta": "2", "alpha": "2", "ressources": [{"titre": "Guide"}], "nom": "B"}
    assert [c.field for c in differences(extra_before, extra_after)] == [
        "nom",
        "ressources",
        "alpha",
        "zeta",
    ]
    # Only the middle of a long text is matched: what both versions share stays whole.
    long_before = " ".join(f"mot{i}" for i in range(100))
    long_after = long_before.replace("mot50", "terme") + " fin"
    assert word_diff(long_before, long_after) == (
        ("=", " ".join(f"mot{i}" for i in range(50))),
        ("-", "mot50"),
        ("+", "terme"),
        ("=", " ".join(f"mot{i}" for i in range(51, 100))),
        ("+", "fin"),
    )


def test_git_missing_is_not_a_failure(
    scripted: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = scripted
    monkeypatch.setenv("PATH", "/nonexistent")
    history = read_history(root / "algorithms")
    assert not history.available and history.note == hist.NOTE_ABSENT


def test_blob_ids_are_the_ids_git_gives(tmp_path: Path) -> None:
    content = b"nom: Fiche \xc3\xa9l\xc3\xa8ve\n"
    (tmp_path / "x.yml").write_bytes(content)
    done = subprocess.run(
        ["git", "hash-object", str(tmp_path / "x.yml")], capture_output=True, text=True, check=True
    )
    assert gitrepo.blob_id(content) == done.stdout.strip()
    assert len(gitrepo.blob_id(content, 64)) == 64


def test_records_already_read_are_not_parsed_again(tmp_path: Path) -> None:
    """A version whose content is the record's file takes the data the check read; a file
    edited since its last commit does not."""
    script = history_repo.Script(tmp_path)
    script.write("algorithms/a/x.yml", history_repo.other("2024-01-01"))
    script.write("algorithms/a/y.yml", history_repo.other("2024-01-05"))
    script.commit("ajout")
    script.write("algorithms/a/x.yml", history_repo.other("2024-02-01"))
    script.write("algorithms/a/y.yml", history_repo.other("2024-02-05"))
    script.commit("dates")
    script.write("algorithms/a/y.yml", history_repo.other("2024-03-01"))  # not committed
    folder = tmp_path / "algorithms" / "a"
    # Data unlike the files' (what the check would have read is a stand-in here): only a
    # version equal to its file can show it.
    read = {"nom": "Lue par la vérification", "date_mise_a_jour": "2024-02-01"}
    current = [Record(id=n, folder="a", path=folder / f"{n}.yml", data=read) for n in "xy"]
    history = read_history(tmp_path / "algorithms", current=current)
    x, y = history.of("x"), history.of("y")
    assert x is not None and y is not None
    assert summaries(x.versions[-1])[0] == "Nom : Affectation des élèves → Lue par la vérification"
    assert summaries(y.versions[-1]) == ["Date de mise à jour : 2024-01-05 → 2024-02-05"]
