"""Benchmark: the quiz and `stats` on a long history: 1,000,000 answers and 100,000 card states.

    python bench/bench_quiz_scale.py

For the bundled facts and for 1,000 synthetic muscles (made as bench_scale.py makes
them), a review database is filled in bulk: a state for every current card (some due,
some being learnt) and, up to 100,000, retired cards of an older deck, and 1,000,000
answers over two years, nine in ten to current cards. Then it prints the time to the
quiz's first question against the import floor (`import click, yaml, fsrs, rich`;
target within 1.5x) and the time of `myodeck stats` and `stats --json` (target under
0.3 s), and both on an empty database for comparison; each figure is the median of a
few runs, with the clock pinned (MYODECK_NOW). The history's first card is whatever fell
due first (its kind is printed); the start is measured again with a referral card first,
which also loads the fact model and draws a picture. Prints figures, asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import pexpect
from bench_quiz_start import first_question_seconds as quiz_start_seconds
from bench_quiz_start import floor_seconds, student_env
from bench_scale import synthetic_folder

from decks.cache_dir import cache_dir
from decks.fact_cache import load
from quiz.store import ReviewStore
from source_facts import bundled_facts_dir

ANSWERS = 1_000_000
CARD_STATES = 100_000
CURRENT_SHARE = 0.9  # of the answers, those to cards still in the deck
RUNS = 5
STARTS = 9  # quiz starts, each alternated with the floor
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def text(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def fill(db: Path, current: list[str], rng: random.Random) -> None:
    """Card states and answers in bulk: one transaction, rows made by generators."""
    ReviewStore(db).close()  # the schema, as the quiz makes it
    retired = [f"old-deck/card-{n:06d}" for n in range(CARD_STATES - len(current))]
    keys = current + retired
    with closing(sqlite3.connect(db)) as connection, connection:  # closed: the WAL is folded in and removed
        connection.execute("PRAGMA synchronous = OFF")

        def states():  # type: ignore[no-untyped-def]
            for n, key in enumerate(keys):
                learning = n % 50 == 0
                due = (
                    NOW + dt.timedelta(minutes=rng.randint(-600, 30))
                    if learning
                    else NOW + dt.timedelta(days=rng.randint(-5, 60))
                )
                yield (
                    key,
                    "learning" if learning else "review",
                    0 if learning else None,
                    rng.uniform(1, 100),
                    rng.uniform(1, 10),
                    text(due),
                    text(NOW - dt.timedelta(days=rng.randint(1, 30))),
                    text(NOW - dt.timedelta(days=730)),
                    None if n < len(current) else text(NOW - dt.timedelta(days=400)),
                )

        connection.executemany("INSERT INTO card_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", states())
        start = NOW - dt.timedelta(days=730)
        step = dt.timedelta(days=730) / ANSWERS

        def answers():  # type: ignore[no-untyped-def]
            for n in range(ANSWERS):
                rating = 1 if rng.random() < 0.12 else rng.choice((2, 3, 3, 3, 4))
                prior = "review" if rng.random() < 0.8 else "learning"
                key = rng.choice(current) if rng.random() < CURRENT_SHARE else rng.choice(retired)
                yield (key, text(start + n * step), rating, prior, "self", 4000, None)

        connection.executemany(
            """INSERT INTO review_log (card_key, reviewed_at, rating, prior_state, answer_mode, duration_ms, answer)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            answers(),
        )


def referral_first(db: Path, key: str) -> None:
    """Make `key` the card a quiz asks first: in learning, due long before every other."""
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute(
            "UPDATE card_state SET state = 'learning', step = 0, due = ? WHERE card_key = ?",
            (text(NOW - dt.timedelta(days=400)), key),
        )


def first_card(exe: str, db: Path, facts: Path) -> str:
    """What the first question's header says of its card ('referral · learning'), to tell what was timed."""
    env = {**student_env(), "MYODECK_DB": str(db), "NO_COLOR": "1", "MYODECK_NOW": NOW.isoformat()}
    child = pexpect.spawn(exe, ["quiz", "--new", "5", "--facts", str(facts)], env=env, encoding="utf-8", timeout=120)
    child.expect(r"── 1 · (\S+ · \S+)")
    kind = child.match.group(1)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return kind


