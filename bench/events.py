"""Event extraction scored by the shared scorer, beside what the scorer gives a perfect extractor.

    python bench/events.py [seeds|dev] [EVENTS.geojson]

Runs ``conflictmap extract`` on ../shared/corpus/<set> (unless given an events file) and
prints the shared scorer's figures (../shared/eval/score.py), then its ceiling: the same
scorer run on the gold events themselves, once in the gold's own order and over 50
shuffled orders. The scorer matches gold and predicted events one to one (Kuhn's
augmenting paths, predictions taken in output order, ties broken only by a shared party),
so two gold events of one family, day and place whose parties overlap can each take the
other's prediction, and then neither toll counts. The ceiling says how far that caps the
toll figure: a perfect extractor listing its events in the order the gold does scores the
first line, and one listing them in some other order anything in the range below it.
"""

from __future__ import annotations

import importlib.util
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = ("seeds", "dev")


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_as_predictions(score, gold: dict) -> list[dict]:
    """Each gold event as a prediction at its gold place, with its gold parties and toll."""
    out = []
    for g in gold["events"]:
        where = score.gold_place(gold, g["location"]) if g.get("location") else None
        out.append({"type": g["type"], "date": g["date"], "place": g.get("location"),
                    "lat": where and where.get("lat"), "lon": where and where.get("lon"),
                    "country": where and where.get("country_iso2"),
                    "place_kind": where and where.get("kind"),
                    "actors": g.get("actors") or [], "targets": g.get("targets") or [],
                    "fatalities": g.get("fatalities"),
                    "sources": [{"article": f"{a}_x.txt"} for a in g.get("articles", [])]})
    return out


def _tolls(result: dict) -> int:
    return int(result["fatalities_ok"].split("/")[0])


def main(argv: list[str]) -> int:
    name = argv[0] if argv and argv[0] in SETS else "seeds"
    rest = argv[1:] if argv and argv[0] in SETS else argv
    gold_path = SHARED / "eval" / "gold" / f"{name}.json"
    if not gold_path.is_file():
        print(f"{gold_path} not found: this benchmark needs ../shared beside the checkout")
        return 2
    score = _scorer()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    if rest:
        path = Path(rest[0])
    else:
        path = Path(tempfile.mkdtemp()) / f"{name}.geojson"
        subprocess.run([sys.executable, "-m", "geo", "extract", str(SHARED / "corpus" / name),
                        "-o", str(path), "--quiet"], check=True, cwd=ROOT)
    ours = score.score_events(gold, score.load_json_or_lines(str(path)))
    print(f"{name}, ours:            recall {ours['recall']} precision {ours['precision']} "
          f"duplicates {ours['duplicates']} fatalities {ours['fatalities_ok']} "
          f"merged {ours['sources_merged_ok']}")
    perfect = _gold_as_predictions(score, gold)
    ceiling = score.score_events(gold, perfect)
    print(f"{name}, the gold itself: recall {ceiling['recall']} precision {ceiling['precision']} "
          f"fatalities {ceiling['fatalities_ok']} (in the gold's order)")
    rng = random.Random(0)
    shuffled = []
    for _ in range(50):
        order = perfect[:]
        rng.shuffle(order)
        shuffled.append(_tolls(score.score_events(gold, order)))
    total = ceiling["fatalities_ok"].split("/")[1]
    print(f"{name}, the gold shuffled: fatalities min {min(shuffled)}/{total}, median "
          f"{statistics.median(shuffled):g}/{total}, max {max(shuffled)}/{total} over 50 orders")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
