"""The offline map in headless Chromium, every network request blocked: what a reader sees.

Each test saves a screenshot and prints its path (pytest -s shows it).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hostile import hostile_event, hostile_texts, text_fields

from geo.maps import drawable, visible_span, write_map
from geo.model import Event, Source

pytestmark = pytest.mark.browser

HOSTILE = 'Witnesses said <script>alert("x")</script><img src=x onerror=alert(1)> was shouted.'


def _event(id_, type_, day, place, lat, lon, *, precision="day", sources=None, **kw) -> Event:
    sources = sources or [Source(f"{id_}.txt", f"Report of {type_} in {place}.", 0, 30)]
    return Event(type=type_, date=day, date_precision=precision, place=place, lat=lat, lon=lon,
                 geo_precision=kw.pop("geo_precision", "point"), sources=sources, id=id_, **kw)


SMALL = [
    _event("kabul", "strike", date(2024, 1, 10), "Kabul", 34.53, 69.17, fatalities=5, country="AF",
           actors=["Pakistan"], targets=["Afghanistan"],
           sources=[Source("first.txt", "Jets struck a compound near Kabul.", 0, 33),
                    Source("second.html", "Five people died in the Kabul strike.", 10, 47)]),
    _event("baghdad", "attack", date(2024, 1, 12), "Baghdad", 33.31, 44.36, country="IQ",
           sources=[Source("hostile<b>.txt", HOSTILE, 0, len(HOSTILE))]),
    _event("cairo", "meeting", date(2024, 1, 15), "Cairo", 30.04, 31.24, country="EG"),
    _event("ankara", "statement", date(2024, 1, 15), "Ankara", 39.93, 32.86, precision="week",
           country="TR"),
    _event("muscat", "military_exercise", date(2024, 1, 20), "Muscat", 23.59, 58.41, country="OM"),
    _event("tehran", "travel", date(2024, 1, 1), "Tehran", 35.69, 51.42, precision="month",
           country="IR"),
    _event("yemen", "armed_clash", date(2024, 1, 25), "Yemen", 15.5, 47.5, country="YE",
           place_kind="country", place_id="gn:69543", geo_precision="country", fatalities=12),
    _event("nowhere", "appeal", date(2024, 1, 14), None, None, None),
]


def _open(page, path):
    page.goto(path.as_uri())
    page.wait_for_function("window.conflictmap && window.conflictmap.maps.length === 1")
    page.wait_for_selector(".cm-timebar")


def _state(page) -> dict:
    return page.evaluate("""() => { const m = conflictmap.maps[0];
        return {visible: m.visibleCount(), drawn: m.drawn(), ids: m.visibleIds().sort(),
                status: document.querySelector('.cm-count').textContent,
                date: document.querySelector('.cm-date').textContent}; }""")


def _move_slider(page, day: date, window: str) -> dict:
    """Choose the window and drag the slider to a day, through the page's own controls."""
    page.select_option(".cm-window", window)
    page.locator(".cm-slider").fill(str((day - date(1970, 1, 1)).days))
    return _state(page)


def _click_marker(page, event_id: str):
    point = page.evaluate(f"conflictmap.maps[0].markerPoint({event_id!r})")
    assert point, f"{event_id} is not drawn on its own"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content .cm-popup")
    return page.locator(".leaflet-popup-content")


def _screenshot(page, path):
    page.wait_for_timeout(300)  # let popups finish fading in
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")


def _clean(page_log):
    assert page_log.errors == [], "console errors"
    assert page_log.dialogs == [], "a dialog fired: page text ran as code"
    assert page_log.blocked == [], "the offline map asked the network for something"
    assert all(u.startswith(("file:", "data:")) for u in page_log.requests)


