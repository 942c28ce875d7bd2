"""The FSRS wrapper: fixed UTC clocks, fuzz off unless a seeded rng is given."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.moments import utc_text
from quiz.scheduler import CardState, Rating, ReviewScheduler, State, format_interval

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_new_card_answered_good_is_due_later_than_again() -> None:
    outcomes = ReviewScheduler().next_states(None, NOW)
    assert list(outcomes) == [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]
    dues = [outcomes[rating].state.due for rating in Rating]
    assert dues == sorted(dues) and dues[0] < dues[2]
    assert {rating: outcomes[rating].label for rating in Rating} == {
        Rating.Again: "1m",
        Rating.Hard: "6m",
        Rating.Good: "10m",
        Rating.Easy: "8d",
    }
    assert outcomes[Rating.Again].state.state is State.Learning
    assert outcomes[Rating.Easy].state.state is State.Review


def test_intervals_grow_with_repeated_good() -> None:
    scheduler = ReviewScheduler()
    state, now, intervals = None, NOW, []
    for _ in range(6):
        outcome = scheduler.next_states(state, now)[Rating.Good]
        intervals.append(outcome.interval)
        state, now = outcome.state, outcome.state.due
    assert intervals == sorted(intervals) and len(set(intervals)) == len(intervals)
    assert [format_interval(i) for i in intervals] == ["10m", "2d", "11d", "1.5mo", "5.4mo", "1.4y"]
    assert state is not None and state.state is State.Review and state.step is None


def test_forgetting_a_review_card_sends_it_back_to_relearning() -> None:
    scheduler = ReviewScheduler()
    state = scheduler.review(None, Rating.Easy, NOW)
    lapsed = scheduler.review(state, Rating.Again, state.due)
    assert lapsed.state is State.Relearning
    assert lapsed.due - state.due == dt.timedelta(minutes=10)
    assert lapsed.stability < state.stability


def test_review_matches_the_previewed_outcome() -> None:
    scheduler = ReviewScheduler()
    state = scheduler.review(None, Rating.Good, NOW)
    preview = scheduler.next_states(state, NOW + dt.timedelta(minutes=10))
    for rating in Rating:
        assert scheduler.review(state, rating, NOW + dt.timedelta(minutes=10)) == preview[rating].state


def test_higher_desired_retention_gives_shorter_intervals() -> None:
    state = ReviewScheduler().review(None, Rating.Easy, NOW)
    relaxed = ReviewScheduler(desired_retention=0.8).next_states(state, state.due)[Rating.Good]
    strict = ReviewScheduler(desired_retention=0.95).next_states(state, state.due)[Rating.Good]
    assert strict.interval < relaxed.interval


def test_fuzz_comes_from_the_rng_given() -> None:
    state = ReviewScheduler().review(None, Rating.Easy, NOW)
    unfuzzed = ReviewScheduler().next_states(state, state.due)[Rating.Good].interval
    fuzzed = [
        ReviewScheduler(rng=random.Random(seed)).next_states(state, state.due)[Rating.Good].interval
        for seed in range(20)
    ]
    again = [
        ReviewScheduler(rng=random.Random(seed)).next_states(state, state.due)[Rating.Good].interval
        for seed in range(20)
    ]
    assert fuzzed == again
    assert len(set(fuzzed)) > 1
    assert all(abs(f - unfuzzed) <= dt.timedelta(days=4) and f.seconds == 0 for f in fuzzed)
    # learning steps are never fuzzed
    assert ReviewScheduler(rng=random.Random(1)).next_states(None, NOW)[Rating.Good].label == "10m"


def test_now_in_another_zone_is_the_same_moment() -> None:
    paris = NOW.astimezone(ZoneInfo("Europe/Paris"))
    assert ReviewScheduler().review(None, Rating.Good, paris) == ReviewScheduler().review(None, Rating.Good, NOW)


def test_ratings_and_states_are_numbered_as_fsrs_numbers_them() -> None:
    """The quiz names them without loading fsrs: the same names, the same numbers, in the same order."""
    import fsrs

    assert [(r.name, r.value) for r in Rating] == [(r.name, r.value) for r in fsrs.Rating]
    assert [(s.name, s.value) for s in State] == [(s.name, s.value) for s in fsrs.State]


def test_fsrs_loads_when_a_card_is_first_scheduled() -> None:
    code = (
        "import datetime as dt, sys; from quiz.scheduler import ReviewScheduler, Rating\n"
        "scheduler = ReviewScheduler(); print('fsrs' in sys.modules)\n"
        "scheduler.review(None, Rating.Good, dt.datetime(2026, 3, 2, tzinfo=dt.UTC)); print('fsrs' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == (
        "False\nTrue\n"
    )


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        ReviewScheduler().review(None, Rating.Good, NOW.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (dt.timedelta(seconds=0), "<1m"),
        (dt.timedelta(seconds=59), "<1m"),
        (dt.timedelta(minutes=1), "1m"),
        (dt.timedelta(minutes=10), "10m"),
        (dt.timedelta(minutes=59, seconds=40), "1h"),
        (dt.timedelta(hours=1, minutes=30), "1.5h"),
        (dt.timedelta(hours=23), "23h"),
        (dt.timedelta(days=1), "1d"),
        (dt.timedelta(days=3), "3d"),
        (dt.timedelta(days=29), "29d"),
        (dt.timedelta(days=30), "1mo"),
        (dt.timedelta(days=64), "2.1mo"),
        (dt.timedelta(days=300), "9.9mo"),
        (dt.timedelta(days=365), "1y"),
        (dt.timedelta(days=550), "1.5y"),
    ],
)
def test_format_interval(interval: dt.timedelta, label: str) -> None:
    assert format_interval(interval) == label


MOMENTS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC))
CARD_STATES = st.sampled_from(State).flatmap(
    lambda state: st.builds(
        CardState,
        state=st.just(state),
        step=st.none() if state is State.Review else st.integers(0, 5),
        stability=st.floats(0.001, 36500),
        difficulty=st.floats(1, 10),
        due=MOMENTS,
        last_review=MOMENTS,
    )
)


@given(CARD_STATES)
def test_card_state_round_trips_through_its_dict_and_fsrs(state: CardState) -> None:
    assert CardState.from_dict(state.to_dict()) == state
    assert CardState.from_card(state.to_card()) == state


def test_a_step_goes_with_learning_and_relearning_only() -> None:
    with pytest.raises(ValueError, match="a card in review has a step"):
        CardState(State.Review, 0, 1.0, 5.0, NOW, NOW)
    with pytest.raises(ValueError, match="a card in learning has no step"):
        CardState(State.Learning, None, 1.0, 5.0, NOW, NOW)


def test_utc_text_is_fixed_width_so_text_order_is_time_order() -> None:
    assert utc_text(NOW) == "2026-03-02T09:00:00.000000+00:00"
    assert utc_text(NOW.astimezone(ZoneInfo("Asia/Tokyo"))) == utc_text(NOW)
