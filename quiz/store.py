"""A student's review history in SQLite: where each card stands, and every answer.

Each answer is one transaction, committed before the next card is shown, so
Ctrl-C or a closed terminal loses nothing already answered. WAL mode and a busy
timeout let two quizzes share one database. Cards are known by their key
(`gastrocnemius/trp1/referral`), never their text, so fixing a typo in a fact
keeps the progress.

Database schema (`PRAGMA user_version` is the number of migrations applied).
All times are UTC ISO 8601 text to the microsecond, `2026-01-05T09:30:00.000000+00:00`:
fixed width, so comparing the text compares the times.

`card_state`: one row per card ever answered; a card with no row is new.
- `card_key` TEXT PRIMARY KEY: the card's identity, the same as its Anki note GUID.
- `state` TEXT: FSRS state, `learning`, `review` or `relearning`.
- `step` INTEGER NULL: the learning or relearning step reached; NULL in `review`.
- `stability` REAL: FSRS stability, the days until recall is expected to fall to 90%.
- `difficulty` REAL: FSRS difficulty, 1 (easy) to 10 (hard).
- `due` TEXT: when the card is next due.
- `last_review` TEXT: when the card was last answered.
- `first_seen` TEXT: when the card was first answered.
- `retired_at` TEXT NULL: when the card's fact left the fact files; NULL while it is
  current. Retired cards are never due, and their history is kept in case they return.

`review_log`: append-only (triggers refuse UPDATE and DELETE), one row per answer.
- `id` INTEGER PRIMARY KEY: order of recording.
- `card_key` TEXT: the card answered (references `card_state`).
- `reviewed_at` TEXT: when it was answered.
- `rating` INTEGER: 1 Again, 2 Hard, 3 Good, 4 Easy.
- `prior_state` TEXT: the card's state before this answer: `new`, `learning`,
  `review` or `relearning`. Only answers to `review` cards count for retention and lapses.
- `answer_mode` TEXT: how the student answered: `self` (revealed and rated
  themselves), `typed` (typed an answer that was graded) or `choice` (multiple choice).
- `duration_ms` INTEGER NULL: milliseconds from showing the card to the answer.
- `answer` TEXT NULL: what the student typed, in `typed` mode.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from platformdirs import user_data_dir

from decks.errors import MyodeckError, shown
from quiz.scheduler import CardState, Rating, as_utc, utc_text

BUSY_TIMEOUT_SECONDS = 5.0

# Each migration is a list of statements, run in one transaction that also sets
# user_version to its 1-based position. Append new ones; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE card_state (
            card_key TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('learning', 'review', 'relearning')),
            step INTEGER CHECK (step >= 0),
            stability REAL NOT NULL,
            difficulty REAL NOT NULL,
            due TEXT NOT NULL,
            last_review TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            retired_at TEXT
        )""",
        "CREATE INDEX card_state_due ON card_state (due) WHERE retired_at IS NULL",
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            card_key TEXT NOT NULL REFERENCES card_state (card_key),
            reviewed_at TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            prior_state TEXT NOT NULL CHECK (prior_state IN ('new', 'learning', 'review', 'relearning')),
            answer_mode TEXT NOT NULL CHECK (answer_mode IN ('self', 'typed', 'choice')),
            duration_ms INTEGER CHECK (duration_ms >= 0),
            answer TEXT
        )""",
        "CREATE INDEX review_log_card ON review_log (card_key)",
        "CREATE INDEX review_log_time ON review_log (reviewed_at)",
        """CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
    ),
)


class StoreError(MyodeckError):
    """The review database cannot be used: not a database, or written by a newer myodeck."""


class AnswerMode(StrEnum):
    SELF = "self"
    TYPED = "typed"
    CHOICE = "choice"


@dataclass(frozen=True)
class DueCounts:
    """Cards due now, by the end of today, and by the end of the 7th day (today included)."""

    now: int
    today: int
    week: int


