"""Sentence → the time it refers to, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from geo.dates import TimeRef, event_date, find_times

FRIDAY = date(2024, 1, 19)  # a Friday publication date
NEW_YEAR = date(2024, 1, 2)  # a Tuesday
OLD_YEAR = date(2023, 12, 31)  # a Sunday


@pytest.mark.parametrize(
    ("sentence", "start", "precision"),
    [
        ("The minister will chair a meeting on Friday in the capital.", "2024-01-19", "day"),
        ("Thursday's strikes killed six fishermen near the port.", "2024-01-18", "day"),
        ("Witnesses described the attack on Tuesday as the worst in months.", "2024-01-16", "day"),
        ("Shelling resumed late Tuesday night along the ridge.", "2024-01-16", "day"),
        ("The envoy will visit on Monday to discuss the truce.", "2024-01-22", "day"),
        ("Rebels took the airfield on Friday, a spokesman said.", "2024-01-19", "day"),
        ("The convoy is expected to cross on Saturday.", "2024-01-20", "day"),
        ("A drone hit the depot last Friday.", "2024-01-12", "day"),
        ("Negotiators meet again next Friday.", "2024-01-26", "day"),
        ("Fresh clashes broke out this week near the border.", "2024-01-15", "week"),
        ("The ministers met last week in a neutral city.", "2024-01-08", "week"),
        ("The talks move to another capital next week.", "2024-01-22", "week"),
        ("A second ship was seized on Oct. 7 off the coast.", "2023-10-07", "day"),
        ("The siege began on 7 October.", "2023-10-07", "day"),
        ("The vote is set for next month.", "2024-02-01", "month"),
        ("Prices doubled last month.", "2023-12-01", "month"),
        ("Floods hit the valley this month.", "2024-01-01", "month"),
        ("Two checkpoints were closed yesterday.", "2024-01-18", "day"),
        ("Talks resume today.", "2024-01-19", "day"),
        ("Sirens sounded across the city last night.", "2024-01-18", "day"),
        ("The delegation arrives tomorrow.", "2024-01-20", "day"),
        ("Crowds gathered this morning outside the ministry.", "2024-01-19", "day"),
        ("Aid deliveries fell sharply in November.", "2023-11-01", "month"),
        ("Elections will be held in March.", "2024-03-01", "month"),
        ("Fighting flared again in mid-May.", "2023-05-01", "month"),
        ("The border closed in 2023.", "2023-01-01", "year"),
        ("Earlier this year the army withdrew.", "2024-01-01", "year"),
        ("The bridge was destroyed three days ago.", "2024-01-16", "day"),
        ("The pact was signed on January 18, 2024.", "2024-01-18", "day"),
        ("The pact was signed on Jan 18 2024.", "2024-01-18", "day"),
        ("The pact was signed on 2024-01-18.", "2024-01-18", "day"),
        ("The pact was signed on 18 January.", "2024-01-18", "day"),
        ("A vote on January 25, 2024 was already planned.", "2024-01-25", "day"),  # written year
        ("The treaty dates from 1994.", "1994-01-01", "year"),  # written years may be far off
        ("Two guards were shot dead at the weekend.", "2024-01-13", "week"),  # its Saturday
        ("Fighting went on over the weekend.", "2024-01-13", "week"),
        ("The summit will open this weekend.", "2024-01-20", "week"),
        ("It answered a raid on its border post two days earlier.", "2024-01-17", "day"),
        ("In June last year, militants besieged a hotel nearby.", "2023-06-01", "month"),
    ],
)
def test_resolves_against_a_friday(sentence, start, precision):
    ref = event_date(sentence, FRIDAY)
    assert ref is not None
    assert (ref.start.isoformat(), ref.precision, ref.end) == (start, precision, None)


@pytest.mark.parametrize(
    ("sentence", "start", "precision"),
    [
        ("Displacement has grown since November.", "2023-11-01", "month"),
        ("Crossings stayed shut since Oct. 7.", "2023-10-07", "day"),
        ("Since Tuesday the road has been blocked.", "2024-01-16", "day"),
        # a range looks back even in a future sentence
        ("The camp will stay open as it has since December.", "2023-12-01", "month"),
    ],
)
def test_since_is_a_range_ending_at_publication(sentence, start, precision):
    (ref,) = find_times(sentence, FRIDAY)
    assert (ref.start.isoformat(), ref.precision, ref.end) == (start, precision, FRIDAY)
    assert ref.text.lower().startswith("since ")
    assert sentence[ref.offset:ref.offset + len(ref.text)] == ref.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The raid left nine people, including four children, dead.",
        "Officials counted 2 children among the wounded.",
        "About 1,000 troops moved north.",
        "The council cited Resolution 2334 in its letter.",
        "The committee may meet again soon.",
        "Protesters march to the square every evening.",
        "May the guns fall silent, the bishop said.",
        "The Mayor of the town spoke to reporters.",
        "More than 2000 families fled the area.",
        "No date was given for the talks.",
    ],
)
def test_ignores_what_is_not_a_date(sentence):
    assert find_times(sentence, FRIDAY) == []
    assert event_date(sentence, FRIDAY) is None


@pytest.mark.parametrize(
    ("sentence", "published", "start"),
    [
        ("Rockets were fired on Dec. 31 at the coast.", NEW_YEAR, "2023-12-31"),
        ("Rockets were fired on 31 December at the coast.", NEW_YEAR, "2023-12-31"),
        ("The ceasefire collapsed on Sunday.", NEW_YEAR, "2023-12-31"),
        ("Prices rose in December.", NEW_YEAR, "2023-12-01"),
        ("Prices rose last month.", NEW_YEAR, "2023-12-01"),
        ("Two soldiers died last week.", NEW_YEAR, "2023-12-25"),
        ("The talks will resume on Jan. 2.", OLD_YEAR, "2024-01-02"),
        ("The talks will resume on Tuesday.", OLD_YEAR, "2024-01-02"),
        ("The talks will resume in January.", OLD_YEAR, "2024-01-01"),
        ("The mission starts next month.", OLD_YEAR, "2024-01-01"),
        ("A truce began on Jan. 2.", OLD_YEAR, "2023-01-02"),  # past tense looks back
    ],
)
def test_year_boundary_both_ways(sentence, published, start):
    ref = event_date(sentence, published)
    assert ref is not None and ref.start.isoformat() == start


def test_two_weekdays_give_two_refs_and_the_first_dates_the_event():
    sentence = "Delegates will meet on Monday and Tuesday."
    refs = find_times(sentence, FRIDAY)
    assert [(r.text, r.start) for r in refs] == [("Monday", date(2024, 1, 22)),
                                                ("Tuesday", date(2024, 1, 23))]
    assert event_date(sentence, FRIDAY) == refs[0]


def test_text_and_offset_point_into_the_sentence():
    sentence = "Shelling resumed late Tuesday night along the ridge."
    (ref,) = find_times(sentence, FRIDAY)
    assert ref == TimeRef(date(2024, 1, 16), "day", None, "late Tuesday night", 17)


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("Officials said on Friday that Thursday's raid killed three.", "Thursday's"),
        ("Since November the port has been shut, and on Monday it was shelled.", "Monday"),
        ("The army said on Friday the crossing had reopened.", "Friday"),  # only a report date
    ],
)
def test_event_date_prefers_event_times_to_reports_and_ranges(sentence, text):
    ref = event_date(sentence, FRIDAY)
    assert ref is not None and ref.text == text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In May the rains came early.", date(2023, 5, 1)),
        ("Fighting eased by May.", date(2023, 5, 1)),
        ("The deal lapsed May 5.", date(2023, 5, 5)),
        ("The deal will lapse on May 5.", date(2024, 5, 5)),
    ],
)
def test_may_is_a_month_only_with_a_day_or_a_preposition(sentence, expected):
    (ref,) = find_times(sentence, FRIDAY)
    assert ref.start == expected


@pytest.mark.parametrize("sentence", ["The dispute began 30 years ago.", "It ended five years ago."])
def test_relative_times_stay_within_two_years(sentence):
    assert find_times(sentence, FRIDAY) == []