@pytest.fixture(scope="module")
def small_map(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "small.html"
    write_map(SMALL, path, offline=True, title="Seven events")
    return path


def test_small_map_renders_offline_with_every_event(page, page_log, small_map, tmp_path):
    _open(page, small_map)
    state = _state(page)
    assert state["visible"] == 7 and state["status"] == "7 of 7 events"
    assert state["drawn"] == {"singles": 7, "clusters": 0, "events": 7}
    assert state["date"] == "2024-01-31"
    title = page.locator(".cm-title").inner_text()
    assert "Seven events" in title and "2024-01-01 to 2024-01-31" in title
    assert "1 without a place or date" in title
    assert "GeoNames (CC BY 4.0)" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator(".leaflet-tile").count() == 0
    _screenshot(page, tmp_path / "small.png")
    _clean(page_log)


@pytest.mark.parametrize(("day", "window", "expected"), [
    (date(2024, 1, 15), "day", ["ankara", "cairo", "tehran"]),
    (date(2024, 1, 18), "day", ["ankara", "tehran"]),  # the week-precise statement stays
    (date(2024, 1, 12), "week", ["baghdad", "kabul", "tehran"]),
    (date(2024, 1, 20), "all", ["ankara", "baghdad", "cairo", "kabul", "muscat", "tehran"]),
    (date(2024, 1, 2), "day", ["tehran"]),  # the month-precise visit spans January
])
def test_slider_shows_the_events_in_its_window(page, page_log, small_map, day, window, expected):
    _open(page, small_map)
    state = _move_slider(page, day, window)
    assert state["date"] == day.isoformat()
    assert state["ids"] == expected
    assert state["status"] == f"{len(expected)} of 7 events"
    assert state["drawn"]["events"] == state["drawn"]["singles"] == len(expected)
    _clean(page_log)


def test_category_switch_hides_its_events(page, page_log, small_map):
    _open(page, small_map)
    page.get_by_label("Violence (3)").uncheck()
    assert _state(page)["ids"] == ["ankara", "cairo", "muscat", "tehran"]
    page.get_by_label("Violence (3)").check()
    assert _state(page)["visible"] == 7
    _clean(page_log)


def test_play_moves_through_time(page, page_log, small_map):
    _open(page, small_map)
    page.select_option(".cm-window", "day")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("document.querySelector('.cm-date').textContent > '2024-01-01'")
    page.get_by_role("button", name="Pause").click()
    assert not page.evaluate("conflictmap.maps[0].playing()")
    _clean(page_log)


def test_popup_lists_every_source(page, page_log, small_map, tmp_path):
    _open(page, small_map)
    popup = _click_marker(page, "kabul").inner_text()
    assert "Strike" in popup and "2024-01-10" in popup and "Pakistan → Afghanistan" in popup
    assert "Fatalities: 5" in popup and "Kabul" in popup
    assert "Sources (2)" in popup
    for text in ("first.txt", "Jets struck a compound near Kabul.", "second.html",
                 "Five people died in the Kabul strike."):
        assert text in popup
    _screenshot(page, tmp_path / "popup.png")
    _clean(page_log)


def test_popup_states_area_precision(page, page_log, small_map):
    _open(page, small_map)
    popup = _click_marker(page, "yemen").inner_text()
    assert "Located only to the country" in popup and "not the spot where it happened" in popup
    _clean(page_log)


def test_hostile_text_stays_text(page, page_log, small_map):
    _open(page, small_map)
    popup = _click_marker(page, "baghdad")
    assert HOSTILE in popup.inner_text() and "hostile<b>.txt" in popup.inner_text()
    assert popup.locator("script, img, [onerror]").count() == 0
    page.wait_for_timeout(200)
    _clean(page_log)


def test_template_and_script_text_shows_literally(page, page_log, tmp_path):
    marker = tmp_path / "pwned"
    texts = hostile_texts(marker)
    # Far apart, so each is a marker of its own.
    events = [hostile_event(t, f"h{n}", lat=-30 + 12 * n, lon=-120 + 40 * n) for n, t in enumerate(texts)]
    path = tmp_path / "hostile.html"
    title = "{{ 7*7 }} {% </script><script>alert(1)</script>"
    write_map(events, path, offline=True, title=title)
    assert not marker.exists()
    _open(page, path)
    assert _state(page)["visible"] == len(texts)
    assert title in page.locator(".cm-title").inner_text()
    for e in events:
        popup = _click_marker(page, e.id)
        shown = popup.inner_text()
        for field, value in text_fields(e).items():
            assert value in shown, field
        assert popup.locator("script, img, [onerror]").count() == 0
        page.evaluate("() => { conflictmap.maps[0].map.closePopup(); }")
        page.wait_for_selector(".leaflet-popup", state="detached")
    page.wait_for_timeout(200)
    assert not marker.exists(), "article text ran as a template"
    _clean(page_log)


# ---------------------------------------------------------------- the seed articles

@pytest.fixture(scope="module")
def seeds_map(shared, tmp_path_factory, gazetteer):
    from geo.articles import read_articles
    from geo.cli import main
    from geo.events import events_from_articles

    seeds = shared / "corpus" / "seeds"
    path = tmp_path_factory.mktemp("seeds") / "seeds.html"
    assert main(["map", str(seeds), "-o", str(path), "--offline", "--quiet"]) == 0
    events = [e for e in events_from_articles(read_articles([seeds]), gazetteer) if drawable(e)]
    return path, events


def _in_window(events, day, window):
    lo = {"day": day, "week": date.fromordinal(day.toordinal() - 6), "all": date.min}[window]
    return sorted(e.id for e in events if visible_span(e)[0] <= day and visible_span(e)[1] >= lo)


def test_seeds_map_follows_the_slider(page, page_log, seeds_map):
    path, events = seeds_map
    _open(page, path)
    assert _state(page)["visible"] == len(events)
    counts = set()
    for day, window in [(date(2024, 1, 16), "day"), (date(2024, 1, 19), "day"),
                        (date(2024, 1, 19), "week"), (date(2024, 1, 17), "all")]:
        state = _move_slider(page, day, window)
        assert state["ids"] == _in_window(events, day, window)
        assert state["drawn"]["events"] == state["visible"]
        counts.add(state["visible"])
    assert len(counts) > 1, "moving the slider changed nothing"
    _clean(page_log)


def test_seeds_map_shows_january_2024_where_it_happened(page, page_log, seeds_map, gazetteer, tmp_path):
    from shapely.geometry import Point, shape

    path, events = seeds_map
    january = [e for e in events if visible_span(e)[0] <= date(2024, 1, 31)
               and visible_span(e)[1] >= date(2024, 1, 1)]
    assert len(january) >= 5
    outlines = {f["id"]: shape(f["geometry"]) for f in gazetteer.areas()["features"]}
    for e in january:  # each marker sits in the country the event happened in
        if e.country:
            country = gazetteer.country(e.country)
            assert outlines[country.id].buffer(0.2).contains(Point(e.lon, e.lat)), e.place
    _open(page, path)
    _move_slider(page, date(2024, 1, 31), "all")
    in_view = page.evaluate("""(points) => { const m = conflictmap.maps[0].map, b = m.getBounds();
        return points.filter(p => b.contains(p)).length; }""", [[e.lat, e.lon] for e in january])
    assert in_view == len(january)
    assert page.evaluate("conflictmap.maps[0].drawn().events") >= len(january)
    _screenshot(page, tmp_path / "seeds.png")
    single = page.evaluate("""() => conflictmap.maps[0].visibleIds()
        .find(id => conflictmap.maps[0].markerPoint(id))""")
    popup = _click_marker(page, single).inner_text()
    source = next(e for e in events if e.id == single).sources[0]
    assert source.article in popup and source.sentence[:40] in popup
    _screenshot(page, tmp_path / "seeds_popup.png")
    _clean(page_log)


# ---------------------------------------------------------------- playback

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture(scope="module")
def samples(tmp_path_factory, gazetteer):
    """The bundled samples' events and their offline map."""
    from geo.articles import read_articles
    from geo.events import events_from_articles

    events = [e for e in events_from_articles(read_articles(sorted(SAMPLES.iterdir())), gazetteer)
              if drawable(e)]
    path = tmp_path_factory.mktemp("samples") / "samples.html"
    write_map(events, path, offline=True, title="Samples")
    return path, events


def _pause_at_start(page):
    """Press Play (which starts from the first day) and Pause again."""
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").click()


@pytest.mark.parametrize("speed", ["1 day/s", "365 days/s"])
def test_playback_shows_every_sample_event_that_day(page, page_log, samples, speed):
    path, events = samples
    _open(page, path)
    page.select_option(".cm-window", "day")
    page.select_option(".cm-speed", label=speed)
    _pause_at_start(page)
    played = page.evaluate("""() => { const m = conflictmap.maps[0], seen = new Set(), days = [];
        const look = () => { m.visibleIds().forEach(id => seen.add(id));
                             days.push(document.querySelector('.cm-date').textContent); };
        look();
        while (m.step()) { look(); }
        return {seen: [...seen].sort(), days: days}; }""")
    assert played["seen"] == sorted(e.id for e in events)
    days = played["days"]
    assert days[0] == min(e.date for e in events).isoformat()
    assert days[-1] == max(visible_span(e)[1] for e in events).isoformat()
    assert days == sorted(days)
    _clean(page_log)


def test_default_speed_plays_the_span_in_under_half_a_minute(page, page_log, samples, small_map):
    _open(page, samples[0])
    assert page.locator(".cm-speed option:checked").inner_text() == "30 days/s"  # 443 days
    _open(page, small_map)
    assert page.locator(".cm-speed option:checked").inner_text() == "1 day/s"  # 30 days
    _clean(page_log)


def test_play_in_real_time_stops_on_every_event_day(page, page_log, small_map):
    _open(page, small_map)
    page.select_option(".cm-window", "day")
    page.select_option(".cm-speed", label="365 days/s")
    page.evaluate("""() => { const m = conflictmap.maps[0]; window.seen = new Set();
        new MutationObserver(() => m.visibleIds().forEach(id => window.seen.add(id)))
            .observe(document.querySelector('.cm-date'),
                     {childList: true, characterData: true, subtree: true}); }""")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("!conflictmap.maps[0].playing()", timeout=30000)
    seen = page.evaluate("[...window.seen].sort()")
    assert seen == sorted(e.id for e in SMALL if drawable(e))
    assert page.locator(".cm-date").inner_text() == "2024-01-31"
    _clean(page_log)


# ---------------------------------------------------------------- basemap labels

def _labels(page, kind: str) -> list[str]:
    return page.evaluate(f"[...document.querySelectorAll('.cm-label-{kind}')].map(e => e.textContent)")


def test_offline_basemap_names_the_events_countries_under_the_events(page, page_log, small_map, tmp_path):
    _open(page, small_map)
    countries = _labels(page, "country")
    for name in ("Afghanistan", "Iraq", "Egypt", "Turkey", "Oman", "Iran", "Yemen"):
        assert name in countries
    assert _labels(page, "capital") == [], "capitals wait for a closer zoom"
    below = page.evaluate("""() => {
        const z = el => +getComputedStyle(el.closest('.leaflet-pane')).zIndex;
        return z(document.querySelector('.cm-label')) < z(conflictmap.maps[0].map.getPane('cmEvents')); }""")
    assert below, "labels must lie under the event markers"
    page.evaluate("conflictmap.maps[0].map.setView([35.69, 51.42], 5, {animate: false}); 0")
    assert "Tehran" in _labels(page, "capital")
    page.evaluate("conflictmap.maps[0].map.setView([35.69, 51.42], 7, {animate: false}); 0")
    assert "Tehran" in _labels(page, "admin1"), "Tehran province, at a close zoom"
    _screenshot(page, tmp_path / "labels.png")
    _clean(page_log)


# ---------------------------------------------------------------- precision and arrows

def test_an_area_event_is_drawn_quieter_than_a_point_event(page, page_log, small_map):
    _open(page, small_map)
    area = page.evaluate("conflictmap.maps[0].markerStyle('yemen')")  # country-located, 12 killed
    point = page.evaluate("conflictmap.maps[0].markerStyle('kabul')")  # at Kabul, 5 killed
    assert area["radius"] < point["radius"] and area["fillOpacity"] < point["fillOpacity"]
    assert area["areaFillOpacity"] is not None and area["areaFillOpacity"] < point["fillOpacity"]
    assert point["areaFillOpacity"] is None
    _clean(page_log)


def test_arrows_are_thinned_at_low_zoom_latest_first(page, page_log, tmp_path):
    strikes = [_event(f"s{k:02d}", "strike", date(2024, 1, 1 + k), f"Town {k}", 30 + k % 6, 50 + k // 6,
                      country="IR", actors=["Pakistan"]) for k in range(30)]
    path = tmp_path / "strikes.html"
    write_map(strikes, path, offline=True)
    _open(page, path)
    page.evaluate("conflictmap.maps[0].map.setView([32, 52], 2, {animate: false}); 0")
    far = page.evaluate("conflictmap.maps[0].drawnLinks()")
    assert 0 < len(far) < 30
    assert sorted(far) == [e.id for e in strikes[-len(far):]], "the latest arrows are kept"
    page.evaluate("conflictmap.maps[0].map.setView([32, 52], 6, {animate: false}); 0")
    assert len(page.evaluate("conflictmap.maps[0].drawnLinks()")) == 30
    _clean(page_log)


# ---------------------------------------------------------------- the online map

TILE_FAILURE = "Street tiles could not be loaded; showing the offline outlines"


@pytest.fixture(scope="module")
def online_map(tmp_path_factory):
    path = tmp_path_factory.mktemp("online") / "online.html"
    write_map(SMALL, path, title="Seven events")
    return path


def test_online_map_without_network_falls_back_to_the_outlines(page, page_log, online_map, tmp_path):
    _open(page, online_map)
    notice = page.get_by_role("status")
    notice.wait_for()
    assert notice.inner_text() == TILE_FAILURE
    assert _state(page)["status"] == "7 of 7 events"
    assert page.evaluate("conflictmap.maps[0].drawn().events") == 7
    assert "Iran" in _labels(page, "country"), "the offline basemap is drawn"
    credits = page.locator(".leaflet-control-attribution").inner_text()
    assert "GeoNames" in credits and "OpenStreetMap" not in credits, "no credit for tiles not shown"
    _screenshot(page, tmp_path / "online_offline.png")
    assert page_log.blocked and all("tile.openstreetmap.org" in u for u in page_log.blocked)
    # The browser reports each refused tile; nothing else may be an error.
    assert [e for e in page_log.errors if not e.startswith("Failed to load resource")] == []
    assert page_log.dialogs == []


def test_online_map_with_tiles_shows_them_and_no_notice(page, page_log, online_map):
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2a3a5d00000000049454e44ae426082")
    page.route("**/tile.openstreetmap.org/**", lambda r: r.fulfill(body=png, content_type="image/png"))
    _open(page, online_map)
    page.wait_for_selector(".leaflet-tile-loaded")
    assert page.get_by_role("status").count() == 0
    assert _labels(page, "country") == [], "street tiles carry their own names"
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    assert _state(page)["status"] == "7 of 7 events"
    assert page_log.errors == [] and page_log.dialogs == []


# ---------------------------------------------------------------- layout

CONTROLS = [".leaflet-control-zoom", ".cm-export", ".cm-title", ".cm-legend", ".cm-timebar",
            ".leaflet-control-attribution", ".leaflet-control-scale"]
TIME_BAR = [".cm-play", ".cm-slider", ".cm-date", ".cm-window-label", ".cm-speed", ".cm-count"]


def _boxes(page, selectors) -> dict:
    return {s: page.locator(s).bounding_box() for s in selectors}


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def _overlapping(boxes: dict) -> list[tuple[str, str]]:
    names = list(boxes)
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if _overlap(boxes[a], boxes[b])]


