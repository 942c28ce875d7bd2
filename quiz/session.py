"""A self-study quiz session: plan the cards, ask each, grade, schedule, save.

All terminal input and output goes through a `Console`, so the session is a
plain loop that tests drive with scripted keys; the clock and the random
generator are passed in. Every answer is committed before the next question,
so an interrupted session loses nothing already answered.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, Protocol

from decks.card_kind import CardHead, CardKind
from decks.cards import Card
from decks.diagrams.spec import DiagramSpec
from decks.errors import MyodeckError
from decks.words import counted
from quiz.interrupts import interrupts_deferred
from quiz.order import SIBLING, closeness, interleave, next_index
from quiz.picture_pair import PicturePair
from quiz.questions import Question, make_question
from quiz.scheduler import CardState, Outcome, Rating, ReviewScheduler, State, format_interval
from quiz.selection import Selection
from quiz.store import AnswerMode, Due, Recorded, ReviewStore, StoreError, local_day_end

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.fact_cache import DeckIndex
    from decks.model import Roster

RATING_KEYS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy}
CHOICE_LETTERS = "abcd"
LEARN_AHEAD = dt.timedelta(minutes=20)  # Anki's default learn-ahead limit
LEARNING = (State.Learning, State.Relearning)
NEW_PER_DAY = 20  # Anki's default daily limit of new cards
MISTAKE_DAYS = 7  # --mistakes: cards answered Again this recently
CRAM_AGAIN_AFTER = 3  # in cram, a card answered Again comes back after this many others


class Quit(Exception):
    """The student pressed q: end the session; what was answered is saved."""


class Console(Protocol):
    """The quiz's only way to talk to the student: one screen per card, fitted to the terminal by the console."""

    def clear(self) -> None:
        """Start the next card's screen."""
        ...

    def write(self, text: str = "") -> None: ...

    def picture(self, picture: DiagramSpec | PicturePair) -> None:
        """Show a diagram or two, in place of the one shown before on this screen (the answer side shows more)."""
        ...

    def key(self, allowed: str) -> str:
        """One key press among `allowed` (lowercase); 'q' is always allowed and quits."""
        ...

    def line(self, prompt: str) -> str: ...

    def retract(self) -> None:
        """Take back the last line written: a key hint that no longer applies (on a log, once
        printed, it stays)."""
        ...


# Named tuples, not dataclasses, as in `quiz.store`: each dataclass adds about 0.5 ms to every quiz start.
class Today(NamedTuple):
    """What is left of today for the chosen cards: new ones the daily limit allows, and cards due by midnight."""

    new: int
    due: int
    per_day: int


class SessionResult(NamedTuple):
    """What one session did, for the lines printed when it ends."""

    answered: int
    remembered: int
    retired: tuple[str, ...]
    quit_early: bool
    next_due: dt.datetime | None
    today: Today
    crammed: bool = False

    def summary(self, now: dt.datetime) -> list[str]:
        lines = []
        if self.retired:
            retired = counted(len(self.retired), "card")
            lines.append(f"Retired {retired} whose facts are gone (history kept): {', '.join(self.retired)}")
        if self.quit_early:
            lines.append("Stopped early.")
        answers = counted(self.answered, "answer")
        if self.crammed:
            lines.append(f"Cram: {answers}, {self.remembered} remembered; nothing was saved to your schedule.")
        elif self.answered == 0 and not self.quit_early:
            lines.append("Nothing due and no new cards: well done.")
        else:
            lines.append(f"{answers} saved, {self.remembered} remembered.")
        if self.next_due is not None:
            wait = max(dt.timedelta(0), self.next_due - now)
            lines.append(f"Next card due in {format_interval(wait)}.")
        lines.append(f"Left today: {self.today.new} new (of {self.today.per_day} a day), {self.today.due} due.")
        return lines


def _sources_line(citations: Sequence[str]) -> str:
    """The first citation and how many more (the Anki card lists them all); the console wraps it."""
    more = f" (+{len(citations) - 1} more)" if len(citations) > 1 else ""
    return f"Source: {citations[0]}{more}"


