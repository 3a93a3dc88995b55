"""The app as a person sees it: a real server, headless Chromium, the map inside the page.

Starts `streamlit run app.py` on a free port with its own store filled from tests/data/app
(7 events, 6 of them with a place, 2024-01-21 to 2024-05-04). The browser and page come
from tests/conftest.py: Debian's Chromium, and a page that may reach only this machine.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.store import read_events

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = Path(__file__).parent / "data" / "app"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SECRET = "correct horse battery staple"


@contextlib.contextmanager
def running_app(tmp_path, **env):
    """`streamlit run app.py` on a free port with a store of its own; its address. A laptop's
    server (no editor secret) unless `env` gives one."""
    port = free_port()
    base = dict(os.environ, CONFLICTMAP_STORE=str(tmp_path / "store.gpkg"), CONFLICTMAP_SAMPLES=str(ARTICLES))
    base.pop("CONFLICTMAP_EDITOR_SECRET", None)
    env = {**base, **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"streamlit did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def server(tmp_path):
    with running_app(tmp_path) as url:
        yield url


@pytest.fixture
def hosted(tmp_path):
    """The app as a hosted server runs it: with an editor secret in its environment."""
    with running_app(tmp_path, CONFLICTMAP_EDITOR_SECRET=SECRET) as url:
        yield url


def metric(page, label: str) -> int:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return int(box.get_by_test_id("stMetricValue").inner_text())


def settled(page) -> None:
    """Wait until the map has told the app its view and the app has rerun with it (the view is
    in the page's address): a key pressed before that may land on a control being redrawn."""
    wait_for(lambda: "lat=" in url(page))
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)


def slide_to(page, slider, day: str, presses: int = 120) -> None:
    """Arrow keys on the sidebar's date slider until it shows `day` and the app has it (the
    page's address says so), as a reader presses them watching it: a press the page drops
    while it redraws is pressed again."""
    for _ in range(3):
        for _ in range(presses):
            shown = slider.get_attribute("aria-valuetext")
            if shown == day:
                break
            slider.press("ArrowRight" if shown < day else "ArrowLeft")
        try:
            wait_for(lambda: f"from={day}" in url(page), timeout=8)
            return
        except AssertionError:
            continue
    raise AssertionError(f"the app never got {day} from the slider")


def wait_for(condition, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the page did not get there in time")
        time.sleep(0.2)


HOSTILE = (b"Date: 2024-03-15\n\n<script>alert('upload')</script> Gunmen attacked a convoy in "
           b"Quetta on Friday, killing four people <img src=x onerror=alert('img')>.\n")


def test_map_markers_date_slider_upload_and_download(server, page, page_log, tmp_path):
    page.goto(server)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=30_000)
    assert metric(page, "Events") == 7
    the_map = page.frame_locator("iframe").first.locator("[data-drawn-events]")
    the_map.wait_for(timeout=30_000)
    assert the_map.get_attribute("data-visible-events") == "6"
    assert int(the_map.get_attribute("data-drawn-events")) == 6  # every event with a place is drawn

    # The app's date range slider: move its start 35 days on (2024-01-21 -> 2024-02-25).
    settled(page)
    start = page.get_by_test_id("stSidebar").get_by_role("slider").first
    start.focus()
    slide_to(page, start, "2024-02-25")
    wait_for(lambda: metric(page, "Events") == 3)  # Tripoli, Khost and the UN appeal remain
    the_map = page.frame_locator("iframe").first.locator("[data-drawn-events]")
    wait_for(lambda: the_map.get_attribute("data-visible-events") == "2")
    page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
    print(f"screenshot: {tmp_path / 'app.png'}")
    assert (tmp_path / "app.png").stat().st_size > 10_000

    assert sorted(e.place or "" for e in downloaded_events(page, tmp_path)) == ["", "Khowst", "Tripoli"]

    # An upload through the browser's own file input; its markup stays text.
    page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(
        files=[{"name": "quetta.txt", "mimeType": "text/plain", "buffer": HOSTILE}])
    page.get_by_text("quetta.txt: 1 article, 1 event").wait_for(timeout=20_000)
    wait_for(lambda: metric(page, "Events") == 4)
    assert not page_log.dialogs  # no script from an article ever ran
    assert not page_log.blocked  # the page and its map needed no network


