"""The quiz session as a state machine: scripted keys in, saved answers out (no terminal)."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import sys
import weakref
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from conftest import in_brief

from decks.cards import Card, CardKind, derive_cards
from decks.cli import main
from decks.diagrams.spec import DiagramSpec
from decks.loader import load_facts
from decks.model import Facts, Muscle
from decks.outline import MuscleOutline
from quiz.colors import ColorMode
from quiz.images import BlockDrawer, Legend
from quiz.interrupts import KeptInterrupts, interrupts_deferred
from quiz.moments import utc_text
from quiz.picture_pair import PicturePair
from quiz.scheduler import Rating, ReviewScheduler, format_interval
from quiz.screen import draw
from quiz.session import Quit, SessionResult, run_quiz
from quiz.store import AnswerMode, ReviewStore

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class ScriptedConsole:
    """Plays back keys and typed lines, then quits as q would; keeps what the quiz wrote."""

    def __init__(self, keys: str = "", lines: tuple[str, ...] = ()) -> None:
        self.keys = list(keys)
        self.lines = list(lines)
        self.output: list[str] = []

    def clear(self) -> None:
        self.output.append("")

    def write(self, text: str = "") -> None:
        self.output.append(text)

    def retract(self) -> None:
        self.output[-1] = ""

    def picture(self, picture: DiagramSpec | PicturePair) -> None:
        drawn = draw(BlockDrawer(ColorMode.NONE), picture, 23, 60, Legend.BESIDE)
        self.output += drawn.lines if drawn else []

    def key(self, allowed: str) -> str:
        """The next scripted key the prompt takes: others are passed over, as a terminal's are (a script
        written for more cards than are asked ends at the end screen)."""
        while True:
            pressed = self.keys.pop(0) if self.keys else "q"
            if pressed == "q":
                raise Quit
            if pressed in allowed:
                return pressed

    def line(self, prompt: str) -> str:
        self.output.append(prompt)
        if not self.lines:
            raise Quit
        return self.lines.pop(0)

    @property
    def text(self) -> str:
        return "\n".join(self.output)


def quiz(facts: Facts, db: Path, console: ScriptedConsole, **options: object) -> SessionResult:
    with ReviewStore(db) as store:
        return run_quiz(
            facts,
            *in_brief(derive_cards(facts)),
            store,
            ReviewScheduler(),
            console,
            lambda: NOW,
            random.Random(7),
            **options,
        )


def log(db: Path) -> list[tuple[str, int, str, str | None]]:
    with ReviewStore(db) as store:
        rows = store._db.execute("SELECT card_key, rating, answer_mode, answer FROM review_log ORDER BY id")
        return [tuple(row) for row in rows]


def test_a_quiz_reads_whole_only_the_cards_it_asks_and_their_muscles(facts: Facts, tmp_path: Path) -> None:
    """A deck of a thousand muscles is planned from its cards in brief and muscles in outline: the
    quiz asks for a card whole, and a muscle whole, only to ask that card."""
    heads, whole_card = in_brief(derive_cards(facts))
    cards_read: list[str] = []
    muscles_read: list[str] = []

    class OutlinesOnly:
        muscles = tuple(MuscleOutline.of(m) for m in facts.muscles)
        outline = staticmethod(lambda muscle_id: MuscleOutline.of(facts.muscle(muscle_id)))
        referral_patterns = facts.referral_patterns

        @staticmethod
        def muscle(muscle_id: str) -> Muscle:
            muscles_read.append(muscle_id)
            return facts.muscle(muscle_id)

    def card_of(key: str) -> Card:
        cards_read.append(key)
        return whole_card(key)

    with ReviewStore(tmp_path / "db") as store:
        run_quiz(
            OutlinesOnly(), heads, card_of, store, ReviewScheduler(), ScriptedConsole(keys="a\rb\r"), lambda: NOW,
            random.Random(7), muscles=("soleus", "gastrocnemius"), kinds=(CardKind.REFERRAL,), new=2,
        )  # fmt: skip
    answered = [key for key, *_ in log(tmp_path / "db")]
    assert len(set(answered)) == 2
    assert set(cards_read) == set(answered)  # not the other cards chosen
    assert set(muscles_read) <= {key.split("/")[0] for key in cards_read}


def test_self_rated_cards(facts: Facts, tmp_path: Path) -> None:
    console = ScriptedConsole(keys=" 3 1 4 4 4")
    result = quiz(facts, tmp_path / "db", console, muscles=("gastrocnemius",), kinds=(CardKind.ATTACHMENTS,), new=3)
    assert (result.answered, result.remembered, result.quit_early) == (5, 4, False)
    assert log(tmp_path / "db") == [
        ("gastrocnemius/origin/medial-head", Rating.Good, "self", None),
        ("gastrocnemius/origin/lateral-head", Rating.Again, "self", None),
        ("gastrocnemius/insertion", Rating.Easy, "self", None),
        # Still being learnt, due within the learn-ahead limit: asked again, the 1-minute step first.
        ("gastrocnemius/origin/lateral-head", Rating.Easy, "self", None),
        ("gastrocnemius/origin/medial-head", Rating.Easy, "self", None),
    ]
    assert "[1] Again 1m   [2] Hard 6m   [3] Good 10m   [4] Easy 8d" in console.text
    assert "Posterior surface of the femur just above the medial condyle" in console.text


def test_typed_answers_are_graded_and_can_be_overruled(facts: Facts, tmp_path: Path) -> None:
    console = ScriptedConsole(keys="\ro", lines=("tibal nerve", "common fibular nerve"))
    quiz(facts, tmp_path / "db", console, muscles=("gastrocnemius", "soleus"), kinds=(CardKind.INNERVATION,))
    assert "✓ Correct" in console.text
    assert "✗ Expected: Tibial nerve" in console.text
    assert log(tmp_path / "db") == [
        ("gastrocnemius/innervation", Rating.Good, "typed", "tibal nerve"),
        ("soleus/innervation", Rating.Good, "typed", "common fibular nerve"),  # overruled
    ]


def test_pattern_card_accepts_every_muscle_with_that_pattern(facts: Facts, tmp_path: Path) -> None:
    console = ScriptedConsole(keys="\r", lines=("plantaris",))
    quiz(facts, tmp_path / "db", console, muscles=("popliteus",), kinds=(CardKind.PATTERN,))
    assert log(tmp_path / "db")[0][1:3] == (Rating.Good, "typed")
    assert "█" in console.text  # the pattern is drawn on the question side


def test_a_wrong_pattern_answer_expects_every_muscle_with_that_pattern(facts: Facts, tmp_path: Path) -> None:
    """Popliteus and plantaris share their zones: the card's own muscle first, as its back says, then the other."""
    console = ScriptedConsole(keys="\r", lines=("soleus",))
    quiz(facts, tmp_path / "db", console, muscles=("popliteus",), kinds=(CardKind.PATTERN,))
    assert "✗ Expected: Popliteus or Plantaris (" in console.text
    assert "Popliteus, TrP1" in console.text


