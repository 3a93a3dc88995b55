"""Past one process: extraction on a real local Dask cluster, the merge in parts, GeoParquet by
month, and progress on a terminal. Every run here is the real command line."""

from __future__ import annotations

import json
import os
import pty
import random
import select
import subprocess
import sys
from copy import deepcopy
from datetime import date, timedelta
from pathlib import Path

import pytest

from geo.articles import article_files
from geo.merge import Report, in_order, merge_part, merge_reports, parts
from geo.model import Event, Source

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
pytest.importorskip("distributed", reason="the cluster extra is not installed")


def conflictmap(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=600, cwd=cwd)


@pytest.mark.parametrize("corpus", [SAMPLES, pytest.param(DEV, marks=pytest.mark.shared)])
def test_workers_give_the_same_events_with_the_same_ids(tmp_path, corpus):
    if not corpus.exists():
        pytest.skip(f"{corpus} is not beside the checkout")
    outputs = []
    for name, extra in (("one", ()), ("w1", ("--workers", 1)), ("w2", ("--workers", 2))):
        run = conflictmap("extract", corpus, "-o", tmp_path / f"{name}.geojson", *extra)
        assert run.returncode == 0, run.stderr
        outputs.append((tmp_path / f"{name}.geojson").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]  # every field of every event, ids and order
    events = json.loads(outputs[0])["features"]
    assert len(events) > 20 and len({e["properties"]["id"] for e in events}) == len(events)
    assert "Dask cluster of 2 workers" in run.stderr


def test_a_bad_file_on_a_worker_is_named_and_the_rest_come_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Date: 2024-03-02\n\nAn air strike hit a market in Idlib on "
                                     "Saturday, killing five people, rescuers said.\n", encoding="utf-8")
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    one = conflictmap("extract", folder, "-o", tmp_path / "one.geojson")
    two = conflictmap("extract", folder, "-o", tmp_path / "two.geojson", "--workers", 2)
    assert one.returncode == two.returncode == 1
    assert (tmp_path / "one.geojson").read_bytes() == (tmp_path / "two.geojson").read_bytes()
    named = [line for line in two.stderr.splitlines() if "bad.json" in line]
    assert len(named) == 1 and named[0].startswith("conflictmap: skipped ") and "JSON" in named[0]
    assert "Traceback" not in two.stderr


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    run = conflictmap("extract", SAMPLES, "-o", tmp_path / "x.geojson", "--scheduler", "tcp://127.0.0.1:9")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.stderr
    assert not (tmp_path / "x.geojson").exists()


# ---------------------------------------------------------------- the merge in parts

def _reports(n: int, seed: int) -> list[Report]:
    """Reports from made-up articles in a few countries, some unplaced, some at sea (placed
    in no country), some anaphoric, actors shared across countries: every way two parts
    could be tied."""
    rng = random.Random(seed)
    countries = {"AA": (10.0, 10.0), "BB": (12.0, 14.0), "CC": (-20.0, 40.0)}
    out = []
    for k in range(n):
        article = f"a{k // 4:04d}.txt"
        code = rng.choice(list(countries))
        lat, lon = countries[code]
        roll = rng.random()
        if roll < 0.6:
            town = rng.randrange(6)
            where = dict(place=f"{code} town {town}", place_id=f"{code}-{town}", country=code,
                         lat=lat + town * 0.3, lon=lon, geo_precision="point", place_kind="town")
        elif roll < 0.75:
            where = dict(place="the gulf", place_id="sea-1", lat=lat + 1, lon=lon + 1,
                         geo_precision="region", place_kind="sea")
        elif roll < 0.85:
            where = dict(place=code, place_id=code, country=code, lat=lat, lon=lon,
                         geo_precision="country", place_kind="country")
        else:
            where = {}
        kind = rng.choice(("strike", "attack", "armed_clash", "statement", "protest"))
        actors = rng.sample([f"{code} army", "Coalition", "Rebels"], rng.choice((0, 1, 1, 2)))
        event = Event(type=kind, date=date(2024, 5, 1) + timedelta(days=rng.randrange(40)),
                      date_precision=rng.choice(("day",) * 6 + ("week", "month")), actors=actors,
                      fatalities=rng.choice((None, 0, 2, 9)),
                      sources=[Source(article, f"sentence {k}", k * 10, k * 10 + 8, f"{kind}.rule")],
                      **where)
        out.append(Report(event, rule=f"{kind}.rule", strength=rng.choice((0, 0, 1, 2)),
                          anaphoric=rng.random() < 0.1, dated=rng.random() < 0.9))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merging_in_parts_gives_the_events_of_merging_all_at_once(seed):
    reports = _reports(1500, seed)
    all_at_once = merge_part(in_order(deepcopy(reports)))
    in_parts = merge_reports(deepcopy(reports))
    assert sorted(all_at_once, key=lambda e: e.id) == sorted(in_parts, key=lambda e: e.id)
    pieces = parts(deepcopy(reports))
    assert len(pieces) > 3  # the parts are real: countries and stretches of time apart
    sizes = sorted(map(len, pieces), reverse=True)
    assert [len(p) for p in pieces] == sizes and sum(sizes) == len(in_order(reports))
    # no event has sources in two parts
    part_of = {(r.event.sources[0].article, r.event.sources[0].start): n
               for n, piece in enumerate(pieces) for r, _ in piece}
    for e in in_parts:
        assert len({part_of[(s.article, s.start)] for s in e.sources}) == 1


