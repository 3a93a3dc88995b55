"""Events from short reports written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from geo.articles import parse_article
from geo.events import events_from_articles, sentences
from geo.tolls import toll as _fatalities


def article(name: str, text: str, published: str):
    (art,) = parse_article(text.encode("utf-8"), name, published=date.fromisoformat(published))
    return art


WIRE = ("KABUL, May 3 (Wire) - Pakistani jets struck militant hideouts in Afghanistan's Khost "
        "province on Thursday, killing eight people, Afghan officials said.\n\n"
        "The foreign ministers of both countries will meet in Doha next week, a spokesman said.\n\n"
        "Stay tuned for the latest updates on the cricket series! Click here\n")
PAPER = ("Afghan officials said air strikes by Pakistan on Thursday killed eight people in Khost "
         "province. The United Nations urged both sides to show restraint.\n")


@pytest.fixture(scope="module")
def events(gazetteer):
    return events_from_articles([article("wire.txt", WIRE, "2024-05-03"),
                                 article("paper.txt", PAPER, "2024-05-04")], gazetteer)


def test_one_strike_from_two_reports(events):
    strikes = [e for e in events if e.type == "strike"]
    assert len(strikes) == 1
    (strike,) = strikes
    assert strike.date == date(2024, 5, 2) and strike.date_precision == "day"
    assert (strike.country, strike.place_kind) == ("AF", "admin1")  # Khost province
    assert strike.fatalities == 8  # reported twice, counted once
    assert strike.num_sources == 2
    assert {s.article for s in strike.sources} == {"wire.txt", "paper.txt"}


def test_appeal_and_no_boilerplate(events):
    appeals = [e for e in events if e.type == "appeal"]
    assert [e.actors for e in appeals] == [["United Nations"]]
    assert not any("cricket" in s.sentence for e in events for s in e.sources)


def test_sources_point_at_their_sentence(events):
    texts = {"wire.txt": WIRE, "paper.txt": PAPER}
    for e in events:
        for s in e.sources:
            assert texts[s.article][s.start:s.end] == s.sentence


def test_ids_are_stable(gazetteer, events):
    again = events_from_articles([article("wire.txt", WIRE, "2024-05-03"),
                                  article("paper.txt", PAPER, "2024-05-04")], gazetteer)
    assert [e.id for e in again] == [e.id for e in events]


@pytest.mark.parametrize(("text", "count"), [
    ("The blast killed nine people, including four children.", 9),
    ("Shelling killed 12 civilians overnight.", 12),
    ("Officials said the raid killed twenty-one soldiers.", 21),
    ("Two children were among the wounded.", None),
])
def test_fatalities(text, count):
    assert _fatalities(text) == count


def test_sentences_keep_abbreviations_together():
    text = "The war began on Oct. 7 in the south. The U.S. urged calm."
    assert [s.text for s in sentences(text)] == ["The war began on Oct. 7 in the south.",
                                                 "The U.S. urged calm."]


def extract(gazetteer, text, published="2024-03-08", name="a.txt"):
    return events_from_articles([article(name, text, published)], gazetteer)


def one(events, kind):
    found = [e for e in events if e.type == kind]
    assert len(found) == 1, [(e.type, e.date, e.place) for e in events]
    return found[0]


def test_speaker_is_not_the_attacker_and_its_territory_is_the_place(gazetteer):
    # Friday 8 March 2024: "Wednesday's strikes" were two days before.
    text = ("Armenia said Wednesday's strikes killed five soldiers at a post on its territory. "
            "Azerbaijan said it hit positions of armed groups.")
    strike = one(extract(gazetteer, text), "strike")
    assert strike.date == date(2024, 3, 6)
    assert strike.country == "AM" and strike.actors == ["Azerbaijan"] and "Armenia" in strike.targets
    assert strike.fatalities == 5


def test_demonym_before_the_trigger_acts_and_a_cross_border_attack_is_a_strike(gazetteer):
    strike = one(extract(gazetteer, "Lebanon said the Israeli attack on Tuesday killed three civilians."),
                 "strike")
    assert (strike.actors, strike.country, strike.date) == (["Israel"], "LB", date(2024, 3, 5))


def test_a_where_clause_is_its_own_event_in_its_own_place(gazetteer):
    text = ("This week Turkey launched strikes on Syria against what it said were militant sites, "
            "and Iraq, where it said it had struck a weapons depot.")
    strikes = [e for e in extract(gazetteer, text) if e.type == "strike"]
    assert sorted(e.country for e in strikes) == ["IQ", "SY"]
    assert all(e.actors == ["Turkey"] for e in strikes)


def test_a_day_after_dates_the_background_event(gazetteer):
    text = ("Kenya's foreign ministry said the minister had spoken to his Somali counterpart on "
            "Friday, a day after Kenya carried out strikes in Somalia.")
    events = extract(gazetteer, text)
    call, strike = one(events, "diplomatic_contact"), one(events, "strike")
    assert call.date == date(2024, 3, 8) and call.actors == ["Kenya"] and call.targets == ["Somalia"]
    assert strike.date == date(2024, 3, 7) and strike.country == "SO"


def test_undated_background_plans_and_habits_are_not_events(gazetteer):
    text = ("Leaders will meet next month after the neighbours traded strikes on border posts. "
            "The rebels have carried out attacks on convoys for years.")
    assert [e for e in extract(gazetteer, text) if e.type in ("strike", "attack")] == []


def test_a_year_or_month_long_past_is_background_not_an_event(gazetteer):
    text = ("Rebels shelled Kidal on Monday. Troops clashed with rebels near Gao in 2015, and "
            "protesters marched in Bamako in March 2016.")
    events = extract(gazetteer, text)
    assert [(e.type, e.date) for e in events] == [("strike", date(2024, 3, 4))]
    recent = extract(gazetteer, "Farmers protested in Bamako in February, the union said.")
    assert [(e.type, e.date, e.date_precision) for e in recent] == [("protest", date(2024, 2, 1), "month")]


def test_both_towns_are_the_two_the_story_named_last(gazetteer):
    text = ("Insurgents raided Mueda and Macomia in Cabo Delgado province on Monday, police said. "
            "On Tuesday, government helicopters fired rockets at both towns, residents said.")
    strikes = [e for e in extract(gazetteer, text) if e.type == "strike"]
    assert sorted((e.place, e.date) for e in strikes) == [("Macomia", date(2024, 3, 5)),
                                                          ("Mueda", date(2024, 3, 5))]


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_towns_named_as_the_target_inside_the_area_are_the_places(gazetteer, parser):
    """ACLED's granularity: "raided X and Y in Z province" is one event at X and one at Y."""
    text = "Insurgents raided Mueda, Montepuez and Macomia in Cabo Delgado province on Monday, police said."
    found = events_from_articles([article("a.txt", text, "2024-03-08")], gazetteer, parser=parser)
    assert sorted((e.type, e.place, e.country) for e in found) == [
        ("attack", "Macomia", "MZ"), ("attack", "Montepuez", "MZ"), ("attack", "Mueda", "MZ")]