def _assert_laid_out(page, width, height):
    for group in (CONTROLS, TIME_BAR):
        boxes = _boxes(page, group)
        assert _overlapping(boxes) == []
        for name, b in boxes.items():
            assert b["x"] >= 0 and b["y"] >= 0, name
            assert b["x"] + b["width"] <= width and b["y"] + b["height"] <= height, name


@pytest.mark.parametrize(("width", "height", "folded"), [(390, 844, True), (1440, 900, False)])
def test_controls_fit_and_never_cover_each_other(page, page_log, samples, width, height, folded, tmp_path):
    page.set_viewport_size({"width": width, "height": height})
    _open(page, samples[0])
    legend = page.get_by_role("button", name="Legend")
    assert legend.get_attribute("aria-expanded") == str(not folded).lower()
    assert page.get_by_text("Military exercise").is_visible() is not folded
    _assert_laid_out(page, width, height)
    _screenshot(page, tmp_path / f"layout_{width}.png")
    legend.click()  # the other state of the legend fits too
    assert page.get_by_text("Military exercise").is_visible() is folded
    _assert_laid_out(page, width, height)
    _clean(page_log)


# ---------------------------------------------------------------- layers

def _alpha_at(page, selector: str, lat: float, lon: float) -> int:
    """The alpha (0-255) of a canvas's pixel where the map shows (lat, lon); 0 without the canvas.

    Read after the next frame: Leaflet redraws its canvases in an animation frame."""
    return page.evaluate("""async ([selector, lat, lon]) => {
        await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        const c = document.querySelector(selector);
        if (!c) { return 0; }
        const m = conflictmap.maps[0].map, p = m.latLngToContainerPoint([lat, lon]);
        const box = m.getContainer().getBoundingClientRect(), r = c.getBoundingClientRect();
        const x = (box.left + p.x - r.left) * c.width / r.width;
        const y = (box.top + p.y - r.top) * c.height / r.height;
        return c.getContext('2d').getImageData(Math.floor(x), Math.floor(y), 1, 1).data[3]; }""",
                         [selector, lat, lon])


