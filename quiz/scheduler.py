"""FSRS scheduling for the quiz: what each answer button would do, and doing it.

A thin layer over py-fsrs (FSRS-6, default parameters). It keeps a frozen
`CardState` instead of fsrs's mutable `Card`, takes `now` from the caller, and
draws interval fuzz from a caller's `random.Random` (fsrs draws it from the
global `random`), so a session replays exactly in tests. A card never answered
has no state: `None` stands for a new card everywhere.

py-fsrs takes 6 ms to load, as long as the rest of a quiz's start, and nothing
before the first answer needs it: the ratings and states are numbered here as
fsrs numbers them, and fsrs loads when a card is first scheduled.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import IntEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from quiz.moments import as_utc, utc_text

if TYPE_CHECKING:
    import fsrs

__all__ = ["CardState", "Outcome", "Rating", "ReviewScheduler", "State", "format_interval"]

# py-fsrs 6's fuzz: a review interval of d days may move by up to
# 1 + sum(factor * days of d inside [start, end)) days either way.
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))
_MAXIMUM_INTERVAL_DAYS = 36500


class Rating(IntEnum):
    """The answer keys, as fsrs numbers them."""

    Again = 1
    Hard = 2
    Good = 3
    Easy = 4


class State(IntEnum):
    """Where a card stands in learning, as fsrs numbers it (a new card has no state)."""

    Learning = 1
    Review = 2
    Relearning = 3


_STATE_NAMES = {state: state.name.lower() for state in State}
STATE_NAMED = {name: state for state, name in _STATE_NAMES.items()}  # as stored: 'learning', 'review', 'relearning'


@dataclass(frozen=True)
class CardState:
    """Where a card stands after its latest review, in FSRS's terms.

    `state` is learning, review or relearning; `step` the learning or relearning
    step (None in review); `stability` the days until recall falls to 90%;
    `difficulty` 1 (easy) to 10 (hard).
    """

    state: State
    step: int | None
    stability: float
    difficulty: float
    due: dt.datetime
    last_review: dt.datetime

    def __post_init__(self) -> None:
        if (self.step is None) != (self.state is State.Review):
            raise ValueError(f"a card in {_STATE_NAMES[self.state]} has {'no' if self.step is None else 'a'} step")

    def to_dict(self) -> dict[str, Any]:
        """The SQLite/JSON shape: state by name, times as `utc_text`."""
        return {
            "state": _STATE_NAMES[self.state],
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": utc_text(self.due),
            "last_review": utc_text(self.last_review),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CardState:
        return cls(
            state=STATE_NAMED[data["state"]],
            step=data["step"],
            stability=float(data["stability"]),
            difficulty=float(data["difficulty"]),
            due=as_utc(dt.datetime.fromisoformat(data["due"])),
            last_review=as_utc(dt.datetime.fromisoformat(data["last_review"])),
        )

    def to_card(self) -> fsrs.Card:
        import fsrs

        # An explicit card_id: fsrs's default reads the clock and sleeps a millisecond.
        state = fsrs.State(self.state)
        return fsrs.Card(0, state, self.step, self.stability, self.difficulty, self.due, self.last_review)

    @classmethod
    def from_card(cls, card: fsrs.Card) -> CardState:
        if card.stability is None or card.difficulty is None or card.last_review is None:
            raise ValueError("an fsrs card that was never reviewed has no CardState")
        return cls(State(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review)


# A named tuple, not a dataclass, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Outcome(NamedTuple):
    """What one rating would do to a card: its new state and the wait until it is due."""

    state: CardState
    interval: dt.timedelta

    @property
    def label(self) -> str:
        return format_interval(self.interval)


class ReviewScheduler:
    """FSRS-6 with default parameters, a desired retention, and optional fuzz.

    `rng` spreads review intervals of 3 days and more by a few days, as Anki
    does, so cards learnt together do not stay due together; without it (tests)
    there is no fuzz.
    """

    def __init__(self, desired_retention: float = 0.9, rng: random.Random | None = None) -> None:
        self.desired_retention = desired_retention
        self.rng = rng

    @cached_property
    def _fsrs(self) -> fsrs.Scheduler:
        """Made when a card is first scheduled: after the first question is on the screen."""
        import fsrs

        retention, longest = self.desired_retention, _MAXIMUM_INTERVAL_DAYS
        return fsrs.Scheduler(desired_retention=retention, maximum_interval=longest, enable_fuzzing=False)

    def next_states(self, card_state: CardState | None, now: dt.datetime) -> dict[Rating, Outcome]:
        """The outcome of each rating, Again to Easy, for showing on the answer keys.

        Apply the outcome of the key pressed rather than calling `review` again:
        with fuzz on, a second draw could differ from the interval shown.
        """
        return {rating: self._outcome(card_state, rating, now) for rating in Rating}

    def review(self, card_state: CardState | None, rating: Rating, now: dt.datetime) -> CardState:
        """The card's state after answering it with `rating` at `now` (with a fresh fuzz draw)."""
        return self._outcome(card_state, rating, now).state

    @staticmethod
    def settle(outcome: Outcome, now: dt.datetime) -> CardState:
        """The state to save when the key showing `outcome` is pressed at `now`: due after exactly its interval.

        FSRS counts elapsed whole days, so the seconds between showing the keys and
        pressing one leave stability and difficulty as previewed; only the clock moves.
        """
        now = as_utc(now)
        return replace(outcome.state, last_review=now, due=now + outcome.interval)

    def _outcome(self, card_state: CardState | None, rating: Rating, now: dt.datetime) -> Outcome:
        import fsrs

        now = as_utc(now)
        card = card_state.to_card() if card_state else fsrs.Card(0, due=now)
        reviewed, _ = self._fsrs.review_card(card, fsrs.Rating(rating), now)
        state = CardState.from_card(reviewed)
        if self.rng is not None and state.state is State.Review:
            days = _fuzzed_days((state.due - now).days, self.rng)
            state = replace(state, due=now + dt.timedelta(days=days))
        return Outcome(state, state.due - now)


def _fuzzed_days(days: int, rng: random.Random) -> int:
    """A review interval moved at random within py-fsrs's fuzz range (none under 3 days)."""
    if days < 3:
        return days
    spread = 1.0 + sum(factor * max(min(days, end) - start, 0.0) for start, end, factor in _FUZZ_RANGES)
    high = min(round(days + spread), _MAXIMUM_INTERVAL_DAYS)
    low = min(max(2, round(days - spread)), high)
    return rng.randint(low, high)


def format_interval(interval: dt.timedelta) -> str:
    """An interval as Anki shows it on the answer buttons: "<1m", "10m", "1.5h", "3d", "2.1mo", "1.2y"."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if round(seconds / 60) < 60:
        return f"{round(seconds / 60)}m"
    if round(seconds / 3600, 1) < 24:
        return f"{_one_decimal(seconds / 3600)}h"
    days = seconds / 86400
    if round(days) < 30:
        return f"{round(days)}d"
    if round(days / 30.417, 1) < 12:  # Anki's month: a twelfth of a year
        return f"{_one_decimal(days / 30.417)}mo"
    return f"{_one_decimal(days / 365)}y"


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