def test_the_interval_shown_on_each_key_is_the_one_saved(facts: Facts, tmp_path: Path) -> None:
    """With fuzz on, the interval on the key pressed is the saved one, for every rating on many review cards."""
    later = NOW + dt.timedelta(days=8)
    chosen = {"muscles": ("soleus", "gastrocnemius"), "kinds": (CardKind.ACTIONS, CardKind.ATTACHMENTS)}
    for seed in range(4):
        db = tmp_path / f"{seed}.sqlite3"
        quiz(facts, db, ScriptedConsole(keys=" 4" * 40), new=40, **chosen)  # in review, due by `later`: fuzzed
        keys = "".join(f" {'1234'[(seed + n) % 4]}" for n in range(100))
        console = ScriptedConsole(keys=keys)
        with ReviewStore(db) as store:
            scheduler = ReviewScheduler(rng=random.Random(seed))
            result = run_quiz(facts, *in_brief(derive_cards(facts)), store, scheduler, console, lambda: later, random.Random(seed), **chosen)  # type: ignore[arg-type]  # fmt: skip
            saved = {key: format_interval(state.due - later) for key, state in store.states().items()}
        assert not result.quit_early and result.answered >= 8
        buttons = [dict(re.findall(r"\[(\d)\] \w+ (\S+)", line)) for line in console.output if line.startswith("[1]")]
        pressed = keys[1::2][: result.answered]
        shown = [labels[key] for labels, key in zip(buttons, pressed, strict=True)]
        assert shown == [line.removeprefix("Saved · next review in ") for line in console.output if "Saved" in line]
        answered = [row[0] for row in log(db)][-result.answered :]
        assert dict(zip(answered, shown, strict=True)) == {key: saved[key] for key in answered}
        assert any(label.endswith("d") and int(label[:-1]) >= 3 for label in shown)  # where fuzz has a range


