"""How fast the app feels: the first full page on the samples, and one filter change at 10,000 events.

    python bench/app.py [--events 10000] [--repeat 5] [--no-browser] [--first-page]

1. First page: starts `streamlit run app.py` on a new store (so the samples are read), opens it
   in headless Chromium (Debian's /usr/bin/chromium through Playwright) and stops the clock when
   the headline figures and the map's drawing are on screen. Without a browser it times the
   first script run (AppTest) in a fresh process instead. Twice: with this machine's cache
   (geo.cache: pages read, reports, outlines by id, the map's folder) made by an earlier start,
   and with an empty cache, the very first start on a machine. Target: under 5 s.
2. Filter change in the browser (samples, then N synthetic events): what the server sends
   the page for one filter change after the first load (WebSocket frames and any HTTP
   responses; the map's land and scripts must not come again; target under 50 KB on the
   samples), and the time from the change to the new figures on screen (target under 1.5 s).
3. Filter change without a browser: a store of N synthetic events at real gazetteer places,
   opened with AppTest; the time of one script run after a category change and after a
   date-range change, the map included. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from browser import CHROMIUM, ROOT, open_when_up, serve_app

sys.path.insert(0, str(ROOT))


def first_page_in_browser(store: Path, **env: str) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)  # the reader's browser is already open
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        with serve_app(store, **env) as port:
            open_when_up(page, port)
            elapsed = time.perf_counter() - start
        browser.close()
    return elapsed


def change_in_browser(store: Path, repeat: int, change: str) -> tuple[list[int], list[float], int]:
    """(bytes sent per filter change, seconds to new figures per change, bytes of the first load).
    ``change``: "sources" sets "Minimum sources" to 2 and back to 1; "dates" moves the start of
    the date range one day on, as an analyst's arrow key does (each changes the figures)."""
    from playwright.sync_api import sync_playwright

    received = [0]
    with serve_app(store) as port:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            def count(n: int) -> None:
                received[0] += n

            page.on("websocket", lambda ws: ws.on("framereceived", lambda data: count(len(data))))
            page.on("response", lambda r: count(int(r.headers.get("content-length") or 0)))
            open_when_up(page, port)
            metric = page.get_by_test_id("stMetricValue").first
            idle(page)
            first_load = received[0]
            thumb = page.get_by_test_id("stSidebar").get_by_role("slider").first
            box = page.get_by_role("spinbutton", name="Minimum sources")
            sizes, times = [], []
            for r in range(repeat):
                before, shown = received[0], metric.inner_text()
                if change == "dates":
                    thumb.focus()
                else:
                    box.fill("2" if r % 2 == 0 else "1")
                start = time.perf_counter()
                (thumb if change == "dates" else box).press("ArrowRight" if change == "dates" else "Enter")
                while metric.inner_text() == shown and time.perf_counter() - start < 30:
                    page.wait_for_timeout(10)
                times.append(time.perf_counter() - start)
                idle(page)
                sizes.append(received[0] - before)
            browser.close()
    return sizes, times, first_load


def idle(page) -> None:
    """Until the app has finished its runs (the map's reports of its view start some)."""
    page.wait_for_timeout(700)
    for _ in range(300):
        if not page.get_by_test_id("stStatusWidgetRunningIcon").count():
            return
        page.wait_for_timeout(50)


def first_run_with_apptest(store: Path, **env: str) -> float:
    code = ("import time; t = time.perf_counter()\n"
            "from streamlit.testing.v1 import AppTest\n"
            f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=120).run()\n"
            "assert not at.exception, at.exception\n"
            "print(time.perf_counter() - t)\n")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, CONFLICTMAP_STORE=str(store), **env), check=True)
    float(out.stdout.strip().splitlines()[-1])
    return time.perf_counter() - start


