"""The gazetteer: which places could a name be?

Owns the built data in ``data/`` (see ``data/README.md``) and answers name
look-ups fast. Which candidate a mention actually means is decided in
``geo.places``; this module only knows names, places and their facts.
"""

from __future__ import annotations

import gzip
import json
import math
import os
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from geo.errors import DataError
from geo.names import normalize_name, spelling_skeleton

# How a name relates to its place (the build script's flags).
PRIMARY, ALTERNATE, DEMONYM, ALIAS, ABBREVIATION = 0, 1, 2, 3, 4
AREA_KINDS = frozenset({"country", "territory", "admin1", "sea", "region", "island", "mountain"})
SETTLEMENT_KINDS = frozenset({"city", "town", "village"})
BUILD_COMMAND = "python scripts/build_gazetteer.py"


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a country, division, settlement, sea or region."""

    index: int
    id: str
    name: str
    kind: str
    country: str | None
    admin1: str | None  # GeoNames admin-1 code such as "PK.02"
    lat: float
    lon: float
    population: int
    feature: str  # GeoNames feature code (PPLC = capital) or Natural Earth class
    has_area: bool

    @property
    def geo_precision(self) -> str:
        return {"country": "country", "territory": "admin1", "admin1": "admin1"}.get(
            self.kind, "region" if self.kind in AREA_KINDS else "point")


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, with how the name relates to it."""

    place: Place
    flag: int  # PRIMARY, ALTERNATE, DEMONYM, ALIAS or ABBREVIATION
    key_zipf: float  # how common the name is as an English word (Zipf scale, 0 = never)
    # An alternate name that is only another romanisation of the place's own name
    # ("Izium" for Izyum, "El-Arish" for Al 'Arish), not a translation.
    variant: bool = False


def data_dir() -> Path:
    """The folder holding the built gazetteer ($CONFLICTMAP_DATA or the repo's data/)."""
    return Path(os.environ.get("CONFLICTMAP_DATA") or Path(__file__).resolve().parents[1] / "data")


