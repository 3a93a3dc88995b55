"""geo.store: events ⇄ GeoJSON, ACLED-style CSV, GeoPackage and GeoParquet, exactly."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
from datetime import date

import pytest

from geo.errors import GeoError, InputError
from geo.model import EVENT_TYPES, Event, Source
from geo.store import (
    ACLED_TYPES,
    CSV_COLUMNS,
    FORMATS,
    acled_rows,
    from_feature_collection,
    read_events,
    to_feature_collection,
    to_frame,
    write_events,
)

EXT = {"geojson": ".geojson", "csv": ".csv", "gpkg": ".gpkg", "parquet": ".parquet"}
NASTY = 'He said "no, never",\nthen <script>alert(\'x\')</script> left; زاهدان'


@pytest.fixture
def events() -> list[Event]:
    return [
        # No place, no coordinates, no fatalities, no date.
        Event(type="statement", date=None, date_precision="year", actors=["Iran"],
              summary="Iran issued a statement.",
              sources=[Source("001_a.txt", "Iran issued a statement.", 0, 24)], id="ev-1"),
        # A <script> sentence, quotes, commas, newlines and Persian / Arabic names.
        Event(type="strike", date=date(2024, 1, 16), actors=["Iran", "الحرس الثوري"],
              targets=["Jaish al-Adl"], place="پنجگور", place_id="gn:1168226", place_kind="town",
              country="PK", admin1="Balochistan", lat=26.9639, lon=64.0906, geo_precision="point",
              fatalities=2, summary=NASTY,
              sources=[Source("002_b.html", NASTY, 10, 62), Source("003_c.json#2", "Strike, then.", 5, 18),
                       Source("002_b.html", "Again.", 70, 76)],
              id="ev-2"),
        # A week-long exercise with an end date, at admin1 precision.
        Event(type="military_exercise", date=date(2024, 3, 4), date_precision="week",
              end_date=date(2024, 3, 10), actors=["Iran", "Russia", "China"], targets=[],
              place="Sistan and Baluchestan", place_id="gn:1159456", place_kind="admin1",
              country="IR", admin1="Sistan and Baluchestan", lat=27.6, lon=60.8,
              geo_precision="admin1", fatalities=0, summary="Joint naval drill.",
              sources=[Source("004_d.md", "A joint naval drill began.", 0, 26)], id="ev-3"),
    ]


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_exact(events, tmp_path, fmt):
    path = tmp_path / f"events{EXT[fmt]}"
    write_events(events, str(path))
    back = read_events(str(path))
    assert back == events
    assert [e.id for e in back] == ["ev-1", "ev-2", "ev-3"]
    assert isinstance(back[1].date, date) and isinstance(back[1].fatalities, int)
    assert isinstance(back[1].lat, float) and back[0].lat is None and back[0].fatalities is None
    assert all(isinstance(s, Source) for e in back for s in e.sources)


@pytest.mark.parametrize("fmt", FORMATS)
def test_explicit_format_overrides_the_extension(events, tmp_path, fmt):
    path = tmp_path / "events.out"
    write_events(events, str(path), fmt)
    assert read_events(str(path)) == events


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_events_round_trip(tmp_path, fmt):
    path = tmp_path / f"none{EXT[fmt]}"
    write_events([], str(path))
    assert read_events(str(path)) == []


def test_overwriting_leaves_only_the_new_file(events, tmp_path):
    path = tmp_path / "events.gpkg"
    write_events(events, str(path))
    write_events(events[:1], str(path))
    assert read_events(str(path)) == events[:1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gpkg"]


def test_writing_makes_missing_folders(events, tmp_path):
    path = tmp_path / "out" / "deeper" / "events.csv"
    write_events(events, str(path))
    assert read_events(str(path)) == events


# ---------------------------------------------------------------- GeoJSON

def test_feature_collection_is_the_contract(events):
    fc = to_feature_collection(events)
    json.loads(json.dumps(fc))  # plain JSON values only
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 3
    none, strike, drill = fc["features"]
    assert all(f["type"] == "Feature" for f in fc["features"])
    assert none["geometry"] is None
    assert strike["geometry"] == {"type": "Point", "coordinates": [64.0906, 26.9639]}  # [lon, lat]
    props = strike["properties"]
    assert list(props) == ["id", "type", "category", "date", "date_precision", "actors", "targets",
                           "place", "place_kind", "country", "geo_precision", "fatalities",
                           "summary", "sources", "num_sources", "place_id", "admin1"]
    assert props["date"] == "2024-01-16" and props["category"] == "violence"
    assert props["num_sources"] == 2 and props["fatalities"] == 2
    assert props["sources"][0] == {"article": "002_b.html", "sentence": NASTY, "start": 10, "end": 62}
    assert "end_date" not in props and "end_date" not in none["properties"]
    assert drill["properties"]["end_date"] == "2024-03-10"
    assert list(drill["properties"])[3:5] == ["date", "end_date"]
    assert none["properties"]["date"] is None and none["properties"]["fatalities"] is None
    assert from_feature_collection(fc) == events


def test_geojson_file_keeps_non_ascii_readable(events, tmp_path):
    path = tmp_path / "events.geojson"
    write_events(events, str(path))
    text = path.read_text(encoding="utf-8")
    assert "پنجگور" in text and "الحرس الثوري" in text and "\\u" not in text
    assert json.loads(text)["type"] == "FeatureCollection"


def test_dash_writes_geojson_to_stdout(events, capsys):
    write_events(events, "-")
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["type"] == "FeatureCollection"
    assert from_feature_collection(data) == events
    assert "<script>" in out and "زاهدان" in out


def test_dash_with_csv_writes_csv_to_stdout(events, capsys):
    write_events(events, "-", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["event_id"] for r in rows] == ["ev-1", "ev-2", "ev-3"]


def test_binary_formats_cannot_go_to_stdout(events):
    with pytest.raises(GeoError, match="gpkg cannot be written to stdout"):
        write_events(events, "-", "gpkg")


def test_unknown_extension_and_format(events, tmp_path):
    with pytest.raises(GeoError, match=r"events\.shp: unknown events file extension"):
        write_events(events, str(tmp_path / "events.shp"))
    with pytest.raises(GeoError, match="unknown format 'kml'"):
        write_events(events, str(tmp_path / "events.kml"), "kml")


# ---------------------------------------------------------------- CSV

def test_acled_csv_header_and_types(events, tmp_path):
    path = tmp_path / "events.csv"
    write_events(events, str(path))
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, row)) for row in reader]
    assert header[:16] == ["event_id", "event_date", "event_type", "sub_event_type", "actor1",
                           "actor2", "country", "admin1", "location", "latitude", "longitude",
                           "geo_precision", "time_precision", "fatalities", "notes", "source"]
    assert header[16:24] == ["date_precision", "end_date", "place_kind", "place_id", "actors",
                             "targets", "sources", "num_sources"]
    assert tuple(header) == CSV_COLUMNS
    strike = rows[1]
    assert (strike["event_type"], strike["sub_event_type"]) == ("Explosions/Remote violence",
                                                                "Air/drone strike")
    assert strike["actor1"] == "Iran" and strike["actor2"] == "Jaish al-Adl"
    assert strike["country"] == "PK" and strike["location"] == "پنجگور"
    assert strike["geo_precision"] == "1" and strike["time_precision"] == "1"
    assert strike["source"] == "002_b.html; 003_c.json#2" and strike["num_sources"] == "2"
    assert strike["notes"] == NASTY
    assert json.loads(strike["actors"]) == ["Iran", "الحرس الثوري"]
    drill = rows[2]
    assert drill["time_precision"] == "2" and drill["geo_precision"] == "2"
    assert drill["end_date"] == "2024-03-10" and drill["actor2"] == ""
    none = rows[0]
    assert none["latitude"] == none["fatalities"] == none["event_date"] == ""
    assert none["time_precision"] == "3" and none["geo_precision"] == ""


def test_acled_type_mapping_covers_every_type():
    assert set(ACLED_TYPES) == set(EVENT_TYPES)
    assert ACLED_TYPES["agreement"] == ("Strategic developments", "Agreement")
    assert ACLED_TYPES["protest"] == ("Protests", "Peaceful protest")
    assert ACLED_TYPES["armed_clash"] == ("Battles", "Armed clash")
    assert ACLED_TYPES["attack"] == ("Violence against civilians", "Attack")


def test_acled_rows(events):
    rows = acled_rows(events)
    assert [list(r) for r in rows] == [list(CSV_COLUMNS)] * 3
    assert rows[0]["latitude"] is None and rows[1]["latitude"] == 26.9639


# ---------------------------------------------------------------- frames

def test_frame_is_one_row_per_event_in_wgs84(events):
    frame = to_frame(events)
    assert len(frame) == 3 and frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0] is None
    assert (frame.geometry.iloc[1].x, frame.geometry.iloc[1].y) == (64.0906, 26.9639)
    assert json.loads(frame["actors"].iloc[1]) == ["Iran", "الحرس الثوري"]
    assert frame["date"].iloc[2] == date(2024, 3, 4)


def test_gpkg_has_an_events_layer_with_dates(events, tmp_path):
    import pyogrio

    path = tmp_path / "events.gpkg"
    write_events(events, str(path))
    assert [name for name, _ in pyogrio.list_layers(path)] == ["events"]
    info = pyogrio.read_info(path, layer="events")
    assert info["features"] == 3 and info["geometry_type"] == "Point"
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["date"] == "OFTDate" and types["fatalities"] == "OFTInteger64"


# ---------------------------------------------------------------- bad inputs

def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.geojson: no such file$"):
        read_events(str(tmp_path / "nope.geojson"))


@pytest.mark.parametrize("name", ["empty.geojson", "empty.csv", "empty.gpkg", "blank.json"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("  \n" if name.startswith("blank") else "", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{name}: empty file$"):
        read_events(str(path))


def test_malformed_json(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.geojson: malformed JSON \(line 1, column \d+"):
        read_events(str(path))


def test_json_that_is_not_a_feature_collection(tmp_path):
    path = tmp_path / "feature.json"
    path.write_text('{"type": "Feature", "geometry": null, "properties": {}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"feature\.json: not a GeoJSON FeatureCollection "
                                         r"\(found 'Feature'\)"):
        read_events(str(path))
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="not a GeoJSON FeatureCollection"):
        read_events(str(path))


def test_bad_feature_is_named(events, tmp_path):
    fc = to_feature_collection(events)
    fc["features"][1]["properties"]["type"] = "picnic"
    fc["features"][2]["properties"]["date"] = "March 4"
    with pytest.raises(InputError, match="feature 2: unknown event type 'picnic'"):
        from_feature_collection(fc)
    del fc["features"][1]
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.geojson: feature 2: date 'March 4' is not a YYYY-MM-DD"):
        read_events(str(path))


def test_csv_missing_required_columns(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("event_id,event_date,event_type,notes\nX1,2024-01-01,Battles,hi\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"acled\.csv: CSV lacks the columns actors, targets,"):
        read_events(str(path))


def test_csv_ragged_row(events, tmp_path):
    path = tmp_path / "events.csv"
    write_events(events, str(path))
    with open(path, "a", encoding="utf-8") as f:
        f.write("only,three,fields\n")
    with pytest.raises(InputError, match=r"events\.csv: line \d+: 3 fields, the header has 26"):
        read_events(str(path))


def test_gpkg_without_events_layer(tmp_path):
    import geopandas
    from shapely.geometry import Point

    path = tmp_path / "other.gpkg"
    geopandas.GeoDataFrame({"name": ["a"]}, geometry=[Point(1, 2)], crs="EPSG:4326").to_file(
        path, driver="GPKG", layer="roads")
    with pytest.raises(InputError, match=r"other\.gpkg: no 'events' layer in the GeoPackage "
                                         r"\(layers: roads\)"):
        read_events(str(path))


def test_corrupt_gpkg(events, tmp_path):
    path = tmp_path / "corrupt.gpkg"
    write_events(events, str(path))
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)
    with pytest.raises(InputError, match=r"corrupt\.gpkg: ") as info:
        read_events(str(path))
    assert "\n" not in str(info.value)
    path.write_bytes(b"this is not a GeoPackage at all")
    with pytest.raises(InputError, match=r"corrupt\.gpkg: not a GeoPackage"):
        read_events(str(path))


def test_corrupt_parquet(events, tmp_path):
    path = tmp_path / "corrupt.parquet"
    write_events(events, str(path))
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputError, match=r"corrupt\.parquet: not a readable Parquet file") as info:
        read_events(str(path))
    assert "\n" not in str(info.value)


def test_folder_is_not_an_events_file(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        read_events(str(tmp_path))


def test_importing_the_store_stays_light():
    probe = "import geo.store, sys; print('geopandas' in sys.modules, 'pandas' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------- spreadsheet formulas

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR",
            "'quoted", "''twice", "=cmd|' /C calc'!A0", "{{ 7*7 }}", "</script><script>alert(1)</script>"]


def _formula_event(text: str, n: int) -> Event:
    """``text`` at the start of every text field, at negative coordinates."""
    return Event(type="strike", date=date(2024, 1, 16), id=f"f{n}", actors=[text, "Iran"],
                 targets=[text], place=text, place_id=text, place_kind=text, country=text,
                 admin1=text, lat=-1.5, lon=-70.25, geo_precision="point", fatalities=4,
                 summary=text, sources=[Source(text, text, 0, len(text))])


def test_csv_neutralises_formulas_and_reads_them_back(tmp_path):
    events = [_formula_event(t, n) for n, t in enumerate(FORMULAS)]
    path = tmp_path / "events.csv"
    write_events(events, str(path))
    assert read_events(str(path)) == events
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for text, row in zip(FORMULAS, rows):
        for col in ("actor1", "actor2", "country", "admin1", "location", "notes", "source",
                    "place_kind", "place_id", "event_id"):
            cell = row[col]
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (col, cell)
            if col != "event_id" and text[0] in "=+-@\t\r'":
                assert cell == "'" + text, (col, cell)
        # Numbers stay numbers: a spreadsheet must still see -1.5, not text.
        assert (row["latitude"], row["longitude"], row["fatalities"]) == ("-1.5", "-70.25", "4")


def test_csv_to_stdout_is_neutralised_too(capsys):
    write_events([_formula_event("=1+1", 0)], "-", "csv")
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["location"] == "'=1+1" and row["latitude"] == "-1.5"


# ---------------------------------------------------------------- output files

def _open_mode(folder) -> int:
    """The mode open() gives a new file under the current umask."""
    probe = folder / "probe"
    probe.write_text("x")
    return stat.S_IMODE(probe.stat().st_mode)


def _write(kind: str, events, path) -> None:
    if kind == "map":
        from geo.maps import write_map

        write_map(events, path)
    else:
        write_events(events, str(path), kind)


@pytest.mark.parametrize("kind", ["geojson", "csv", "map"])
def test_outputs_get_the_mode_open_gives(events, tmp_path, kind):
    path = tmp_path / "out" / f"events.{kind}"
    _write(kind, events, path)
    assert stat.S_IMODE(path.stat().st_mode) == _open_mode(tmp_path)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "a temporary file was left"


@pytest.mark.parametrize("kind", ["csv", "map"])
def test_overwriting_keeps_the_files_mode(events, tmp_path, kind):
    path = tmp_path / "events.out"
    path.write_text("old")
    path.chmod(0o640)
    _write(kind, events, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() != "old"


@pytest.mark.parametrize("kind", ["geojson", "gpkg", "map"])
def test_a_fifo_is_written_in_place(events, tmp_path, kind):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    _write(kind, events, fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a file"
    assert got and got[0], "nothing came through the FIFO"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
    if kind == "geojson":
        assert len(json.loads(got[0])["features"]) == len(events)
