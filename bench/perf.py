"""Speed and memory of the place finder, measured the same way each time.

Usage:  python bench/perf.py [--repeat N]

Prints three small tables (no thresholds; the figures go in the closing note):

1. loading the gazetteer in a fresh interpreter: seconds, peak resident memory
   (ru_maxrss) and the resident memory the load added; best of N;
2. ``geo.places.find_places`` on one core over the four news benchmarks' texts
   (written with ../shared/geoparse-bench/eupeg.py), gazetteer already
   loaded; best of N passes;
3. ``conflictmap places`` end to end (start-up, load, read, write) on
   ../shared/corpus/seeds and on all benchmark texts; best of N.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geoparse import CORPORA, EUPEG, ROOT

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
MB = 1e6

_LOAD_PROBE = """
import json, resource, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
from geo.gazetteer import load_gazetteer
before = rss()
started = time.perf_counter()
gaz = load_gazetteer()
secs = time.perf_counter() - started
print(json.dumps({"secs": secs, "places": len(gaz), "rss_added": rss() - before,
                  "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def fresh_cache() -> str:
    """Point geo.cache (and the commands started from here) at a new, empty folder, so a
    timing reads and extracts afresh instead of finding what an earlier pass kept."""
    folder = tempfile.mkdtemp(prefix="conflictmap-bench-cache-")
    atexit.register(shutil.rmtree, folder, True)
    os.environ["CONFLICTMAP_CACHE"] = folder
    return folder


def one_core() -> str:
    """Pin this process (and the commands it starts) to one CPU."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def gazetteer_load(repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout
        runs.append(json.loads(out))
    return min(runs, key=lambda r: r["secs"])


def write_corpora(folder: Path) -> dict[str, list[Path]]:
    texts = {}
    for corpus in CORPORA:
        subprocess.run([sys.executable, str(EUPEG), "texts", corpus, str(folder / corpus)],
                       check=True, capture_output=True)
        texts[corpus] = sorted((folder / corpus).iterdir())
    return texts


def throughput(texts: list[str], repeat: int) -> tuple[float, int]:
    """Best seconds over `repeat` passes of find_places over `texts`, and the mentions found."""
    from geo.gazetteer import load_gazetteer
    from geo.places import find_places

    gaz = load_gazetteer()
    best, mentions = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        mentions = sum(len(find_places(t, gaz, "bench")) for t in texts)
        best = min(best, time.perf_counter() - started)
    return best, mentions


def end_to_end(paths: list[Path], repeat: int) -> float:
    command = [shutil.which("conflictmap") or sys.executable]
    if command[0] == sys.executable:
        command += ["-m", "geo"]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([*command, "places", *map(str, paths), "-o", os.devnull, "--quiet"],
                       check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - started)
    return best


def row(cells: list[object], widths: list[int]) -> str:
    return "  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}"
                     for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is shown")
    args = ap.parse_args(argv)
    print(f"conflict-map perf, Python {sys.version.split()[0]}, {one_core()}\n")

    load = gazetteer_load(args.repeat)
    widths = [10, 8, 12, 14]
    print(f"1. gazetteer load, fresh interpreter (best of {args.repeat})")
    print(row(["places", "load s", "max RSS MB", "RSS added MB"], widths))
    print(row([f"{load['places']:,}", f"{load['secs']:.3f}", f"{load['maxrss'] / MB:.0f}",
               f"{load['rss_added'] / MB:.0f}"], widths))

    if not EUPEG.exists() or not SEEDS.is_dir():
        print(f"\nskipped 2 and 3: {ROOT.parent / 'shared'} (benchmarks, seeds) is not beside "
              "the checkout")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        files = write_corpora(Path(tmp))
        widths = [11, 8, 11, 8, 7, 10, 6, 10]
        print(f"\n2. find_places, one core, gazetteer loaded (best of {args.repeat} passes)")
        print(row(["corpus", "articles", "characters", "mentions", "s", "chars/s", "MB/s",
                   "articles/s"], widths))
        totals = [0, 0, 0, 0, 0.0]
        for corpus, paths in files.items():
            texts = [p.read_text(encoding="utf-8") for p in paths]
            secs, mentions = throughput(texts, args.repeat)
            size = [len(texts), sum(map(len, texts)), sum(len(t.encode()) for t in texts), mentions,
                    secs]
            totals = [a + b for a, b in zip(totals, size, strict=True)]
            print(row(_rates(corpus, *size), widths))
        print(row(_rates("all", *totals), widths))

        widths = [18, 8, 8, 7, 6]
        print(f"\n3. conflictmap places end to end (best of {args.repeat})")
        print(row(["input", "articles", "MB", "s", "MB/s"], widths))
        seeds = sorted(SEEDS.glob("*.txt"))
        every = [p for paths in files.values() for p in paths]
        for label, paths in (("seeds", seeds), ("all benchmarks", every)):
            size = sum(p.stat().st_size for p in paths)
            secs = end_to_end(paths, args.repeat)
            print(row([label, len(paths), f"{size / MB:.2f}", f"{secs:.2f}",
                       f"{size / MB / secs:.2f}"], widths))
    return 0


def _rates(label: str, articles: int, chars: int, size: int, mentions: int, secs: float) -> list:
    return [label, articles, f"{chars:,}", mentions, f"{secs:.2f}", f"{chars / secs:,.0f}",
            f"{size / MB / secs:.2f}", f"{articles / secs:.0f}"]


if __name__ == "__main__":
    raise SystemExit(main())