def _heat_at(page, event_id: str) -> int:
    e = next(e for e in SMALL if e.id == event_id)
    return _alpha_at(page, ".cm-density", e.lat, e.lon)


def test_density_is_off_until_switched_on_and_follows_the_filters(page, page_log, small_map, tmp_path):
    _open(page, small_map)
    switch = page.get_by_label("Density", exact=True)
    assert not switch.is_checked() and page.locator(".cm-density").count() == 0
    switch.check()
    assert page.locator(".cm-density").count() == 1
    for spot in ("kabul", "baghdad", "cairo", "ankara", "muscat", "tehran"):
        assert _heat_at(page, spot) > 0, spot
    assert _heat_at(page, "yemen") == 0, "an event located only to its country makes no hot spot"
    below = page.evaluate("""() => {
        const z = el => +getComputedStyle(el.closest('.leaflet-pane')).zIndex;
        return z(document.querySelector('.cm-density'))
            < z(conflictmap.maps[0].map.getPane('cmEvents')); }""")
    assert below, "the density lies under the event markers"
    _screenshot(page, tmp_path / "density.png")
    _move_slider(page, date(2024, 1, 10), "day")  # Kabul, and the month-long visit to Tehran
    assert _heat_at(page, "kabul") > 0 and _heat_at(page, "tehran") > 0
    assert _heat_at(page, "cairo") == 0 and _heat_at(page, "baghdad") == 0
    page.get_by_label("Violence (3)").uncheck()
    assert _heat_at(page, "kabul") == 0 and _heat_at(page, "tehran") > 0
    page.evaluate("conflictmap.maps[0].map.setView([34.53, 69.17], 7, {animate: false}); 0")
    assert _heat_at(page, "kabul") == 0
    page.get_by_label("Violence (3)").check()
    assert _heat_at(page, "kabul") > 0, "redrawn for the new view"
    switch.uncheck()
    assert page.locator(".cm-density").count() == 0
    _clean(page_log)


