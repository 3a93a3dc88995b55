"""How the extractor's cost grows with the length of an article, and of one sentence in it.

Usage:  python bench/longtext.py [--sizes 0.1,1,10] [--budget SECONDS] [--profile MB]

Times ``geo.places.find_places`` and ``geo.events.extract_reports`` (which runs
find_places itself) on one core, gazetteer loaded, for three texts of each size (MB):

- "one sentence": conflict-news phrases joined by commas and "and", with no full stop
  and nothing that splits a clause: one sentence, one clause, as long as the text;
- "one sentence, clauses": the same with ", while", "after" and "; " between some
  phrases, so one sentence holds many clauses;
- "sentences": ordinary sentences of the same phrases, repeated.

For each step of 10x it prints the growth exponent, log10(t2 / t1): 1.0 is linear, 2.0
grows with the square. Issue 9 asks for linear. A size whose projected time is over
``--budget`` is skipped and its projection printed, so a quadratic run does not take
hours. ``--profile MB`` prints cProfile's top functions for the one-sentence text of that
size instead. No thresholds: the figures go in the closing note.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import sys
import time
from datetime import date
from itertools import cycle

from geoparse import ROOT
from perf import one_core, row

sys.path.insert(0, str(ROOT))  # measure this checkout's geo, whatever else is installed

from geo.articles import Article  # noqa: E402
from geo.events import extract_reports  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.places import find_places  # noqa: E402

PHRASES = (
    "Russian drones struck Kharkiv overnight",
    "gunmen attacked a bus near Quetta, killing four people",
    "Israeli air strikes hit Khan Younis in the Gaza Strip, killing at least 12 civilians",
    "fighters clashed with government forces in Goma",
    "a roadside bomb exploded in Kandahar province, wounding three soldiers",
    "Houthi rebels fired missiles at a ship off Hodeidah",
    "militants stormed a village in Borno state and killed 23 farmers",
    "Pakistan carried out strikes in Iran's Sistan-Baluchestan province",
    "protesters marched through Tehran",
    "Sudanese paramilitaries shelled El Fasher, killing two children",
    "Ukrainian forces shot down 30 drones over Odesa",
    "the army said it had recaptured two towns in Tigray",
    "a suicide bomber killed nine worshippers at a mosque in Peshawar",
    "M23 rebels seized the town of Rubaya in North Kivu",
    "Syrian government jets bombed Idlib",
    "two rockets landed near the airport in Erbil",
)
SPLITS = (", while ", " after ", "; ")  # each opens a new clause (geo.clauses)


def one_sentence(size: int, splits: bool = False) -> str:
    """A single sentence of about `size` characters: no full stop, phrases joined by
    commas and "and"; with `splits`, every fourth join opens a new clause."""
    parts, n = [], 0
    for i, phrase in enumerate(cycle(PHRASES)):
        if n >= size:
            break
        join = SPLITS[i // 4 % 3] if splits and i % 4 == 3 else (", and " if i % 3 == 2 else ", ")
        parts.append(phrase if not parts else join + phrase)
        n += len(parts[-1])
    return "".join(parts)


def many_sentences(size: int) -> str:
    """Ordinary sentences, about `size` characters, a paragraph every five."""
    parts, n = [], 0
    for i, phrase in enumerate(cycle(PHRASES)):
        if n >= size:
            break
        parts.append(phrase[0].upper() + phrase[1:] + (".\n\n" if i % 5 == 4 else ". "))
        n += len(parts[-1])
    return "".join(parts)


TEXTS = {"one sentence": one_sentence,
         "one sentence, clauses": lambda size: one_sentence(size, splits=True),
         "sentences": many_sentences}


def article(text: str) -> Article:
    return Article("long.txt", "", text, date(2024, 1, 19), "option", None, "long.txt")


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def growth(times: list[tuple[float, float]]) -> str:
    """The exponent of the last step: log(t2 / t1) / log(size2 / size1)."""
    if len(times) < 2 or min(t for _, t in times[-2:]) <= 0:
        return ""
    (s1, t1), (s2, t2) = times[-2:]
    return f"{math.log(t2 / t1) / math.log(s2 / s1):.2f}"


def run(label: str, make, sizes: list[float], gaz, budget: float, widths: list[int]) -> None:
    places: list[tuple[float, float]] = []
    events: list[tuple[float, float]] = []
    for mb in sizes:
        if events:  # project from the last step (square growth until two points say otherwise)
            slope = float(growth(events) or 2.0)
            projected = events[-1][1] * (mb / events[-1][0]) ** max(1.0, slope)
            if projected > budget:
                print(row([label, f"{mb:g}", "", "", "", "", "", f"skipped: ~{projected:,.0f} s"], widths))
                continue
        text = make(int(mb * 1e6))
        secs, mentions = timed(lambda text=text: find_places(text, gaz, "long.txt"))
        places.append((mb, secs))
        secs, reports = timed(lambda text=text: extract_reports(article(text), gaz))
        events.append((mb, secs))
        print(row([label, f"{mb:g}", len(mentions), f"{places[-1][1]:.2f}", growth(places),
                   len(reports), f"{secs:.2f}", growth(events)], widths))


def profile(mb: float, gaz) -> None:
    text = one_sentence(int(mb * 1e6))
    prof = cProfile.Profile()
    prof.runcall(extract_reports, article(text), gaz)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.1,1,10", help="text sizes in MB, comma-separated")
    ap.add_argument("--budget", type=float, default=300.0,
                    help="skip a size whose projected extract time is over this many seconds")
    ap.add_argument("--profile", type=float, metavar="MB", help="profile the one-sentence text")
    ap.add_argument("--only", choices=sorted(TEXTS), help="run one of the texts")
    args = ap.parse_args(argv)
    print(f"conflict-map long texts, Python {sys.version.split()[0]}, {one_core()}")
    gaz = load_gazetteer()
    find_places("Kharkiv and Quetta", gaz, "warm")  # build the lazily made records once
    if args.profile:
        profile(args.profile, gaz)
        return 0
    sizes = [float(s) for s in args.sizes.split(",")]
    widths = [21, 5, 9, 9, 7, 8, 9, 7]
    print(row(["text", "MB", "mentions", "places s", "growth", "reports", "extract s", "growth"],
              widths))
    for label, make in TEXTS.items():
        if args.only in (None, label):
            run(label, make, sizes, gaz, args.budget, widths)
    print("\nplaces: find_places; extract: extract_reports (places, sentences, clauses, roles, "
          "tolls, dates); growth: exponent per step, 1.0 linear, 2.0 square.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
