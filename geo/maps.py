"""Events on an interactive map: a folium (Leaflet) page with a time slider.

Folium builds the page and the map; the events go in as one compact JSON blob
(columns of numbers, dates as day numbers, repeated names in a string table) that
our own script (``geo/static/conflictmap.js``) draws on a canvas, clusters and
filters by date. One folium Marker per event would make 10,000 events a 20 MB page
that takes seconds to open.

Article text reaches the page only inside that blob, with ``<``, ``>`` and ``&``
written as ``\\u003c`` etc., and the script puts it on screen with ``textContent``,
so a sentence holding ``<script>`` shows as text and never runs. The blob (and every
inlined file) goes into the page through :func:`_raw_element`, never as Jinja template
source, so ``{{ ... }}`` in a sentence is not evaluated on the machine drawing the map.

Every page inlines Leaflet (from an installed package, see ``geo.mapassets``) and
carries a basemap drawn from the gazetteer's country outlines and names. ``offline=True``
draws it and needs no network at all; an online page shows OpenStreetMap's street tiles
instead and falls back to the outlines, with a note, when the tiles cannot be loaded.
"""

from __future__ import annotations

import calendar
import json
import os
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from geo.errors import GeoError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.model import CATEGORIES, DATE_PRECISIONS, EVENT_TYPES, GEO_PRECISIONS, Event

if TYPE_CHECKING:
    import folium

# Event type -> (legend label, colour, symbol); symbols are drawn by conflictmap.js.
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "strike": ("Strike", "#d7191c", "star"),
    "attack": ("Attack", "#f46d43", "triangle"),
    "armed_clash": ("Armed clash", "#a50026", "cross"),
    "military_exercise": ("Military exercise", "#7b3294", "hexagon"),
    "meeting": ("Meeting", "#2166ac", "circle"),
    "diplomatic_contact": ("Call / contact", "#4393c3", "ring"),
    "statement": ("Statement", "#35978f", "square"),
    "appeal": ("Appeal", "#01665e", "diamond"),
    "agreement": ("Agreement", "#5aae61", "pentagon"),
    "travel": ("Travel", "#1b7837", "arrowhead"),
    "protest": ("Protest", "#c51b7d", "diamond"),
    "election": ("Election", "#b35806", "square"),
    "other": ("Other", "#737373", "circle"),
}
CATEGORY_LABELS = {"violence": "Violence", "diplomacy": "Diplomacy", "security": "Security",
                   "politics": "Politics", "other": "Other"}
# An event located only to an area shades the area, and its marker (the area's representative
# point) is smaller and fainter, so it is not mistaken for the spot where it happened.
AREA_PRECISIONS = frozenset({"admin1", "country", "region"})
AREA_PLACE_KINDS = frozenset({"sea", "region", "territory"})
ARROW_TYPES = frozenset({"strike", "attack"})
CONTACT_TYPES = frozenset({"meeting", "diplomatic_contact", "agreement"})
MAX_LINKS_PER_EVENT = 3
# Basemap labels: country names from the first zoom (once their country is LABEL_PIXELS
# wide), capitals from the second, admin-1 names from the third.
LABEL_ZOOMS = (2, 5, 6)
LABEL_PIXELS = 40
ATTRIBUTION = ("Places: GeoNames (CC BY 4.0) · Outlines: Natural Earth "
               "and the QGIS admin-1 layer · conflict-map")
_EPOCH = date(1970, 1, 1)


def visible_span(event: Event) -> tuple[date, date]:
    """First and last day an event stays on the map: its end date, else its precision's span.

    A week-precise event stays for the 7 days from its date, a month-precise one to
    the month's end, a year-precise one to the year's end.
    """
    start = event.date
    if start is None:
        raise ValueError("an undated event has no span")
    if event.end_date is not None and event.end_date >= start:
        return start, event.end_date
    if event.date_precision == "week":
        return start, start + timedelta(days=6)
    if event.date_precision == "month":
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if event.date_precision == "year":
        return start, start.replace(month=12, day=31)
    return start, start


def _day(d: date) -> int:
    return (d - _EPOCH).days


def drawable(event: Event) -> bool:
    """Can the event go on the map? It needs coordinates and a date."""
    return event.lat is not None and event.lon is not None and event.date is not None


def drawn(events: Iterable[Event]) -> list[Event]:
    """The events a map draws, in the order of its blob (``map_data``'s columns)."""
    return sorted((e for e in events if drawable(e)), key=lambda e: (e.date, e.id))


