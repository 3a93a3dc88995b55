"""How the merge's cost grows with the number of event reports.

Usage:  python bench/merge.py [--sizes 1000,10000,100000] [--days 120] [--budget SECONDS]

Times ``geo.merge.merge_reports`` on one core on synthetic reports shaped like what
``geo.events.extract_reports`` gives over many articles: articles of a few reports each,
on days spread over ``--days`` days; violence (strike, attack, armed clash), speech,
protests, meetings and captures; 40 countries with towns, provinces and the country
itself; actors and targets; some reports undated or dated only by when they were told,
some anaphoric ("the clashes ..."), some national totals, some unplaced. The reports are
made from a fixed seed, so every run merges the same ones.

Prints seconds, events out and the growth exponent per step, log(t2 / t1) / log(n2 / n1):
1.0 is linear, 2.0 grows with the square (issue 10: 36k reports took 34 s, exponent 2.0,
before the index by kind and day). A size whose projected time is over ``--budget`` is
skipped and its projection printed. No thresholds: the figures go in the closing note.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from datetime import date, timedelta

from geoparse import ROOT
from perf import one_core, row

sys.path.insert(0, str(ROOT))  # measure this checkout's geo, whatever else is installed

from geo.merge import Report, merge_reports  # noqa: E402
from geo.model import Event, Source  # noqa: E402

KINDS = ("strike", "strike", "attack", "attack", "armed_clash", "armed_clash", "statement", "appeal",
         "protest", "meeting", "diplomatic_contact", "other")
START = date(2024, 1, 1)


def _world(rng: random.Random) -> list[dict]:
    """40 made-up countries, each with a centre, 3 provinces and 12 towns, and 3 actors."""
    world = []
    for c in range(40):
        code = f"C{c:02d}"
        lat, lon = rng.uniform(-40, 55), rng.uniform(-120, 140)
        admin1 = [(f"{code}.{a}", lat + rng.uniform(-4, 4), lon + rng.uniform(-4, 4)) for a in range(3)]
        towns = [(f"{code}-T{t}", f"{code}.{t % 3}", a_lat + rng.uniform(-1, 1), a_lon + rng.uniform(-1, 1))
                 for t, (_, a_lat, a_lon) in zip(range(12), admin1 * 4)]
        world.append({"code": code, "lat": lat, "lon": lon, "admin1": admin1, "towns": towns,
                      "actors": [f"{code} army", f"{code} rebels", f"Country {code}"]})
    return world


def _place(rng: random.Random, country: dict) -> dict:
    """Where a report is placed: a town mostly, else a province, the country, or nowhere."""
    roll = rng.random()
    code = country["code"]
    if roll < 0.6:
        name, admin1, lat, lon = rng.choice(country["towns"])
        return dict(place=name, place_id=name, place_kind="town", country=code, admin1=admin1,
                    lat=lat, lon=lon, geo_precision="point")
    if roll < 0.75:
        name, lat, lon = rng.choice(country["admin1"])
        return dict(place=name, place_id=name, place_kind="admin1", country=code, admin1=name,
                    lat=lat, lon=lon, geo_precision="admin1")
    if roll < 0.9:
        return dict(place=code, place_id=code, place_kind="country", country=code,
                    lat=country["lat"], lon=country["lon"], geo_precision="country")
    return {}  # unplaced


def reports(n: int, days: int, seed: int = 10) -> list[Report]:
    """`n` reports from articles of 1 to 8 reports, each article about one country."""
    rng = random.Random(seed)
    world = _world(rng)
    out: list[Report] = []
    article = 0
    while len(out) < n:
        article += 1
        country = rng.choice(world)
        told = START + timedelta(days=rng.randrange(days))
        for k in range(rng.randint(1, 8)):
            kind = rng.choice(KINDS)
            strength = rng.choice((0, 0, 0, 0, 1, 2, 3))
            precision = rng.choice(("day",) * 8 + ("week", "month"))
            when = None if rng.random() < 0.03 else told - timedelta(days=rng.randrange(3))
            actors = rng.sample(country["actors"], rng.choice((0, 1, 1, 2)))
            other = rng.choice(world)
            targets = [f"Country {other['code']}"] if rng.random() < 0.3 else []
            event = Event(type=kind, date=when, date_precision=precision, actors=actors, targets=targets,
                          fatalities=rng.choice((None, None, None, 0, 1, 3, 12)),
                          summary=f"report {k} of article {article}",
                          sources=[Source(f"a{article:06d}.txt", f"sentence {k}", 100 * k, 100 * k + 80,
                                          f"{kind}.rule")],
                          **_place(rng, country))
            total = kind in ("strike", "attack") and rng.random() < 0.03
            out.append(Report(event, dated=strength < 3, rule=f"{kind}.rule", strength=strength,
                              anaphoric=rng.random() < 0.08, total=total))
            if len(out) == n:
                break
    return out


def growth(points: list[tuple[int, float]]) -> str:
    if len(points) < 2:
        return ""
    (n1, t1), (n2, t2) = points[-2:]
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="numbers of reports, comma-separated")
    ap.add_argument("--days", type=int, default=120, help="days the reports are spread over")
    ap.add_argument("--budget", type=float, default=300.0,
                    help="skip a size whose projected time is over this many seconds")
    args = ap.parse_args(argv)
    print(f"conflict-map merge, Python {sys.version.split()[0]}, {one_core()}, "
          f"reports over {args.days} days")
    widths = [9, 9, 9, 8, 7]
    print(row(["reports", "events", "articles", "merge s", "growth"], widths))
    points: list[tuple[int, float]] = []
    for n in (int(s) for s in args.sizes.split(",")):
        if points:  # project from the last step (square growth until two points say otherwise)
            slope = float(growth(points) or 2.0)
            projected = points[-1][1] * (n / points[-1][0]) ** max(1.0, slope)
            if projected > args.budget:
                print(row([f"{n:,}", "", "", f"~{projected:,.0f}", "skipped"], widths))
                continue
        given = reports(n, args.days)
        articles = len({r.event.sources[0].article for r in given})
        started = time.perf_counter()
        events = merge_reports(given)
        points.append((n, time.perf_counter() - started))
        print(row([f"{n:,}", f"{len(events):,}", f"{articles:,}", f"{points[-1][1]:.2f}", growth(points)],
                  widths))
    print("\nmerge s: merge_reports alone (reports made beforehand); growth: exponent per step, "
          "1.0 linear, 2.0 square.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