def first_question_seconds(exe: str, db: Path, facts: Path) -> float:
    return quiz_start_seconds(exe, db, ("--facts", str(facts)), NOW.isoformat())


def command_seconds(command: list[str], db: Path) -> float:
    env = {**student_env(), "MYODECK_DB": str(db), "MYODECK_NOW": NOW.isoformat()}
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def median(measure, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe, "install myodeck first"
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as temp:
        # The user cache folder moved into `temp`, found as a student's is (`student_env`).
        os.environ.pop("MYODECK_CACHE", None)
        for variable in ("HOME", "XDG_CACHE_HOME"):
            os.environ[variable] = str(Path(temp, variable.lower()))
        synthetic = Path(temp, "facts-1000")
        synthetic.mkdir()
        synthetic_folder(synthetic, 1000)
        floor_seconds()
        print(f"import click, yaml, fsrs, rich: {1000 * median(floor_seconds):6.0f} ms (median of {RUNS})")
        for label, facts in (("bundled facts", bundled_facts_dir()), ("1,000 synthetic muscles", synthetic)):
            cards = load(facts, cache_dir("facts")).cards
            db = Path(temp, f"{facts.name}.sqlite3")
            started = time.perf_counter()
            fill(db, [card.key for card in cards], rng)
            filled = time.perf_counter() - started
            os.sync()  # the 250 MB just written go to disk now, not while the starts are timed
            size = db.stat().st_size / 2**20
            print(f"\n{label}: {len(cards):,} cards; {ANSWERS:,} answers, {CARD_STATES:,} card states")
            print(f"  filled in {filled:.1f} s ({size:.0f} MiB)")
            first_question_seconds(exe, db, facts)  # warms the caches, and retires nothing: all set up
            first_question_seconds(exe, Path(temp, "empty.sqlite3"), facts)  # made: later days' starts
            starts: dict[str, list[float]] = {"history": [], "empty": [], "floor": []}
            for _ in range(STARTS):  # alternated with the floor, so a machine whose speed drifts slows all alike
                starts["history"].append(first_question_seconds(exe, db, facts))
                starts["empty"].append(first_question_seconds(exe, Path(temp, "empty.sqlite3"), facts))
                starts["floor"].append(floor_seconds())
            quiz, empty, floor = (statistics.median(starts[k]) for k in ("history", "empty", "floor"))
            first = first_card(exe, db, facts)
            print(f"  quiz to first question ({first}): {1000 * quiz:6.0f} ms   {quiz / floor:.2f}x (target 1.5x)")
            print(f"    the same facts, no history: {1000 * empty:6.0f} ms   {empty / floor:.2f}x the floor")
            print(f"    the floor, run between them: {1000 * floor:6.0f} ms")
            # The history's first card is whatever fell due first; a referral card first also loads the fact
            # model, reads its muscle for the picture and ranks wrong answers over the facts' zones.
            referral_first(db, next(card.key for card in cards if card.kind.value == "referral"))
            picture = [(first_question_seconds(exe, db, facts), floor_seconds()) for _ in range(STARTS)]
            quiz, floor = (statistics.median(times) for times in zip(*picture, strict=True))
            print(f"    a referral card first (picture, ranked choices): {1000 * quiz:6.0f} ms   {quiz / floor:.2f}x")
            for args in ([], ["--json"]):
                command = [exe, "stats", "--facts", str(facts), *args]
                seconds = median(lambda command=command, db=db: command_seconds(command, db))
                empty = median(lambda command=command: command_seconds(command, Path(temp, "empty.sqlite3")))
                name = " ".join(["stats", *args])
                print(f"  {name:<23} {1000 * seconds:6.0f} ms   (target 300 ms; no history: {1000 * empty:.0f} ms)")


if __name__ == "__main__":
    main()
