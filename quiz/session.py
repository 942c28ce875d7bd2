"""A self-study quiz session: plan the cards, ask each, grade, schedule, save.

All terminal input and output goes through a `Console`, so the session is a
plain loop that tests drive with scripted keys; the clock and the random
generator are passed in. Every answer is committed before the next question,
so an interrupted session loses nothing already answered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from decks.cards import Card, CardKind
from decks.diagrams.spec import DiagramSpec
from decks.model import Facts
from quiz.colors import ColorMode
from quiz.interrupts import interrupts_deferred
from quiz.questions import Question, make_question
from quiz.scheduler import CardState, Rating, ReviewScheduler, format_interval
from quiz.store import AnswerMode, ReviewStore

RATING_KEYS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy}
CHOICE_LETTERS = "abcd"


class Quit(Exception):
    """The student pressed q: end the session; what was answered is saved."""


class Console(Protocol):
    """The quiz's only way to talk to the student."""

    color_mode: ColorMode
    show_pictures: bool

    def write(self, text: str = "") -> None: ...

    def key(self, allowed: str) -> str:
        """One key press among `allowed` (lowercase); 'q' is always allowed and quits."""
        ...

    def line(self, prompt: str) -> str: ...


@dataclass(frozen=True)
class SessionResult:
    answered: int
    remembered: int
    retired: tuple[str, ...]
    quit_early: bool
    next_due: dt.datetime | None

    def summary(self, now: dt.datetime) -> list[str]:
        lines = []
        if self.retired:
            lines.append(
                f"Retired {len(self.retired)} card(s) whose facts are gone (history kept): {', '.join(self.retired)}"
            )
        if self.answered == 0 and not self.quit_early:
            lines.append("Nothing due and no new cards: well done.")
        else:
            stopped = "Stopped early. " if self.quit_early else ""
            answers = "1 answer" if self.answered == 1 else f"{self.answered} answers"
            lines.append(f"{stopped}{answers} saved, {self.remembered} remembered.")
        if self.next_due is not None:
            wait = max(dt.timedelta(0), self.next_due - now)
            lines.append(f"Next card due in {format_interval(wait)}.")
        return lines


def _sources_line(citations: Sequence[str], width: int = 76) -> str:
    """One line: the first citation, shortened, and how many more (the Anki card lists them all)."""
    first = citations[0] if len(citations[0]) <= width else citations[0][: width - 1] + "…"
    more = f" (+{len(citations) - 1} more)" if len(citations) > 1 else ""
    return f"Source: {first}{more}"


def plan(
    cards: Sequence[Card], states: dict[str, CardState], now: dt.datetime, new: int, limit: int | None
) -> list[Card]:
    """Due cards first (most overdue first), then up to `new` cards never seen, at most `limit` in all."""
    due = sorted((c for c in cards if c.key in states and states[c.key].due <= now), key=lambda c: states[c.key].due)
    fresh = [c for c in cards if c.key not in states][:new]
    planned = due + fresh
    return planned[:limit] if limit is not None else planned