PROVINCES = [
    _event("zahedan", "strike", date(2024, 1, 10), "Zahedan", 29.5, 60.86, country="IR", admin1="IR.04",
           fatalities=3),
    _event("saravan", "strike", date(2024, 1, 16), "Saravan", 27.37, 62.33, country="IR", admin1="IR.04",
           fatalities=9),
    _event("quetta", "attack", date(2024, 1, 16), "Quetta", 30.18, 67.0, country="PK", admin1="PK.02"),
    _event("tehran", "meeting", date(2024, 1, 20), "Tehran", 35.69, 51.42, country="IR", admin1="IR.26"),
    _event("iran", "statement", date(2024, 1, 16), "Iran", 32.0, 53.0, country="IR", place_kind="country",
           place_id="gn:130758", geo_precision="country"),
]
PROVINCE_CANVAS = ".leaflet-cmProvinces-pane canvas"


@pytest.fixture(scope="module")
def provinces_map(tmp_path_factory):
    path = tmp_path_factory.mktemp("provinces") / "provinces.html"
    write_map(PROVINCES, path, offline=True, title="Provinces")
    return path


def _shade_at(page, event_id: str) -> int:
    e = next(e for e in PROVINCES if e.id == event_id)
    return _alpha_at(page, PROVINCE_CANVAS, e.lat, e.lon)


