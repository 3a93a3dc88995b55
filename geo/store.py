"""Events ⇄ files: GeoJSON, ACLED-style CSV, GeoPackage and GeoParquet.

Every format holds the same :class:`~geo.model.Event` records and reads back to
equal ones (``read_events(p) == events`` after ``write_events(events, p)``):

* **GeoJSON** (RFC 7946) is the contract's FeatureCollection (../shared/CONTRACT.md,
  "Events"), plus two extra properties, ``place_id`` and ``admin1``. The geometry is a
  Point ``[lon, lat]``, or null when the event has no coordinates.
* **CSV** leads with ACLED's columns, so tools made for ACLED exports can open it, then
  adds ours (:data:`CSV_COLUMNS`). Differences from ACLED: ``country`` is the ISO 3166-1
  alpha-2 code, not the country's name; ``fatalities`` is empty when unknown (ACLED
  writes 0). The lists are JSON text in ``actors``, ``targets`` and ``sources``; the
  contract's event type and place precision are kept in ``type`` and ``place_precision``
  beside ACLED's lossy ``event_type`` and numeric ``geo_precision``. An empty cell reads
  back as None, so an optional text field holding "" comes back as None. A text cell that
  begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or ``'`` is written with a
  ``'`` in front, so a spreadsheet shows it instead of running it as a formula; reading
  strips that one ``'``.
* **GeoPackage** (layer ``events``) and **GeoParquet**, through geopandas: one row per
  event (:func:`to_frame`), EPSG:4326, Point or null geometry, ``date``/``end_date`` as
  date columns, the lists as JSON text columns.

* **GeoParquet by month** (:func:`write_months`): a folder with one folder per month
  (``month=2024-03/part.0.parquet``, Hive-style, written by dask-geopandas), so geopandas,
  DuckDB (``read_parquet('DIR/*/*.parquet', hive_partitioning = true)``) or ``conflictmap
  map DIR --month 2024-03`` read one month of an archive without the rest.

Reading accepts any of the four and tells them apart by content (GeoPackage and Parquet
have signatures), then by extension. A file that cannot be read raises a one-line
:class:`~geo.errors.InputError` naming it. geopandas is imported only when a GeoPackage
or Parquet file is written or read, so ``import geo.store`` stays light.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GeoError, InputError
from .model import EVENT_TYPES, Event, Source

if TYPE_CHECKING:
    import geopandas

FORMATS = ("geojson", "csv", "gpkg", "parquet")
EXTENSIONS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg",
              ".parquet": "parquet", ".geoparquet": "parquet"}
LAYER = "events"

# Our event type -> ACLED (event_type, sub_event_type). The PLOVER equivalents are
# documented in geo/events.py.
ACLED_TYPES = {
    "strike": ("Explosions/Remote violence", "Air/drone strike"),
    "attack": ("Violence against civilians", "Attack"),
    "armed_clash": ("Battles", "Armed clash"),
    "military_exercise": ("Strategic developments", "Other"),
    "meeting": ("Strategic developments", "Other"),
    "diplomatic_contact": ("Strategic developments", "Other"),
    "statement": ("Strategic developments", "Other"),
    "appeal": ("Strategic developments", "Other"),
    "agreement": ("Strategic developments", "Agreement"),
    "travel": ("Strategic developments", "Other"),
    "protest": ("Protests", "Peaceful protest"),
    "election": ("Strategic developments", "Other"),
    "other": ("Strategic developments", "Other"),
}
# ACLED geo_precision: 1 the place itself, 2 a part of a region, 3 a province or country.
ACLED_GEO_PRECISION = {"point": 1, "admin1": 2, "region": 2, "country": 3}
# ACLED time_precision: 1 the day, 2 the week, 3 the month (or vaguer).
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

ACLED_COLUMNS = ("event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
                 "country", "admin1", "location", "latitude", "longitude", "geo_precision",
                 "time_precision", "fatalities", "notes", "source")
EXTRA_COLUMNS = ("date_precision", "end_date", "place_kind", "place_id", "actors", "targets",
                 "sources", "num_sources", "type", "place_precision")
CSV_COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS
# What reading a CSV needs to restore an Event exactly (the rest is derived).
CSV_REQUIRED = ("event_id", "event_date", "actors", "targets", "country", "admin1", "location",
                "latitude", "longitude", "fatalities", "notes", "date_precision", "end_date",
                "place_kind", "place_id", "sources", "type", "place_precision")

# Columns of to_frame(), before the geometry; the lists are JSON text.
FRAME_COLUMNS = ("id", "type", "category", "date", "end_date", "date_precision", "actors",
                 "targets", "place", "place_id", "place_kind", "country", "admin1", "lat", "lon",
                 "geo_precision", "fatalities", "summary", "sources", "num_sources")
FRAME_REQUIRED = tuple(c for c in FRAME_COLUMNS if c not in ("category", "num_sources"))

_GPKG_MAGIC = b"SQLite format 3\x00"
_PARQUET_MAGIC = b"PAR1"


# ---------------------------------------------------------------- small helpers

def _one_line(text: object, limit: int = 200) -> str:
    line = " ".join(str(text).split()) or "unknown error"
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _sources_json(sources: Iterable[Source]) -> list[dict]:
    return [{"article": s.article, "sentence": s.sentence, "start": s.start, "end": s.end,
             **({"rule": s.rule} if s.rule else {})} for s in sources]


class _Bad(ValueError):
    """A bad value inside a file; the reader adds the file name and row."""


def _date(value: Any, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # pandas Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise _Bad(f"{key} {value!r} is not a YYYY-MM-DD date") from None
    raise _Bad(f"{key} {value!r} is not a YYYY-MM-DD date")


def _opt_str(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{key} must be text, not {value!r}")
    return value


def _float(value: Any, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(f"{key} must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Bad(f"{key} must be a number, not {value!r}") from None
    return None if math.isnan(number) else number


def _int(value: Any, key: str) -> int | None:
    number = _whole(value, key)
    if number is not None and not -2**63 <= number < 2**63:  # what GPKG and Parquet hold
        raise _Bad(f"{key} is too large a number")
    return number


def _whole(value: Any, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(f"{key} must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    try:  # numpy integers
        if int(value) == value:
            return int(value)
    except (TypeError, ValueError):
        pass
    raise _Bad(f"{key} must be a whole number, not {value!r}")


def _list(value: Any, key: str) -> list:
    """A list, or JSON text holding one (None and "" are the empty list)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        from .articles import load_json

        try:
            value = load_json(value, key)
        except json.JSONDecodeError:
            raise _Bad(f"{key} is not a JSON list") from None
        except InputError as err:
            raise _Bad(f"{key}: {err.reason}") from None
    elif not isinstance(value, list) and hasattr(value, "tolist"):  # numpy array from Parquet
        value = value.tolist()
    if not isinstance(value, list):
        raise _Bad(f"{key} is not a list")
    return value