def plan(
    deck: DeckIndex,
    chosen: Sequence[int],
    due_states: Mapping[str, Due | CardState],
    known: Collection[str],
    now: dt.datetime,
    new: int,
    limit: int | None,
    learn_ahead: dt.timedelta = LEARN_AHEAD,
) -> list[CardHead]:
    """Of the cards of `deck` at the positions `chosen`: due ones first (most overdue first), then up
    to `new` cards never seen, at most `limit` in all. The session asks them siblings apart: each
    time the first left least close to the card before (`quiz.order.next_index`).

    `due_states` holds (at least) the states due by `now + learn_ahead`, `known` the keys
    of every card ever answered. Cards in (re)learning count as due when their step
    ends within `learn_ahead`, as in Anki, so a card failed in the last session is not
    left waiting. New cards come a few muscles at a time, interleaved, in teaching order.
    The plan works on the deck's columns and makes the heads only of the cards it takes,
    a few hundred of a thousand muscles' tens of thousands.
    """

    ahead = now + learn_ahead
    keys = deck.keys
    chosen_keys = keys if len(chosen) == len(keys) else [keys[position] for position in chosen]  # all, in order
    # The positions of the chosen cards that have a state due soon, found in C (`compress`): this
    # walks every card of the deck, a thousand muscles' 16,000, where a loop took milliseconds.
    with_state = itertools.compress(chosen, map(due_states.__contains__, chosen_keys))
    soon = sorted(
        (state.due, position)
        for position in with_state
        if (state := due_states[keys[position]]).due <= (ahead if state.state in LEARNING else now)
    )
    due = [position for _, position in soon]  # most overdue first, ties in deck order
    # Only the current cards have states, so as many known as cards means no card is new: a long history's case.
    unseen_left = new and len(known) < len(keys)
    never_seen = [position for position in chosen if keys[position] not in known] if unseen_left else []
    fresh = interleave(never_seen, limit=new, muscle_of=deck.muscle_ids.__getitem__)
    return deck.heads([*due, *fresh][:limit])


class _Undo(Exception):
    """The student pressed u: take back the last answer and ask that card again."""


class _Answered(NamedTuple):
    """An answer of this session, kept so that `u` can take it back (`recorded` is None in cram)."""

    card: CardHead
    rating: Rating
    recorded: Recorded | None