def test_choropleth_shades_the_provinces_of_the_visible_events(page, page_log, provinces_map, tmp_path):
    _open(page, provinces_map)
    switch = page.get_by_label("Provinces by", exact=True)
    assert not switch.is_checked() and page.evaluate("conflictmap.maps[0].provinces()") == {}
    assert not page.locator(".cm-ramp").is_visible()
    switch.check()
    assert page.evaluate("conflictmap.maps[0].provinces()") == {
        "Sistan and Baluchestan": 2, "Balochistan": 1, "Tehran": 1}
    for spot in ("zahedan", "saravan", "quetta", "tehran"):
        assert _shade_at(page, spot) > 0, spot
    assert _alpha_at(page, PROVINCE_CANVAS, 31.0, 53.5) == 0, "a province without events stays clear"
    assert page.locator(".cm-ramp").is_visible() and page.locator(".cm-ramp-max").inner_text() == "2"
    _screenshot(page, tmp_path / "provinces.png")

    _move_slider(page, date(2024, 1, 16), "day")
    assert page.evaluate("conflictmap.maps[0].provinces()") == {"Sistan and Baluchestan": 1, "Balochistan": 1}
    assert _shade_at(page, "tehran") == 0 and _shade_at(page, "quetta") > 0
    page.select_option(".cm-measure", "fatalities")
    assert page.evaluate("conflictmap.maps[0].provinces()") == {"Sistan and Baluchestan": 9}
    assert _shade_at(page, "quetta") == 0 and page.locator(".cm-ramp-max").inner_text() == "9"
    _move_slider(page, date(2024, 1, 12), "week")
    assert page.evaluate("conflictmap.maps[0].provinces()") == {"Sistan and Baluchestan": 3}
    page.get_by_label("Violence (3)").uncheck()
    assert page.evaluate("conflictmap.maps[0].provinces()") == {}
    assert _shade_at(page, "zahedan") == 0
    page.get_by_label("Violence (3)").check()
    switch.uncheck()
    assert page.evaluate("conflictmap.maps[0].provinces()") == {} and _shade_at(page, "zahedan") == 0
    _clean(page_log)