def _names(value: Any, key: str) -> list[str]:
    names = _list(value, key)
    if not all(isinstance(n, str) for n in names):
        raise _Bad(f"{key} must be a list of names")
    return names


def _sources(value: Any) -> list[Source]:
    out = []
    for item in _list(value, "sources"):
        if not isinstance(item, dict):
            raise _Bad("each source must be an object with article, sentence, start, end")
        try:
            article, sentence = item["article"], item["sentence"]
            start, end = _int(item["start"], "source start"), _int(item["end"], "source end")
        except KeyError as missing:
            raise _Bad(f"a source lacks {missing}") from None
        if not isinstance(article, str) or not isinstance(sentence, str) or start is None or end is None:
            raise _Bad("a source needs text article and sentence and integer start and end")
        rule = item.get("rule", "")
        out.append(Source(article=article, sentence=sentence, start=start, end=end,
                          rule=rule if isinstance(rule, str) else ""))
    return out


def _type(value: Any) -> str:
    if value not in EVENT_TYPES:
        raise _Bad(f"unknown event type {value!r}")
    return value


def _event(rec: dict) -> Event:
    """An Event from a flat record (keys as FRAME_COLUMNS, cleaned of NaN)."""
    precision = rec.get("date_precision")
    return Event(
        id=_opt_str(rec.get("id"), "id") or "",
        type=_type(rec.get("type")),
        date=_date(rec.get("date"), "date"),
        date_precision="day" if precision is None else _opt_str(precision, "date_precision"),
        end_date=_date(rec.get("end_date"), "end_date"),
        actors=_names(rec.get("actors"), "actors"),
        targets=_names(rec.get("targets"), "targets"),
        place=_opt_str(rec.get("place"), "place"),
        place_id=_opt_str(rec.get("place_id"), "place_id"),
        place_kind=_opt_str(rec.get("place_kind"), "place_kind"),
        country=_opt_str(rec.get("country"), "country"),
        admin1=_opt_str(rec.get("admin1"), "admin1"),
        lat=_float(rec.get("lat"), "lat"),
        lon=_float(rec.get("lon"), "lon"),
        geo_precision=_opt_str(rec.get("geo_precision"), "geo_precision"),
        fatalities=_int(rec.get("fatalities"), "fatalities"),
        summary=_opt_str(rec.get("summary"), "summary") or "",
        sources=_sources(rec.get("sources")),
    )