def test_multiple_choice_referral(facts: Facts, tmp_path: Path) -> None:
    console = ScriptedConsole(keys="a\rb\rc\rd\r")
    quiz(facts, tmp_path / "db", console, muscles=("gastrocnemius",), kinds=(CardKind.REFERRAL,))
    choices = [line for line in console.output if line.startswith("  a) ")]
    assert len(choices) == 5  # four cards, then the one due soonest comes back (and the script ends)
    ratings = [row[1] for row in log(tmp_path / "db")]
    assert len(ratings) == 4
    right = [("✓ Correct" in chunk) for chunk in console.text.split("── ")[1:5]]
    assert ratings == [Rating.Good if ok else Rating.Again for ok in right]
    assert "instep: the inner arch of the sole" in console.text


def test_quitting_keeps_every_answer_already_given(facts: Facts, tmp_path: Path) -> None:
    console = ScriptedConsole(keys=" 3 3 q")
    result = quiz(facts, tmp_path / "db", console, muscles=("soleus",), new=10)
    assert (result.answered, result.quit_early) == (2, True)
    assert len(log(tmp_path / "db")) == 2
    # The next session carries on with the next new card (the two answered ones are not due yet).
    quiz(facts, tmp_path / "db", ScriptedConsole(keys=" 3"), muscles=("soleus",), new=1)
    keys = [row[0] for row in log(tmp_path / "db")]
    assert len(keys) == 3 and keys[2] not in keys[:2]


def test_nothing_due(facts: Facts, tmp_path: Path) -> None:
    result = quiz(facts, tmp_path / "db", ScriptedConsole(), new=0)
    assert result.answered == 0
    assert result.summary(NOW) == [
        "Nothing due and no new cards: well done.",
        "Left today: 20 new (of 20 a day), 0 due.",
    ]


def test_the_daily_new_card_limit_counts_every_quiz_of_the_day(facts: Facts, tmp_path: Path) -> None:
    db, soleus = tmp_path / "db", {"muscles": ("soleus",), "kinds": (CardKind.ATTACHMENTS, CardKind.ACTIONS)}
    first = quiz(facts, db, ScriptedConsole(keys=" 4 4"), new=2, new_per_day=3, **soleus)  # type: ignore[arg-type]
    assert first.summary(NOW)[-1] == "Left today: 1 new (of 3 a day), 0 due."
    console = ScriptedConsole(keys=" 4 4 4")
    second = quiz(facts, db, console, new=10, new_per_day=3, **soleus)  # type: ignore[arg-type]
    assert (second.answered, second.quit_early) == (1, False)  # the third new card of the day, then nothing
    assert "── 1 · attachments · new · left: 0 new · 0 learning · 0 due ──" in console.text
    assert second.summary(NOW)[-1] == "Left today: 0 new (of 3 a day), 0 due."
    with ReviewStore(db) as store:
        scheduler = ReviewScheduler()
        tomorrow = NOW + dt.timedelta(days=1)
        again = run_quiz(facts, *in_brief(derive_cards(facts)), store, scheduler, ScriptedConsole(keys=" 4 4 4"), lambda: tomorrow,
                         random.Random(7), new=1, new_per_day=3, **soleus)  # type: ignore[arg-type]  # fmt: skip
    assert again.answered == 1 and again.summary(tomorrow)[-1] == "Left today: 1 new (of 3 a day), 0 due."