LAND, SEA = (242, 238, 227), (184, 210, 228)  # the offline basemap's colours


def _download_png(page, tmp_path):
    """Press the map's PNG button: the downloaded file's name and its image."""
    from PIL import Image

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the map as PNG").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    image = Image.open(path)
    assert image.format == "PNG"
    return path.name, image.convert("RGB")


def _map_size(page) -> tuple[int, int]:
    size = page.evaluate("(() => { const s = conflictmap.maps[0].map.getSize(); return [s.x, s.y]; })()")
    return tuple(size)


def _container_point(page, lat, lon) -> tuple[int, int]:
    p = page.evaluate(f"conflictmap.maps[0].map.latLngToContainerPoint([{lat}, {lon}])")
    return round(p["x"]), round(p["y"])


def test_png_export_of_the_offline_map_shows_land_labels_and_events(page, page_log, small_map, tmp_path):
    _open(page, small_map)
    page.get_by_label("Density", exact=True).check()
    _move_slider(page, date(2024, 1, 20), "all")
    name, image = _download_png(page, tmp_path)
    assert name == "conflict-map-2024-01-20.png"
    assert image.size == _map_size(page) == (1280, 800)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    assert LAND in colours and SEA in colours, "the basemap is in the picture"
    kabul = _container_point(page, 34.53, 69.17)
    r, g, b = image.getpixel(kabul)
    assert r > 150 and g < 100 and b < 100, "the red strike marker at Kabul"
    beside = image.getpixel((kabul[0], kabul[1] + 14))  # off the marker, inside its hot spot
    assert beside not in (LAND, SEA), "the density layer is in the picture"
    box = page.locator(".cm-label-country span", has_text="Afghanistan").bounding_box()
    x, y = int(box["x"]), int(box["y"])
    label = image.crop((x, y, x + int(box["width"]), y + int(box["height"])))
    ink = [c for _, c in label.getcolors() if max(c) < 160]  # the name's grey, darker than any border
    assert len(ink) > 5, "the basemap's labels are in the picture"
    image.save(tmp_path / "export.png")
    print(f"exported: {tmp_path / 'export.png'}")
    assert page.locator(".cm-export-note").inner_text() == ""
    _clean(page_log)


