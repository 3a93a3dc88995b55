"""Article text that attacks what shows it: template syntax, script breakers, spreadsheet formulas.

Shared by the map, CLI, store and app tests. ``hostile_texts(marker)`` includes a Jinja
payload that would create ``marker`` if the text were ever compiled as a template.
"""

from __future__ import annotations

from pathlib import Path

FIXED = [
    "{{ 7*7 }}",
    "{% for x in y %}{{ x }}{% endfor %}",
    "an unbalanced {% here",
    "{{ '%c'|format(60) }}img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
]


def cycler_payload(marker: Path) -> str:
    """Jinja that runs ``touch marker`` through the template globals, if it is ever evaluated."""
    return ("{{ cycler['__init__']['__globals__']['os']['popen']"
            f"('touch {marker}')['read']() }}}}")


def hostile_texts(marker: Path) -> list[str]:
    return [*FIXED, cycler_payload(marker)]


def hostile_event(text: str, id_: str = "hostile", lat: float = 35.69, lon: float = 51.42):
    """A dated, placed strike with ``text`` (tagged by field) in every text field."""
    from datetime import date

    from geo.model import Event, Source

    return Event(type="strike", date=date(2024, 1, 16), id=id_, lat=lat, lon=lon,
                 geo_precision="point", place=f"place {text}", place_kind=f"kind {text}",
                 place_id="gn:112931", country=f"country {text}", admin1=f"admin1 {text}",
                 actors=[f"actor {text}"], targets=[f"target {text}"], fatalities=3,
                 summary=f"summary {text}",
                 sources=[Source(f"article {text}.txt", f"sentence {text}", 0, 9 + len(text))])


def text_fields(e) -> dict[str, str]:
    """Each text field of a hostile_event as it was given."""
    return {"place": e.place, "kind": e.place_kind, "country": e.country, "actor": e.actors[0],
            "target": e.targets[0], "article": e.sources[0].article,
            "sentence": e.sources[0].sentence}
