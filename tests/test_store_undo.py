"""The review database's second schema: undone answers, flags, and databases from before it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from quiz.scheduler import CardState, Rating, State
from quiz.store import MIGRATIONS, WRONG_ANSWERS_QUERY, AnswerMode, Flag, RecentReviews, ReviewStore, StoreError

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
KEY = "soleus/trp1/referral"


def state(step: int | None, due: dt.datetime) -> CardState:
    return CardState(State.Learning if step is not None else State.Review, step, 3.0, 5.0, due, NOW)


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def test_undo_restores_the_state_before_and_marks_the_answer(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    first, second = state(0, NOW), state(None, NOW + dt.timedelta(days=3))
    with ReviewStore(path) as store:
        store.record_review(KEY, lambda _: first, Rating.Again, AnswerMode.SELF, NOW, 10)
        recorded = store.record_review(KEY, lambda _: second, Rating.Good, AnswerMode.SELF, NOW, 10)
        assert (recorded.state, recorded.prior) == (second, first)
        store.undo_review(KEY, recorded, NOW + dt.timedelta(seconds=5))
        assert store.state(KEY) == first
        assert store.recent_reviews(NOW) == RecentReviews(1, 0, 0)  # the undone answer is not counted
        with pytest.raises(StoreError, match="answered again since"):
            store.undo_review(KEY, recorded, NOW)  # once only
    assert rows(path, "SELECT id, rating, undone_at FROM review_log ORDER BY id") == [
        (1, 1, None),
        (2, 3, "2026-03-02T09:00:05.000000+00:00"),
    ]


def test_undoing_a_first_answer_makes_the_card_new(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with ReviewStore(path) as store:
        recorded = store.record_review(KEY, lambda _: state(0, NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
        store.undo_review(KEY, recorded, NOW)
        assert store.state(KEY) is None
        assert store.new_cards_today(NOW, dt.UTC) == 0
        store.record_review(KEY, lambda prior: state(1, NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
    assert rows(path, "SELECT prior_state, undone_at IS NULL FROM review_log ORDER BY id") == [("new", 0), ("new", 1)]
    assert rows(path, "PRAGMA foreign_key_check") == []


def test_an_answer_given_meanwhile_elsewhere_is_not_thrown_away(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with ReviewStore(path) as mine, ReviewStore(path) as other:
        recorded = mine.record_review(KEY, lambda _: state(0, NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
        other.record_review(KEY, lambda _: state(1, NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
        with pytest.raises(StoreError, match=f"card '{KEY}' was answered again since; that answer stays"):
            mine.undo_review(KEY, recorded, NOW)
        assert mine.state(KEY) == state(1, NOW)


def test_the_log_allows_setting_undone_at_once_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with ReviewStore(path) as store:
        store.record_review(KEY, lambda _: state(0, NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
    with closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE review_log SET undone_at = 'x'")
        for statement in (
            "UPDATE review_log SET undone_at = 'y'",
            "UPDATE review_log SET rating = 4",
            "DELETE FROM review_log",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="review_log is append-only"):
                db.execute(statement)


def test_flags_are_kept_in_order(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "reviews.sqlite3") as store:
        store.flag_card(KEY, NOW, "zone too low")
        store.flag_card("soleus/actions", NOW + dt.timedelta(hours=1))
        assert store.flags() == [
            Flag(KEY, NOW, "zone too low"),
            Flag("soleus/actions", NOW + dt.timedelta(hours=1), ""),
        ]


def first_schema_database(path: Path) -> None:
    """A database as the first release wrote it: schema 1 and one answer."""
    with closing(sqlite3.connect(path)) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO card_state VALUES (?, 'review', NULL, 3.0, 5.0, ?, ?, ?, NULL)",
            (
                KEY,
                "2026-03-01T09:00:00.000000+00:00",
                "2026-02-26T09:00:00.000000+00:00",
                "2026-02-20T09:00:00.000000+00:00",
            ),
        )
        db.execute(
            "INSERT INTO review_log (card_key, reviewed_at, rating, prior_state, answer_mode) VALUES (?, ?, 1, 'review', 'self')",
            (KEY, "2026-02-26T09:00:00.000000+00:00"),
        )
        db.commit()


def test_a_first_schema_database_is_read_as_it_is_and_migrated_by_the_quiz(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    first_schema_database(path)
    with ReviewStore(path, read_only=True) as store:  # stats: nothing written, yet every figure is there
        assert store.recent_reviews(NOW) == RecentReviews(1, 1, 0)
        assert store.lapse_counts() == {KEY: 1}
        assert store.flags() == []
    assert rows(path, "PRAGMA user_version") == [(1,)]
    with ReviewStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.lapse_counts() == {KEY: 1}
        assert store.missed_since(NOW - dt.timedelta(days=7)) == [KEY]
    assert rows(path, "SELECT undone_at FROM review_log") == [(None,)]


def test_stats_reads_a_first_schema_database_in_a_read_only_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from conftest import read_only

    from decks.cli import main

    path = tmp_path / "reviews.sqlite3"
    first_schema_database(path)
    before = path.read_bytes()
    with read_only(path), read_only(tmp_path):
        result = CliRunner().invoke(main, ["stats", "--db", str(path)], env={"MYODECK_NOW": NOW.isoformat()})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Due now: 1   by end of today: 1   next 7 days: 1\nLast 30 days: 1 answer")
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["reviews.sqlite3"]


def test_a_second_schema_database_is_read_as_it_is_and_gains_the_wrong_answers_index(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        for statement in [*MIGRATIONS[0], *MIGRATIONS[1]]:
            db.execute(statement)
        db.execute("PRAGMA user_version = 2")
        db.execute(
            "INSERT INTO card_state VALUES (?, 'review', NULL, 3.0, 5.0, ?, ?, ?, NULL)",
            (KEY, "2026-03-01T09:00:00.000000+00:00", "2026-02-26T09:00:00.000000+00:00", "2026-02-20T09:00:00.000000+00:00"),
        )  # fmt: skip
        db.execute(
            "INSERT INTO review_log (card_key, reviewed_at, rating, prior_state, answer_mode, answer)"
            " VALUES (?, ?, 1, 'review', 'typed', 'Plantaris')",
            (KEY, "2026-02-26T09:00:00.000000+00:00"),
        )
        db.commit()
    with ReviewStore(path, read_only=True) as store:
        assert store.wrong_answers() == [(KEY, "Plantaris")]
    assert rows(path, "PRAGMA user_version") == [(2,)]
    with ReviewStore(path) as store:
        assert store.schema_version == len(MIGRATIONS) == 7
        assert store.wrong_answers() == [(KEY, "Plantaris")]
    plan = rows(path, f"EXPLAIN QUERY PLAN {WRONG_ANSWERS_QUERY}")
    assert any("review_log_wrong" in row[-1] for row in plan), plan  # the index, not a walk of the whole log


def test_a_third_schema_database_is_read_as_it_is_and_its_first_sync_compares_every_card(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        for statement in [statement for migration in MIGRATIONS[:3] for statement in migration]:
            db.execute(statement)
        db.execute("PRAGMA user_version = 3")
        times = (
            "2026-03-01T09:00:00.000000+00:00",
            "2026-02-26T09:00:00.000000+00:00",
            "2026-02-20T09:00:00.000000+00:00",
        )
        db.execute("INSERT INTO card_state VALUES (?, 'review', NULL, 3.0, 5.0, ?, ?, ?, NULL)", (KEY, *times))
        db.execute("INSERT INTO card_state VALUES ('gone/x', 'review', NULL, 3.0, 5.0, ?, ?, ?, ?)", (*times, times[0]))
        db.commit()
    with ReviewStore(path, read_only=True) as store:
        assert store.known_keys() == {KEY}
    assert rows(path, "PRAGMA user_version") == [(3,)]
    with ReviewStore(path) as store:
        assert store.schema_version == len(MIGRATIONS) == 7
        assert store.known_keys() == {KEY}
        assert store.sync_cards(["gone/x"], NOW) == [KEY]  # no deck synced yet: compared card by card
        assert store.known_keys() == {"gone/x"}
