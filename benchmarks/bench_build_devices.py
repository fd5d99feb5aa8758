"""What each performance device of ``inventory build`` saves, measured on and off.

The devices are those of :mod:`inventory.site.devices` (forked children for the crawl reading,
the exports and part of the pages; freeing memory in a thread while MkDocs
renders). On the projects of ``bench_build.py`` (national scale and half of it), the whole
``inventory build`` runs with every device on, then with each one off (``INVENTORY_BUILD_OFF``),
the order rotated at each repetition, the fastest run of each configuration kept. A device's
saving is ``(time with it off - time with all on) / time with it off``: the share of the build
it saves. A device that saves less than 5 % at both scales is not worth its code.

    python benchmarks/bench_build_devices.py [--repeat 2] [--scale 1.0] [--scale 0.5]

The last line gives each device's saving at national scale.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.bench_build import BUILD, make_project, timed  # noqa: E402
from inventory.site.devices import ENVIRONMENT, Devices  # noqa: E402


def run(project: Path, off: str) -> float:
    previous = os.environ.get(ENVIRONMENT)
    os.environ[ENVIRONMENT] = off
    try:
        wall, _, _ = timed(BUILD, project)
    finally:
        if previous is None:
            os.environ.pop(ENVIRONMENT, None)
        else:
            os.environ[ENVIRONMENT] = previous
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--scale", type=float, action="append")
    args = parser.parse_args()
    scales = args.scale or [0.5, 1.0]
    configurations = ["", *Devices.names()]  # "": every device on
    work = Path(tempfile.mkdtemp(prefix="bench-devices-"))
    last: dict[str, float] = {}
    try:
        for scale in scales:
            sizes = (int(2000 * scale), int(1300 * scale), int(30000 * scale))
            print(f"Échelle {scale:g} : {sizes[0]} fiches, {sizes[2]} dépôts", flush=True)
            project = make_project(work / f"echelle-{scale:g}", *sizes)
            run(project, "")  # warm-up: caches, build/docs/ present as in every later run
            best: dict[str, float] = {}
            for repetition in range(max(1, args.repeat)):
                shift = repetition % len(configurations)
                for off in configurations[shift:] + configurations[:shift]:
                    seconds = run(project, off)
                    best[off] = min(best.get(off, seconds), seconds)
                    print(f"  {off or 'tout actif':<14} {seconds:6.1f} s", flush=True)
            base = best[""]
            print(f"  tout actif : {base:.1f} s (meilleur de {args.repeat})")
            for name in Devices.names():
                saving = (best[name] - base) / best[name]
                last[name] = saving
                print(f"  sans {name:<13} {best[name]:6.1f} s : économie {saving:+.1%}")
        print(" ; ".join(f"{name} {saving:+.1%}" for name, saving in last.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