def test_png_export_of_an_online_map_whose_tiles_are_blocked(page, page_log, online_map, tmp_path):
    _open(page, online_map)
    page.get_by_role("status").wait_for()  # the outlines replaced the tiles
    name, image = _download_png(page, tmp_path)
    assert name == "conflict-map-2024-01-31.png" and image.size == _map_size(page)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    assert LAND in colours and SEA in colours
    assert [e for e in page_log.errors if not e.startswith("Failed to load resource")] == []


def test_png_export_with_street_tiles_leaves_them_out_and_says_so(page, page_log, online_map, tmp_path):
    tile = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2a3a5d00000000049454e44ae426082")
    page.route("**/tile.openstreetmap.org/**", lambda r: r.fulfill(body=tile, content_type="image/png"))
    _open(page, online_map)
    page.wait_for_selector(".leaflet-tile-loaded")
    name, image = _download_png(page, tmp_path)
    assert image.size == _map_size(page)
    r, g, b = image.getpixel(_container_point(page, 34.53, 69.17))
    assert r > 150 and g < 100 and b < 100, "the events are in the picture"
    assert "without the street tiles" in page.locator(".cm-export-note").inner_text()
    assert page_log.errors == [] and page_log.dialogs == []


def _search(page, text: str) -> dict:
    page.get_by_label("Search events").fill(text)
    return _state(page)


@pytest.mark.parametrize(("text", "expected"), [
    ("kabul", ["kabul"]),  # its place and its sentences
    ("PAKISTAN", ["kabul"]),  # an actor, whatever the case
    ("afghanistan", ["kabul"]),  # a target
    ("five people died", ["kabul"]),  # its second source's sentence
    ("  Report of meeting ", ["cairo"]),
    ("report of", ["ankara", "cairo", "muscat", "tehran", "yemen"]),
    ("Kabul strike, Cairo", []),  # no field holds it all
])
def test_search_keeps_the_events_that_mention_the_text(page, page_log, small_map, text, expected):
    _open(page, small_map)
    state = _search(page, text)
    assert state["ids"] == expected and state["status"] == f"{len(expected)} of 7 events"
    assert state["drawn"]["events"] == len(expected)
    assert _search(page, "")["status"] == "7 of 7 events"
    _clean(page_log)


def test_search_combines_with_the_time_window_categories_and_density(page, page_log, small_map):
    _open(page, small_map)
    _search(page, "report of")
    state = _move_slider(page, date(2024, 1, 20), "all")
    assert state["ids"] == ["ankara", "cairo", "muscat", "tehran"] and state["status"] == "4 of 7 events"
    page.get_by_label("Security (1)").uncheck()
    assert _state(page)["ids"] == ["ankara", "cairo", "tehran"]
    page.get_by_label("Density", exact=True).check()
    assert _heat_at(page, "cairo") > 0 and _heat_at(page, "kabul") == 0
    _search(page, "kabul")
    assert _heat_at(page, "cairo") == 0 and _heat_at(page, "kabul") > 0
    _clean(page_log)


@pytest.mark.parametrize(("text", "expected"), [
    ('<script>alert("x")</script>', ["baghdad"]),  # the hostile sentence, found as text
    ("<img src=x onerror=alert(1)>", ["baghdad"]),
    ("{{ 7*7 }}", []),
])
def test_hostile_search_text_is_only_compared(page, page_log, small_map, text, expected):
    _open(page, small_map)
    state = _search(page, text)
    assert state["ids"] == expected and state["status"] == f"{len(expected)} of 7 events"
    assert page.get_by_label("Search events").input_value() == text
    assert page.locator(".leaflet-container script, .leaflet-container img, [onerror]").count() == 0
    page.wait_for_timeout(200)
    _clean(page_log)
