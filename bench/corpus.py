"""A large corpus of real news text: the benchmark texts, with their dates and places varied.

Usage:  python bench/corpus.py OUT_FOLDER [--articles 20000] [--seed 1]

Every text of the four news geoparsing benchmarks (../shared/geoparse-bench, written with
its eupeg.py) is copied again and again: each copy gets a publication date in 2023-2025
("Date:" header) and each city or town it names swapped for another of the gazetteer's
populous ones (the same name for every mention of it in that copy), chosen by a fixed
seed, so the same command always writes the same corpus. The language, its phrasing and
its events stay real; only which day and where change, so the merge meets many stories at
many places on many days, as in an archive.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from geoparse import CORPORA, EUPEG, ROOT

sys.path.insert(0, str(ROOT))

from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.places import find_places  # noqa: E402

FIRST_DAY, DAYS = date(2023, 1, 1), 3 * 365
SWAPPED = ("city", "town")


def benchmark_texts() -> list[str]:
    """The benchmark texts, in a fixed order."""
    if not EUPEG.exists():
        raise SystemExit(f"{EUPEG}: not found (../shared beside the checkout)")
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in CORPORA:
            folder = Path(tmp, corpus)
            subprocess.run([sys.executable, str(EUPEG), "texts", corpus, str(folder)], check=True,
                           capture_output=True)
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
    return texts


def make_corpus(folder: Path, articles: int, seed: int = 1) -> list[Path]:
    """Write `articles` files into `folder` (made if missing); their paths, in order."""
    gaz = load_gazetteer()
    rng = random.Random(seed)
    texts = benchmark_texts()
    towns = sorted({p.name for p in (gaz.place(i) for i in range(len(gaz)))
                    if p.kind in SWAPPED and p.population >= 100_000 and p.name.isascii()})
    spans = []  # per text: (start, end, name) of each city or town it names
    for text in texts:
        spans.append([(m.start, m.end, m.text) for m in find_places(text, gaz, "t")
                      if m.place.kind in SWAPPED])
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(articles):
        n = k % len(texts)
        text, swap = texts[n], {}
        parts, at = [], 0
        for start, end, name in spans[n]:
            swap.setdefault(name, rng.choice(towns))
            parts += [text[at:start], swap[name]]
            at = end
        parts.append(text[at:])
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        path = folder / f"{k:07d}.txt"
        path.write_text(f"Date: {day.isoformat()}\n\n{''.join(parts)}", encoding="utf-8")
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    paths = make_corpus(args.folder, args.articles, args.seed)
    print(f"{len(paths):,} articles in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