class Session:
    """Asks the planned cards one by one, records each answer, and asks again cards still being learnt.

    A card answered into a learning or relearning step that ends within
    `learn_ahead` comes back: as soon as its step is due, or, when nothing else is
    left, straight away (Anki's learn-ahead limit), so the session ends only when
    no card is due soon. With `cram`, nothing is saved: a card answered Again comes
    back a few cards later instead, and the schedule stays as it was.
    """

    def __init__(
        self,
        cards: Sequence[CardHead],
        ask_about: Callable[[CardHead], Question],
        store: ReviewStore,
        scheduler: ReviewScheduler,
        console: Console,
        clock: Callable[[], dt.datetime],
        learn_ahead: dt.timedelta = LEARN_AHEAD,
        *,
        cram: bool = False,
        states: Mapping[str, Due | CardState] | None = None,
    ) -> None:
        # `states`: those of `cards` at least (every state when None); a card without one is new.
        states = store.states() if states is None else states
        learning = set() if cram else {c.key for c in cards if c.key in states and states[c.key].state in LEARNING}
        self.queue = [c for c in cards if c.key not in learning]
        self.learning = {c.key: (states[c.key].due, c) for c in cards if c.key in learning}
        self.new_keys = {c.key for c in cards if c.key not in states}
        self.ask_about = ask_about
        self.store = store
        self.scheduler = scheduler
        self.console = console
        self.clock = clock
        self.learn_ahead = learn_ahead
        self.cram = cram
        self.answered = 0
        self.remembered = 0
        self.history: list[_Answered] = []
        self.undone: CardHead | None = None  # asked next, before anything else
        self.current: CardHead | None = None

    def run(self) -> bool:
        """Ask until nothing is due soon and the student ends the session at its end screen, where the
        last answer can still be undone; False when the student quit (q or Ctrl-C) before the end."""
        if self.cram:
            self.console.write("Cram: answers are not saved, and your schedule does not change.")
        try:
            while True:
                while (next_card := self._next_card()) is not None:
                    card, came_from = next_card
                    self.current = card
                    try:
                        self._ask(card)
                    except _Undo:
                        self._put_back(card, came_from)
                        self._undo()
                if not self.history or self._ended():
                    return True
                self._undo()
        except (Quit, KeyboardInterrupt, EOFError):
            return False

    def _ended(self) -> bool:
        """The end screen: False when the student undoes the last answer (u), True when they end the
        session (Enter, q, Ctrl-C, or the end of a script's input)."""
        self.console.clear()
        answers = counted(self.answered, "answer")
        self.console.write(f"── End of session · {answers} ──")
        self.console.write("No more cards now." if self.cram else "No more cards due now.")
        self.console.write(f"[Enter] end · u undo your last answer ({self.history[-1].card.key}) · q quit")
        try:
            return self.console.key("\r\nu") != "u"
        except (Quit, KeyboardInterrupt, EOFError):
            return True

    def _next_card(self) -> tuple[CardHead, tuple[dt.datetime, CardHead] | None] | None:
        """The card just undone, a learning card whose step is over, else the next planned card (the
        first not close to the last one asked), else a learning card due soon; with the learning
        entry it was taken from, if any."""
        if self.undone is not None:
            card, self.undone = self.undone, None
            return card, None
        planned = next_index(self.queue, self.current) if self.queue else None
        if self.learning:
            now = self.clock()
            key = min(self.learning, key=lambda k: self.learning[k][0])
            due, card = self.learning[key]
            # A learning card whose step is over waits one card if it is a sibling of the last one asked.
            close = closeness(card, self.current)
            sibling = close >= SIBLING and planned is not None and closeness(self.queue[planned], self.current) < close
            if (due <= now and not sibling) or (not self.queue and due <= now + self.learn_ahead):
                return card, self.learning.pop(key)
        return (self.queue.pop(planned), None) if planned is not None else None

    def _put_back(self, card: CardHead, came_from: tuple[dt.datetime, CardHead] | None) -> None:
        """Return a card not yet answered to where it was taken from: ahead of the other planned cards."""
        if came_from is not None:
            self.learning[card.key] = came_from
        else:
            self.queue.insert(0, card)

    def _undo(self) -> None:
        """Take back the last answer: the card's state as it was, the log row marked, the card asked next."""
        last = self.history.pop()
        try:
            with interrupts_deferred():  # undone and uncounted, or neither
                if last.recorded is not None:
                    self.store.undo_review(last.card.key, last.recorded, self.clock())
                self.answered -= 1
                self.remembered -= last.rating is not Rating.Again
        except StoreError as error:  # answered meanwhile in another window: that answer stands
            self.console.write(f"Cannot undo: {error}")
            return
        self.learning.pop(last.card.key, None)
        if last.card in self.queue:  # cram: an Again put it back in the queue
            self.queue.remove(last.card)
        self.undone, self.current = last.card, None
        self.console.write(f"Undone: your answer to {last.card.key} is taken back; it is asked again.")

    def _left(self) -> str:
        fresh = sum(card.key in self.new_keys for card in self.queue)
        return f"left: {fresh} new · {len(self.learning)} learning · {len(self.queue) - fresh} due"

    def _key(self, allowed: str) -> str:
        """A key among `allowed`; f (flag the card) and u (undo the last answer) are handled here."""
        while True:
            pressed = self.console.key(allowed + "f" + ("u" if self.history else ""))
            if pressed == "u":
                raise _Undo
            if pressed != "f":
                return pressed
            self._flag()

    def _line(self, prompt: str) -> str:
        """A typed line; u, f or q typed alone undo, flag or quit, as the keys do elsewhere."""
        while True:
            typed = self.console.line(prompt)
            command = typed.strip().casefold()
            if command == "q":
                raise Quit
            if command == "u" and self.history:
                raise _Undo
            if command == "f":
                self._flag()
                continue
            return typed

    def _flag(self) -> None:
        assert self.current is not None
        comment = self.console.line("What is wrong with this card? (Enter alone: flag it without a comment) ")
        self.store.flag_card(self.current.key, self.clock(), comment.strip())
        self.console.write(f"Flagged {self.current.key} for your instructor (`myodeck stats` lists flagged cards).")

    def _keys_hint(self, first: str = "") -> str:
        """The keys that work at every prompt, after the prompt's own `first` ones."""
        undo = " · u undo" if self.history else ""
        return f"{first + ' · ' if first else ''}f flag{undo} · q quit"

    def _ask(self, card: CardHead) -> None:
        out = self.console.write
        question = self.ask_about(card)
        state = self.store.state(card.key)
        status = "new" if state is None else state.state.name.lower()
        self.console.clear()
        cram = " · cram, not saved" if self.cram else ""
        out(f"── {self.answered + 1} · {card.kind.value} · {status}{cram} · {self._left()} ──")
        out(question.prompt)
        self._picture(question.front_picture)
        shown_at = self.clock()
        if question.mode is AnswerMode.SELF:
            (rating, shown), answer = self._self_rated(question, state)
        elif question.mode is AnswerMode.TYPED:
            (rating, shown), answer = self._typed(question, state)
        else:
            (rating, shown), answer = self._choice(question, state)
        now = self.clock()
        if self.cram:
            self._crammed(card, rating)
            return
        duration_ms = max(0, int((now - shown_at).total_seconds() * 1000))

        def review(prior: CardState | None) -> CardState:
            # The interval on the key pressed, unless another quiz answered this card meanwhile:
            # then the keys showed a stale state, and FSRS builds on the one in the database.
            if prior == state:
                return self.scheduler.settle(shown, now)
            return self.scheduler.review(prior, rating, now)

        with interrupts_deferred():  # saved and counted, or neither: the summary says exactly what was saved
            recorded = self.store.record_review(card.key, review, rating, question.mode, now, duration_ms, answer)
            self.answered += 1
            self.remembered += rating is not Rating.Again
            self.history.append(_Answered(card, rating, recorded))
        saved = recorded.state
        if saved.state in LEARNING and saved.due <= now + self.learn_ahead:
            self.learning[card.key] = (saved.due, card)
        out(f"Saved · next review in {format_interval(saved.due - now)}")

    def _crammed(self, card: CardHead, rating: Rating) -> None:
        """Count a cram answer, saving nothing; a card answered Again comes back a few cards later."""
        self.answered += 1
        self.remembered += rating is not Rating.Again
        self.history.append(_Answered(card, rating, None))
        if rating is Rating.Again:
            self.queue.insert(min(CRAM_AGAIN_AFTER, len(self.queue)), card)
            self.console.write("Not saved (cram) · asked again in a few cards")
        else:
            self.console.write("Not saved (cram)")

    def _reveal(self, question: Question) -> None:
        self.console.write(question.answer)
        self._picture(question.pair or question.back_picture)
        if question.card.sources:
            self.console.write(_sources_line(question.card.sources))

    def _label(self, outcome: Outcome) -> str:
        """The interval a key would schedule; none in cram, where nothing is scheduled."""
        return "" if self.cram else f" {outcome.label}"

    def _self_rated(self, question: Question, state: CardState | None) -> tuple[tuple[Rating, Outcome], None]:
        self.console.write(self._keys_hint("[space] show answer"))
        self._key(" \r\n")
        self.console.retract()  # shown: the keys that rate it come below the answer
        self._reveal(question)
        # Drawn once: the interval on each key, fuzz included, is the one its press saves.
        outcomes = self.scheduler.next_states(state, self.clock())
        buttons = "   ".join(
            f"[{key}] {rating.name}{self._label(outcomes[rating])}" for key, rating in RATING_KEYS.items()
        )
        self.console.write(f"{buttons}\n{self._keys_hint()}")  # one text: a full screen keeps the keys whole
        rating = RATING_KEYS[self._key("1234")]
        return (rating, outcomes[rating]), None

    def _typed(self, question: Question, state: CardState | None) -> tuple[tuple[Rating, Outcome], str]:
        if question.answer_set is not None:
            return self._set_typed(question, state)
        if question.paint is not None:
            return self._painted(question, state)
        undo = ", u undo" if self.history else ""
        typed = self._line(f"Your answer (Enter alone: skip{undo}, f flag, q quit): ")
        from quiz.grader import grade  # loaded once an answer is typed: the question's screen does not wait

        result = grade(typed, question.expected)
        if result.correct:
            self.console.write("✓ Correct" if result.reason == "correct" else f"✓ Correct ({result.reason})")
        else:
            self.console.write(f"✗ Expected: {' or '.join(question.answers)} ({result.reason})")
        return self._confirm(question, state, result.correct), typed

    def _set_typed(self, question: Question, state: CardState | None) -> tuple[tuple[Rating, Outcome], str]:
        """Several names, graded with partial credit; the student sees what was missing and what was extra."""
        assert question.answer_set is not None
        undo = ", u undo" if self.history else ""
        typed = self._line(f"Your answer (names, commas between; Enter alone: skip{undo}, f flag, q quit): ")
        from quiz.set_grader import grade_set  # with fractions and decimal (4 ms): once an answer is typed

        result = grade_set(typed, question.answer_set)
        for line in result.lines():
            self.console.write(line)
        self._reveal(question)
        return self._graded(result.rating, state), typed

    def _painted(self, question: Question, state: CardState | None) -> tuple[tuple[Rating, Outcome], str]:
        """Regions typed and graded by overlap (`quiz.paint`); the painting shown beside the pattern."""
        from quiz.paint import ask_painting

        assert question.paint is not None
        answer, rating, pair = ask_painting(
            self.console, question.paint, question.back_picture, self._line, self._keys_hint()
        )
        self._reveal(question._replace(pair=pair))
        return self._graded(rating, state), answer

    def _graded(self, graded: Rating, state: CardState | None) -> tuple[Rating, Outcome]:
        """A rating from partial credit, which the student accepts with Enter or replaces with 1-4."""
        outcomes = self.scheduler.next_states(state, self.clock())
        others = "   ".join(
            f"[{key}] {rating.name}{self._label(outcomes[rating])}" for key, rating in RATING_KEYS.items()
        )
        self.console.write(
            f"[Enter] accept ({graded.name}{self._label(outcomes[graded])})   {others}\n{self._keys_hint()}"
        )
        rating = RATING_KEYS.get(self._key("\r\n1234"), graded)
        return rating, outcomes[rating]

    def _choice(self, question: Question, state: CardState | None) -> tuple[tuple[Rating, Outcome], str]:
        letters = CHOICE_LETTERS[: len(question.choices)]
        for letter, choice in zip(letters, question.choices, strict=True):
            self.console.write(f"  {letter}) {choice}")
        self.console.write(self._keys_hint(f"{letters[0]}–{letters[-1]} choose"))  # noqa: RUF001
        picked = letters.index(self._key(letters))
        right = picked == question.correct_index
        assert question.correct_index is not None
        if right:
            self.console.write("✓ Correct")
        else:
            self.console.write(
                f"✗ The answer is {letters[question.correct_index]}) {question.choices[question.correct_index]}"
            )
        return self._confirm(question, state, right), question.choices[picked]

    def _confirm(self, question: Question, state: CardState | None, right: bool) -> tuple[Rating, Outcome]:
        """Show the whole answer; the student may overrule the grade with one key."""
        self._reveal(question)
        outcomes = self.scheduler.next_states(state, self.clock())
        graded, other = (Rating.Good, Rating.Again) if right else (Rating.Again, Rating.Good)
        self.console.write(
            f"[Enter] accept ({graded.name}{self._label(outcomes[graded])})   "
            f"[o] overrule ({other.name}{self._label(outcomes[other])})\n{self._keys_hint()}"
        )
        rating = other if self._key("\r\no") == "o" else graded
        return rating, outcomes[rating]

    def _picture(self, picture: DiagramSpec | PicturePair | None) -> None:
        if picture is not None:
            self.console.picture(picture)


