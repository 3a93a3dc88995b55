"""Event extraction throughput, measured the same way each time.

Usage:  python bench/extract.py [--repeat N] [--articles N] [--parser rules|spacy|both]

Prints, for (a) the sample articles in data/samples repeated to about 500 articles and
(b) every text of the four news geoparsing benchmarks (written with
../shared/geoparse-bench/eupeg.py, when it is there), and for each way of reading roles
(``--parser rules``, word order; ``--parser spacy``, a dependency parse of the sentences
that hold a trigger), how fast ``geo.events.events_from_articles`` runs on one core with
the gazetteer (and spaCy's pipeline) already loaded (articles per second; targets: 200 or
more for the rules, 30 or more with the parse; best of N passes, so the gazetteer's lazily
built place records are warm), and the total time and peak resident memory of
``conflictmap extract`` run end to end on the same files in a fresh process (start-up,
gazetteer and pipeline load, reading, extraction, writing GeoJSON; best of N). No
thresholds: the figures go in the closing note. The parse is never shared between
articles, so the repeated samples are parsed anew in every copy.

The benchmark texts carry no dates; they are given one (as ``--date`` would), so that every
sentence goes through dating and the extractor does its full work.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from geoparse import CORPORA, EUPEG, ROOT
from perf import fresh_cache, one_core, row

sys.path.insert(0, str(ROOT))  # measure this checkout's geo, whatever else is installed

from geo.articles import read_articles  # noqa: E402
from geo.events import events_from_articles  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
UNDATED = date(2024, 1, 19)  # publication date given to the benchmark texts


def copies(files: list[Path], folder: Path, target: int) -> list[Path]:
    """Copies of `files` in `folder`, enough of them to hold about `target` articles. A web page
    or feed gets a comment naming its copy, so no copy is read from what another left in the
    cache (geo.cache keeps pages by their bytes)."""
    per_copy = sum(1 for _ in read_articles(files))
    out = []
    for k in range(max(1, round(target / per_copy))):
        for f in files:
            out.append(folder / f"{k:03d}_{f.name}")
            shutil.copyfile(f, out[-1])
            if f.suffix.lower() in (".html", ".htm", ".xml", ".rss", ".atom"):
                with open(out[-1], "ab") as copy:
                    copy.write(f"\n<!-- copy {k} -->\n".encode())
    return out


def timed(fn, repeat: int):
    """(best seconds over `repeat` calls of fn(), the last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _high_water(pid: int) -> int:
    """Peak resident bytes of a running process since it started its program (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) * 1024


def end_to_end(paths: list[Path], published: date | None, parser: str, repeat: int) -> tuple[float, int]:
    """(best wall time, peak resident bytes) of `conflictmap extract PATHS -o -` in a fresh
    process, output discarded."""
    command = [sys.executable, "-m", "geo", "extract", *map(str, paths), "--quiet", "--parser", parser]
    if published:
        command += ["--date", published.isoformat()]
    best, peak = float("inf"), 0
    for _ in range(repeat):
        fresh_cache()  # each pass reads its pages afresh
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
        high = 0  # the child's own high-water mark (VmHWM), read until it exits: its ru_maxrss
        while child.poll() is None:  # would also count this process's pages it was forked with
            high = max(high, _high_water(child.pid))
            time.sleep(0.02)
        if child.returncode:
            raise subprocess.CalledProcessError(child.returncode, command)
        best = min(best, time.perf_counter() - started)
        peak = max(peak, high)
    return best, peak


def measure(label: str, paths: list[Path], published: date | None, gaz, parser: str,
            repeat: int) -> list[object]:
    articles = list(read_articles(paths, published=published))
    secs, events = timed(lambda: events_from_articles(articles, gaz, parser=parser), repeat)
    total, peak = end_to_end(paths, published, parser, repeat)
    chars = sum(len(a.text) for a in articles)
    return [label, parser, len(articles), f"{chars:,}", len(events), f"{secs:.2f}",
            f"{len(articles) / secs:.0f}", f"{chars / secs / 1e6:.2f}", f"{total:.2f}",
            f"{len(articles) / total:.0f}", f"{peak / 1e6:.0f}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="passes per figure; the best is shown")
    ap.add_argument("--articles", type=int, default=500,
                    help="how many articles the repeated samples make (default 500)")
    ap.add_argument("--parser", choices=("rules", "spacy", "both"), default="both",
                    help="which way of reading roles to measure (default both)")
    args = ap.parse_args(argv)
    parsers = ("rules", "spacy") if args.parser == "both" else (args.parser,)
    print(f"conflict-map extract throughput, Python {sys.version.split()[0]}, {one_core()}")
    load_secs, gaz = timed(load_gazetteer, 1)
    print(f"gazetteer loaded in {load_secs:.2f} s")
    if "spacy" in parsers:
        from geo.syntax import load_pipeline, pipeline_name

        spacy_secs, nlp = timed(load_pipeline, 1)
        print(f"spaCy pipeline {pipeline_name()} ({', '.join(nlp.pipe_names)}) loaded in {spacy_secs:.2f} s")
    print()

    widths = [18, 6, 8, 11, 6, 7, 10, 9, 8, 10, 7]
    print(row(["input", "parser", "articles", "characters", "events", "extract", "articles/s", "MB/s",
               "CLI", "articles/s", "peak"], widths))
    print(row(["", "", "", "", "", "s", "(extract)", "(extract)", "s", "(CLI)", "MB"], widths))
    samples = sorted(p for p in SAMPLES.iterdir() if not p.name.startswith("."))
    with tempfile.TemporaryDirectory() as tmp:
        many = copies(samples, Path(tmp), args.articles)
        for parser in parsers:
            print(row(measure("samples, repeated", many, None, gaz, parser, args.repeat), widths))
        if not EUPEG.exists():
            print(f"\nskipped the benchmarks: {EUPEG.parent} is not beside the checkout")
            return 0
        every = []
        for corpus in CORPORA:
            folder = Path(tmp, corpus)
            subprocess.run([sys.executable, str(EUPEG), "texts", corpus, str(folder)], check=True,
                           capture_output=True)
            paths = sorted(folder.iterdir())
            every += paths
            for parser in parsers:
                print(row(measure(corpus, paths, UNDATED, gaz, parser, args.repeat), widths))
        for parser in parsers:
            print(row(measure("all benchmarks", every, UNDATED, gaz, parser, args.repeat), widths))
    print("\nextract: events_from_articles (places, dates, events, merge), one core, gazetteer "
          "(and spaCy pipeline) loaded, best of the passes; CLI: `conflictmap extract` end to end "
          "in a fresh process (start-up, load, read, extract, write); peak: the CLI process's "
          "largest resident memory (VmHWM). Targets: 200 articles/s or more with the rules, "
          "30 or more with the parse.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