class _Strings:
    """A string table: each distinct text stored once, referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        if text is None:
            return -1
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.items)
            self.items.append(text)
        return i


def _links(e: Event, gaz: Gazetteer) -> list[tuple[int, list[float]]]:
    """Lines to draw for an event: (0 arrow | 1 dashed, [lat1, lon1, lat2, lon2]).

    A strike or attack located to a point whose actor is another state gets an arrow from
    that state's territory to the event (an arrow into a country's centre would claim a
    target nobody reported); a call or meeting between states a dashed line between
    their capitals.
    """
    out: list[tuple[int, list[float]]] = []
    if e.type in ARROW_TYPES and not _area_located(e):
        for name in e.actors:
            c = gaz.country_named(name)
            if c is not None and c.country != e.country and len(out) < MAX_LINKS_PER_EVENT:
                out.append((0, [c.lat, c.lon, e.lat, e.lon]))
    elif e.type in CONTACT_TYPES:
        capitals = []
        for name in [*e.actors, *e.targets]:
            c = gaz.country_named(name)
            capital = gaz.capital(c.country) if c is not None else None
            if capital is not None and capital not in capitals:
                capitals.append(capital)
        for other in capitals[1:MAX_LINKS_PER_EVENT + 1]:
            out.append((1, [capitals[0].lat, capitals[0].lon, other.lat, other.lon]))
    return [(kind, [round(v, 4) for v in line]) for kind, line in out if line[:2] != line[2:]]


def _area_located(e: Event) -> bool:
    """Is the event located only to an area (a province, country, region or sea)?"""
    return e.geo_precision in AREA_PRECISIONS or e.place_kind in AREA_PLACE_KINDS


def _area_id(e: Event, gaz: Gazetteer) -> str | None:
    """The gazetteer area whose shading an area-located event shows, if any."""
    if not _area_located(e):
        return None
    place = gaz.by_id(e.place_id) if e.place_id else None
    if place is None and e.geo_precision == "country" and e.country:
        place = gaz.country(e.country)
    return place.id if place is not None and place.has_area else None


def _encode_geometry(geometry: dict, scale: int) -> dict | None:
    """A (Multi)Polygon as whole numbers: each ring's first point, then steps between points.

    Coordinates are rounded to 1/scale degree; repeated points and rings that collapse are
    dropped. ``{"scale": 100, "polygons": [[ring, ...], ...]}`` with a ring as
    ``[x0, y0, dx1, dy1, ...]``; conflictmap.js turns it back into GeoJSON. This halves the
    page's basemap compared with GeoJSON text.
    """
    def ring(points):
        out, last = [], None
        for x, y in points:
            p = (round(x * scale), round(y * scale))
            if p != last:
                out.extend(p if last is None else (p[0] - last[0], p[1] - last[1]))
                last = p
        return out if len(out) >= 8 else None

    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    encoded = []
    for rings in polygons:
        kept = [ring(r) for r in rings]
        if kept and kept[0]:
            encoded.append([r for r in kept if r])
    return {"scale": scale, "polygons": encoded} if encoded else None


@cache
def _admin1_ids(gaz: Gazetteer) -> dict[str, str]:
    """The gazetteer area of each admin-1 code that has an outline ("PK.02" -> its place id)."""
    out = {}
    for a in gaz.area_index().values():
        place = gaz.by_id(a.id) if a.kind == "admin1" else None
        if place is not None and place.admin1:
            out[place.admin1] = place.id
    return out


def land(gaz: Gazetteer) -> dict:
    """The basemap for maps of any events (the app's live map loads it once)."""
    return {"basemap": _basemap(gaz)}


@cache
def _basemap(gaz: Gazetteer) -> list[dict]:
    """Land: the gazetteer's country and territory outlines, light enough for every page."""
    land = []
    for f in gaz.areas()["features"]:
        if f["properties"]["kind"] in ("country", "territory"):
            geometry = _encode_geometry(f["geometry"], 100)
            if geometry:
                land.append(geometry)
    return land


def _min_zoom(width_degrees: float) -> int:
    """The zoom from which an area LABEL_PIXELS wide on screen: its name fits inside."""
    z = LABEL_ZOOMS[0]
    while z < LABEL_ZOOMS[1] and width_degrees / 360 * 256 * 2 ** z < LABEL_PIXELS:
        z += 1
    return z


@cache
def _world_labels(gaz: Gazetteer) -> tuple[list[tuple], list[tuple]]:
    """Country names (largest first) and capitals (most populous first), as label rows.

    A row is (name, lat, lon, kind, min zoom, country); kind 0 country, 1 capital.
    """
    countries, capitals = [], []
    for a in gaz.area_index().values():
        place = gaz.by_id(a.id) if a.kind == "country" else None
        box = a.bounds if place is not None and place.country else None
        if box is None:
            continue
        countries.append(((box[2] - box[0]) * (box[3] - box[1]),
                          (place.name, place.lat, place.lon, 0, _min_zoom(box[2] - box[0]), place.country)))
        capital = gaz.capital(place.country)
        if capital is not None:
            capitals.append((capital.population, (capital.name, capital.lat, capital.lon, 1,
                                                   LABEL_ZOOMS[1], place.country)))
    return ([row for _, row in sorted(countries, reverse=True)],
            [row for _, row in sorted(capitals, reverse=True)])


@cache
def _admin1_labels(gaz: Gazetteer) -> dict[str, list[tuple]]:
    """Each country's admin-1 names as label rows (kind 2), by country code."""
    out: dict[str, list[tuple]] = {}
    for a in gaz.area_index().values():
        if a.kind == "admin1":
            place = gaz.by_id(a.id)
            if place is not None and place.country:
                out.setdefault(place.country, []).append(
                    (place.name, place.lat, place.lon, 2, LABEL_ZOOMS[2], place.country))
    return out


def _labels(gaz: Gazetteer, countries: set[str]) -> dict:
    """Place names for the basemap, in the order they claim room on screen.

    The countries the events are in come first (named from the lowest zoom), then the
    other countries, the capitals, and the admin-1 names of the events' countries only
    (all of the world's would weigh as much as the outlines).
    """
    world, capitals = _world_labels(gaz)
    first = [(name, lat, lon, kind, LABEL_ZOOMS[0] if kind == 0 else zoom, iso)
             for name, lat, lon, kind, zoom, iso in world if iso in countries]
    rows = [*first, *(r for r in world if r[5] not in countries),
            *(r for r in capitals if r[5] in countries), *(r for r in capitals if r[5] not in countries),
            *(r for iso in sorted(countries) for r in _admin1_labels(gaz).get(iso, []))]
    return {"text": [r[0] for r in rows], "lat": [round(r[1], 2) for r in rows],
            "lon": [round(r[2], 2) for r in rows], "kind": [r[3] for r in rows],
            "zoom": [r[4] for r in rows]}


def map_data(events: Iterable[Event], *, title: str | None = None, gaz: Gazetteer | None = None,
             land: bool = True) -> dict:
    """The JSON blob conflictmap.js draws: columns of numbers plus a string table.

    ``areas``: the outlines area-located events shade (column ``area``); ``admin1``: the admin-1
    outlines the events are in, for the choropleth (column ``admin1``; -1: none known).

    Events without coordinates or a date are left out and counted in ``skipped``.
    ``land=False``: no basemap (the app's live map loads it once, ``geo.appmap``).
    """
    gaz = gaz or load_gazetteer()
    events = list(events)
    shown = drawn(events)
    strings = _Strings()
    types = list(EVENT_TYPES)
    cols: dict[str, list] = {k: [] for k in (
        "id", "type", "lat", "lon", "start", "end", "dprec", "gprec", "fat", "place", "kind",
        "country", "actors", "targets", "area", "admin1", "sources", "enddate")}
    area_index: dict[str, int] = {}
    admin1_index: dict[str, int] = {}
    links: list[list[float]] = []
    for n, e in enumerate(shown):
        start, end = visible_span(e)
        area = _area_id(e, gaz)
        if area is not None and area not in area_index:
            area_index[area] = len(area_index)
        admin1 = _admin1_ids(gaz).get(e.admin1) if e.admin1 else None
        if admin1 is not None and admin1 not in admin1_index:
            admin1_index[admin1] = len(admin1_index)
        cols["id"].append(e.id)
        cols["type"].append(types.index(e.type))
        cols["lat"].append(round(e.lat, 5))
        cols["lon"].append(round(e.lon, 5))
        cols["start"].append(_day(start))
        cols["end"].append(_day(end))
        cols["enddate"].append(1 if e.end_date is not None else 0)
        cols["dprec"].append(DATE_PRECISIONS.index(e.date_precision)
                             if e.date_precision in DATE_PRECISIONS else 0)
        cols["gprec"].append(GEO_PRECISIONS.index(e.geo_precision)
                             if e.geo_precision in GEO_PRECISIONS else -1)
        cols["fat"].append(-1 if e.fatalities is None else e.fatalities)
        cols["place"].append(strings(e.place))
        cols["kind"].append(strings(e.place_kind))
        cols["country"].append(strings(e.country))
        cols["actors"].append([strings(a) for a in e.actors])
        cols["targets"].append([strings(t) for t in e.targets])
        cols["area"].append(-1 if area is None else area_index[area])
        cols["admin1"].append(-1 if admin1 is None else admin1_index[admin1])
        cols["sources"].append([i for s in e.sources for i in (strings(s.article), strings(s.sentence))])
        for kind, line in _links(e, gaz):
            links.append([n, kind, *line])
    wanted = set(area_index) | set(admin1_index)
    by_id = {f["id"]: f for f in gaz.areas(wanted)["features"]} if wanted else {}
    areas = [{"name": by_id[a]["properties"]["name"], "kind": by_id[a]["properties"]["kind"],
              "geometry": _encode_geometry(by_id[a]["geometry"], 1000)} for a in area_index]
    # The choropleth's provinces: coarser outlines (1/100 degree), only those events are in.
    admin1_areas = [{"name": by_id[a]["properties"]["name"],
                     "geometry": _encode_geometry(by_id[a]["geometry"], 100)} for a in admin1_index]
    first = min((visible_span(e)[0] for e in shown), default=None)
    last = max((visible_span(e)[1] for e in shown), default=None)
    return {
        "version": 1,
        "title": title or "Conflict map",
        "dates": [first.isoformat(), last.isoformat()] if first else None,
        "total": len(events),
        "skipped": len(events) - len(shown),
        "types": types,
        "typeStyle": [list(TYPE_STYLE[t]) for t in types],
        "typeCategory": [CATEGORIES.index(EVENT_TYPES[t]) for t in types],
        "categories": [CATEGORY_LABELS[c] for c in CATEGORIES],
        "datePrecisions": list(DATE_PRECISIONS),
        "geoPrecisions": list(GEO_PRECISIONS),
        "strings": strings.items,
        "events": cols,
        "areas": areas,
        "admin1": admin1_areas,
        "links": links,
        "basemap": _basemap(gaz) if land else None,
        "labels": _labels(gaz, {e.country for e in shown if e.country}),
        "attribution": ATTRIBUTION,
    }


def data_json(data: dict) -> str:
    """JSON safe inside a <script> element: <, >, & and U+2028/9 written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _raw_element(text: str):
    """A branca Element that puts ``text`` in the page as it is.

    branca compiles the text of ``Element(text)`` (and of every MacroElement's output) as a
    Jinja template, so article text holding ``{{ ... }}`` would run on the machine drawing
    the map. This element's text is returned by ``render``, never compiled.
    """
    from branca.element import Element

    class Raw(Element):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self, **kwargs) -> str:
            return self.text

    return Raw(text)


def _event_layer_class():
    from branca.element import MacroElement

    class EventLayer(MacroElement):
        """The events blob, our script and style, and the call that draws them on the map."""

        def __init__(self, payload: str, assets: str) -> None:
            super().__init__()
            self._name = "EventLayer"
            self._id = "events"
            self.payload = payload
            self.assets = assets

        def render(self, **kwargs) -> None:
            # Not MacroElement.render: that compiles its output, the events included.
            figure = self.get_root()
            name = self.get_name()
            figure.header.add_child(_raw_element(self.assets), name=name)
            figure.html.add_child(_raw_element(
                f'<script type="application/json" id="{name}_data">{self.payload}</script>'), name=name)
            figure.script.add_child(_raw_element(
                f'conflictmap.show({self._parent.get_name()}, "{name}_data");'), name=name)

    return EventLayer


def build_map(events: Iterable[Event], *, offline: bool = False, title: str | None = None,
              gaz: Gazetteer | None = None) -> folium.Map:
    """A folium Map with the events, legend, time slider and basemap, Leaflet inlined.

    ``offline``: no tile server; the land is drawn from the gazetteer's country outlines
    (which an online page falls back to when its street tiles fail). GeoError when
    Leaflet's files (an installed package) are missing.
    """
    import html

    import folium
    from branca.element import Figure

    from geo.mapassets import leaflet_assets, own_assets, script_tag, style_tag

    data = map_data(events, title=title, gaz=gaz)
    page_title = data["title"] + (f" ({data['dates'][0]} to {data['dates'][1]})" if data["dates"] else "")
    figure = Figure(title=html.escape(page_title))
    m = folium.Map(location=[25, 45], zoom_start=3, min_zoom=1, max_zoom=18, world_copy_jump=True,
                   tiles=None if offline else "OpenStreetMap", control_scale=True)
    m._id = "conflictmap"  # a stable name: the same events give the same page
    # Instance lists: never edit folium's class-level asset lists.
    m.default_js, m.default_css = [], []
    js, css = leaflet_assets()
    figure.header.add_child(_raw_element(style_tag(css) + script_tag(js)), name="leaflet_inline")
    figure.add_child(m)
    own_js, own_css = own_assets()
    m.add_child(_event_layer_class()(data_json(data), style_tag(own_css) + script_tag(own_js)))
    return m


def map_html(events: Iterable[Event], *, offline: bool = False, title: str | None = None) -> str:
    """The complete standalone HTML page of the map."""
    return build_map(events, offline=offline, title=title).get_root().render()


def write_map(events: Iterable[Event], path: str | os.PathLike[str], *, offline: bool = False,
              title: str | None = None) -> None:
    """Write the map page to ``path`` (through ``geo.store.write_file``: no half file is left)."""
    from geo.store import write_file

    text = map_html(events, offline=offline, title=title)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)

    try:
        write_file(path, write, "map.html")
    except OSError as err:
        raise GeoError(f"{path}: cannot write the map ({err.strerror or err})") from None
