"""Size and speed of the offline map page for 1,000, 10,000 and 100,000 synthetic events.

Usage:  python bench/map.py [--sizes 1000,10000,100000] [--keep DIR]

For each size it writes the ``--offline`` map of made-up events (spread over the Middle
East and South Asia, over two years, a third located only to a country or province, some
cross-border, one to three source sentences each) and opens it in headless Chromium
(Debian's ``chromium``, every network request blocked). It prints:

* the page's size and the seconds ``write_map`` took;
* time to first render: from navigation start until the events are drawn (the script has
  run and two animation frames have passed), measured by the browser; "open s" is the same
  seen from outside (Playwright's goto until drawn, wall clock);
* slider: the mean time of ten slider moves (one-week window), each until drawn.

Targets (issue 4): 10,000 events under 5 MB and 2 s; 100,000 under 10 s with a responsive
slider. No thresholds are checked here; the figures go in the closing note.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.maps import write_map  # noqa: E402
from geo.model import EVENT_TYPES, Event, Source  # noqa: E402

COUNTRIES = ["IR", "IQ", "SY", "IL", "LB", "YE", "SA", "PK", "AF", "TR", "JO", "EG", "OM", "AE", "IN"]
WORDS = ("officials said forces struck positions near the border after a week of rising tension "
         "while local sources reported damage to homes and a road the ministry called the attack "
         "a violation and summoned the envoy talks are expected to resume").split()
FIRST_DAY = date(2023, 1, 1)


def synthetic_events(n: int, seed: int = 4) -> list[Event]:
    """``n`` plausible events with real places from the gazetteer (deterministic)."""
    rng = random.Random(seed)
    gaz = load_gazetteer()
    countries = [gaz.country(c) for c in COUNTRIES]
    towns: dict[str, list] = {c.country: [] for c in countries}
    for i in range(len(gaz)):  # the larger settlements of each country
        p = gaz.place(i)
        if p.kind in ("city", "town") and p.country in towns and p.population > 20000:
            towns[p.country].append(p)
    types = list(EVENT_TYPES)
    weights = [20, 12, 10, 4, 8, 8, 10, 6, 3, 6, 6, 2, 5]
    articles = [f"{d:04d}_{rng.getrandbits(40):010x}.txt" for d in range(max(10, n // 4))]
    events = []
    for k in range(n):
        country = rng.choice(countries)
        if rng.random() < 0.33:
            place, precision = country, "country"
        else:
            place = rng.choice(towns[country.country] or [country])
            precision = "point" if place.kind != "country" else "country"
        day = FIRST_DAY + timedelta(days=rng.randrange(730))
        other = rng.choice(countries)
        sources = [Source(rng.choice(articles), " ".join(rng.choices(WORDS, k=rng.randint(12, 28))) + ".",
                          0, 100) for _ in range(rng.randint(1, 3))]
        jitter = 0 if precision == "country" else 0.05
        events.append(Event(
            type=rng.choices(types, weights)[0], date=day,
            date_precision=rng.choices(["day", "week", "month"], [8, 1, 1])[0],
            actors=[other.name], targets=[country.name], place=place.name, place_id=place.id,
            place_kind=place.kind, country=place.country, lat=place.lat + rng.uniform(-jitter, jitter),
            lon=place.lon + rng.uniform(-jitter, jitter), geo_precision=precision,
            fatalities=rng.choice([None, None, 0, 1, 2, 3, 5, 8, 12, 30]),
            sources=sources, id=f"{k:012x}"))
    return events


_DRAWN = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => done(performance.now()))))"""

_SLIDER = """async (days) => {
    const m = conflictmap.maps[0], times = [];
    m.setWindow("week");
    for (const d of days) {
        const t = performance.now();
        m.setDate(d);
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        times.push(performance.now() - t);
    }
    return times.reduce((a, b) => a + b, 0) / times.length;
}"""


def measure(page, path: Path) -> tuple[float, float, float]:
    started = time.perf_counter()
    page.goto(path.as_uri(), timeout=120_000)
    page.wait_for_function("window.conflictmap && conflictmap.maps.length === 1", timeout=120_000)
    first_render = page.evaluate(_DRAWN) / 1000
    wall = time.perf_counter() - started
    start = (FIRST_DAY - date(1970, 1, 1)).days
    slider = page.evaluate(_SLIDER, [start + d for d in range(30, 730, 70)]) / 1000
    return first_render, wall, slider


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--keep", type=Path, help="keep the pages in this folder")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("bench/map.py: chromium is not installed; apt-get install chromium")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="conflictmap-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'events':>8} {'MB':>7} {'write s':>8} {'first render s':>15} {'open s':>7} "
          f"{'slider move s':>14}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium)
        for n in (int(s) for s in args.sizes.split(",")):
            events = synthetic_events(n)
            path = folder / f"map_{n}.html"
            started = time.perf_counter()
            write_map(events, path, offline=True, title=f"{n:,} synthetic events")
            written = time.perf_counter() - started
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                       else r.abort())
            first_render, wall, slider = measure(page, path)
            page.close()
            print(f"{n:>8,} {path.stat().st_size / 1e6:>7.2f} {written:>8.2f} {first_render:>15.2f} "
                  f"{wall:>7.2f} {slider:>14.3f}", flush=True)
        browser.close()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