def downloaded_events(page, folder):
    """The view's events as the Downloads tab's GeoJSON button gives them."""
    settle(page)
    page.get_by_role("tab", name="Downloads").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="GeoJSON").click()
    path = folder / "view.geojson"
    download.value.save_as(path)
    return read_events(str(path))


def settle(page) -> None:
    """Wait until the app has finished its runs (the map's reports of its view start some)."""
    page.wait_for_timeout(500)
    wait_for(lambda: page.get_by_test_id("stStatusWidgetRunningIcon").count() == 0
             and page.get_by_test_id("stStatusWidgetRunningManIcon").count() == 0)


def url(page) -> str:
    """The page's address now (``page.url`` lags behind history changes in the sync API)."""
    return page.evaluate("() => location.href")


def map_frame(page):
    """The live map's frame, once its script has drawn the events."""
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=30_000)
    wait_for(lambda: metric(page, "Events") >= 1)
    page.frame_locator("iframe").first.locator("[data-drawn-events]").wait_for(timeout=30_000)
    return page.locator("iframe").first.element_handle().content_frame()


def map_view(frame) -> dict:
    return frame.evaluate("""() => { const m = conflictmap.maps[0];
        return {zoom: m.map.getZoom(), window: document.querySelector('.cm-window').value,
                day: document.querySelector('.cm-date').textContent, visible: m.visibleCount()}; }""")


def test_a_filter_change_keeps_the_view_and_a_link_reopens_it(server, page, page_log, browser):
    page.goto(server)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=30_000)
    wait_for(lambda: metric(page, "Events") == 7)  # the store has its samples
    frame = map_frame(page)
    frame.evaluate("""() => { const m = conflictmap.maps[0];
        m.map.setView([33.4, 69.9], 6, {animate: false}); m.setWindow('week'); m.setDate('2024-05-03'); }""")
    wait_for(lambda: {"z=6", "win=week", "day=2024-05-03"} <= set(url(page).split("?")[-1].split("&")))
    before = map_view(frame)
    assert before["visible"] == 1  # Khost's strike, the only event of that week with a place

    minimum = page.get_by_role("spinbutton", name="Minimum sources")
    minimum.fill("2")
    minimum.press("Enter")
    wait_for(lambda: metric(page, "Events") == 1)
    wait_for(lambda: "min=2" in url(page))
    assert map_view(map_frame(page)) == before  # the reader's zoom, window and day stay

    again = browser.new_page()  # a colleague opens the link
    again.goto(url(page))
    wait_for(lambda: metric(again, "Events") == 1)
    assert map_view(map_frame(again)) == before
    assert not page_log.blocked


def test_a_marker_click_chooses_its_event_and_it_stays_in_sight(server, page, page_log):
    page.set_viewport_size({"width": 1280, "height": 1100})  # the whole map in sight: no scroll
    page.goto(server)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=30_000)
    wait_for(lambda: metric(page, "Events") == 7)
    frame = map_frame(page)
    khost = frame.evaluate("""() => { const d = conflictmap.maps[0].data;
        return d.events.id[d.events.place.findIndex(k => d.strings[k] === 'Khowst')]; }""")
    frame.evaluate("() => { conflictmap.maps[0].map.setView([33.4, 69.9], 7, {animate: false}); }")
    wait_for(lambda: "z=7" in url(page))  # the app has the new view: nothing moves any more
    at = frame.evaluate("""(id) => { const m = conflictmap.maps[0], p = m.markerPoint(id);
        const r = m.map.getContainer().getBoundingClientRect();
        return {x: p.x - r.left, y: p.y - r.top}; }""", khost)
    page.frame_locator("iframe").first.locator(".leaflet-container").click(position=at)
    wait_for(lambda: f"sel={khost}" in url(page))
    page.get_by_text("shown and circled on the map above").wait_for(timeout=15_000)
    assert page.get_by_text("Pakistani jets struck militant hideouts", exact=False).first.is_visible()

    frame = map_frame(page)
    covered = frame.evaluate("""(id) => { const p = conflictmap.maps[0].markerPoint(id);
        const el = document.elementFromPoint(p.x, p.y);
        return {control: !!el.closest('.leaflet-control'),
                circled: !!document.querySelector('.cm-highlight')}; }""", khost)
    assert covered == {"control": False, "circled": True}  # in sight, circled, under no control
    assert not page_log.dialogs


