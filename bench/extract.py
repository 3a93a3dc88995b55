"""Event extraction throughput, measured the same way each time.

Usage:  python bench/extract.py [--repeat N] [--articles N]

Prints, for (a) the sample articles in data/samples repeated to about 500 articles and
(b) every text of the four news geoparsing benchmarks (written with
../shared/geoparse-bench/eupeg.py, when it is there), how fast
``geo.events.events_from_articles`` runs on one core with the gazetteer already loaded
(articles per second; the target is 200 or more; best of N passes, so the gazetteer's
lazily built place records are warm), and the total time of ``conflictmap extract`` run
end to end on the same files in a fresh process (start-up, gazetteer load, reading,
extraction, writing GeoJSON; best of N), then the peak resident memory of this process
(gazetteer and extraction) and of the largest CLI run. No thresholds: the figures go in
the closing note.

The benchmark texts carry no dates; they are given one (as ``--date`` would), so that every
sentence goes through dating and the extractor does its full work.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from geoparse import CORPORA, EUPEG, ROOT
from perf import one_core, row

sys.path.insert(0, str(ROOT))  # measure this checkout's geo, whatever else is installed

from geo.articles import read_articles  # noqa: E402
from geo.events import events_from_articles  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
UNDATED = date(2024, 1, 19)  # publication date given to the benchmark texts


def copies(files: list[Path], folder: Path, target: int) -> list[Path]:
    """Copies of `files` in `folder`, enough of them to hold about `target` articles."""
    per_copy = sum(1 for _ in read_articles(files))
    out = []
    for k in range(max(1, round(target / per_copy))):
        for f in files:
            out.append(folder / f"{k:03d}_{f.name}")
            shutil.copyfile(f, out[-1])
    return out


def timed(fn, repeat: int):
    """(best seconds over `repeat` calls of fn(), the last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def end_to_end(paths: list[Path], published: date | None, repeat: int) -> float:
    """Best wall time of `conflictmap extract PATHS -o -` in a fresh process, output discarded."""
    command = [sys.executable, "-m", "geo", "extract", *map(str, paths), "--quiet"]
    if published:
        command += ["--date", published.isoformat()]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def measure(label: str, paths: list[Path], published: date | None, gaz, repeat: int) -> list[object]:
    articles = list(read_articles(paths, published=published))
    secs, events = timed(lambda: events_from_articles(articles, gaz), repeat)
    total = end_to_end(paths, published, repeat)
    chars = sum(len(a.text) for a in articles)
    return [label, len(articles), f"{chars:,}", len(events), f"{secs:.2f}",
            f"{len(articles) / secs:.0f}", f"{chars / secs / 1e6:.2f}", f"{total:.2f}",
            f"{len(articles) / total:.0f}"]


def peak_memory() -> str:
    """Peak resident memory (ru_maxrss, kB on Linux) of this process and of its largest child."""
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"\npeak memory: {mine:.0f} MB in this process, {child:.0f} MB in the largest CLI run"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="passes per figure; the best is shown")
    ap.add_argument("--articles", type=int, default=500,
                    help="how many articles the repeated samples make (default 500)")
    args = ap.parse_args(argv)
    print(f"conflict-map extract throughput, Python {sys.version.split()[0]}, {one_core()}")
    load_secs, gaz = timed(load_gazetteer, 1)
    print(f"gazetteer loaded in {load_secs:.2f} s\n")

    widths = [18, 8, 11, 6, 7, 10, 9, 8, 10]
    print(row(["input", "articles", "characters", "events", "extract", "articles/s", "MB/s",
               "CLI", "articles/s"], widths))
    print(row(["", "", "", "", "s", "(extract)", "(extract)", "s", "(CLI)"], widths))
    samples = sorted(p for p in SAMPLES.iterdir() if not p.name.startswith("."))
    with tempfile.TemporaryDirectory() as tmp:
        many = copies(samples, Path(tmp), args.articles)
        print(row(measure("samples, repeated", many, None, gaz, args.repeat), widths))
        if not EUPEG.exists():
            print(f"\nskipped the benchmarks: {EUPEG.parent} is not beside the checkout")
            print(peak_memory())
            return 0
        every = []
        for corpus in CORPORA:
            folder = Path(tmp, corpus)
            subprocess.run([sys.executable, str(EUPEG), "texts", corpus, str(folder)], check=True,
                           capture_output=True)
            paths = sorted(folder.iterdir())
            every += paths
            print(row(measure(corpus, paths, UNDATED, gaz, args.repeat), widths))
        print(row(measure("all benchmarks", every, UNDATED, gaz, args.repeat), widths))
    print(peak_memory())
    print("\nextract: events_from_articles (places, dates, events, merge), one core, gazetteer "
          "loaded, best of the passes; CLI: `conflictmap extract` end to end in a fresh process "
          "(start-up, load, read, extract, write). Target: 200 articles/s or more.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
