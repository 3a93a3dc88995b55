"""The app's live map: a Streamlit component page, built once per installed version.

The exported map (``geo.maps``) is one self-contained page; in the app that would send the
whole page, land outlines included, on every filter change and reset the reader's zoom and
time window. Here the page is a folder Streamlit serves (``component.js`` speaks Streamlit's
component messages): Leaflet and our script load once per browser session, the land
outlines are fetched once as ``land.json``, the store's events once per version of the store
(``publish``: a file named by its hash), and each rerun sends only which events the filters
keep.

The folder is made from installed files (Leaflet from its package, our static files, the
gazetteer's outlines) into the user's cache (``geo.cache``), named by a hash of what goes in,
so nothing third-party is committed and an upgrade gets a fresh folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path

from geo.cache import cache_root
from geo.gazetteer import Gazetteer
from geo.mapassets import leaflet_assets, own_assets
from geo.maps import __file__ as maps_file
from geo.maps import data_json, land

COMPONENT = "conflictmap_live"
_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="leaflet.css?v={v}"><link rel="stylesheet" href="conflictmap.css?v={v}">
<style>html, body {{ margin: 0; height: 100%; }} #map, .cm-map {{ height: 100%; }}</style>
<script src="leaflet.js?v={v}"></script><script src="conflictmap.js?v={v}"></script>
</head><body><div id="map"></div><script src="component.js?v={v}"></script></body></html>
"""


def component_dir(gaz: Gazetteer) -> Path:
    """The component's folder, built if this version's is not there yet."""
    leaflet_js, leaflet_css = leaflet_assets()
    own_js, own_css = own_assets()
    bridge = (resources.files("geo") / "static" / "component.js").read_text(encoding="utf-8")
    files = {"leaflet.js": leaflet_js, "leaflet.css": leaflet_css, "conflictmap.js": own_js,
             "conflictmap.css": own_css, "component.js": bridge}
    # the land is named by where it comes from (the outlines file and the code encoding it),
    # so a start whose folder exists never encodes it again
    outlines = (gaz.folder / "areas.geojson.gz").stat()
    land_from = [str(gaz.folder), outlines.st_size, outlines.st_mtime_ns,
                 hashlib.sha256(Path(maps_file).read_bytes()).hexdigest()]
    digest = hashlib.sha256(json.dumps([files, land_from], sort_keys=True).encode("utf-8")).hexdigest()[:16]
    for root in (cache_root(), Path(tempfile.gettempdir()) / "conflict-map"):
        folder = root / f"live-map-{digest}"
        if (folder / "index.html").is_file():
            return folder
        try:
            return _write(folder, {**files, "land.json": data_json(land(gaz)),
                                   "index.html": _INDEX.format(v=digest)})
        except OSError:
            continue  # a read-only home: the temp folder
    raise OSError(f"cannot write the map's files under {cache_root()} or the temp folder; "
                  "set CONFLICTMAP_CACHE to a writable folder")


VIEWS = "views"  # the events blobs of views, by their hash
KEEP_VIEWS = 256  # newest blobs kept in a component folder


def view_name(blob: str) -> str:
    """A blob's path in the component folder: named by its hash, so a browser fetches a store's
    events once and a rerun that shows the same events sends only the name."""
    return f"{VIEWS}/{hashlib.sha256(blob.encode('utf-8')).hexdigest()[:24]}.json"


def publish(folder: str | os.PathLike[str], blob: str, name: str) -> str:
    """Put the store's events blob (``geo.maps.data_json``) in the component folder under
    ``name`` (``view_name``) unless it is there; ``name``, to fetch."""
    path = Path(folder) / name
    if not path.is_file():
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(blob)
        os.replace(tmp, path)
        old = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP_VIEWS]
        for stale in old:
            stale.unlink(missing_ok=True)
    return name


def _write(folder: Path, files: dict[str, str]) -> Path:
    """All the files, then one rename: another process never sees half a folder."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8", newline="\n")
    try:
        staging.rename(folder)
    except OSError:
        if not (folder / "index.html").is_file():
            raise
        for f in staging.iterdir():  # another process made it first
            f.unlink()
        staging.rmdir()
    return folder