def run_quiz(
    facts: Roster,
    deck: DeckIndex,
    card_of: Callable[[str], Card],
    store: ReviewStore,
    scheduler: ReviewScheduler,
    console: Console,
    clock: Callable[[], dt.datetime],
    rng: random.Random,
    *,
    muscles: tuple[str, ...] = (),
    kinds: tuple[CardKind, ...] = (),
    groups: tuple[str, ...] = (),
    compartments: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    new: int = 10,
    new_per_day: int = NEW_PER_DAY,
    limit: int | None = None,
    tz: dt.tzinfo = dt.UTC,
    cram: bool = False,
    mistakes: bool = False,
    paint: bool = False,
) -> SessionResult:
    """One study session: due cards, then new ones, of the chosen cards (`quiz.selection`).

    New cards are at most `new` in this session and `new_per_day` since midnight in
    `tz` across sessions, so several short quizzes a day do not pile up reviews.
    `deck` is every card of `facts` in brief, in columns, and `card_of` gives a card whole
    by its key when it is asked: a deck of a thousand muscles is planned without reading
    its text. Its cards, not only the chosen ones, decide what is retired, so studying one
    muscle never retires another's cards. `mistakes`
    studies instead the chosen cards answered Again in the last `MISTAKE_DAYS` and
    the leeches, due or not; `cram` asks the chosen cards (or those mistakes) and
    saves nothing, so the schedule stays as it was. With `paint`, only referral cards
    are asked, each as "paint the pattern".
    """
    from quiz.contrast import contrast_cards  # pairs this student keeps confusing, from the review log

    kinds = (CardKind.REFERRAL,) if paint else kinds
    contrasts = {card.key: card for card in contrast_cards(facts, store.wrong_answers())}
    deck = deck.with_heads([card.head for card in contrasts.values()])
    chosen = Selection(muscles, groups, compartments, regions, kinds).positions(facts, deck)
    if not chosen:
        raise MyodeckError("no cards match the chosen --muscle, --group, --compartment, --region and --topic")
    now = clock()
    keys = deck.keys
    retired = tuple(store.sync_cards(keys, now, deck.fingerprint))
    if mistakes or cram:  # cards due or not: every state
        states = store.states()
        cards = deck.heads(chosen)
        if mistakes:
            planned = _mistakes(cards, store, now)
        else:
            planned = sorted(cards, key=lambda c: (c.key not in states, states[c.key].due if c.key in states else now))
        planned = planned[:limit]
    else:  # the states of due cards only: a long history holds tens of thousands
        states = store.due_by(now + LEARN_AHEAD)
        new_today = max(0, new_per_day - store.new_cards_today(now, tz))
        planned = plan(deck, chosen, states, _answered(store, keys), now, min(new, new_today), limit)

    def ask_about(head: CardHead) -> Question:
        card = contrasts[head.key] if head.key in contrasts else card_of(head.key)
        return make_question(card, facts, rng, paint)

    session = Session(planned, ask_about, store, scheduler, console, clock, cram=cram, states=states)
    finished = session.run()
    end = clock()
    known = _answered(store, keys)
    # Due before midnight: times are stored to the microsecond, so at or before its last one.
    due_today = set(store.due_keys(local_day_end(end, tz) - dt.timedelta(microseconds=1)))
    today = Today(
        new=min(max(0, new_per_day - store.new_cards_today(end, tz)), sum(keys[p] not in known for p in chosen)),
        due=sum(keys[p] in due_today for p in chosen),
        per_day=new_per_day,
    )
    return SessionResult(session.answered, session.remembered, retired, not finished, store.next_due(), today, cram)


