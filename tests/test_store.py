"""The review database: schema and migrations, one transaction per answer, concurrency, stats."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decks.errors import MyodeckError
from quiz.moments import utc_text
from quiz.scheduler import CardState, Rating, ReviewScheduler, State
from quiz.store import (
    COUNT_TRIGGERS,
    DUE_BY_QUERY,
    MIGRATIONS,
    AnswerCount,
    AnswerMode,
    Due,
    DueCounts,
    RecentReviews,
    ReviewStore,
    StoreError,
    default_db_path,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEW_YORK = ZoneInfo("America/New_York")  # 04:00 local at NOW; clocks go forward on 8 March


def in_review(due: dt.datetime) -> CardState:
    return CardState(State.Review, None, 10.0, 5.0, due, NOW - dt.timedelta(days=10))


def learning(due: dt.datetime) -> CardState:
    return CardState(State.Learning, 1, 1.0, 5.0, due, NOW)


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReviewStore]:
    with ReviewStore(tmp_path / "reviews.sqlite3") as opened:
        yield opened


def test_schema_is_created_versioned_and_in_wal_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new" / "dir"))
    path = tmp_path / "new" / "dir" / "myodeck" / "reviews.sqlite3"
    with ReviewStore() as store:  # the default location's folders are made
        assert store.path == path
        assert store.schema_version == len(MIGRATIONS) == 7
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    assert rows(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") == [
        ("card_count",),
        ("card_state",),
        ("deck_sync",),
        ("flag",),
        ("review_log",),
    ]
    assert [c[1] for c in rows(path, "PRAGMA table_info(card_state)")] == [
        "card_key",
        "state",
        "step",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "first_seen",
        "retired_at",
    ]
    assert [c[1] for c in rows(path, "PRAGMA table_info(review_log)")] == [
        "id",
        "card_key",
        "reviewed_at",
        "rating",
        "prior_state",
        "answer_mode",
        "duration_ms",
        "answer",
        "undone_at",
    ]


def test_opening_again_migrates_nothing_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with ReviewStore(path) as store:
        store.record_review("soleus/trp1/referral", lambda _: learning(NOW), Rating.Good, AnswerMode.SELF, NOW, 1200)
    schema = rows(path, "SELECT sql FROM sqlite_master ORDER BY name")
    for _ in range(2):
        with ReviewStore(path) as store:
            assert store.schema_version == 7
            assert store.state("soleus/trp1/referral") == learning(NOW)
    assert rows(path, "SELECT sql FROM sqlite_master ORDER BY name") == schema


def test_a_database_from_a_newer_myodeck_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    ReviewStore(path).close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 8")
    with pytest.raises(StoreError, match="has schema version 8, newer than this myodeck knows \\(7\\)"):
        ReviewStore(path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    path.write_text("not a database, just some text that is long enough to have a header" * 20)
    with pytest.raises(StoreError, match=f"cannot use the review database {path}: file is not a database"):
        ReviewStore(path)


def test_default_path_is_the_user_data_dir_or_myodeck_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_home = Path(tmp_path / "xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    assert default_db_path() == data_home / "myodeck" / "reviews.sqlite3"
    monkeypatch.setenv("MYODECK_DB", str(tmp_path / "mine.sqlite3"))
    assert default_db_path() == tmp_path / "mine.sqlite3"
    with ReviewStore() as store:
        assert store.path == tmp_path / "mine.sqlite3"


@pytest.mark.parametrize("home", ["/home/student", "/home/student/", "", "relative/home", None])
@pytest.mark.parametrize("xdg", ["/srv/xdg", "", "relative/xdg", None])
def test_the_user_folders_are_those_platformdirs_names(
    home: str | None, xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """myodeck follows the XDG rule itself on Linux (platformdirs' import cost every quiz start 2 to 3 ms)."""
    import platformdirs

    from decks.cache_dir import user_folder

    for name, value in (("HOME", home), ("XDG_CACHE_HOME", xdg), ("XDG_DATA_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert user_folder("cache") == Path(platformdirs.user_cache_dir("myodeck", appauthor=False))
    assert user_folder("data") == Path(platformdirs.user_data_dir("myodeck", appauthor=False))


def test_no_home_folder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    from decks.cache_dir import user_folder

    def unlisted(uid: int) -> pwd.struct_passwd:
        raise KeyError(uid)

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", unlisted)
    with pytest.raises(MyodeckError, match="cannot tell your home folder: set HOME"):
        user_folder("data")


def test_record_then_reopen_keeps_state_and_log(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    scheduler = ReviewScheduler()
    key = "gastrocnemius/trp1/referral"
    with ReviewStore(path) as store:
        assert store.state(key) is None
        first = scheduler.review(None, Rating.Good, NOW)
        store.record_review(key, lambda _: first, Rating.Good, AnswerMode.TYPED, NOW, 4200, answer="calf, back of knee")
        later = NOW + dt.timedelta(minutes=12)
        second = scheduler.review(first, Rating.Again, later)
        store.record_review(key, lambda _: second, Rating.Again, AnswerMode.CHOICE, later, None)
    with ReviewStore(path) as store:
        assert store.state(key) == second
        assert store.states() == {key: second}
    assert rows(path, "SELECT * FROM review_log ORDER BY id") == [
        (1, key, "2026-03-02T09:00:00.000000+00:00", 3, "new", "typed", 4200, "calf, back of knee", None),
        (2, key, "2026-03-02T09:12:00.000000+00:00", 1, "learning", "choice", None, None, None),
    ]
    assert rows(path, "SELECT first_seen, last_review FROM card_state") == [
        ("2026-03-02T09:00:00.000000+00:00", "2026-03-02T09:12:00.000000+00:00")
    ]


def test_a_failed_answer_writes_nothing(store: ReviewStore) -> None:
    with pytest.raises(ValueError, match="'spoken' is not a valid AnswerMode"):
        store.record_review("soleus/trp1/referral", lambda _: learning(NOW), Rating.Good, "spoken", NOW, 10)  # type: ignore[arg-type]
    assert store.state("soleus/trp1/referral") is None
    assert store.recent_reviews(NOW).reviews == 0


def test_a_database_locked_too_long_is_a_store_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quiz.store.BUSY_TIMEOUT_SECONDS", 0.05)
    path = tmp_path / "reviews.sqlite3"
    with ReviewStore(path) as store, closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match=f"cannot write to the review database {path}: database is locked"):
            store.record_review("soleus/trp1/referral", lambda _: learning(NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
        assert store.due_keys(NOW) == []  # reading is never blocked by a writer
        other.execute("COMMIT")
        store.record_review("soleus/trp1/referral", lambda _: learning(NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
        assert store.due_keys(NOW) == ["soleus/trp1/referral"]
    assert rows(path, "SELECT COUNT(*) FROM review_log") == [(1,)]


def test_the_review_log_is_append_only(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with ReviewStore(path) as store:
        store.record_review("soleus/trp1/referral", lambda _: learning(NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
    with closing(sqlite3.connect(path)) as db:
        for statement in ("UPDATE review_log SET rating = 4", "DELETE FROM review_log"):
            with pytest.raises(sqlite3.IntegrityError, match="review_log is append-only"):
                db.execute(statement)


def test_card_state_round_trips_through_the_database(tmp_path: Path) -> None:
    moments = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC))
    states = st.sampled_from(State).flatmap(
        lambda state: st.builds(
            CardState,
            state=st.just(state),
            step=st.none() if state is State.Review else st.integers(0, 5),
            stability=st.floats(0.001, 36500),
            difficulty=st.floats(1, 10),
            due=moments,
            last_review=moments,
        )
    )
    with ReviewStore(tmp_path / "reviews.sqlite3") as store:

        @given(st.text(min_size=1), states)
        def round_trip(key: str, state: CardState) -> None:
            store.record_review(key, lambda _: state, Rating.Hard, AnswerMode.SELF, NOW, 0)
            assert store.state(key) == state

        round_trip()


WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from quiz.scheduler import Rating, ReviewScheduler
    from quiz.store import AnswerMode, ReviewStore

    path, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    scheduler = ReviewScheduler()
    with ReviewStore(path) as store:
        for i in range(count):
            key = f"shared/{i % 5}" if i % 2 else f"{who}/{i}"
            now = start + dt.timedelta(minutes=i)
            review = lambda prior, now=now: scheduler.review(prior, Rating.Good, now)  # noqa: E731
            store.record_review(key, review, Rating.Good, AnswerMode.SELF, now, i)
    """
)


def test_concurrent_quizzes_on_one_database_lose_nothing(tmp_path: Path) -> None:
    path, count, writers = tmp_path / "reviews.sqlite3", 150, ("ana", "ben", "cy")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for who in writers
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, out, err) == (0, b"", b"")
    assert rows(path, "SELECT COUNT(*) FROM review_log") == [(count * len(writers),)]
    assert rows(path, "SELECT COUNT(*) FROM card_state") == [(5 + len(writers) * count // 2,)]
    assert rows(path, "SELECT card_key, COUNT(*) FROM review_log WHERE card_key LIKE 'shared/%' GROUP BY card_key") == [
        (f"shared/{n}", count // 2 // 5 * len(writers)) for n in range(5)
    ]
    with ReviewStore(path) as store:
        assert store.schema_version == 7


def test_cards_whose_fact_disappeared_are_retired_and_reported(store: ReviewStore) -> None:
    for key in ("soleus/trp1/referral", "soleus/trp2/referral", "plantaris/trp1/referral"):
        store.record_review(key, lambda _: in_review(NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
    current = ["soleus/trp1/referral", "soleus/trp3/referral"]
    assert store.sync_cards(current, NOW) == ["plantaris/trp1/referral", "soleus/trp2/referral"]
    assert store.sync_cards(current, NOW + dt.timedelta(days=1)) == []
    assert store.due_keys(NOW) == ["soleus/trp1/referral"]
    assert list(store.states()) == ["soleus/trp1/referral"]
    assert store.state("soleus/trp2/referral") == in_review(NOW)  # the history is kept
    assert store.recent_reviews(NOW).reviews == 3
    # the fact came back: so does the card, with its progress
    assert store.sync_cards([*current, "soleus/trp2/referral"], NOW) == []
    assert store.due_keys(NOW) == ["soleus/trp1/referral", "soleus/trp2/referral"]


def test_the_same_deck_again_is_not_synced_card_by_card_but_another_deck_between_is(store: ReviewStore) -> None:
    for key in ("a/1", "a/2", "b/1"):
        store.record_review(key, lambda _: in_review(NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
    assert store.sync_cards(["a/1", "a/2"], NOW) == ["b/1"]
    store._db.execute("DROP TABLE temp.current_card")
    assert store.sync_cards(["a/1", "a/2"], NOW) == []
    temporary = store._db.execute("SELECT name FROM temp.sqlite_master").fetchall()
    assert temporary == []  # skipped: the keys were not loaded to be compared
    assert store.sync_cards(["b/1"], NOW) == ["a/1", "a/2"]  # another deck: retires and restores
    assert store.known_keys() == {"b/1"}
    assert store.sync_cards(["a/1", "a/2"], NOW) == ["b/1"]  # and back
    assert store.known_keys() == {"a/1", "a/2"}
    assert store.sync_cards(["a/1", "a/2", "a/3"], NOW) == []  # a card added: compared again, nothing retired
    assert store.sync_cards(["a/1"], NOW) == ["a/2"]


def test_a_quiz_start_reads_due_states_and_answered_keys_from_their_indexes(store: ReviewStore) -> None:
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    dues = {"a/overdue": NOW - day, "b/in-an-hour": NOW + hour, "c/next-week": NOW + 7 * day, "d/gone": NOW - day}
    for key, due in dues.items():
        store.record_review(key, lambda _, due=due: in_review(due), Rating.Good, AnswerMode.SELF, NOW - day, 10)
    assert store.sync_cards(["a/overdue", "b/in-an-hour", "c/next-week", "e/new"], NOW) == ["d/gone"]
    assert store.due_by(NOW) == {"a/overdue": Due(State.Review, NOW - day)}
    assert store.due_by(NOW + hour) == {
        "a/overdue": Due(State.Review, NOW - day),
        "b/in-an-hour": Due(State.Review, NOW + hour),
    }
    assert store.known_keys() == {"a/overdue", "b/in-an-hour", "c/next-week"}
    assert store.known_count() == 3  # not the retired one
    assert store.next_due() == NOW - day
    for query, index in (
        ("SELECT card_key FROM card_state WHERE retired_at IS NULL", "card_state_"),
        ("SELECT COUNT(*) FROM card_state WHERE retired_at IS NULL", "card_state_"),
        (DUE_BY_QUERY.replace("?", "'2026'"), "COVERING INDEX card_state_due"),
        ("SELECT MIN(due) FROM card_state WHERE retired_at IS NULL", "card_state_due"),
    ):
        plan = store._db.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()
        assert any(index in row[-1] for row in plan), (query, plan)  # an index, not a walk of every state
    assert store.sync_cards(["d/gone"], NOW) == ["a/overdue", "b/in-an-hour", "c/next-week"]
    assert (store.known_keys(), store.next_due()) == ({"d/gone"}, NOW - day)


def test_a_deck_named_by_its_fingerprint_is_synced_once(store: ReviewStore) -> None:
    """The quiz names its deck by a digest of the keys: the same one again reads nothing; another one,
    or the keys themselves, syncs as before."""
    for key in ("a/1", "b/2", "c/3"):
        store.record_review(key, lambda _: in_review(NOW), Rating.Good, AnswerMode.SELF, NOW, 10)
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    assert store.sync_cards(["a/1", "b/2"], NOW, b"deck-1") == ["c/3"]
    synced = len(statements)
    assert store.sync_cards(["a/1", "b/2"], NOW, b"deck-1") == []
    assert not any("current_card" in statement for statement in statements[synced:])  # compared, not walked
    assert store.sync_cards(["a/1", "b/2", "c/3"], NOW, b"deck-2") == []  # c/3 restored
    assert store.known_keys() == {"a/1", "b/2", "c/3"}
    assert store.sync_cards(["a/1"], NOW) == ["b/2", "c/3"]  # by its keys: another deck


def test_the_count_of_answered_cards_follows_every_write(store: ReviewStore) -> None:
    """Migration 7's triggers keep the count as states are inserted, answered again, undone, retired and
    restored, by myodeck or any program; where they were dropped, the states are counted instead."""

    def counted() -> tuple[int, int]:
        row = store._db.execute("SELECT COUNT(*) FROM card_state WHERE retired_at IS NULL").fetchone()
        return store.known_count(), row[0]

    assert counted() == (0, 0)
    first = [store.record_review(k, lambda _: in_review(NOW), Rating.Good, AnswerMode.SELF, NOW, 1) for k in "abc"]
    store.record_review("a", lambda _: in_review(NOW), Rating.Good, AnswerMode.SELF, NOW, 1)  # again: no new state
    assert counted() == (3, 3)
    store.undo_review("c", first[2], NOW)  # a first answer undone: the card is new again
    assert counted() == (2, 2)
    assert store.sync_cards(["a"], NOW) == ["b"]
    assert counted() == (1, 1)
    assert store.sync_cards(["a", "b"], NOW) == []  # b restored
    assert counted() == (2, 2)
    store._db.execute(
        "INSERT INTO card_state VALUES ('x', 'review', NULL, 3, 5, ?, ?, ?, NULL)", (utc_text(NOW),) * 3
    )  # another program
    assert counted() == (3, 3)
    for trigger in COUNT_TRIGGERS:
        store._db.execute(f"DROP TRIGGER {trigger}")
    store._db.execute("DELETE FROM card_state WHERE card_key = 'x'")
    reopened = ReviewStore(store.path)
    assert reopened.known_count() == 2  # counted: the kept figure no longer follows
    reopened.close()


@pytest.mark.parametrize("version", range(1, len(MIGRATIONS)))
def test_every_older_schema_reads_read_only_and_migrates(tmp_path: Path, version: int) -> None:
    """`stats` reads a database of any earlier schema as it is; the quiz migrates it, its count of
    answered cards taken from the states already there."""
    path = tmp_path / "reviews.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        for statement in (statement for migration in MIGRATIONS[:version] for statement in migration):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {version}")
        times = (utc_text(NOW),) * 3
        db.execute("INSERT INTO card_state VALUES ('a/1', 'review', NULL, 3, 5, ?, ?, ?, NULL)", times)
        db.execute("INSERT INTO card_state VALUES ('b/1', 'review', NULL, 3, 5, ?, ?, ?, ?)", (*times, times[0]))
        db.commit()
    with ReviewStore(path, read_only=True) as store:
        assert (store.known_count(), list(store.due_by(NOW))) == (1, ["a/1"])
    assert rows(path, "PRAGMA user_version") == [(version,)]
    with ReviewStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert (store.known_count(), list(store.due_by(NOW))) == (1, ["a/1"])


def test_an_empty_store_has_nothing_due_and_no_next_due(store: ReviewStore) -> None:
    assert (store.due_by(NOW), store.known_keys(), store.known_count(), store.next_due()) == ({}, set(), 0, None)


def test_due_keys_counts_and_forecast_with_a_fixed_clock(store: ReviewStore) -> None:
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    dues = {
        "a/overdue": NOW - 3 * day,
        "b/now": NOW,
        "c/later-today": NOW + hour,
        "d/last-minute-of-local-today": dt.datetime(2026, 3, 3, 4, 59, tzinfo=dt.UTC),
        "e/local-tomorrow": dt.datetime(2026, 3, 3, 5, 0, tzinfo=dt.UTC),
        "f/end-of-local-8-march": dt.datetime(2026, 3, 9, 3, 59, tzinfo=dt.UTC),  # 23:59 EDT
        "g/local-9-march": dt.datetime(2026, 3, 9, 4, 0, tzinfo=dt.UTC),
        "h/next-month": NOW + 40 * day,
    }
    for key, due in dues.items():
        store.record_review(key, lambda _, due=due: in_review(due), Rating.Good, AnswerMode.SELF, NOW - 10 * day, 10)
    assert store.due_keys(NOW) == ["a/overdue", "b/now"]
    assert store.due_keys(NOW - 4 * day) == []
    assert store.due_counts(NOW, NEW_YORK) == DueCounts(now=2, today=4, week=6)
    assert store.due_counts(NOW, dt.UTC) == DueCounts(now=2, today=3, week=5)
    forecast = store.due_forecast(NOW, NEW_YORK)
    assert len(forecast) == 30
    assert forecast[:8] == [
        (dt.date(2026, 3, 2), 4),
        (dt.date(2026, 3, 3), 1),
        (dt.date(2026, 3, 4), 0),
        (dt.date(2026, 3, 5), 0),
        (dt.date(2026, 3, 6), 0),
        (dt.date(2026, 3, 7), 0),
        (dt.date(2026, 3, 8), 1),
        (dt.date(2026, 3, 9), 1),
    ]
    assert sum(count for _, count in forecast) == 7  # next month is beyond the 30 days
    assert sum(count for _, count in forecast[:7]) == store.due_counts(NOW, NEW_YORK).week


def test_an_empty_store_has_no_stats(store: ReviewStore) -> None:
    assert store.due_counts(NOW, NEW_YORK) == DueCounts(0, 0, 0)
    assert store.recent_reviews(NOW) == RecentReviews(0, 0, 0)
    assert store.recent_reviews(NOW).retention is None
    assert store.lapse_counts() == {}
    assert store.due_forecast(NOW, NEW_YORK, days=2) == [(dt.date(2026, 3, 2), 0), (dt.date(2026, 3, 3), 0)]


def test_reviews_retention_lapses_and_counts_per_group(store: ReviewStore) -> None:
    day = dt.timedelta(days=1)

    def answer(key: str, rating: Rating, when: dt.datetime, state: CardState) -> None:
        store.record_review(key, lambda _: state, rating, AnswerMode.SELF, when, 10)

    answer("soleus/trp1/referral", Rating.Good, NOW - 40 * day, in_review(NOW))  # new, outside the window
    answer("soleus/trp1/referral", Rating.Good, NOW - 5 * day, in_review(NOW))  # review: remembered
    for n in range(4):  # four lapses, with relearning in between
        answer("soleus/trp1/referral", Rating.Again, NOW - (4 - n) * day, learning(NOW))
        answer("soleus/trp1/referral", Rating.Good, NOW - (4 - n) * day, in_review(NOW))  # relearning: not counted
    answer("plantaris/trp1/referral", Rating.Easy, NOW - day, in_review(NOW))  # new
    answer("plantaris/trp1/referral", Rating.Hard, NOW, in_review(NOW))  # review: remembered
    answer("plantaris/trp1/referral", Rating.Again, NOW, learning(NOW))  # review: a lapse
    answer("plantaris/trp1/referral", Rating.Good, NOW + day, in_review(NOW))  # after `now`: not counted

    recent = store.recent_reviews(NOW)
    assert recent == RecentReviews(reviews=12, review_state_reviews=7, remembered=2)
    assert recent.retention == pytest.approx(2 / 7)
    assert store.recent_reviews(NOW, days=50).reviews == 13
    assert list(store.lapse_counts().items()) == [("soleus/trp1/referral", 4), ("plantaris/trp1/referral", 1)]
    assert store.lapse_counts(min_lapses=4) == {"soleus/trp1/referral": 4}

    assert store.answer_counts(NOW - 50 * day) == {
        "soleus/trp1/referral": AnswerCount(10, 4),
        "plantaris/trp1/referral": AnswerCount(4, 1),
    }
    assert store.answer_counts(NOW - 2 * day) == {
        "soleus/trp1/referral": AnswerCount(4, 2),
        "plantaris/trp1/referral": AnswerCount(4, 1),
    }

    store.sync_cards(["plantaris/trp1/referral"], NOW)
    assert store.lapse_counts() == {"plantaris/trp1/referral": 1}


RACER = textwrap.dedent(
    """
    import datetime as dt, random, sys, time
    from pathlib import Path
    from decks.cards import derive_cards
    from decks.loader import load_facts
    from quiz.questions import make_question
    from quiz.scheduler import ReviewScheduler
    from quiz.session import Session
    from quiz.store import ReviewStore
    from source_facts import bundled_facts_dir

    path, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    facts = load_facts(bundled_facts_dir())
    kinds = ("actions", "symptoms", "activators")  # self-rated
    cards = [c for c in derive_cards(facts) if c.muscle_id == "soleus" and c.kind.value in kinds]

    class Thinking:
        def write(self, text=""):
            pass

        clear = picture = write

        def retract(self):
            pass

        def key(self, allowed):  # a moment to think (while another window answers), then any rating
            time.sleep(rng.uniform(0, 0.004))
            return rng.choice([k for k in allowed if k in "1234"] or [" "])

    planned = [rng.choice(cards) for _ in range(40)]
    whole = {card.key: card for card in cards}
    with ReviewStore(path) as store:
        session = Session(
            [card.head for card in planned], lambda head: make_question(whole[head.key], facts, rng), store,
            ReviewScheduler(), Thinking(),
            lambda: dt.datetime.now(dt.UTC),
        )
        assert session.run()
    print(session.answered)  # cards still being learnt come back, so not simply 40
    """
)


def test_quizzes_racing_on_one_database_keep_every_state_equal_to_its_log(tmp_path: Path) -> None:
    """Four windows answer the same three cards at once: each card's state is what replaying its log gives."""
    path, windows = tmp_path / "reviews.sqlite3", 4
    ReviewStore(path).close()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(path), str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for seed in range(windows)
    ]
    answered = 0
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, err) == (0, b"")
        answered += int(out)
    scheduler = ReviewScheduler()
    replayed: dict[str, CardState] = {}
    for key, rating, prior, reviewed_at in rows(
        path, "SELECT card_key, rating, prior_state, reviewed_at FROM review_log ORDER BY id"
    ):
        before = replayed.get(key)
        assert prior == (before.state.name.lower() if before else "new")
        replayed[key] = scheduler.review(before, Rating(rating), dt.datetime.fromisoformat(reviewed_at))
    with ReviewStore(path) as store:
        assert store.states() == replayed
    assert sum(count for (count,) in rows(path, "SELECT COUNT(*) FROM review_log")) == answered


def test_an_explicit_path_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "reviews.sqlite3"
    with pytest.raises(StoreError, match=f"^cannot open the review database {path}: no folder {path.parent}$"):
        ReviewStore(path)
    assert not path.parent.exists()


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.commit()
    before = path.read_bytes()
    message = f"^{path} is not a myodeck review database \\(it holds other tables: notes\\); give another --db path$"
    for read_only in (False, True):
        with pytest.raises(StoreError, match=message):
            ReviewStore(path, read_only=read_only)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["notes.sqlite3"]


def test_a_newer_schema_is_refused_before_anything_changes(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with closing(sqlite3.connect(path)) as db:  # a newer myodeck's database, in the rollback journal mode
        db.executescript("CREATE TABLE card_state (k); CREATE TABLE review_log (k); PRAGMA user_version = 8;")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="has schema version 8, newer than this myodeck knows"):
        ReviewStore(path)
    assert path.read_bytes() == before  # not switched to WAL, nor anything else
    assert [p.name for p in tmp_path.iterdir()] == ["reviews.sqlite3"]


def _history(path: Path) -> None:
    with ReviewStore(path) as store:
        for n in range(30):
            store.record_review(f"card/{n}", lambda _: in_review(NOW), Rating.Good, AnswerMode.SELF, NOW, n)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_corrupt_pages_are_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    _history(path)
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):  # every page but the first (the header) scribbled over
        data[page * 4096 + 8 : page * 4096 + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    message = "database disk image is malformed; restore it from a backup, or move it away to start afresh$"
    with pytest.raises(StoreError, match=message), ReviewStore(path) as store:
        store.states()
    with pytest.raises(StoreError, match=message), ReviewStore(path, read_only=True) as store:
        store.due_forecast(NOW, dt.UTC)


@pytest.mark.parametrize("due", ["tomorrow", "2026-03-01T09:00:00", ""])
def test_a_malformed_due_time_is_refused_when_written_and_reported_when_read(tmp_path: Path, due: str) -> None:
    """The triggers refuse it from any program; one that dropped them has it found as it is read."""
    path = tmp_path / "reviews.sqlite3"
    _history(path)
    with closing(sqlite3.connect(path)) as db:
        for statement in (
            "UPDATE card_state SET due = ? WHERE card_key = 'card/7'",
            "INSERT INTO card_state VALUES ('card/99', 'review', NULL, 1.0, 5.0, ?, '', '', NULL)",
        ):
            with pytest.raises(sqlite3.IntegrityError, match=r"card_state\.due must be UTC time text like 2026-01-05T"):
                db.execute(statement, (due,))
        for trigger in ("card_state_due_on_insert", "card_state_due_on_update"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("UPDATE card_state SET due = ? WHERE card_key = 'card/7'", (due,))
        db.commit()
    message = (
        f"the review database {path} holds a malformed due of card 'card/7': '{due}' (expected a time like"
        " 2026-01-05T09:30:00.000000+00:00); restore it from a backup, or move it away to start afresh"
    )
    for read_only in (False, True):
        with ReviewStore(path, read_only=read_only) as store:
            queries = (
                store.states,
                lambda: store.due_forecast(NOW, dt.UTC),
                lambda: store.state("card/7"),
                lambda: store.due_by(NOW - dt.timedelta(days=1)),  # not due, and an error all the same
                store.next_due,
            )
            for query in queries:
                with pytest.raises(StoreError) as raised:
                    query()
                assert str(raised.value) == message


def test_due_times_written_before_the_triggers_are_checked_once_by_the_migration(tmp_path: Path) -> None:
    """A fourth-schema database with a malformed due time (a retired card's too) is not migrated;
    a sound one is, and its quiz starts then read no due time to check it."""
    path = tmp_path / "reviews.sqlite3"
    _history(path)
    with closing(sqlite3.connect(path)) as db:
        for trigger in ("card_state_due_on_insert", "card_state_due_on_update", *COUNT_TRIGGERS):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DROP TABLE card_count")  # as migration 7 left it: back to the fourth schema
        db.execute("UPDATE card_state SET due = 'soon', retired_at = ? WHERE card_key = 'card/3'", (utc_text(NOW),))
        db.execute("PRAGMA user_version = 4")
        db.commit()
    with pytest.raises(StoreError, match="malformed due of card 'card/3': 'soon'"):
        ReviewStore(path)
    assert rows(path, "PRAGMA user_version") == [(4,)]  # nothing migrated
    with closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE card_state SET due = ? WHERE card_key = 'card/3'", (utc_text(NOW),))
        db.commit()
    with ReviewStore(path) as store:
        assert store.schema_version == 7
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        store.due_by(NOW)
        assert not [s for s in statements if "GLOB" in s]
        assert store.due_by(NOW)  # and the cards due are read as before


def test_a_state_outside_the_tables_check_is_a_store_error(tmp_path: Path) -> None:
    """Another program may write past the CHECK (SQLite's ignore_check_constraints)."""
    path = tmp_path / "reviews.sqlite3"
    _history(path)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute("UPDATE card_state SET state = 'forgotten' WHERE card_key = 'card/7'")
        db.commit()
    with ReviewStore(path) as store:
        for query in (store.states, lambda: store.due_by(NOW + dt.timedelta(days=400))):
            with pytest.raises(
                StoreError,
                match=f"^the review database {path} holds a malformed state of card 'card/7' [(]'[Ff]orgotten'[)]; restore",
            ):
                query()


def test_stats_reads_a_read_only_database_without_writing(tmp_path: Path) -> None:
    from conftest import read_only
    from test_cli import myodeck

    path = tmp_path / "reviews.sqlite3"
    _history(path)
    before = path.read_bytes()
    with read_only(path), read_only(tmp_path):  # no -wal or -shm file can be made beside it either
        result = myodeck("stats", "--db", str(path), cwd=tmp_path, env={**os.environ, "MYODECK_NOW": NOW.isoformat()})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Due now: 30   by end of today: 30")
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["reviews.sqlite3"]
    fresh = myodeck("stats", "--db", str(tmp_path / "new.sqlite3"), cwd=tmp_path)
    assert fresh.returncode == 0 and not (tmp_path / "new.sqlite3").exists()  # nothing to read is no history
    (tmp_path / "empty.sqlite3").touch()
    with ReviewStore(tmp_path / "empty.sqlite3", read_only=True) as store:
        assert store.states() == {}
    assert (tmp_path / "empty.sqlite3").read_bytes() == b""