@dataclass(frozen=True)
class RecentReviews:
    """Answers in a window, and how many of those to `review` cards were remembered (Hard or better)."""

    reviews: int
    review_state_reviews: int
    remembered: int

    @property
    def retention(self) -> float | None:
        """True retention: the share of review-state answers that were not Again (None with none)."""
        return self.remembered / self.review_state_reviews if self.review_state_reviews else None


def default_db_path() -> Path:
    """$MYODECK_DB if set, else reviews.sqlite3 in the platform's per-user data directory."""
    if override := os.environ.get("MYODECK_DB"):
        return Path(override).expanduser()
    return Path(user_data_dir("myodeck", appauthor=False)) / "reviews.sqlite3"


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """`path` opened so that nothing can be written; a database that does not exist yet reads as empty.

    SQLite reads a WAL database through its `-shm` file, which it must be able to create
    beside the database; where it cannot (a folder the student may only read), the file
    is read as immutable instead: no other program can be writing it there either (answers
    left in a `-wal` file by a quiz that crashed are then not counted).
    """
    if not path.exists():
        return _empty_database()
    uri = f"file:{urllib.parse.quote(str(path.absolute()))}?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA user_version").fetchone()
        return db
    except sqlite3.OperationalError as error:
        db.close()
        if "unable to open" not in str(error):
            raise
    return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)


def _empty_database() -> sqlite3.Connection:
    """A review database with no history, in memory: what one that does not exist yet reads as."""
    empty = sqlite3.connect(":memory:", isolation_level=None)
    for statements in MIGRATIONS:
        for statement in statements:
            empty.execute(statement)
    empty.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
    return empty


def local_day_end(now: dt.datetime, tz: dt.tzinfo, days_after: int = 0) -> dt.datetime:
    """Midnight at the end of the local day `days_after` days after today's, in UTC."""
    today = as_utc(now).astimezone(tz).date()
    return dt.datetime.combine(today + dt.timedelta(days=days_after + 1), dt.time(), tzinfo=tz).astimezone(dt.UTC)


def _hint(error: sqlite3.Error) -> str:
    """What the student can do about a database error."""
    text = str(error)
    if "malformed" in text or "not a database" in text:
        return f"{text}; restore it from a backup, or move it away to start afresh"
    if "locked" in text or "busy" in text:
        return f"{text}; another myodeck may be writing to it, try again"
    return text


P = ParamSpec("P")
R = TypeVar("R")