def synthetic_store(path: Path, n: int) -> None:
    """A store whose events layer holds n events at real towns, over a year, of every type."""
    from geo import workspace as wsp
    from geo.gazetteer import load_gazetteer
    from geo.model import EVENT_TYPES, Event, Source

    gaz = load_gazetteer()
    rng = random.Random(7)
    towns = [p for p in (gaz.place(i) for i in rng.sample(range(len(gaz)), 20_000))
             if p.kind in ("city", "town")][:800]
    actors = ["Iran", "Pakistan", "Afghanistan", "Houthis", "Israel", "Russia", "Ukraine", "Taliban",
              "United Nations", "Hamas", "Hezbollah", "Yemen"]
    events = []
    for i in range(n):
        place = rng.choice(towns)
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        kind = rng.choice(list(EVENT_TYPES))
        sentence = f"Report {i}: {kind.replace('_', ' ')} near {place.name}."
        events.append(Event(
            type=kind, date=day, actors=[rng.choice(actors)], targets=[rng.choice(actors)],
            place=place.name, place_id=place.id, place_kind=place.kind, country=place.country,
            admin1=place.admin1, lat=place.lat, lon=place.lon, geo_precision=place.geo_precision,
            fatalities=rng.choice([None, 0, 1, 2, 5, 12]), summary=sentence,
            sources=[Source(f"article-{i % 3000}.txt", sentence, 0, len(sentence))], id=f"ev{i:05d}"))
    ws = wsp.Workspace(path, events=events)
    wsp.save(ws)


def filter_changes(store: Path, repeat: int) -> dict[str, list[float]]:
    os.environ["CONFLICTMAP_STORE"] = str(store)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    total = int(at.metric[0].value)
    span = at.slider(key="dates").value
    times: dict[str, list[float]] = {"category": [], "dates": []}
    categories = [["violence"], ["diplomacy"], ["politics"], ["security"], ["other"]]
    for r in range(repeat):
        start = time.perf_counter()
        at.multiselect(key="categories").set_value(categories[r % len(categories)]).run()
        times["category"].append(time.perf_counter() - start)
        assert not at.exception and int(at.metric[0].value) < total
        at.multiselect(key="categories").set_value([]).run()
        lo = span[0] + timedelta(days=10 * (r + 1))
        start = time.perf_counter()
        at.slider(key="dates").set_value((lo, span[1] - timedelta(days=30))).run()
        times["dates"].append(time.perf_counter() - start)
        assert not at.exception and int(at.metric[0].value) < total
        at.slider(key="dates").set_value(span).run()
    print(f"  store: {total} events")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--first-page", action="store_true", help="time only the first page")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="conflictmap-bench-"))
    try:
        browser = not args.no_browser and Path(CHROMIUM).exists()
        how = "server start to figures and map in Chromium" if browser else "first script run, fresh process"
        first_page = first_page_in_browser if browser else first_run_with_apptest
        first_page(folder / "samples.gpkg")  # this machine's caches made, as after a first start
        for label, cache in (("a new store", None), ("a new store and an empty cache, the first start "
                                                      "on a machine", folder / "cache")):
            times = []
            for n in range(args.repeat):
                store = folder / f"first-{n}.gpkg"
                env = {"CONFLICTMAP_CACHE": str(cache / str(n))} if cache else {}
                times.append(first_page(store, **env))
            print(f"first page ({how}), {label}: median {statistics.median(times):.2f} s, max "
                  f"{max(times):.2f} s over {len(times)}  (target < 5 s)")
        if args.first_page:
            return
        synthetic_store(folder / "big.gpkg", args.events)
        if browser:
            stores = (("samples, minimum sources", folder / "samples.gpkg", "sources"),
                      (f"{args.events} events, dates", folder / "big.gpkg", "dates"))
            for label, store, change in stores:
                sizes, times, first_load = change_in_browser(store, args.repeat, change)
                print(f"filter change in the browser ({label}): first load {first_load / 1e3:,.0f} KB; "
                      f"per change median {statistics.median(sizes) / 1e3:,.1f} KB, max "
                      f"{max(sizes) / 1e3:,.1f} KB sent (target < 50 KB); figures after median "
                      f"{statistics.median(times):.2f} s, max {max(times):.2f} s (target < 1.5 s)")
        times = filter_changes(folder / "big.gpkg", args.repeat)
        for what, values in times.items():
            print(f"filter change, {what} ({args.events} events): median {statistics.median(values):.2f} s, "
                  f"max {max(values):.2f} s over {len(values)}  (target < 1 s)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
