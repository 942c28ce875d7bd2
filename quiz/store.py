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
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from platformdirs import user_data_dir

from decks.errors import MyodeckError
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


def _local_day_end(now: dt.datetime, tz: dt.tzinfo, days_after: int = 0) -> dt.datetime:
    """Midnight at the end of the local day `days_after` days after today's, in UTC."""
    today = as_utc(now).astimezone(tz).date()
    return dt.datetime.combine(today + dt.timedelta(days=days_after + 1), dt.time(), tzinfo=tz).astimezone(dt.UTC)


class ReviewStore:
    """The review database at `path` (default `default_db_path()`), created and migrated on open."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are only the explicit BEGIN IMMEDIATE below.
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the review database {self.path}: {error}") from error
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"cannot use the review database {self.path}: {error}") from error
        except StoreError:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

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
        except sqlite3.OperationalError as error:
            raise StoreError(f"cannot write to the review database {self.path}: {error}") from error

    def _migrate(self) -> None:
        if self.schema_version == len(MIGRATIONS):
            return
        with self._transaction():
            version = self.schema_version  # again, under the lock: another process may have migrated
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the review database {self.path} has schema version {version}, newer than this "
                    f"myodeck knows ({len(MIGRATIONS)}); upgrade myodeck"
                )
            for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in statements:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def record_review(
        self,
        card_key: str,
        new_state: CardState,
        rating: Rating,
        mode: AnswerMode,
        reviewed_at: dt.datetime,
        duration_ms: int | None,
        answer: str | None = None,
    ) -> None:
        """Store one answer and the card's new state together, committed at once."""
        with self._transaction():
            row = self._db.execute("SELECT state FROM card_state WHERE card_key = ?", (card_key,)).fetchone()
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

    def state(self, card_key: str) -> CardState | None:
        """The card's FSRS state, or None for a card never answered."""
        row = self._db.execute("SELECT * FROM card_state WHERE card_key = ?", (card_key,)).fetchone()
        return CardState.from_dict(dict(row)) if row else None

    def states(self) -> dict[str, CardState]:
        """Every current (not retired) card's state, in one query for a quick quiz start."""
        rows = self._db.execute("SELECT * FROM card_state WHERE retired_at IS NULL ORDER BY card_key")
        return {row["card_key"]: CardState.from_dict(dict(row)) for row in rows}

    def due_keys(self, now: dt.datetime) -> list[str]:
        """Current cards due at or before `now`, most overdue first."""
        rows = self._db.execute(
            "SELECT card_key FROM card_state WHERE retired_at IS NULL AND due <= ? ORDER BY due, card_key",
            (utc_text(now),),
        )
        return [row["card_key"] for row in rows]

    def due_counts(self, now: dt.datetime, tz: dt.tzinfo) -> DueCounts:
        """How many current cards are due now, by the end of today and within 7 days, days local to `tz`."""
        row = self._db.execute(
            """SELECT COALESCE(SUM(due <= :now), 0), COALESCE(SUM(due < :today), 0), COALESCE(SUM(due < :week), 0)
               FROM card_state WHERE retired_at IS NULL""",
            {
                "now": utc_text(now),
                "today": utc_text(_local_day_end(now, tz)),
                "week": utc_text(_local_day_end(now, tz, days_after=6)),
            },
        ).fetchone()
        return DueCounts(*row)

    def due_forecast(self, now: dt.datetime, tz: dt.tzinfo, days: int = 30) -> list[tuple[dt.date, int]]:
        """Cards due on each of the next `days` local days, today first (overdue cards count today)."""
        today = as_utc(now).astimezone(tz).date()
        counts = dict.fromkeys((today + dt.timedelta(days=n) for n in range(days)), 0)
        rows = self._db.execute(
            "SELECT due FROM card_state WHERE retired_at IS NULL AND due < ?",
            (utc_text(_local_day_end(now, tz, days_after=days - 1)),),
        )
        for row in rows:
            counts[max(today, dt.datetime.fromisoformat(row["due"]).astimezone(tz).date())] += 1
        return list(counts.items())

    def recent_reviews(self, now: dt.datetime, days: int = 30) -> RecentReviews:
        """Answers in the `days` before `now`, with true retention (answers to cards in review state)."""
        row = self._db.execute(
            """SELECT COUNT(*), COALESCE(SUM(prior_state = 'review'), 0),
                      COALESCE(SUM(prior_state = 'review' AND rating > 1), 0)
               FROM review_log WHERE reviewed_at > ? AND reviewed_at <= ?""",
            (utc_text(now - dt.timedelta(days=days)), utc_text(now)),
        ).fetchone()
        return RecentReviews(*row)

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
            day = dt.datetime.fromisoformat(row["reviewed_at"]).astimezone(tz).date()
            if day in tally:
                tally[day][0] += 1
                tally[day][1] += row["rating"] > 1
        return [(day, answered, remembered) for day, (answered, remembered) in tally.items()]

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