def _database_errors(method: Callable[Concatenate[ReviewStore, P], R]) -> Callable[Concatenate[ReviewStore, P], R]:
    """A query that meets a broken database (corrupt pages, a foreign file) raises StoreError, not sqlite3's."""

    @functools.wraps(method)
    def wrapper(self: ReviewStore, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise StoreError(f"cannot use the review database {self.path}: {_hint(error)}") from None

    return wrapper


class ReviewStore:
    """The review database at `path` (default `default_db_path()`), created and migrated on open.

    An explicit path's folder must exist (a typo is an error, not a new folder); the
    default one is created. `read_only` opens without writing anything, not even the
    WAL switch: for `stats`, on a database the student may only read. Before anything is
    changed, a file that is not a myodeck database, or is one from a newer myodeck, is refused.
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path if path is not None else default_db_path()
        self.read_only = read_only
        try:
            if read_only:
                self._db = _connect_read_only(self.path)
            else:
                if path is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                elif not self.path.parent.is_dir():
                    raise StoreError(f"cannot open the review database {self.path}: no folder {self.path.parent}")
                # isolation_level=None: transactions are only the explicit BEGIN IMMEDIATE below.
                self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the review database {self.path}: {error}") from error
        try:
            self._db.row_factory = sqlite3.Row
            self._refuse_foreign()
            if read_only and self.schema_version < len(MIGRATIONS):
                self._read_older()
            if not read_only:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA foreign_keys = ON")
                self._migrate()
        except sqlite3.Error as error:
            self._db.close()
            raise StoreError(f"cannot use the review database {self.path}: {_hint(error)}") from error
        except StoreError:
            self._db.close()
            raise

    def _refuse_foreign(self) -> None:
        """Refuse another program's database, or a newer myodeck's, having only read it."""
        version = self.schema_version
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the review database {self.path} has schema version {version}, newer than this "
                f"myodeck knows ({len(MIGRATIONS)}); upgrade myodeck"
            )
        ours = {"card_state", "review_log"}
        if (version == 0 and tables) or (version > 0 and not ours <= tables):
            raise StoreError(
                f"{self.path} is not a myodeck review database (it holds other tables: "
                f"{', '.join(sorted(tables - ours)) or 'none of its own'}); give another --db path"
            )

    def _read_older(self) -> None:
        """Read-only, an empty file reads as no history; an older schema cannot be migrated here."""
        if self.schema_version == 0:  # no tables either: `_refuse_foreign` saw to that
            self._db.close()
            self._db = _empty_database()
            self._db.row_factory = sqlite3.Row
            return
        raise StoreError(
            f"the review database {self.path} has schema version {self.schema_version}, older than this "
            "myodeck's; run `myodeck quiz` once to upgrade it"
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _card_state(self, row: sqlite3.Row) -> CardState:
        key = shown(str(row["card_key"]))
        for column in ("due", "last_review"):
            self._moment(row[column], f"{column} of card '{key}'")
        try:
            return CardState.from_dict(dict(row))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise self._malformed(f"state of card '{key}' ({shown(str(error))})") from None

    def _moment(self, text: object, what: str) -> dt.datetime:
        """A stored time; a value another program wrote badly is a StoreError, not a crash."""
        try:
            moment = dt.datetime.fromisoformat(text)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            moment = None
        if moment is None or moment.utcoffset() is None:
            raise self._malformed(
                f"{what}: '{shown(str(text))}' (expected a time like 2026-01-05T09:30:00.000000+00:00)"
            )
        return moment.astimezone(dt.UTC)

    def _malformed(self, what: str) -> StoreError:
        return StoreError(
            f"the review database {self.path} holds a malformed {what}; restore it from a backup, "
            "or move it away to start afresh"
        )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so a concurrent writer makes
        # us wait (busy timeout) instead of failing when a read turns into a write.
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"cannot write to the review database {self.path}: {_hint(error)}") from error

    def _migrate(self) -> None:
        if self.schema_version == len(MIGRATIONS):
            return
        with self._transaction():
            self._refuse_foreign()  # again, under the lock: another process may have migrated
            version = self.schema_version
            for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in statements:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @_database_errors
    def record_review(
        self,
        card_key: str,
        review: Callable[[CardState | None], CardState],
        rating: Rating,
        mode: AnswerMode,
        reviewed_at: dt.datetime,
        duration_ms: int | None,
        answer: str | None = None,
    ) -> CardState:
        """Store one answer and the card's new state, `review(its state now)`, in one transaction; return it.

        The state is read in the transaction that writes (BEGIN IMMEDIATE holds the write
        lock), so an answer given meanwhile in another window is built upon, never
        overwritten: a card's state is always what its log implies.
        """
        with self._transaction():
            row = self._db.execute("SELECT * FROM card_state WHERE card_key = ?", (card_key,)).fetchone()
            new_state = review(self._card_state(row) if row else None)
            self._db.execute(
                """INSERT INTO card_state
                       (card_key, state, step, stability, difficulty, due, last_review, first_seen)
                   VALUES (:card_key, :state, :step, :stability, :difficulty, :due, :last_review, :reviewed_at)
                   ON CONFLICT (card_key) DO UPDATE SET
                       state = excluded.state, step = excluded.step, stability = excluded.stability,
                       difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review""",
                {**new_state.to_dict(), "card_key": card_key, "reviewed_at": utc_text(reviewed_at)},
            )
            self._db.execute(
                """INSERT INTO review_log
                       (card_key, reviewed_at, rating, prior_state, answer_mode, duration_ms, answer)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    card_key,
                    utc_text(reviewed_at),
                    int(rating),
                    row["state"] if row else "new",
                    AnswerMode(mode).value,
                    duration_ms,
                    answer,
                ),
            )
        return new_state

    @_database_errors
    def state(self, card_key: str) -> CardState | None:
        """The card's FSRS state, or None for a card never answered."""
        row = self._db.execute("SELECT * FROM card_state WHERE card_key = ?", (card_key,)).fetchone()
        return self._card_state(row) if row else None

    @_database_errors
    def states(self) -> dict[str, CardState]:
        """Every current (not retired) card's state, in one query for a quick quiz start."""
        rows = self._db.execute("SELECT * FROM card_state WHERE retired_at IS NULL ORDER BY card_key")
        return {row["card_key"]: self._card_state(row) for row in rows}

    @_database_errors
    def due_keys(self, now: dt.datetime) -> list[str]:
        """Current cards due at or before `now`, most overdue first."""
        rows = self._db.execute(
            "SELECT card_key FROM card_state WHERE retired_at IS NULL AND due <= ? ORDER BY due, card_key",
            (utc_text(now),),
        )
        return [row["card_key"] for row in rows]

    @_database_errors
    def new_cards_today(self, now: dt.datetime, tz: dt.tzinfo) -> int:
        """Cards first answered since local midnight (`tz`): what the daily new-card limit counts, across quizzes."""
        row = self._db.execute(
            "SELECT COUNT(DISTINCT card_key) FROM review_log WHERE prior_state = 'new' AND reviewed_at >= ?",
            (utc_text(local_day_end(now, tz, days_after=-1)),),
        ).fetchone()
        return int(row[0])

    @_database_errors
    def due_counts(self, now: dt.datetime, tz: dt.tzinfo) -> DueCounts:
        """How many current cards are due now, by the end of today and within 7 days, days local to `tz`."""
        row = self._db.execute(
            """SELECT COALESCE(SUM(due <= :now), 0), COALESCE(SUM(due < :today), 0), COALESCE(SUM(due < :week), 0)
               FROM card_state WHERE retired_at IS NULL""",
            {
                "now": utc_text(now),
                "today": utc_text(local_day_end(now, tz)),
                "week": utc_text(local_day_end(now, tz, days_after=6)),
            },
        ).fetchone()
        return DueCounts(*row)

    @_database_errors
    def due_forecast(self, now: dt.datetime, tz: dt.tzinfo, days: int = 30) -> list[tuple[dt.date, int]]:
        """Cards due on each of the next `days` local days, today first (overdue cards count today)."""
        today = as_utc(now).astimezone(tz).date()
        counts = dict.fromkeys((today + dt.timedelta(days=n) for n in range(days)), 0)
        for row in self._db.execute("SELECT card_key, due FROM card_state WHERE retired_at IS NULL"):
            day = self._moment(row["due"], f"due of card '{shown(str(row['card_key']))}'").astimezone(tz).date()
            if day in counts or day < today:  # every due time is read, so a malformed one is not passed over
                counts[max(today, day)] += 1
        return list(counts.items())

    @_database_errors
    def recent_reviews(self, now: dt.datetime, days: int = 30) -> RecentReviews:
        """Answers in the `days` before `now`, with true retention (answers to cards in review state)."""
        row = self._db.execute(
            """SELECT COUNT(*), COALESCE(SUM(prior_state = 'review'), 0),
                      COALESCE(SUM(prior_state = 'review' AND rating > 1), 0)
               FROM review_log WHERE reviewed_at > ? AND reviewed_at <= ?""",
            (utc_text(now - dt.timedelta(days=days)), utc_text(now)),
        ).fetchone()
        return RecentReviews(*row)

    @_database_errors
    def daily_retention(self, now: dt.datetime, tz: dt.tzinfo, days: int = 30) -> list[tuple[dt.date, int, int]]:
        """Per local day of the last `days` (oldest first): answers to review cards, and those remembered."""
        rows = self._db.execute(
            """SELECT reviewed_at, rating FROM review_log
               WHERE prior_state = 'review' AND reviewed_at > ? AND reviewed_at <= ?""",
            (utc_text(now - dt.timedelta(days=days)), utc_text(now)),
        )
        today = as_utc(now).astimezone(tz).date()
        tally = {today - dt.timedelta(days=offset): [0, 0] for offset in range(days - 1, -1, -1)}
        for row in rows:
            day = self._moment(row["reviewed_at"], "review time").astimezone(tz).date()
            if day in tally:
                tally[day][0] += 1
                tally[day][1] += row["rating"] > 1
        return [(day, answered, remembered) for day, (answered, remembered) in tally.items()]

    @_database_errors
    def lapse_counts(self, min_lapses: int = 1) -> dict[str, int]:
        """Lapses (Again on a card in review state) per current card with at least `min_lapses`.

        A card with many lapses is a leech: rereading it will not fix it; the
        student needs a mnemonic or the fact a different way.
        """
        rows = self._db.execute(
            """SELECT log.card_key, COUNT(*) AS lapses
               FROM review_log AS log JOIN card_state USING (card_key)
               WHERE card_state.retired_at IS NULL AND log.rating = 1 AND log.prior_state = 'review'
               GROUP BY log.card_key HAVING lapses >= ? ORDER BY lapses DESC, log.card_key""",
            (min_lapses,),
        )
        return {row["card_key"]: row["lapses"] for row in rows}

    @_database_errors
    def review_counts(
        self, group_of: Mapping[str, str], since: dt.datetime | None = None, *, again_only: bool = False
    ) -> dict[str, int]:
        """Answers per group (say, per muscle: `{card_key: muscle_id}`), optionally only those from `since` on.

        Cards missing from `group_of` (retired ones, typically) are not counted.
        With `again_only`, only the answers rated Again: the ratio shows what is weak.
        """
        rows = self._db.execute(
            """SELECT card_key, COUNT(*) AS reviews FROM review_log
               WHERE reviewed_at >= ? AND (? = 0 OR rating = 1) GROUP BY card_key""",
            (utc_text(since) if since else "", int(again_only)),
        )
        counts: dict[str, int] = {}
        for row in rows:
            if (group := group_of.get(row["card_key"])) is not None:
                counts[group] = counts.get(group, 0) + row["reviews"]
        return counts

    @_database_errors
    def sync_cards(self, current_keys: Iterable[str], now: dt.datetime) -> list[str]:
        """Retire cards no longer in `current_keys`, restore any that came back; return the newly retired.

        A card whose fact was deleted is reported, not silently dropped, and its
        history is kept.
        """
        current = set(current_keys)
        with self._transaction():
            rows = self._db.execute("SELECT card_key, retired_at FROM card_state").fetchall()
            retired = sorted(
                row["card_key"] for row in rows if row["retired_at"] is None and row["card_key"] not in current
            )
            returned = [row["card_key"] for row in rows if row["retired_at"] is not None and row["card_key"] in current]
            self._db.executemany(
                "UPDATE card_state SET retired_at = ? WHERE card_key = ?", [(utc_text(now), key) for key in retired]
            )
            self._db.executemany("UPDATE card_state SET retired_at = NULL WHERE card_key = ?", [(k,) for k in returned])
        return retired

    @_database_errors
    def wrong_answers(self) -> list[tuple[str, str]]:
        """Every typed or chosen answer rated Again, as (card key, answer), oldest first: what a student
        took each card for, from which `quiz.contrast` finds the pairs they keep confusing."""
        rows = self._db.execute(
            """SELECT card_key, answer FROM review_log
               WHERE rating = 1 AND answer IS NOT NULL AND answer_mode IN ('typed', 'choice') ORDER BY id"""
        )
        return [(row["card_key"], row["answer"]) for row in rows]
