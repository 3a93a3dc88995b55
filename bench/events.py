"""Event extraction on the seed reports, scored two ways, with the scorer's own ceiling.

    python bench/events.py [EVENTS.geojson]

Runs ``conflictmap extract`` on ../shared/corpus/seeds (unless given an events file)
and prints:

1. the shared scorer's summary line (../shared/eval/score.py);
2. the same criteria (type family, date within the gold precision, place within the
   gold tolerance) with one prediction per gold event, matched by maximum bipartite
   matching, so two gold events that both accept one prediction do not compete for it;
3. the ceiling: the shared scorer run on the gold events themselves. It hands every
   matching prediction to the first gold event that accepts it, so gold events whose
   criteria overlap (two appeals a week apart with no place, strikes in two
   neighbouring countries within the country tolerance) cannot all be found even by a
   perfect extractor; line 3 says how far that caps recall.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "eval" / "gold" / "seeds.json"


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _accepts(score, gold: dict, g: dict, p: dict) -> bool:
    return (score.FAMILIES.get(p.get("type"), "other") == score.FAMILIES.get(g["type"], "other")
            and score.date_ok(g, p) and score.location_ok(gold, g, p))


def one_to_one(score, gold: dict, preds: list[dict]) -> dict:
    """Recall and precision when each prediction may stand for one gold event only."""
    events = gold["events"]
    edges = {gi: [pi for pi, p in enumerate(preds) if _accepts(score, gold, g, p)]
             for gi, g in enumerate(events)}
    owner: dict[int, int] = {}

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in edges[gi]:
            if pi not in seen:
                seen.add(pi)
                if pi not in owner or augment(owner[pi], seen):
                    owner[pi] = gi
                    return True
        return False

    required = [gi for gi, g in enumerate(events) if g.get("required", True)]
    for gi in required + [gi for gi in edges if gi not in required]:
        augment(gi, set())
    found = {gi for gi in owner.values() if gi in required}
    accepted = {pi for pi in range(len(preds)) if any(pi in edges[gi] for gi in edges)}
    return {"recall": round(len(found) / max(1, len(required)), 3),
            "precision": round(len(accepted) / max(1, len(preds)), 3),
            "missing": [events[gi]["id"] for gi in required if gi not in found]}


def _gold_as_predictions(gold: dict) -> list[dict]:
    places = {p["name"]: p for p in gold["places"]}
    out = []
    for g in gold["events"]:
        where = places.get(g.get("location") or "")
        out.append({"type": g["type"], "date": g["date"], "place": g.get("location"),
                    "lat": where and where.get("lat"), "lon": where and where.get("lon"),
                    "fatalities": g.get("fatalities"),
                    "sources": [{"article": f"{a}_x.txt"} for a in g.get("articles", [])]})
    return out


def main(argv: list[str]) -> int:
    if not GOLD.is_file():
        print(f"{GOLD} not found: this benchmark needs ../shared beside the checkout")
        return 2
    score = _scorer()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    if argv:
        path = Path(argv[0])
    else:
        path = Path(tempfile.mkdtemp()) / "seeds.geojson"
        subprocess.run([sys.executable, "-m", "geo", "extract", str(SHARED / "corpus" / "seeds"),
                        "-o", str(path), "--quiet"], check=True, cwd=ROOT)
    preds = score.load_json_or_lines(str(path))
    official = score.score_events(gold, preds)
    print(f"shared scorer:  recall {official['recall']} precision {official['precision']} "
          f"duplicates {official['duplicates']} fatalities {official['fatalities_ok']} "
          f"merged {official['sources_merged_ok']} missing {official['missing']}")
    mine = one_to_one(score, gold, preds)
    print(f"one-to-one:     recall {mine['recall']} precision {mine['precision']} "
          f"missing {mine['missing']}")
    ceiling = score.score_events(gold, _gold_as_predictions(gold))
    print(f"scorer ceiling: recall {ceiling['recall']} (the gold events themselves; "
          f"unreachable {ceiling['missing']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
