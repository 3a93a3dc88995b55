"""The product's pictures in docs/: the app and an exported map, at a laptop's and a phone's width.

    python scripts/screenshots.py [--out docs]

Starts `streamlit run app.py` on a fresh store of the bundled samples (data/samples) and writes
an offline map of the same samples, then photographs both in headless Chromium (Debian's
/usr/bin/chromium through Playwright) at 1440x900 and 390x844, with every request but this
machine's blocked. Look at the pictures before committing them: they are how the README
shows the product.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from browser import CHROMIUM, open_when_up, serve_app  # noqa: E402

SIZES = {"wide": (1440, 900), "phone": (390, 844)}


def local_only(route) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:", "blob:", "http://127.0.0.1")):
        route.continue_()
    else:
        route.abort()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from geo.articles import read_articles
    from geo.events import events_from_articles
    from geo.gazetteer import load_gazetteer
    from geo.maps import write_map

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs"))
    out = Path(ap.parse_args().out)
    out.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="conflictmap-shots-"))
    folder = ROOT / "data" / "samples"
    samples = sorted(p for p in folder.iterdir() if not p.name.startswith(("README", ".")))
    events = events_from_articles(list(read_articles(samples)), load_gazetteer())
    page_file = tmp / "map.html"
    write_map(events, page_file, offline=True, title="conflict-map: the bundled samples")

    with serve_app(tmp / "store.gpkg") as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", local_only)
            page.goto(page_file.as_uri())
            page.wait_for_selector(".cm-timebar")
            page.wait_for_timeout(500)
            page.screenshot(path=str(out / f"map-{name}.png"))
            open_when_up(page, port)
            page.wait_for_timeout(2500)  # the samples finish loading; the map reports its view
            page.screenshot(path=str(out / f"app-{name}.png"))
            page.close()
            print(f"wrote {out / f'map-{name}.png'} and {out / f'app-{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