def test_the_day_of_the_new_card_limit_ends_at_local_midnight(facts: Facts, tmp_path: Path) -> None:
    """09:00 UTC is 23:00 in Honolulu: at 09:30 UTC the day's one new card is used, at 10:30 UTC a new day began."""
    honolulu, db = ZoneInfo("Pacific/Honolulu"), tmp_path / "db"
    soleus = {"muscles": ("soleus",), "kinds": (CardKind.ATTACHMENTS,), "new_per_day": 1, "tz": honolulu}
    answered = []
    for minutes in (0, 30, 90):
        with ReviewStore(db) as store:
            moment = NOW + dt.timedelta(minutes=minutes)
            result = run_quiz(facts, *in_brief(derive_cards(facts)), store, ReviewScheduler(), ScriptedConsole(keys=" 4"),
                              lambda moment=moment: moment, random.Random(7), **soleus)  # type: ignore[arg-type]  # fmt: skip
        answered.append(result.answered)
    assert answered == [1, 0, 1]


def test_a_negative_daily_limit_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["quiz", "--new-per-day", "-1", "--db", str(tmp_path / "db")])
    assert result.exit_code == 2
    assert "Invalid value for '--new-per-day': -1 is not in the range x>=0." in result.output


def test_retired_cards_are_reported(facts: Facts, tmp_path: Path) -> None:
    quiz(facts, tmp_path / "db", ScriptedConsole(keys=" 3"), muscles=("soleus",), new=1)
    fewer = load_facts(_copy_without(facts, "soleus", tmp_path / "facts"))
    result = quiz(fewer, tmp_path / "db", ScriptedConsole(), new=0)
    assert result.retired == ("soleus/origin/fibular-part",)
    assert "Retired 1 card whose facts are gone (history kept): soleus/origin/fibular-part" in result.summary(NOW)


def _copy_without(facts: Facts, muscle_id: str, target: Path) -> Path:
    target.mkdir()
    for muscle in facts.muscles:
        if muscle.id != muscle_id and muscle.path is not None:
            (target / muscle.path.name).write_bytes(muscle.path.read_bytes())
    return target


@pytest.mark.usefixtures("ctrl_c")
@pytest.mark.parametrize("moment", ["while writing", "after the commit"])
def test_ctrl_c_in_the_middle_of_a_save_is_counted_exactly(
    facts: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """The summary says exactly what the database holds, wherever Ctrl-C lands in the second save."""
    real_save = ReviewStore.record_review
    saves: list[str] = []

    def save(self: ReviewStore, key: str, review, *args, **kwargs):  # type: ignore[no-untyped-def]
        saves.append(key)

        def review_then_interrupt(prior):  # type: ignore[no-untyped-def]
            if len(saves) == 2 and moment == "while writing":
                os.kill(os.getpid(), signal.SIGINT)
            return review(prior)

        saved = real_save(self, key, review_then_interrupt, *args, **kwargs)
        if len(saves) == 2 and moment == "after the commit":
            os.kill(os.getpid(), signal.SIGINT)
        return saved

    monkeypatch.setattr(ReviewStore, "record_review", save)
    db = tmp_path / "reviews.sqlite3"
    kinds = (CardKind.ACTIONS, CardKind.SYMPTOMS, CardKind.ACTIVATORS)
    result = quiz(facts, db, ScriptedConsole(" 3" * 3), muscles=("soleus",), kinds=kinds, new=3)
    assert result.quit_early
    assert result.answered == len(log(db)) == 2
    assert result.summary(NOW)[:2] == ["Stopped early.", "2 answers saved, 2 remembered."]


def test_a_ctrl_c_raised_in_a_weakref_callback_is_kept_and_other_errors_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reported: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: reported.append(unraisable.exc_type))

    def lose(error: type[BaseException]) -> None:
        class Lock:
            pass

        lock = Lock()
        ref = weakref.ref(lock, lambda ref: (_ for _ in ()).throw(error))  # noqa: F841  # the callback needs it
        del lock

    with KeptInterrupts() as interrupts:
        interrupts.raise_kept()  # nothing kept: nothing raised
        lose(KeyboardInterrupt)
        with pytest.raises(KeyboardInterrupt):
            interrupts.raise_kept()
        interrupts.raise_kept()  # raised once
        lose(ValueError)
    assert reported == [ValueError]  # passed on to the hook there was
    lose(KeyboardInterrupt)  # outside: reported as before
    assert reported == [ValueError, KeyboardInterrupt]