def _answered(store: ReviewStore, keys: Sequence[str]) -> Collection[str]:
    """The keys of the cards answered at least once. Synced, the current states are those of `keys`
    alone, so as many states as keys means every card: a long history's usual case, told by a count
    instead of reading thousands of keys."""
    return _EveryCard(keys) if store.known_count() >= len(keys) else store.known_keys()


class _EveryCard(Collection[str]):
    """The deck's keys, every one answered. A plan asks only how many there are; the set that tells
    whether a key is one of them is made when first asked (0.9 ms of a start on a thousand muscles)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self._set

    @cached_property
    def _set(self) -> frozenset[str]:
        return frozenset(self.keys)


def _mistakes(cards: Sequence[CardHead], store: ReviewStore, now: dt.datetime) -> list[CardHead]:
    """The chosen cards missed lately (most recent first), then the leeches `stats` lists."""
    from quiz.stats import LEECH_LAPSES

    by_key = {c.key: c for c in cards}
    missed = store.missed_since(now - dt.timedelta(days=MISTAKE_DAYS))
    keys = dict.fromkeys([*missed, *store.lapse_counts(LEECH_LAPSES)])
    if not any(key in by_key for key in keys):
        raise MyodeckError(f"no mistakes to study: no chosen card was answered Again in the last {MISTAKE_DAYS} days")
    return [by_key[key] for key in keys if key in by_key]
