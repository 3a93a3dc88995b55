"""The files a map page inlines: Leaflet (from an installed package) and our own JS/CSS.

Nothing third-party is copied into this repository. Leaflet's dist files come from the
``django-js-lib-leaflet`` package on PyPI, a plain repackaging of Leaflet 1.9.4 (BSD-2-Clause)
with no dependencies (it does not need Django); ``pip install -e .`` installs it. Our own
slider, legend and marker drawing live in ``geo/static/``.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources

from geo.errors import GeoError

LEAFLET_PACKAGE = "js_lib_leaflet"
LEAFLET_DIST = "django-js-lib-leaflet"
_CSS_IMAGE = re.compile(r"url\((['\"]?)images/([\w.-]+\.png)\1\)")
_CLOSE_SCRIPT = re.compile(r"</(script)", re.I)
_CLOSE_STYLE = re.compile(r"</(style)", re.I)


def _leaflet_dir():
    try:
        return resources.files(LEAFLET_PACKAGE) / "static" / LEAFLET_PACKAGE
    except ModuleNotFoundError:
        raise GeoError(f"Leaflet's files are missing, so an offline map cannot be written; "
                       f"install them with `pip install {LEAFLET_DIST}` (or `pip install -e .`)") from None


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS as text, ready to inline; the CSS's images become data: URIs.

    Leaflet's default attribution prefix is the one link to the web in its code; in
    this copy it points nowhere, so an offline page holds no web address in any href.
    """
    folder = _leaflet_dir()
    try:
        js = (folder / "leaflet.js").read_text(encoding="utf-8")
        css = (folder / "leaflet.css").read_text(encoding="utf-8")
    except OSError:
        raise GeoError(f"Leaflet's files are incomplete in {folder}; reinstall them with "
                       f"`pip install --force-reinstall {LEAFLET_DIST}`") from None
    js = js.replace('href="https://leafletjs.com"', 'href="#"')

    def data_uri(m: re.Match[str]) -> str:
        image = folder / "images" / m.group(2)
        if not image.is_file():
            return "url(data:,)"
        return "url(data:image/png;base64," + base64.b64encode(image.read_bytes()).decode("ascii") + ")"

    return js, _CSS_IMAGE.sub(data_uri, css)


@cache
def own_assets() -> tuple[str, str]:
    """The project's own map JS and CSS (geo/static/), as text."""
    static = resources.files("geo") / "static"
    return ((static / "conflictmap.js").read_text(encoding="utf-8"),
            (static / "conflictmap.css").read_text(encoding="utf-8"))


def script_tag(js: str) -> str:
    """An inline <script> whose text cannot end the element early."""
    return "<script>" + _CLOSE_SCRIPT.sub(r"<\\/\1", js) + "</script>"


def style_tag(css: str) -> str:
    return "<style>" + _CLOSE_STYLE.sub(r"<\\/\1", css) + "</style>"