class Session:
    """Asks the planned questions one by one and records each answer."""

    def __init__(
        self,
        questions: Sequence[Question],
        store: ReviewStore,
        scheduler: ReviewScheduler,
        console: Console,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.questions = questions
        self.store = store
        self.scheduler = scheduler
        self.console = console
        self.clock = clock
        self.answered = 0
        self.remembered = 0

    def run(self) -> bool:
        """Ask every question; False when the student quit (q or Ctrl-C) before the end."""
        try:
            for number, question in enumerate(self.questions, start=1):
                self._ask(number, question)
        except (Quit, KeyboardInterrupt, EOFError):
            return False
        return True

    def _ask(self, number: int, question: Question) -> None:
        out = self.console.write
        state = self.store.state(question.card.key)
        status = "new" if state is None else state.state.name.lower()
        out("")
        out(f"── {number}/{len(self.questions)} · {question.card.kind.value} · {status} ──")
        out(question.prompt)
        self._picture(question.front_picture)
        shown_at = self.clock()
        if question.mode is AnswerMode.SELF:
            rating, answer = self._self_rated(question, state)
        elif question.mode is AnswerMode.TYPED:
            rating, answer = self._typed(question)
        else:
            rating, answer = self._choice(question)
        now = self.clock()
        duration_ms = max(0, int((now - shown_at).total_seconds() * 1000))
        with interrupts_deferred():  # saved and counted, or neither: the summary says exactly what was saved
            # From the state in the database when writing, which another quiz may have changed since `state`.
            saved = self.store.record_review(
                question.card.key,
                lambda prior: self.scheduler.review(prior, rating, now),
                rating,
                question.mode,
                now,
                duration_ms,
                answer,
            )
            self.answered += 1
            self.remembered += rating is not Rating.Again
        out(f"Saved · next review in {format_interval(saved.due - now)}")

    def _reveal(self, question: Question) -> None:
        self.console.write(question.answer)
        self._picture(question.back_picture)
        if question.card.sources:
            self.console.write(_sources_line(question.card.sources))

    def _self_rated(self, question: Question, state: CardState | None) -> tuple[Rating, None]:
        self.console.write("[space] show answer   [q] quit")
        self.console.key(" \r\n")
        self._reveal(question)
        outcomes = self.scheduler.next_states(state, self.clock())
        buttons = "   ".join(f"[{key}] {rating.name} {outcomes[rating].label}" for key, rating in RATING_KEYS.items())
        self.console.write(buttons)
        return RATING_KEYS[self.console.key("1234")], None

    def _typed(self, question: Question) -> tuple[Rating, str]:
        from quiz.grader import grade  # loaded at the first typed answer, not at start-up

        typed = self.console.line("Your answer (Enter alone to give up): ")
        result = grade(typed, question.expected)
        if result.correct:
            self.console.write(f"✓ Correct ({result.reason})")
        else:
            self.console.write(f"✗ Expected: {question.expected[0]} ({result.reason})")
        return self._confirm(question, result.correct), typed

    def _choice(self, question: Question) -> tuple[Rating, str]:
        letters = CHOICE_LETTERS[: len(question.choices)]
        for letter, choice in zip(letters, question.choices, strict=True):
            self.console.write(f"  {letter}) {choice}")
        picked = letters.index(self.console.key(letters))
        right = picked == question.correct_index
        assert question.correct_index is not None
        if right:
            self.console.write("✓ Correct")
        else:
            self.console.write(
                f"✗ The answer is {letters[question.correct_index]}) {question.choices[question.correct_index]}"
            )
        return self._confirm(question, right), question.choices[picked]

    def _confirm(self, question: Question, right: bool) -> Rating:
        """Show the whole answer; the student may overrule the grade with one key."""
        self._reveal(question)
        grade_name, other = ("Good", "Again") if right else ("Again", "Good")
        self.console.write(f"[Enter] accept ({grade_name})   [o] overrule ({other})   [q] quit")
        overruled = self.console.key("\r\no") == "o"
        return Rating.Good if right != overruled else Rating.Again

    def _picture(self, spec: DiagramSpec | None) -> None:
        if spec is None or not self.console.show_pictures:
            return
        from quiz.picture import draw_picture, legend_lines  # loaded at the first picture

        picture = draw_picture(spec, self.console.color_mode)
        legend = legend_lines(spec, self.console.color_mode)
        for index, line in enumerate(picture.lines):
            beside = legend[index - 1] if 0 < index <= len(legend) else ""
            self.console.write(f"{line}  {beside}".rstrip())


def run_quiz(
    facts: Facts,
    all_cards: Sequence[Card],
    store: ReviewStore,
    scheduler: ReviewScheduler,
    console: Console,
    clock: Callable[[], dt.datetime],
    rng: random.Random,
    *,
    muscles: tuple[str, ...] = (),
    kinds: tuple[CardKind, ...] = (),
    new: int = 10,
    limit: int | None = None,
) -> SessionResult:
    """One study session: due cards, then up to `new` new ones, of the chosen muscles and kinds.

    `all_cards` are every card of `facts`: they, not only the chosen ones, decide what
    is retired, so studying one muscle never retires another's cards.
    """
    chosen = {m.id for m in facts.select(muscles).muscles}
    cards = [c for c in all_cards if c.muscle_id in chosen and (not kinds or c.kind in kinds)]
    now = clock()
    retired = tuple(store.sync_cards([c.key for c in all_cards], now))
    planned = plan(cards, store.states(), now, new, limit)
    questions = [make_question(card, facts, rng) for card in planned]
    session = Session(questions, store, scheduler, console, clock)
    finished = session.run()
    upcoming = [state.due for state in store.states().values()]
    return SessionResult(session.answered, session.remembered, retired, not finished, min(upcoming, default=None))