def test_person_named_with_country_acts_for_it_later(gazetteer):
    text = ("Kenyan President William Ruto met aid agencies on Monday. "
            "Ruto flew to Addis Ababa on Thursday.")
    travel = one(extract(gazetteer, text), "travel")
    assert travel.actors == ["Kenya"] and travel.place == "Addis Ababa"


def test_the_two_nations_are_the_articles_two_countries(gazetteer):
    text = ("India and Pakistan exchanged fire on Monday. India said two soldiers died. "
            "Pakistan denied it. The United Nations urged the two nations to hold talks.")
    appeal = one(extract(gazetteer, text), "appeal")
    assert appeal.actors == ["United Nations"] and set(appeal.targets) == {"India", "Pakistan"}


def test_meeting_is_placed_at_the_dateline_city_of_the_acting_country(gazetteer):
    text = "NAIROBI, March 8 (Wire) - Kenya's cabinet held an emergency meeting on Friday, officials said."
    meeting = one(extract(gazetteer, text), "meeting")
    assert meeting.place == "Nairobi" and meeting.actors == ["Kenya"]


def test_undated_report_joins_the_event_it_fits(gazetteer):
    text = ("Sudan said Tuesday's air strikes on El Fasher killed 12 people. "
            "Sudan said the strikes on El Fasher were carried out by drones.")
    strike = one(extract(gazetteer, text), "strike")
    assert len(strike.sources) == 2 and strike.fatalities == 12


def test_same_events_whatever_the_article_order(gazetteer):
    a = article("wire.txt", WIRE, "2024-05-03")
    b = article("paper.txt", PAPER, "2024-05-04")
    assert events_from_articles([a, b], gazetteer) == events_from_articles([b, a], gazetteer)


def test_headers_and_bylines_are_not_sentences(gazetteer):
    text = "date 2024-03-08 By Jane Roe\n\nGunmen attacked a market in Maiduguri on Thursday.\n"
    (art,) = parse_article(text.encode(), "h.txt")
    attack = one(events_from_articles([art], gazetteer), "attack")
    assert attack.sources[0].sentence.startswith("Gunmen") and attack.place == "Maiduguri"


@pytest.mark.parametrize(("text", "kind", "actors", "place", "fatalities"), [
    ("KYIV, March 8 (Wire) - Russian drones struck an apartment block in the southern Ukrainian "
     "city of Odesa overnight, killing 10 people, officials said.", "strike", ["Russia"], "Odesa", 10),
    ("Houthi fighters fired a missile at a cargo ship in the Gulf of Aden on Thursday.", "strike",
     ["Houthis"], "Gulf of Aden", None),
    ("M23 rebels seized the town of Sake, west of Goma, on Wednesday.", "other", ["M23"], "Sake",
     None),
    ("Hundreds of protesters rallied in Tel Aviv on Thursday.", "protest", [], "Tel Aviv", None),
])
def test_one_sentence_reports(gazetteer, text, kind, actors, place, fatalities):
    ev = one(extract(gazetteer, text), kind)
    assert (ev.actors, ev.place, ev.fatalities) == (actors, place, fatalities)


def test_a_capital_after_in_is_the_place_not_a_party(gazetteer):
    text = "The French and German leaders signed a security agreement in Paris on Friday."
    ev = one(extract(gazetteer, text), "agreement")
    assert (ev.place, ev.targets, ev.date) == ("Paris", [], date(2024, 3, 8))
