"""The map page as text: its data, its escaping, offline assets, and the `map` command."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from hostile import FIXED, hostile_event, hostile_texts, text_fields

from geo import mapassets
from geo.cli import main
from geo.errors import GeoError
from geo.maps import data_json, map_data, map_html, visible_span, write_map
from geo.model import Event, Source
from geo.store import write_events

HOSTILE = 'Officials said <script>alert("x")</script> and <img src=x onerror=alert(1)> & more.'


def event(type_="strike", day=date(2024, 1, 16), **kw) -> Event:
    defaults = dict(place="Tehran", place_id="gn:112931", place_kind="city", country="IR",
                    lat=35.69439, lon=51.42151, geo_precision="point", actors=["Pakistan"],
                    targets=["Iran"], fatalities=2,
                    sources=[Source("a.txt", "Pakistan struck targets in Tehran.", 0, 34)],
                    id=f"{type_}-{day}")
    defaults.update(kw)
    return Event(type=type_, date=day, **defaults)


class _Links(HTMLParser):
    """Every src and href attribute, and which tags load scripts or styles from files."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href"):
                self.urls.append(value or "")
                if tag in ("script", "link"):
                    self.external.append(f"<{tag} {name}={value}>")


def links_of(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def blob(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="[\w-]+">(.*?)</script>', html, re.S)
    assert found, "no events blob in the page"
    return json.loads(found.group(1))


# ---------------------------------------------------------------- data and escaping

def test_hostile_text_enters_only_as_escaped_json():
    html = map_html([event(sources=[Source("evil<b>.txt", HOSTILE, 0, len(HOSTILE))])])
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\\u003cscript\\u003ealert" in html and "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert "\\u0026 more" in html
    data = blob(html)
    assert HOSTILE in data["strings"] and "evil<b>.txt" in data["strings"]


def test_title_is_escaped():
    html = map_html([event()], title="</title><script>alert(1)</script>")
    assert "<script>alert(1)" not in html
    assert blob(html)["title"] == "</title><script>alert(1)</script>"


def test_data_json_cannot_close_its_script_element():
    text = data_json({"s": "</script><!-- & >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"s": "</script><!-- & >"}


@pytest.mark.parametrize(("precision", "end_date", "span"), [
    ("day", None, (date(2024, 1, 16), date(2024, 1, 16))),
    ("week", None, (date(2024, 1, 16), date(2024, 1, 22))),
    ("month", None, (date(2024, 1, 16), date(2024, 1, 31))),
    ("year", None, (date(2024, 1, 16), date(2024, 12, 31))),
    ("month", date(2024, 3, 2), (date(2024, 1, 16), date(2024, 3, 2))),
])
def test_an_event_stays_on_the_map_across_its_span(precision, end_date, span):
    assert visible_span(event(date_precision=precision, end_date=end_date)) == span


def test_events_without_place_or_date_are_counted_not_drawn(gazetteer):
    data = map_data([event(), event(lat=None, lon=None, place=None), event(day=None)], gaz=gazetteer)
    assert data["total"] == 3 and data["skipped"] == 2 and len(data["events"]["id"]) == 1


def test_columns_use_day_numbers_and_a_string_table(gazetteer):
    data = map_data([event(), event("meeting", date(2024, 1, 19), actors=["Pakistan"],
                                    targets=["Iran"], fatalities=None)], gaz=gazetteer)
    cols = data["events"]
    assert cols["start"] == [19738, 19741]  # days since 1970-01-01
    assert [data["types"][t] for t in cols["type"]] == ["strike", "meeting"]
    assert cols["fat"] == [2, -1]
    assert data["strings"].count("Pakistan") == 1
    assert data["dates"] == ["2024-01-16", "2024-01-19"]


def test_area_located_events_carry_their_outline(gazetteer):
    country = event(place="Iran", place_id="gn:130758", place_kind="country", geo_precision="country",
                    lat=32.0, lon=53.0, id="c")
    sea = event("attack", place="Red Sea", place_id="ne:red-sea", place_kind="sea", country=None,
                geo_precision="region", lat=20.3, lon=38.5, id="s")
    data = map_data([event(id="p"), country, sea], gaz=gazetteer)
    assert sorted(a["name"] for a in data["areas"]) == ["Iran", "Red Sea"]
    by_id = dict(zip(data["events"]["id"], data["events"]["area"]))
    assert by_id["p"] == -1 and by_id["c"] >= 0 and by_id["s"] >= 0
    assert data["areas"][by_id["c"]]["geometry"]["polygons"]


def _decoded(geometry: dict) -> dict:
    """conflictmap.js's decodeGeometry, in Python: an encoded outline back as GeoJSON."""
    def ring(steps):
        x = y = 0
        out = []
        for k in range(0, len(steps), 2):
            x, y = x + steps[k], y + steps[k + 1]
            out.append((x / geometry["scale"], y / geometry["scale"]))
        return out
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in geometry["polygons"]]}


def test_events_carry_their_province_outline_for_the_choropleth(gazetteer):
    from shapely.geometry import Point, shape

    events = [event(id="zahedan", admin1="IR.04", lat=29.5, lon=60.86),
              event(id="saravan", admin1="IR.04", lat=27.37, lon=62.33),
              event(id="quetta", admin1="PK.02", place="Quetta", country="PK", lat=30.18, lon=67.0),
              event(id="nowhere", admin1="XX.99"), event(id="unknown", admin1=None)]
    data = map_data(events, gaz=gazetteer)
    assert [a["name"] for a in data["admin1"]] == ["Balochistan", "Sistan and Baluchestan"]
    province = {i: data["admin1"][k]["name"] if k >= 0 else None
                for i, k in zip(data["events"]["id"], data["events"]["admin1"])}
    assert province == {"zahedan": "Sistan and Baluchestan", "saravan": "Sistan and Baluchestan",
                        "quetta": "Balochistan", "nowhere": None, "unknown": None}
    for e in events[:3]:
        outline = data["admin1"][data["events"]["admin1"][data["events"]["id"].index(e.id)]]["geometry"]
        assert outline["scale"] == 100
        assert shape(_decoded(outline)).buffer(0.02).contains(Point(e.lon, e.lat)), e.id
    assert map_data([event()], gaz=gazetteer)["admin1"] == [], "no province known, no outline sent"


def test_cross_border_strikes_get_arrows_and_contacts_dashed_lines(gazetteer):
    strike = event(id="s")  # Pakistan strikes in Iran
    home = event(actors=["Iran"], id="h")  # Iran in Iran: no arrow
    call = event("diplomatic_contact", actors=["Pakistan"], targets=["Iran"], place="Islamabad",
                 place_id="gn:1176615", country="PK", lat=33.72, lon=73.04, id="c")
    data = map_data([strike, home, call], gaz=gazetteer)
    ids = data["events"]["id"]
    links = {ids[link[0]]: link[1:] for link in data["links"]}
    assert set(links) == {"s", "c"}
    kind, lat1, lon1, lat2, lon2 = links["s"]
    pakistan = gazetteer.country("PK")
    assert kind == 0 and (lat1, lon1) == (round(pakistan.lat, 4), round(pakistan.lon, 4))
    assert (lat2, lon2) == (round(strike.lat, 4), round(strike.lon, 4))
    kind, lat1, lon1, lat2, lon2 = links["c"]
    assert kind == 1
    assert abs(lat1 - 33.72) < 0.2 and abs(lon1 - 73.06) < 0.2  # Islamabad
    assert abs(lat2 - 35.69) < 0.2 and abs(lon2 - 51.42) < 0.2  # Tehran


@pytest.mark.parametrize("n", range(len(FIXED) + 1))
def test_template_syntax_in_every_field_stays_text(tmp_path, n):
    marker = tmp_path / "pwned"
    text = hostile_texts(marker)[n]
    e = hostile_event(text)
    html = map_html([e], title=text)
    assert not marker.exists(), "article text ran as a template"
    data = blob(html)
    assert data["title"] == text
    for field, value in text_fields(e).items():
        assert value in data["strings"], field
    assert html.rstrip().endswith("</html>") and 'conflictmap.show(' in html
    body = re.search(r'<script type="application/json" id="[\w-]+">(.*?)</script>', html, re.S)
    assert "<" not in body.group(1)


def test_map_command_shows_hostile_article_text_literally(tmp_path):
    marker = tmp_path / "pwned"
    texts = hostile_texts(marker)
    article = tmp_path / "{{ 7*7 }} {% =1+1.txt"
    article.write_text("".join(f"Pakistani jets struck militant hideouts in Sistan-Baluchestan on "
                               f"Thursday as crowds shouted {text} in the streets.\n\n" for text in texts),
                       encoding="utf-8")
    out = tmp_path / "map.html"
    assert main(["map", str(article), "-o", str(out), "--date", "2024-01-18", "--quiet",
                 "--title", texts[-1]]) == 0
    assert not marker.exists(), "article text ran as a template"
    data = blob(out.read_text(encoding="utf-8"))
    assert data["title"] == texts[-1]
    assert article.name in data["strings"]
    sentences = " ".join(data["strings"])
    for text in texts:
        assert text in sentences


def _article_file(folder, fmt: str, title: str, text: str):
    """One article holding hostile text, in the format ``fmt`` (as a user would drop it in)."""
    import html as html_module

    if fmt == "txt":
        body = f"date 2024-01-18\n\n{title}\n\n{text}\n"
    elif fmt == "html":
        esc = html_module.escape
        body = (f'<html><head><title>{esc(title)}</title><meta property="article:published_time" '
                f'content="2024-01-18"></head><body><article><h1>{esc(title)}</h1><p>{esc(text)}</p>'
                "<p>Officials gave no more details about the strikes or about who was hit.</p>"
                "</article></body></html>")
    elif fmt == "json":
        body = json.dumps([{"title": title, "date": "2024-01-18", "text": text}])
    else:  # jsonl
        body = json.dumps({"title": title, "date": "2024-01-18", "text": text}) + "\n"
    path = folder / f"article.{fmt}"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["txt", "html", "json", "jsonl"])
def test_a_map_is_written_for_a_hostile_article_in_every_format(tmp_path, fmt):
    """Template syntax, script breakers and formulas in an article's title and text: the map
    is written and shows them as text, whichever format the article came in."""
    marker = tmp_path / "pwned"
    texts = hostile_texts(marker)
    text = ("Pakistani jets struck militant hideouts in Sistan-Baluchestan on Thursday as crowds "
            f"shouted {' and '.join(texts)} in the streets.")
    article = _article_file(tmp_path, fmt, f"Strikes {texts[0]} {texts[2]}", text)
    out = tmp_path / "map.html"
    assert main(["map", str(article), "-o", str(out), "--quiet"]) == 0
    assert not marker.exists(), "article text ran as a template"
    page = out.read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    sentences = " ".join(blob(page)["strings"])
    for hostile in texts:
        assert hostile in sentences, hostile


def test_same_events_give_the_same_page():
    assert map_html([event()], offline=True) == map_html([event()], offline=True)


# ---------------------------------------------------------------- offline and online pages

def test_offline_page_loads_nothing_from_the_network():
    html = map_html([event()], offline=True)
    links = links_of(html)
    assert links.external == [], "scripts and styles must be inline"
    assert not [u for u in links.urls if "http" in u or u.startswith("//")]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "L.tileLayer" not in html
    assert "Leaflet 1.9" in html  # inlined from the installed package
    assert blob(html)["basemap"], "the land comes from the gazetteer"
    assert "GeoNames (CC BY 4.0)" in html and "Natural Earth" in html


def test_online_page_inlines_leaflet_and_carries_the_basemap():
    html = map_html([event()])
    assert "L.tileLayer" in html and "tile.openstreetmap.org" in html
    assert links_of(html).external == [], "Leaflet is inlined, so the page works without a CDN"
    assert "Leaflet 1.9" in html
    assert blob(html)["basemap"], "the outlines to fall back to when the tiles fail"


def test_missing_leaflet_package_says_what_to_install(monkeypatch):
    monkeypatch.setattr(mapassets, "LEAFLET_PACKAGE", "no_such_leaflet_package")
    with pytest.raises(GeoError, match=r"pip install django-js-lib-leaflet"):
        mapassets._leaflet_dir()


def test_write_map_reports_an_unwritable_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(GeoError, match="cannot write the map"):
        write_map([event()], blocker / "map.html")


# ---------------------------------------------------------------- the command

@pytest.mark.parametrize("name", ["events.geojson", "events.csv", "events.json"])
def test_map_command_from_an_events_file(tmp_path, capsys, name):
    events = [event(id="e1"), event("meeting", date(2024, 1, 19), id="e2", fatalities=None)]
    path = tmp_path / name
    write_events(events, str(path), "csv" if name.endswith(".csv") else "geojson")
    out = tmp_path / "map.html"
    assert main(["map", str(path), "-o", str(out), "--offline", "--title", "Test map"]) == 0
    data = blob(out.read_text(encoding="utf-8"))
    assert data["events"]["id"] == ["e1", "e2"] and data["title"] == "Test map"
    assert "2 on the map" in capsys.readouterr().err


def test_map_command_from_articles(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Pakistani jets struck militant hideouts in Sistan-Baluchestan on Thursday, "
                       "killing nine people.\n", encoding="utf-8")
    out = tmp_path / "map.html"
    assert main(["map", str(article), "-o", str(out), "--date", "2024-01-18", "--quiet"]) == 0
    data = blob(out.read_text(encoding="utf-8"))
    assert [data["types"][t] for t in data["events"]["type"]] == ["strike"]
    assert "a.txt" in data["strings"]


def test_map_command_skips_bad_inputs_and_draws_the_rest(tmp_path, capsys):
    good = tmp_path / "good.geojson"
    write_events([event(id="ok")], str(good))
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    out = tmp_path / "map.html"
    code = main(["map", str(broken), str(tmp_path / "missing.csv"), str(good), "-o", str(out), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("conflictmap: skipped ") for line in err)
    assert "broken.geojson" in err[0] and "missing.csv" in err[1]
    assert blob(out.read_text(encoding="utf-8"))["events"]["id"] == ["ok"]


def test_map_command_needs_an_output(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["map", "x.geojson"])
    assert exit_.value.code == 2


@pytest.mark.parametrize("where", [
    dict(place="Iran", place_id="gn:130758", place_kind="country", geo_precision="country",
         lat=32.0, lon=53.0),
    dict(place="Sistan and Baluchestan", place_kind="admin1", geo_precision="admin1", lat=27.5, lon=60.6),
    dict(place="Red Sea", place_id="ne:red-sea", place_kind="sea", country=None, geo_precision="region",
         lat=20.3, lon=38.5),
])
def test_a_strike_located_only_to_an_area_gets_no_arrow(gazetteer, where):
    data = map_data([event(id="area", **where), event(id="point")], gaz=gazetteer)
    ids = data["events"]["id"]
    assert [ids[link[0]] for link in data["links"]] == ["point"]


def test_outlines_read_by_id_are_the_files_own(gazetteer):
    """The index of outlines (made once per gazetteer version in the cache) gives the same
    features and bounds as the whole file, so maps need not read all of it."""
    import gzip
    import json

    with gzip.open(gazetteer.folder / "areas.geojson.gz", "rt", encoding="utf-8") as f:
        whole = {f["id"]: f for f in json.load(f)["features"]}
    iran, red_sea = gazetteer.country("IR").id, gazetteer.lookup("Red Sea")[0].place.id
    picked = gazetteer.areas({iran, red_sea})["features"]
    assert sorted(f["id"] for f in picked) == sorted([iran, red_sea])
    assert all(f == whole[f["id"]] for f in picked)
    index = gazetteer.area_index()
    assert list(index) == list(whole)
    west, south, east, north = gazetteer.bounds(iran)
    assert 43 < west < 45 and 24 < south < 26 and 63 < east < 64 and 39 < north < 40.5
    assert index[iran].kind == "country" and index[iran].name == whole[iran]["properties"]["name"]