# ---------------------------------------------------------------- GeoJSON

def _feature(e: Event) -> dict:
    props: dict[str, Any] = {"id": e.id, "type": e.type, "category": e.category, "date": _iso(e.date)}
    if e.end_date is not None:
        props["end_date"] = _iso(e.end_date)
    props.update({
        "date_precision": e.date_precision, "actors": list(e.actors), "targets": list(e.targets),
        "place": e.place, "place_kind": e.place_kind, "country": e.country,
        "geo_precision": e.geo_precision, "fatalities": e.fatalities, "summary": e.summary,
        "sources": _sources_json(e.sources), "num_sources": e.num_sources,
        "place_id": e.place_id, "admin1": e.admin1,
    })
    geometry = None
    if e.lat is not None and e.lon is not None:
        geometry = {"type": "Point", "coordinates": [e.lon, e.lat]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def to_feature_collection(events: Iterable[Event]) -> dict:
    """The contract's RFC 7946 FeatureCollection, one Feature per event."""
    return {"type": "FeatureCollection", "features": [_feature(e) for e in events]}


def _event_from_feature(feature: Any) -> Event:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _Bad("not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _Bad("properties must be an object")
    if "type" not in props:
        raise _Bad("properties lack 'type'")
    rec = dict(props)
    rec["lat"] = rec["lon"] = None
    geometry = feature.get("geometry")
    if geometry is not None:
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if (not isinstance(geometry, dict) or geometry.get("type") != "Point"
                or not isinstance(coords, list) or len(coords) < 2):
            raise _Bad("geometry must be a Point [lon, lat] or null")
        rec["lon"], rec["lat"] = coords[0], coords[1]
    return _event(rec)


def from_feature_collection(data: Any, *, source: str = "<FeatureCollection>") -> list[Event]:
    """Events from a FeatureCollection dict; InputError (naming ``source``) when malformed."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputError(source, f"not a GeoJSON FeatureCollection (found {found!r})")
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError(source, "FeatureCollection has no 'features' list")
    events = []
    for n, feature in enumerate(features, 1):
        try:
            events.append(_event_from_feature(feature))
        except _Bad as bad:
            raise InputError(source, f"feature {n}: {bad}") from None
    return events


def _geojson_text(events: Iterable[Event]) -> str:
    return json.dumps(to_feature_collection(events), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- CSV

def acled_rows(events: Iterable[Event]) -> list[dict]:
    """One dict per event with the CSV_COLUMNS keys (None for empty cells, lists as JSON)."""
    rows = []
    for e in events:
        event_type, sub_event_type = ACLED_TYPES[e.type]
        articles = list(dict.fromkeys(s.article for s in e.sources))
        rows.append({
            "event_id": e.id, "event_date": _iso(e.date),
            "event_type": event_type, "sub_event_type": sub_event_type,
            "actor1": e.actors[0] if e.actors else None,
            "actor2": e.targets[0] if e.targets else None,
            "country": e.country, "admin1": e.admin1, "location": e.place,
            "latitude": e.lat, "longitude": e.lon,
            "geo_precision": ACLED_GEO_PRECISION.get(e.geo_precision or ""),
            "time_precision": ACLED_TIME_PRECISION.get(e.date_precision),
            "fatalities": e.fatalities, "notes": e.summary, "source": "; ".join(articles),
            "date_precision": e.date_precision, "end_date": _iso(e.end_date),
            "place_kind": e.place_kind, "place_id": e.place_id,
            "actors": _json(list(e.actors)), "targets": _json(list(e.targets)),
            "sources": _json(_sources_json(e.sources)), "num_sources": e.num_sources,
            "type": e.type, "place_precision": e.geo_precision,
        })
    return rows


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _neutral(value: Any) -> Any:
    """Text a spreadsheet would run, prefixed with ' (the OWASP rule); numbers untouched.

    A leading ' is prefixed too, so reading strips exactly one ' from every such cell.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unneutral(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _write_csv(events: Iterable[Event], out) -> None:
    # Rows end in \r\n (RFC 4180): Python's writer quotes a cell holding \r only when \r is
    # part of the line ending, and an unquoted \r splits the row when read back.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _neutral(v) for k, v in row.items()} for row in acled_rows(events))


def _events_from_csv(text: str, path: str) -> list[Event]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise InputError(path, "empty CSV, no header row")
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise InputError(path, f"CSV lacks the columns {', '.join(missing)} "
                                   "(write it with conflictmap extract --format csv)")
        events = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(path, f"line {reader.line_num}: {len(row)} fields, "
                                       f"the header has {len(header)}")
            cell = dict(zip(header, map(_unneutral, row)))
            rec = {key: cell[col] or None for key, col in (
                ("id", "event_id"), ("type", "type"), ("date", "event_date"),
                ("end_date", "end_date"), ("date_precision", "date_precision"),
                ("actors", "actors"), ("targets", "targets"), ("place", "location"),
                ("place_id", "place_id"), ("place_kind", "place_kind"), ("country", "country"),
                ("admin1", "admin1"), ("lat", "latitude"), ("lon", "longitude"),
                ("geo_precision", "place_precision"), ("fatalities", "fatalities"),
                ("summary", "notes"), ("sources", "sources"))}
            try:
                events.append(_event(rec))
            except _Bad as bad:
                raise InputError(path, f"line {reader.line_num}: {bad}") from None
    except csv.Error as err:
        raise InputError(path, f"malformed CSV (line {reader.line_num}: {_one_line(err)})") from None
    return events


# ---------------------------------------------------------------- GeoPackage / GeoParquet

def event_row(e: Event) -> dict[str, Any]:
    """One event as a flat record, FRAME_COLUMNS as keys, the lists as JSON text: the one
    mapping behind the GeoPackage, GeoParquet and PostGIS (geo.pgstore) tables."""
    return {"id": e.id, "type": e.type, "category": e.category, "date": e.date,
            "end_date": e.end_date, "date_precision": e.date_precision,
            "actors": _json(list(e.actors)), "targets": _json(list(e.targets)),
            "place": e.place, "place_id": e.place_id, "place_kind": e.place_kind,
            "country": e.country, "admin1": e.admin1, "lat": e.lat, "lon": e.lon,
            "geo_precision": e.geo_precision, "fatalities": e.fatalities,
            "summary": e.summary, "sources": _json(_sources_json(e.sources)),
            "num_sources": e.num_sources}


def event_from_row(rec: dict[str, Any], source: str, n: int) -> Event:
    """The Event of a record as :func:`event_row` makes it (the lists as JSON text or as
    lists, None for missing values); InputError naming ``source`` and row ``n`` when bad."""
    try:
        return _event(rec)
    except _Bad as bad:
        raise InputError(source, f"row {n}: {bad}") from None


def to_frame(events: Iterable[Event]) -> geopandas.GeoDataFrame:
    """One row per event (FRAME_COLUMNS + geometry), EPSG:4326; lists as JSON text.

    ``date``/``end_date`` hold ``datetime.date`` objects (None when unknown),
    ``fatalities`` is a nullable integer column, ``lat``/``lon`` floats (NaN when
    unknown), and the geometry a Point or None.
    """
    import geopandas
    import pandas as pd
    from shapely.geometry import Point

    events = list(events)
    data: dict[str, Any] = {col: [] for col in FRAME_COLUMNS}
    geometry = []
    for e in events:
        row = event_row(e)
        for col in FRAME_COLUMNS:
            data[col].append(row[col])
        geometry.append(Point(e.lon, e.lat) if e.lat is not None and e.lon is not None else None)
    columns = {col: pd.Series(values, dtype=object) for col, values in data.items()}
    for col in ("lat", "lon"):
        columns[col] = pd.Series([math.nan if v is None else float(v) for v in data[col]],
                                 dtype="float64")
    columns["fatalities"] = pd.Series(data["fatalities"], dtype="Int64")
    columns["num_sources"] = pd.Series(data["num_sources"], dtype="int64")
    for col in FRAME_COLUMNS:
        if col not in ("date", "end_date", "lat", "lon", "fatalities", "num_sources"):
            columns[col] = columns[col].astype("string")
    return geopandas.GeoDataFrame(columns, geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"),
                                  crs="EPSG:4326")


def _clean(value: Any) -> Any:
    """None for every flavour of missing value pandas hands back."""
    import pandas as pd

    if value is None or isinstance(value, (str, list, dict)) or getattr(value, "ndim", 0):
        return value  # getattr: a numpy array (a Parquet list column) is not missing
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _events_from_frame(frame, path: str) -> list[Event]:
    missing = [c for c in FRAME_REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(path, f"lacks the columns {', '.join(missing)} "
                               "(write it with conflictmap extract)")
    has_geometry = getattr(frame, "_geometry_column_name", None) in frame.columns
    if has_geometry and frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geometries = list(frame.geometry) if has_geometry else [None] * len(frame)
    events = []
    for n, (rec, geom) in enumerate(zip(frame[list(FRAME_REQUIRED)].to_dict("records"),
                                        geometries), 1):
        rec = {key: _clean(value) for key, value in rec.items()}
        if geom is not None and not geom.is_empty:
            if geom.geom_type != "Point":
                raise InputError(path, f"row {n}: geometry must be a Point, not {geom.geom_type}")
            rec["lon"], rec["lat"] = geom.x, geom.y
        events.append(event_from_row(rec, path, n))
    return events


def _read_gpkg(path: str) -> list[Event]:
    import geopandas
    import pyogrio

    with warnings.catch_warnings():
        # GDAL warns about a GeoPackage not named .gpkg; the content is what counts.
        warnings.filterwarnings("ignore", message=".*non conformant file extension")
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        except Exception as err:  # GDAL's errors vary by file
            raise InputError(path, f"not a readable GeoPackage ({_one_line(err)})") from None
        if LAYER not in layers:
            raise InputError(path, f"no '{LAYER}' layer in the GeoPackage "
                                   f"(layers: {', '.join(layers) or 'none'})")
        try:
            frame = geopandas.read_file(path, layer=LAYER, engine="pyogrio", use_arrow=True)
        except Exception as err:
            raise InputError(path, f"cannot read the '{LAYER}' layer ({_one_line(err)})") from None
    return _events_from_frame(frame, path)


def _read_parquet(path: str) -> list[Event]:
    try:
        import geopandas

        try:
            frame = geopandas.read_parquet(path)
        except ValueError as err:
            if "geo" not in str(err).lower():
                raise
            import pandas as pd

            frame = pd.read_parquet(path)  # plain Parquet: lat/lon columns carry the place
    except Exception as err:  # pyarrow's errors vary by file
        raise InputError(path, f"not a readable Parquet file ({_one_line(err)})") from None
    return _events_from_frame(frame, path)


# ---------------------------------------------------------------- reading and writing

def format_for(path: str) -> str:
    """The format a path's extension names; GeoError for an unknown one."""
    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise GeoError(f"{path}: unknown events file extension; use .geojson, .json, .csv, "
                       ".gpkg or .parquet, or give the format")
    return fmt


def write_events(events: Iterable[Event], path: str, fmt: str | None = None) -> None:
    """Write events to ``path`` as ``fmt`` (default: from the extension).

    ``path`` "-" writes to stdout: GeoJSON unless ``fmt`` is "csv". A file is written
    through :func:`write_file`, so a failed write leaves no half file.
    Problems (unknown format, unwritable place) raise a one-line GeoError.
    """
    path = str(path)
    if fmt is None:
        fmt = "geojson" if path == "-" else format_for(path)
    if fmt not in FORMATS:
        raise GeoError(f"{path}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    events = list(events)
    if path == "-":
        if fmt == "geojson":
            sys.stdout.write(_geojson_text(events))
        elif fmt == "csv":
            _write_csv(events, sys.stdout)
        else:
            raise GeoError(f"-: {fmt} cannot be written to stdout; give a file name with -o")
        sys.stdout.flush()
        return

    def write(tmp: str) -> None:
        if fmt == "geojson":
            with open(tmp, "w", encoding="utf-8", newline="\n") as out:
                out.write(_geojson_text(events))
        elif fmt == "csv":
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                _write_csv(events, out)
        elif fmt == "gpkg":
            # use_arrow writes date columns as GeoPackage DATE fields.
            to_frame(events).to_file(tmp, driver="GPKG", layer=LAYER, engine="pyogrio",
                                     use_arrow=True)
        else:
            to_frame(events).to_parquet(tmp)

    try:
        write_file(path, write, "events." + fmt)  # the driver's own extension
    except OSError as err:
        raise GeoError(f"{path}: cannot write ({err.strerror or _one_line(err)})") from None
    except GeoError:
        raise
    except Exception as err:  # GDAL / pyarrow failures
        raise GeoError(f"{path}: cannot write {fmt} ({_one_line(err)})") from None


def write_file(path: str | os.PathLike[str], write: Callable[[str], None], name: str = "out", *,
               prefix: str = ".conflictmap-") -> None:
    """Make ``path`` through ``write(tmp)``, so a failed write leaves no half file behind.

    ``write`` fills a new file ``name`` in a private folder beside ``path``, which then
    replaces ``path``: a new file gets the mode open() would give (the umask's, not
    mkstemp's 0600), an existing one keeps its mode. A ``path`` that exists but is not a
    regular file (/dev/null, a FIFO) is written in place, since moving a file over it would
    replace the device node itself. OSError is passed on.
    """
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    special = mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)
    if not special:
        target.parent.mkdir(parents=True, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix=prefix, dir=None if special else target.parent)
    try:
        tmp = os.path.join(workdir, name)
        write(tmp)
        if special:
            with open(tmp, "rb") as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            return
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


MONTH = "month"  # the partition column of write_months


def write_months(events: Iterable[Event], folder: str) -> None:
    """The events as GeoParquet partitioned by month (the month of each event's date).

    Written beside ``folder`` and then moved over it, so a reader never sees half a
    dataset; an existing ``folder`` must be one this wrote (or empty)."""
    try:
        import dask_geopandas
    except ImportError:
        raise GeoError(f"{folder}: --by-month needs dask-geopandas; install it with "
                       '`pip install "conflict-map[cluster]"`') from None
    target = Path(folder)
    if target.exists() and (not target.is_dir() or not is_month_dataset(target) and any(target.iterdir())):
        raise GeoError(f"{folder}: exists and is not a dataset of months; name a new folder")
    frame = to_frame(events)
    frame[MONTH] = [d.isoformat()[:7] if d else "unknown" for d in frame["date"]]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".conflictmap-", dir=target.parent))
    try:
        if len(frame):
            dask_geopandas.from_geopandas(frame, npartitions=1).to_parquet(
                str(work / "new"), partition_on=[MONTH], write_index=False)
        else:
            (work / "new").mkdir()
        if target.exists():
            target.rename(work / "old")
        (work / "new").rename(target)
    except OSError as err:
        raise GeoError(f"{folder}: cannot write ({err.strerror or _one_line(err)})") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def is_month_dataset(path: str | os.PathLike[str]) -> bool:
    """A folder as :func:`write_months` writes it (``month=YYYY-MM`` folders)?"""
    p = Path(path)
    return p.is_dir() and any(c.name.startswith(f"{MONTH}=") and c.is_dir() for c in p.iterdir())


def _read_months(path: str, months: Iterable[str] | None) -> list[Event]:
    import geopandas

    wanted = sorted(set(months)) if months is not None else None
    try:
        frame = geopandas.read_parquet(path, filters=[(MONTH, "in", wanted)] if wanted else None)
    except Exception as err:  # pyarrow's errors vary by file
        raise InputError(path, f"not a readable dataset of months ({_one_line(err)})") from None
    return _events_from_frame(frame, path)


def read_events(path: str, months: Iterable[str] | None = None) -> list[Event]:
    """Events from a file in any of FORMATS (told apart by content, then extension), or
    from a folder :func:`write_months` wrote (only ``months``, "2024-03", when given).

    A missing, empty or malformed file raises a one-line InputError naming it.
    """
    import stat

    from .articles import load_json  # refuses nesting and numbers that would crash json

    path = str(path)
    if is_month_dataset(path):
        return _read_months(path, months)
    try:
        if not os.path.isdir(path) and not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(path, "not a regular file (a FIFO or device?); not an events file")
        with open(path, "rb") as f:
            head = f.read(len(_GPKG_MAGIC))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not an events file") from None
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror or _one_line(err)})") from None
    if not head:
        raise InputError(path, "empty file")
    if head.startswith(_GPKG_MAGIC):
        return _read_gpkg(path)
    if head.startswith(_PARQUET_MAGIC):
        return _read_parquet(path)
    ext = EXTENSIONS.get(Path(path).suffix.lower())
    if ext == "gpkg":
        raise InputError(path, "not a GeoPackage (no SQLite header; corrupt or truncated?)")
    if ext == "parquet":
        raise InputError(path, "not a Parquet file (no PAR1 header; corrupt or truncated?)")
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (byte {err.start}); not an events file") from None
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror or _one_line(err)})") from None
    if not text.strip():
        raise InputError(path, "empty file")
    if ext == "csv" or (ext is None and not text.lstrip().startswith(("{", "["))):
        return _events_from_csv(text, path)
    try:
        data = load_json(text, path)
    except json.JSONDecodeError as err:
        raise InputError(path, f"malformed JSON (line {err.lineno}, column {err.colno}: "
                               f"{err.msg})") from None
    return from_feature_collection(data, source=path)
