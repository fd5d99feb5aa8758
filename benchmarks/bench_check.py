"""Benchmark of ``inventory check`` against ``check-jsonschema`` on 2,000 records.

Generates 2,000 varied valid records in a temporary folder (dates quoted, so that
check-jsonschema, which reads YAML dates as date objects, validates the same files
successfully), then times side by side:

* ``check_paths`` in process (schema, line numbers and the cross-record rules);
* ``inventory check`` as a subprocess (interpreter start-up included);
* ``check-jsonschema --schemafile schemas/algorithme.schema.json <the 2,000 files>``.

Target: ``inventory check`` takes at most a third of check-jsonschema's time.
The last line printed is the ratio of the two subprocess runs.

    python benchmarks/bench_check.py [--records N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.synthetic import sentence  # noqa: E402
from inventory.register.validate import check_paths  # noqa: E402

SCHEMA = PROJECT / "schemas" / "algorithme.schema.json"
FOLDERS = 40


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def record_yaml(rng: random.Random, index: int, today: date) -> str:
    """One valid record, varied: optional fields, list lengths and enum values change."""
    folder = index % FOLDERS
    lines = [
        f"nom: {sentence(rng, 4)[:-1]} n° {index}",
        "administration:",
        f"  nom: Administration numéro {folder}",
    ]
    if rng.random() < 0.7:
        lines.append(f"  sigle: ADM{folder}")
    if rng.random() < 0.5:
        lines.append(f"  direction: {sentence(rng, 3)}")
    if rng.random() < 0.5:
        lines.append(f"  pso_id: {_uuid(rng)}")
    contact = (
        f"contact{index}@exemple.gouv.fr"
        if rng.random() < 0.5
        else f"https://www.exemple.gouv.fr/contact/{index}"
    )
    updated = today - timedelta(days=rng.randrange(0, 300))
    lines += [
        f"contact: {contact}",
        f'date_mise_a_jour: "{updated.isoformat()}"',
        f"statut: {rng.choice(['en_service', 'en_developpement', 'experimentation', 'retire'])}",
    ]
    if rng.random() < 0.6:
        lines += ["contexte: |", f"  {sentence(rng, 30)}", f"  {sentence(rng, 20)}"]
    lines += [
        "finalite: |",
        f"  {sentence(rng, 25)}",
        "",
        f"  - {sentence(rng, 8)}",
        f"  - {sentence(rng, 8)}",
        f"intervention_dans_la_decision: {_quoted(sentence(rng, 20))}",
        "niveau_automatisation: "
        + rng.choice(["decision_entierement_automatisee", "aide_a_la_decision"]),
        "fondements_juridiques:",
    ]
    for number in range(rng.randint(1, 4)):
        lines.append(f"  - titre: Article L{rng.randint(100, 999)}-{number + 1} du code")
        if rng.random() < 0.8:
            lines.append(
                f"    url: https://www.legifrance.gouv.fr/codes/article_lc/L{index}{number}"
            )
    if rng.random() < 0.7:
        lines.append(f"decisions_par_an: {rng.randint(0, 5_000_000)}")
    if rng.random() < 0.8:
        lines.append(f"portee_decision: {rng.choice(['externe', 'interne'])}")
    lines += [f"public_concerne: {sentence(rng, 10)}", "donnees:"]
    for _ in range(rng.randint(1, 5)):
        lines += [f"  - nom: {sentence(rng, 3)}", f"    source: {sentence(rng, 6)}"]
        if rng.random() < 0.6:
            lines.append(f"    mode_collecte: {sentence(rng, 5)}")
        if rng.random() < 0.6:
            lines.append(f"    donnees_personnelles: {rng.choice(['true', 'false'])}")
    lines += [
        "type_algorithme: "
        + rng.choice(["systeme_de_regles", "apprentissage_automatique", "hybride"]),
        "operations: >",
        f"  {sentence(rng, 40)}",
    ]
    if rng.random() < 0.6:
        lines.append("parametres:")
        for _ in range(rng.randint(1, 4)):
            lines.append(f"  - nom: {sentence(rng, 2)}")
            if rng.random() < 0.5:
                weight = rng.choice(["2", "0.5", '"double"'])
                lines.append(f"    ponderation: {weight}")
            if rng.random() < 0.5:
                lines.append(f"    description: {sentence(rng, 10)}")
    if rng.random() < 0.7:
        lines.append("ressources:")
        for number in range(rng.randint(1, 3)):
            kind = rng.choice(["code_source", "logigramme", "documentation", "formulaire"])
            lines += [f"  - type: {kind}", f"    url: https://exemple.gouv.fr/{index}/{number}"]
            if rng.random() < 0.5:
                lines.append(f"    titre: {sentence(rng, 3)}")
    return "\n".join(lines) + "\n"


def _uuid(rng: random.Random) -> str:
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def generate(root: Path, count: int, seed: int = 2) -> list[Path]:
    rng = random.Random(seed)
    today = date.today()
    files = []
    for index in range(count):
        folder = root / f"administration-{index % FOLDERS:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"algorithme-{index:05d}.yml"
        path.write_text(record_yaml(rng, index, today), encoding="utf-8")
        files.append(path)
    return files


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(
            f"échec de {command[0]} (code {result.returncode}) :\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    baseline = shutil.which("check-jsonschema")
    inventory = shutil.which("inventory")
    if baseline is None or inventory is None:
        raise SystemExit(
            "check-jsonschema et inventory doivent être installés (pip install -e '.[test]')"
        )
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        root = Path(tmp) / "algorithms"
        files = generate(root, args.records)
        relative = [str(path.relative_to(tmp)) for path in files]

        start = time.perf_counter()
        result = check_paths([root])
        in_process = time.perf_counter() - start
        if not result.ok or len(result.records) != args.records:
            raise SystemExit(f"fiches générées invalides : {result.errors[:3]}")

        ours = _timed([inventory, "check", "algorithms"], Path(tmp))
        theirs = _timed([baseline, "--schemafile", str(SCHEMA), *relative], Path(tmp))

    print(f"fiches : {args.records} (toutes valides pour les deux outils)")
    print(f"check_paths (dans le processus) : {in_process:.2f} s")
    print(f"inventory check (sous-processus) : {ours:.2f} s")
    print(f"check-jsonschema (sous-processus) : {theirs:.2f} s")
    print(f"ratio dans le processus / check-jsonschema : {in_process / theirs:.3f}")
    print(f"ratio inventory check / check-jsonschema : {ours / theirs:.3f} (objectif ≤ 0,333)")


if __name__ == "__main__":
    main()