def test_a_report_at_sea_ties_the_parts_of_the_coasts_it_may_join():
    shore = Event(type="strike", date=date(2024, 5, 1), place="Port", place_id="p", country="AA",
                  lat=10.0, lon=10.0, geo_precision="point", sources=[Source("a.txt", "s", 0, 1, "r")])
    far = Event(type="strike", date=date(2024, 5, 1), place="Inland", place_id="q", country="BB",
                lat=30.0, lon=10.0, geo_precision="point", sources=[Source("b.txt", "s", 0, 1, "r")])
    sea = Event(type="strike", date=date(2024, 5, 1), place="the gulf", place_id="g", lat=10.5, lon=10.5,
                geo_precision="region", sources=[Source("c.txt", "s", 0, 1, "r")])
    pieces = parts([Report(shore), Report(far), Report(sea)])
    together = {frozenset(r.event.place for r, _ in piece) for piece in pieces}
    assert together == {frozenset({"Port", "the gulf"}), frozenset({"Inland"})}


# ---------------------------------------------------------------- GeoParquet by month

def test_by_month_writes_one_folder_per_month_that_every_reader_opens(tmp_path):
    import geopandas

    folder = tmp_path / "events"
    run = conflictmap("extract", SAMPLES, "--by-month", "-o", folder)
    assert run.returncode == 0, run.stderr
    single = conflictmap("extract", SAMPLES, "-o", tmp_path / "all.geojson")
    everything = json.loads((tmp_path / "all.geojson").read_text())["features"]
    months = sorted(p.name for p in folder.iterdir())
    expected = sorted({f"month={e['properties']['date'][:7]}" for e in everything})
    assert single.returncode == 0 and months == expected
    frame = geopandas.read_parquet(folder)
    assert len(frame) == len(everything) and frame.crs.to_epsg() == 4326
    one = expected[-1].removeprefix("month=")
    wanted = {e["properties"]["id"] for e in everything if e["properties"]["date"].startswith(one)}
    assert set(geopandas.read_parquet(folder / f"month={one}")["id"]) == wanted
    # the map of one month: only that month's events are drawn
    drawn = conflictmap("map", folder, "--month", one, "-o", tmp_path / "m.html")
    assert drawn.returncode == 0, drawn.stderr
    assert f"{len(wanted)} events (0 articles read" in drawn.stderr
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    counted = con.execute(f"SELECT month, count(*) FROM read_parquet('{folder}/*/*.parquet', "
                          "hive_partitioning = true) GROUP BY month ORDER BY month").fetchall()
    assert [f"month={m}" for m, _ in counted] == expected and sum(n for _, n in counted) == len(everything)


def test_by_month_refuses_a_folder_that_is_not_its_own(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    run = conflictmap("extract", SAMPLES, "--by-month", "-o", tmp_path / "notes")
    assert run.returncode == 2 and "is not a dataset of months" in run.stderr
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"


# ---------------------------------------------------------------- progress

def _on_a_terminal(*args: object) -> str:
    """What the command writes to stderr when stderr is a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "geo", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=follower, env=dict(os.environ, COLUMNS="200"))
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        try:
            chunk = os.read(leader, 4096) if ready else b""
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(leader)
    return seen.decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_and_not_when_piped(tmp_path):
    shown = _on_a_terminal("extract", SAMPLES, "-o", tmp_path / "t.geojson")
    assert "\r" in shown and f"of {len(article_files([SAMPLES]))} files" in shown
    assert "articles/s" in shown and "event reports" in shown
    piped = conflictmap("extract", SAMPLES, "-o", tmp_path / "p.geojson")
    assert "\r" not in piped.stderr and "files," not in piped.stderr
    assert piped.stderr.count("\n") == 1  # the run report alone
    quiet = _on_a_terminal("extract", SAMPLES, "-o", tmp_path / "q.geojson", "--quiet")
    assert quiet == ""