def test_on_a_phone_no_map_control_covers_another(server, page, page_log):
    from test_map_browser import CONTROLS, TIME_BAR, _boxes, _overlapping

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server)
    map_frame(page)
    inside = page.frame_locator("iframe").first
    f = page.locator("iframe").first.bounding_box()
    assert inside.get_by_role("button", name="Legend").get_attribute("aria-expanded") == "false"
    for group in (CONTROLS, TIME_BAR):
        boxes = _boxes(inside, group)
        assert _overlapping(boxes) == []
        for name, b in boxes.items():  # every control within the map
            assert f["x"] <= b["x"] and b["x"] + b["width"] <= f["x"] + f["width"], name
            assert f["y"] <= b["y"] and b["y"] + b["height"] <= f["y"] + f["height"], name
    assert not page_log.blocked


def test_events_a_watch_adds_appear_without_a_click(tmp_path, page, page_log):
    with running_app(tmp_path, CONFLICTMAP_REFRESH="1") as url:
        page.goto(url)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=30_000)
        wait_for(lambda: metric(page, "Events") == 7)
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        (inbox / "quetta.txt").write_bytes(HOSTILE)
        store = str(tmp_path / "store.gpkg")
        watch = [sys.executable, "-m", "geo", "watch", str(inbox), "--store", store, "--once", "--quiet"]
        subprocess.run(watch, cwd=ROOT, check=True)  # another process, as cron runs it
        wait_for(lambda: metric(page, "Events") == 8, timeout=30)  # no reload, no click
        assert not page_log.dialogs


def test_a_viewer_of_the_hosted_app_gets_the_map_and_downloads_and_no_editing(hosted, page, page_log,
                                                                              tmp_path):
    page.goto(hosted)
    frame = map_frame(page)
    assert metric(page, "Events") == 7
    assert frame.evaluate("() => conflictmap.maps[0].visibleCount()") == 6  # the map draws the events
    assert len(downloaded_events(page, tmp_path)) == 7

    for tab in ("Review places", "Articles", "History"):  # hidden tabs are on the page too; look anyway
        page.get_by_role("tab", name=tab).click()
        settle(page)
        assert page.locator("input[type=file]").count() == 0
        for label in ("Remove", "Apply", "Add article", "Check now", "Restore", "Find all events again"):
            assert page.locator("button", has_text=label).count() == 0, label
    page.get_by_text("add samples", exact=True).first.wait_for(state="attached", timeout=15_000)  # history
    assert page.get_by_text("Viewing: the map, filters, table, history and downloads", exact=False).count()

    # An editor unlocks editing in this browser: the controls appear; the password never shows.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name="Your name").fill("Ana")
    sidebar.get_by_role("textbox", name="Editor password").fill(SECRET)
    sidebar.get_by_role("button", name="Unlock editing").click()
    page.get_by_text("Editing as Ana").wait_for(timeout=20_000)
    sidebar.locator("input[type=file]").wait_for(state="attached", timeout=20_000)
    settle(page)
    assert sidebar.locator("input[type=file]").count() == 1
    assert page.locator("button", has_text="Remove").count() == 1
    assert SECRET not in page.content()
    assert not page_log.dialogs and not page_log.blocked