@pytest.mark.usefixtures("ctrl_c")
def test_interrupts_deferred_holds_ctrl_c_to_the_end_of_the_block() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("after the signal")
    assert done == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_undo_refused_when_another_quiz_answered_the_card_meanwhile(facts: Facts, tmp_path: Path) -> None:
    """The answer given in the other window stands; this session says so and carries on."""
    db = tmp_path / "reviews.sqlite3"

    class OtherWindowFirst(ScriptedConsole):
        def key(self, allowed: str) -> str:
            if self.keys and self.keys[0] == "u":
                with ReviewStore(db) as other:
                    key = "soleus/origin/fibular-part"
                    other.record_review(key, lambda prior: ReviewScheduler().review(prior, Rating.Good, NOW),
                                        Rating.Good, AnswerMode.SELF, NOW, 0)  # fmt: skip
            return super().key(allowed)

    console = OtherWindowFirst(keys=" 3u 3")
    result = quiz(facts, db, console, muscles=("soleus",), kinds=(CardKind.ATTACHMENTS,), new=2)
    assert "Cannot undo: card 'soleus/origin/fibular-part' was answered again since; that answer stays" in console.text
    assert result.answered == 2
    assert [(key, rating) for key, rating, _, _ in log(db)] == [
        ("soleus/origin/fibular-part", Rating.Good),
        ("soleus/origin/fibular-part", Rating.Good),
        ("soleus/origin/tibial-part", Rating.Good),
    ]


def test_a_learning_card_due_again_waits_one_card_rather_than_follow_itself(facts: Facts, tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    clock_now = [NOW]

    class SlowStudent(ScriptedConsole):
        """Two minutes pass after each answer: a 1-minute step is over by the next card."""

        def write(self, text: str = "") -> None:
            if text.startswith("Saved"):
                clock_now[0] += dt.timedelta(minutes=2)
            super().write(text)

    with ReviewStore(db) as store:
        run_quiz(
            facts, *in_brief(derive_cards(facts)), store, ReviewScheduler(), SlowStudent(keys=" 1 3 3"), lambda: clock_now[0],
            random.Random(7), muscles=("soleus", "gastrocnemius"), kinds=(CardKind.ACTIONS,), new=2,
        )  # fmt: skip
    # Gastrocnemius's card failed is due again at once, but soleus's comes between.
    assert [(key, rating) for key, rating, _, _ in log(db)] == [
        ("gastrocnemius/actions", Rating.Again),
        ("soleus/actions", Rating.Good),
        ("gastrocnemius/actions", Rating.Good),
    ]


@pytest.mark.parametrize("unanswered", [0, 1])
def test_new_cards_are_those_never_answered_whether_all_or_all_but_one_were(
    facts: Facts, tmp_path: Path, unanswered: int
) -> None:
    """All answered is told by a count of the states (a long history's usual case), all but one by their keys."""
    soleus = facts.select(("soleus",))
    keys = [card.key for card in derive_cards(soleus)]
    db = tmp_path / "db"
    with ReviewStore(db) as store:
        store.sync_cards(keys, NOW)
        later, before = utc_text(NOW + dt.timedelta(days=30)), utc_text(NOW - dt.timedelta(days=1))
        store._db.executemany(
            "INSERT INTO card_state VALUES (?, 'review', NULL, 10.0, 5.0, ?, ?, ?, NULL)",
            [(key, later, before, before) for key in keys[unanswered:]],
        )
    console = ScriptedConsole()
    result = quiz(soleus, db, console, new=5)
    if unanswered:
        assert "── 1 · " in console.text and "· new · left: 0 new · 0 learning · 0 due ──" in console.text
        assert result.quit_early
    else:
        assert "── 1 · " not in console.text
        assert result.summary(NOW)[0] == "Nothing due and no new cards: well done."