class Gazetteer:
    """Read-only name index over the built arrays; cheap to query, loaded once."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = Path(folder or data_dir())
        path = folder / "gazetteer.npz"
        if not path.exists():
            raise DataError(f"{path}: gazetteer not found; build it with `{BUILD_COMMAND}`")
        try:
            arrays = _arrays(folder)
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{path}: cannot read the gazetteer ({exc}); rebuild it with "
                            f"`{BUILD_COMMAND}`") from exc
        self.folder = folder
        self._ids = str(arrays["id"]).split("\n")
        self._names = str(arrays["name"]).split("\n")
        self._country = str(arrays["country"]).split("\n")
        self._admin1 = str(arrays["admin1"]).split("\n")
        self._feature = str(arrays["feature"]).split("\n")
        self._kinds = str(arrays["kinds"]).split("\n")
        self._kind = arrays["kind"].tolist()
        self._lat = arrays["lat"].tolist()
        self._lon = arrays["lon"].tolist()
        self._pop = arrays["population"].tolist()
        self._has_area = arrays["has_area"].tolist()
        self._keys = arrays["keys"]
        self._offsets = arrays["offsets"].tolist()
        self._entry_place = arrays["entry_place"].tolist()
        self._entry_flag = arrays["entry_flag"].tolist()
        self._zipf = arrays["key_zipf"].tolist()
        self._by_id: dict[str, int] | None = None
        self._countries: dict[str, int] | None = None
        self._capitals: dict[str, int] | None = None
        self._places: dict[int, Place] = {}
        self._skeletons: dict[int, str] = {}
        self._country_named: dict[str, Place | None] = {}

    def __len__(self) -> int:
        return len(self._ids)

    @cached_property
    def _key_index(self) -> dict[str, int]:
        """Each name's row, made on the first look-up (a page drawn from kept reports needs none)."""
        keys = str(self._keys).split("\n")
        return dict(zip(keys, range(len(keys))))

    def has_key(self, key: str) -> bool:
        """Is this normalised name in the index? (Hot path of the text matcher.)"""
        return key in self._key_index

    def place(self, index: int) -> Place:
        p = self._places.get(index)
        if p is None:
            country, admin1 = self._country[index], self._admin1[index]
            p = Place(index, self._ids[index], self._names[index], self._kinds[self._kind[index]],
                      country or None, admin1 or None, self._lat[index], self._lon[index],
                      self._pop[index], self._feature[index], self._has_area[index])
            self._places[index] = p
        return p

    def by_id(self, place_id: str) -> Place | None:
        if self._by_id is None:
            self._by_id = {pid: i for i, pid in enumerate(self._ids)}
        i = self._by_id.get(place_id)
        return None if i is None else self.place(i)

    def country(self, iso2: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        if self._countries is None:
            self._countries = {self._country[i]: i for i, k in enumerate(self._kind)
                               if self._kinds[k] == "country"}
        i = self._countries.get(iso2)
        return None if i is None else self.place(i)

    def capital(self, iso2: str) -> Place | None:
        """The country's capital: its most populous GeoNames PPLC place."""
        if self._capitals is None:
            self._capitals = {}
            for i, feature in enumerate(self._feature):
                if feature == "PPLC" and (iso := self._country[i]):
                    best = self._capitals.get(iso)
                    if best is None or self._pop[i] >= self._pop[best]:
                        self._capitals[iso] = i
        i = self._capitals.get(iso2)
        return None if i is None else self.place(i)

    def country_named(self, name: str) -> Place | None:
        """The country a name stands for, or None: the one answer for events, merge and the map.

        A country's name or short form ("Congo" is the DR Congo, as ``data/aliases.tsv``
        decides; "the US"), a demonym ("Azerbaijani", "Thai"), a territory's name (its
        country) or a capital used for its government ("Tehran"). Memoised per name.

        >>> load_gazetteer().country_named("Azerbaijani").country
        'AZ'
        """
        key = normalize_name(name)
        if key in self._country_named:
            return self._country_named[key]
        found = self._country_of(key)
        if found is None and key.startswith("the "):
            found = self._country_of(key[4:])
        self._country_named[key] = found
        return found

    def _country_of(self, key: str) -> Place | None:
        cands = [c for c in self.lookup_key(key) if c.flag != ABBREVIATION]
        areas = [c for c in cands if c.place.kind in ("country", "territory") and c.place.country]
        if areas:
            # A name of the country itself before a territory's; then the listed short form.
            best = max(areas, key=lambda c: (c.place.kind == "country", c.flag in (PRIMARY, ALIAS, DEMONYM),
                                             c.flag == ALIAS, c.place.population))
            return best.place if best.place.kind == "country" else self.country(best.place.country)
        capitals = [c for c in cands if c.place.feature == "PPLC" and c.place.country
                    and (c.flag != ALTERNATE or c.variant)]
        if capitals:
            return self.country(max(capitals, key=lambda c: c.place.population).place.country)
        return None

    def lookup_key(self, key: str) -> list[Candidate]:
        """Candidates for an already normalised name."""
        k = self._key_index.get(key)
        if k is None:
            return []
        zipf = self._zipf[k] / 10
        lo, hi = self._offsets[k], self._offsets[k + 1]
        out = []
        skeleton = None
        for j in range(lo, hi):
            i, flag = self._entry_place[j], self._entry_flag[j]
            variant = False
            if flag == ALTERNATE:
                if skeleton is None:
                    skeleton = spelling_skeleton(key)
                own = self._skeletons.get(i)
                if own is None:
                    name = normalize_name(self._names[i])
                    # "New York" for New York City: a city's own name less a generic "City".
                    if self._kinds[self._kind[i]] == "city":
                        name = name.removesuffix(" city")
                    own = self._skeletons[i] = spelling_skeleton(name)
                variant = own == skeleton
            out.append(Candidate(self.place(i), flag, zipf, variant))
        return out

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates for a name as written ("Sistan-Baluchestan", "Islamabad")."""
        return self.lookup_key(normalize_name(name))

    def bounds(self, place_id: str) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of an area's main outline, or None for a point."""
        entry = self.area_index().get(place_id)
        return entry.bounds if entry is not None else None

    def area_index(self) -> dict[str, Area]:
        """Every outline's id, kind, name and bounds, in the file's order, without its shape."""
        return _areas_of(self.folder).index

    def areas(self, place_ids: set[str] | None = None) -> dict:
        """Simplified outlines (GeoJSON FeatureCollection), all or only those asked for."""
        shapes = _areas_of(self.folder)
        if place_ids is None:
            return shapes.read_all()
        return {"type": "FeatureCollection", "features": shapes.read(place_ids)}


@dataclass(frozen=True)
class Area:
    """One outline in areas.geojson.gz as the index keeps it; where its feature is in the copy."""

    id: str
    kind: str
    name: str
    bounds: tuple[float, float, float, float] | None
    offset: int
    length: int


@dataclass(frozen=True)
class _Shapes:
    """The area outlines, read by id: a line-per-feature copy in the user's cache with an index,
    made once per gazetteer version. A map of a few events reads their few outlines, and the
    labels and bounds read the small index, instead of parsing the whole 2 MB file (0.6 s)."""

    source: Path
    lines: Path | None  # None: the cache cannot be written, everything is read from ``source``
    index: dict[str, Area]

    def read(self, ids: set[str]) -> list[dict]:
        if self.lines is None:
            return [f for f in _read_areas(self.source)["features"] if f["id"] in ids]
        wanted = sorted((a.offset, a.length) for i, a in self.index.items() if i in ids)
        with open(self.lines, "rb") as f:
            out = []
            for offset, length in wanted:
                f.seek(offset)
                out.append(json.loads(f.read(length)))
        return out

    def read_all(self) -> dict:
        return _read_areas(self.source)


@cache
def _areas_of(folder: Path) -> _Shapes:
    source = folder / "areas.geojson.gz"
    if not source.exists():
        raise DataError(f"{source}: area outlines not found; build them with `{BUILD_COMMAND}`")
    from geo.cache import cache_root, data_version

    where = cache_root() / "areas" / data_version(folder)[:24]
    try:
        raw = json.loads((where / "index.json").read_text(encoding="utf-8"))
        index = {r[0]: Area(r[0], r[1], r[2], tuple(r[3]) if r[3] else None, r[4], r[5]) for r in raw}
        return _Shapes(source, where / "features.jsonl", index)
    except (OSError, ValueError, TypeError, IndexError):
        pass  # not made yet (or damaged): make it
    features = _read_areas(source)["features"]
    lines, index, offset = [], {}, 0
    for f in features:
        line = json.dumps(f, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        props = f.get("properties") or {}
        index[f["id"]] = Area(f["id"], props.get("kind", ""), props.get("name", ""), _main_box(f),
                              offset, len(line))
        lines.append(line)
        offset += len(line) + 1
    try:
        where.mkdir(parents=True, exist_ok=True)
        _write_whole(where / "features.jsonl", b"\n".join(lines) + b"\n")
        _write_whole(where / "index.json", json.dumps(
            [[a.id, a.kind, a.name, a.bounds, a.offset, a.length] for a in index.values()],
            ensure_ascii=False).encode("utf-8"))
        return _Shapes(source, where / "features.jsonl", index)
    except OSError:
        return _Shapes(source, None, index)


def _write_whole(path: Path, data: bytes) -> None:
    """Written beside, then moved into place: a reader never sees half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _main_box(feature: dict) -> tuple[float, float, float, float] | None:
    """The bounds of an area's main outline (its largest part)."""
    geom = feature.get("geometry") or {}
    polygons = geom.get("coordinates", [])
    if geom.get("type") != "MultiPolygon":
        polygons = [polygons]
    boxes = []
    for poly in polygons:
        if poly and poly[0]:
            xs, ys = [pt[0] for pt in poly[0]], [pt[1] for pt in poly[0]]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if boxes else None


@cache
def _read_areas(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _arrays(folder: Path) -> dict[str, np.ndarray]:
    """The built arrays. gazetteer.npz is compressed (10 MB in the repository, 0.3 s to
    inflate), so an uncompressed copy is kept in the user's cache per gazetteer version and
    read instead (arrays only: loaded with allow_pickle=False, it is data, never code)."""
    from geo.cache import cache_root, data_version

    copy = cache_root() / "gazetteer" / f"{data_version(folder)[:24]}.npz"
    try:
        with np.load(copy, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError):
        pass  # not made yet, or damaged: made again below
    with np.load(folder / "gazetteer.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_name(f"{copy.stem}.{os.getpid()}.part.npz")
        np.savez(tmp, **arrays)
        os.replace(tmp, copy)
    except OSError:
        pass  # a cache that cannot be written: read the compressed file next time too
    return arrays


def load_gazetteer(folder: Path | None = None) -> Gazetteer:
    """The shared gazetteer for this process (loaded once per folder, on first use)."""
    return _load(Path(folder or data_dir()).resolve())


@cache
def _load(folder: Path) -> Gazetteer:
    return Gazetteer(folder)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))
