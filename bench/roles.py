"""Actor and target accuracy of an events file, on the events the shared scorer matches.

    python bench/roles.py GOLD.json EVENTS.geojson [--list]

The shared scorer (../shared/eval/score.py) matches gold and predicted events on type
family, date and place; parties only break ties (``parties_ok``: the sides share one
party). This prints, over the gold events it matches that name actors (targets), how many
predictions name exactly the gold actors (targets), and how many name at least all of them
(a superset). ``--list`` shows every matched event whose actors are not exactly right.
Names are compared as the scorer compares them (case and "the" ignored).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def matched(score, gold: dict, preds: list[dict]) -> dict[int, int]:
    """gold index -> prediction index, as score.score_events matches them."""
    edges = {}
    for gi, ge in enumerate(gold["events"]):
        ok = [pi for pi, pe in enumerate(preds) if score.compatible(gold, ge, pe)]
        ok.sort(key=lambda pi: not score.parties_ok(ge, preds[pi]))
        edges[gi] = ok
    return score.one_to_one(edges, len(gold["events"]))


def accuracy(gold_path: str, events_path: str, show: bool = False) -> dict[str, str]:
    score = _scorer()
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    preds = score.load_json_or_lines(events_path)
    pairs = matched(score, gold, preds)
    out = {}
    for role in ("actors", "targets"):
        rows = [(gi, {score.norm_party(n) for n in gold["events"][gi].get(role) or []},
                 {score.norm_party(n) for n in preds[pi].get(role) or []}) for gi, pi in pairs.items()]
        rows = [r for r in rows if r[1]]
        exact = sum(1 for _, g, p in rows if g == p)
        contains = sum(1 for _, g, p in rows if g <= p)
        out[role] = f"exact {exact}/{len(rows)}, contains {contains}/{len(rows)}"
        if show and role == "actors":
            for gi, g, p in rows:
                if g != p:
                    print(f"  {gold['events'][gi]['id']}: gold {sorted(g)} predicted {sorted(p)}")
    return out


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--list"]
    if len(args) != 2:
        print(__doc__)
        return 2
    res = accuracy(args[0], args[1], show="--list" in argv)
    print(f"actors {res['actors']}; targets {res['targets']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
