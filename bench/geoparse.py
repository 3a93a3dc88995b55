"""Geoparsing accuracy on the four news benchmarks, scored as EUPEG scored them.

Usage:  python bench/geoparse.py [CORPUS ...] [--keep DIR]

Writes each corpus's texts with ../shared/geoparse-bench/eupeg.py, runs
`conflictmap places --as-named` on them (one core; each name at its gazetteer
entry's point, as the benchmarks annotate it, not the part of it the text
names), scores the output and prints our
row beside the best published figure in each column.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "geoparse-bench"
EUPEG = BENCH / "eupeg.py"
CORPORA = ("GeoWebNews", "LGL", "TR-News", "GeoVirus")
COLUMNS = ("P", "R", "F1", "acc161", "AUC")


def _summary(output: str) -> dict:
    for line in reversed(output.strip().splitlines()):
        start = line.find("{")
        if start >= 0:
            return json.loads(line[start:])
    raise SystemExit(f"eupeg.py printed no summary:\n{output}")


def published_best() -> dict[str, dict[str, tuple[float, str]]]:
    out = subprocess.run([sys.executable, str(EUPEG), "baselines"], capture_output=True,
                         text=True, check=True).stdout
    best: dict[str, dict[str, tuple[float, str]]] = {}
    for line in out.splitlines():
        corpus, system, rest = line.split(" ", 2)
        row = json.loads(rest)
        for col in COLUMNS:
            cur = best.setdefault(corpus, {}).get(col)
            if cur is None:
                better = True
            else:  # a lower AUC (area under the error curve) is better
                better = row[col] < cur[0] if col == "AUC" else row[col] > cur[0]
            if better:
                best[corpus][col] = (row[col], system)
    return best


def run(corpus: str, work: Path) -> tuple[dict, float, int]:
    texts = work / corpus
    texts.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(EUPEG), "texts", corpus, str(texts)], check=True,
                   capture_output=True)
    out = work / f"{corpus}.jsonl"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", "places", str(texts), "-o", str(out),
                    "--as-named", "--quiet"], check=True, cwd=ROOT)
    secs = time.perf_counter() - started
    chars = sum(len(p.read_text(encoding="utf-8")) for p in texts.iterdir())
    scored = subprocess.run([sys.executable, str(EUPEG), "score", corpus, str(out)],
                            capture_output=True, text=True, check=True).stdout
    return _summary(scored), secs, chars


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", default=list(CORPORA))
    ap.add_argument("--keep", type=Path, help="keep texts and output in this folder")
    args = ap.parse_args(argv)
    if not EUPEG.exists():
        print(f"{EUPEG}: benchmark not found (it lives in ../shared beside the checkout)",
              file=sys.stderr)
        return 2
    best = published_best()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        print(f"{'corpus':<11} {'':<10} " + " ".join(f"{c:>16}" for c in COLUMNS))
        for corpus in args.corpora:
            ours, secs, chars = run(corpus, work)
            print(f"{corpus:<11} {'ours':<10} " + " ".join(f"{ours[c]:>16}" for c in COLUMNS)
                  + f"   ({secs:.1f} s, {chars / secs / 1e6:.2f} MB/s incl. start-up)")
            top = best[corpus]
            print(f"{'':<11} {'best publ.':<10} "
                  + " ".join(f"{top[c][0]:>7} {top[c][1][:8]:<8}" for c in COLUMNS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
