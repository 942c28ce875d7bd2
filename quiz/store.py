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

`review_log`: append-only (triggers refuse DELETE, and UPDATE of anything but `undone_at`), one row per answer.
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
- `undone_at` TEXT NULL: when the student took the answer back (`u`); NULL while it
  stands. The only column ever updated, once; undone answers count in no figure.

`flag`: cards the student reported (`f`), for the instructor; `myodeck stats` lists them.
- `id` INTEGER PRIMARY KEY: order of flagging.
- `card_key` TEXT: the card (it need not have been answered).
- `flagged_at` TEXT: when.
- `comment` TEXT: what the student typed; empty when nothing.

`deck_sync`: one row, `card_keys` BLOB: the keys of the last deck `sync_cards` made current,
NUL-separated, or the fingerprint naming them that the quiz gave; the same deck at the next
quiz start is not compared card by card again.

`card_count`: one row, `current` INTEGER: how many current cards have a state, kept by
triggers on `card_state` as rows are inserted, deleted, retired and restored, so a quiz start
tells that every card was answered without counting them.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import sqlite3
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, NamedTuple, ParamSpec, TypeVar

from decks.cache_dir import user_folder
from decks.errors import MyodeckError, shown
from quiz.moments import as_utc, utc_text

if TYPE_CHECKING:  # the scheduler loads FSRS: only reading states needs it, and `stats` reads none
    from quiz.scheduler import CardState, Rating, State

BUSY_TIMEOUT_SECONDS = 5.0

_TIME_EXAMPLE = "2026-01-05T09:30:00.000000+00:00"
# What `utc_text` writes, as a GLOB pattern: text that sorts as the time it stands for.
_STORED_TIME = (
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]+00:00"
)

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
    (
        # Undo marks an answer instead of deleting it: the one change the log allows, once.
        "ALTER TABLE review_log ADD COLUMN undone_at TEXT",
        "DROP TRIGGER review_log_no_update",
        """CREATE TRIGGER review_log_no_update
            BEFORE UPDATE OF id, card_key, reviewed_at, rating, prior_state, answer_mode, duration_ms, answer
            ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TRIGGER review_log_undo_once BEFORE UPDATE OF undone_at ON review_log
            WHEN OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only: an answer is undone once'); END""",
        # Every windowed figure of `stats` reads this index alone, never the table.
        "DROP INDEX review_log_time",
        "CREATE INDEX review_log_window ON review_log (reviewed_at, card_key, rating, prior_state, undone_at)",
        """CREATE INDEX review_log_lapses ON review_log (card_key)
            WHERE rating = 1 AND prior_state = 'review' AND undone_at IS NULL""",
        """CREATE TABLE flag (
            id INTEGER PRIMARY KEY,
            card_key TEXT NOT NULL,
            flagged_at TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT ''
        )""",
    ),
    (
        # The wrong answers `quiz.contrast` reads at every quiz start, without walking the whole log.
        """CREATE INDEX review_log_wrong ON review_log (id)
            WHERE rating = 1 AND answer IS NOT NULL AND answer_mode IN ('typed', 'choice') AND undone_at IS NULL""",
    ),
    (
        # Which current cards were ever answered (the rest are new), read from this index alone.
        "CREATE INDEX card_state_current ON card_state (card_key) WHERE retired_at IS NULL",
        # The card keys `sync_cards` last made current: the same deck again needs no retiring or restoring.
        "CREATE TABLE deck_sync (id INTEGER PRIMARY KEY CHECK (id = 1), card_keys BLOB NOT NULL)",
    ),
    (
        # Due times are checked as they are written, by whatever program writes them, so a quiz start
        # need not walk every one (`_check_due_times`); `_migrate` checks those written before, once.
        *(
            f"""CREATE TRIGGER card_state_due_on_{event.split()[0].lower()} BEFORE {event} ON card_state
                WHEN NEW.due NOT GLOB '{_STORED_TIME}'
                BEGIN SELECT RAISE(ABORT, 'card_state.due must be UTC time text like {_TIME_EXAMPLE}'); END"""
            for event in ("INSERT", "UPDATE OF due")
        ),
    ),
    (
        # A quiz plans from the current cards due soon: read from the due index alone. Looking each up in
        # the table took half of a quiz start's 4.7 ms on a long history (1,700 due of 100,000 states).
        "DROP INDEX card_state_due",
        "CREATE INDEX card_state_due ON card_state (due, state, card_key, retired_at) WHERE retired_at IS NULL",
    ),
    (
        # How many current cards have a state, kept by the database as states are written, whatever
        # program writes them: a quiz start tells that every card was answered without counting the
        # states of a long history one by one (`known_count`).
        "CREATE TABLE card_count (id INTEGER PRIMARY KEY CHECK (id = 1), current INTEGER NOT NULL)",
        "INSERT INTO card_count (id, current) SELECT 1, COUNT(*) FROM card_state WHERE retired_at IS NULL",
        """CREATE TRIGGER card_count_on_insert AFTER INSERT ON card_state WHEN NEW.retired_at IS NULL
            BEGIN UPDATE card_count SET current = current + 1; END""",
        """CREATE TRIGGER card_count_on_delete AFTER DELETE ON card_state WHEN OLD.retired_at IS NULL
            BEGIN UPDATE card_count SET current = current - 1; END""",
        """CREATE TRIGGER card_count_on_retire AFTER UPDATE OF retired_at ON card_state
            WHEN (OLD.retired_at IS NULL) != (NEW.retired_at IS NULL)
            BEGIN UPDATE card_count SET current = current + (NEW.retired_at IS NULL) - (OLD.retired_at IS NULL); END""",
    ),
)
_DUE_TRIGGERS = ("card_state_due_on_insert", "card_state_due_on_update")  # migration 5's
_DUE_TRIGGERS_VERSION = 5  # the schema version that made them
COUNT_TRIGGERS = ("card_count_on_insert", "card_count_on_delete", "card_count_on_retire")  # migration 7's

DUE_BY_QUERY = "SELECT card_key, state, due FROM card_state WHERE retired_at IS NULL AND due <= ?"  # the index alone
WRONG_ANSWERS_QUERY = """SELECT card_key, answer FROM review_log
    WHERE rating = 1 AND answer IS NOT NULL AND answer_mode IN ('typed', 'choice') AND undone_at IS NULL
    ORDER BY id"""  # reads the index `review_log_wrong` alone

# An older database reads, read-only, as if migrated: temporary objects shadow the
# missing parts (SQLite looks names up in `temp` first), nothing is written. A migration
# that only adds an index needs nothing here: reading is slower without it, not different.
_READ_AS_CURRENT: dict[int, tuple[str, ...]] = {
    6: (),  # without the count of current states: `known_count` counts them
    5: (),
    4: (),  # without the triggers that check due times as written: `_check_due_times` reads them all
    3: (),  # `deck_sync` is the quiz's own: `stats` never reads it
    2: (),
    1: (
        "CREATE TEMP VIEW review_log AS SELECT *, NULL AS undone_at FROM main.review_log",
        "CREATE TEMP TABLE flag (id INTEGER PRIMARY KEY, card_key TEXT NOT NULL, flagged_at TEXT NOT NULL, "
        "comment TEXT NOT NULL DEFAULT '')",
    ),
}


class StoreError(MyodeckError):
    """The review database cannot be used: not a database, or written by a newer myodeck."""


class AnswerMode(StrEnum):
    SELF = "self"
    TYPED = "typed"
    CHOICE = "choice"


# Rows and figures are named tuples, like `Due` and `AnswerCount`: every quiz start imports this module,
# and CPython takes about 0.5 ms to make a frozen dataclass (it compiles six methods), a tenth of that a named tuple.
class DueCounts(NamedTuple):
    """Cards due now, by the end of today, and by the end of the 7th day (today included)."""

    now: int
    today: int
    week: int


class RecentReviews(NamedTuple):
    """Answers in a window, and how many of those to `review` cards were remembered (Hard or better)."""

    reviews: int
    review_state_reviews: int
    remembered: int

    @property
    def retention(self) -> float | None:
        """True retention: the share of review-state answers that were not Again (None with none)."""
        return self.remembered / self.review_state_reviews if self.review_state_reviews else None


class Recorded(NamedTuple):
    """One saved answer: the card's new state, its log row, and the state before it (None: new), to undo it."""

    state: CardState
    log_id: int
    prior: CardState | None


class AnswerCount(NamedTuple):
    """How often a card (or a group of cards) was answered, and how often Again.

    A named tuple, not a dataclass: `stats` makes one per card answered in its window
    (tens of thousands), and a tuple is made in a fifth of the time.
    """

    answers: int
    again: int


class Due(NamedTuple):
    """A card's learning state and due time: what a quiz plans with. Thousands of cards may be due
    on a long history; each whole state is read only when its card is asked."""

    state: State
    due: dt.datetime


class Flag(NamedTuple):
    """A card a student reported as wrong or unclear, with what they said."""

    card_key: str
    flagged_at: dt.datetime
    comment: str


def default_db_path() -> Path:
    """$MYODECK_DB if set, else reviews.sqlite3 in the platform's per-user data directory."""
    if override := os.environ.get("MYODECK_DB"):
        return Path(override).expanduser()
    return user_folder("data") / "reviews.sqlite3"


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


def _local_days(now: dt.datetime, tz: dt.tzinfo, offsets: range) -> list[tuple[int, str, str]]:
    """Each local day `n` days after today (`n` from `offsets`): `(n, its start, its end)` as stored time text."""
    return [(n, utc_text(local_day_end(now, tz, n - 1)), utc_text(local_day_end(now, tz, n))) for n in offsets]


def _days_table(days: list[tuple[int, str, str]]) -> tuple[str, list[object]]:
    """A `WITH day (n, start, stop)` clause of `days` and its parameters, to count per day in one query."""
    rows = ", ".join(["(?, ?, ?)"] * len(days))
    return f"WITH day (n, start, stop) AS (VALUES {rows})", [value for day in days for value in day]


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
        self._due_times_guarded = self._states_counted = False  # until the schema is known
        try:
            self._db.row_factory = sqlite3.Row
            self._refuse_foreign()
            if read_only and self.schema_version < len(MIGRATIONS):
                self._read_older()
            if not read_only:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA foreign_keys = ON")
                self._migrate()
            # What the triggers keep as it is written, whatever program writes: each due time checked
            # (migration 5), the current states counted (7). A database read as an older one, or whose
            # triggers another program dropped, has them checked and counted as they are read instead.
            triggers = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            self._due_times_guarded = set(_DUE_TRIGGERS) <= triggers
            self._states_counted = set(COUNT_TRIGGERS) <= triggers
        except sqlite3.Error as error:
            self._db.close()
            raise StoreError(f"cannot use the review database {self.path}: {_hint(error)}") from error
        except StoreError:
            self._db.close()
            raise

    def _refuse_foreign(self) -> None:
        """Refuse another program's database, or a newer myodeck's, having only read it."""
        # Version and tables from one snapshot: read apart, another quiz's first migration could
        # land in between, and its tables would look like a stranger's under version 0.
        snapshot = not self._db.in_transaction
        if snapshot:
            self._db.execute("BEGIN")
        try:
            version = self.schema_version
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            if snapshot:
                self._db.execute("COMMIT")
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
        """Read-only, an empty file reads as no history, the previous schema as the current one;
        an older one cannot be migrated here."""
        if self.schema_version == 0:  # no tables either: `_refuse_foreign` saw to that
            self._db.close()
            self._db = _empty_database()
            self._db.row_factory = sqlite3.Row
            return
        if self.schema_version in _READ_AS_CURRENT:
            for statement in _READ_AS_CURRENT[self.schema_version]:
                self._db.execute(statement)
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
        from quiz.scheduler import CardState

        # Parsed once; only a row that fails is looked at again, to say which value is wrong
        # (a quiz start reads thousands of rows).
        try:
            return CardState.from_dict(row)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            key = shown(str(row["card_key"]))
            for column in ("due", "last_review"):
                self._moment(row[column], f"{column} of card '{key}'")
            raise self._malformed(f"state of card '{key}' ({shown(str(error))})") from None

    def _moment(self, text: object, what: str) -> dt.datetime:
        """A stored time; a value another program wrote badly is a StoreError, not a crash."""
        try:
            moment = dt.datetime.fromisoformat(text)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            moment = None
        if moment is None or moment.utcoffset() is None:
            raise self._malformed(f"{what}: '{shown(str(text))}' (expected a time like {_TIME_EXAMPLE})")
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
            if version < _DUE_TRIGGERS_VERSION:
                self._check_due_times(every_card=True)  # written before the triggers: checked once, retired too

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
    ) -> Recorded:
        """Store one answer and the card's new state, `review(its state now)`, in one transaction.

        The state is read in the transaction that writes (BEGIN IMMEDIATE holds the write
        lock), so an answer given meanwhile in another window is built upon, never
        overwritten: a card's state is always what its log implies.
        """
        with self._transaction():
            row = self._db.execute("SELECT * FROM card_state WHERE card_key = ?", (card_key,)).fetchone()
            prior = self._card_state(row) if row else None
            new_state = review(prior)
            self._db.execute(
                """INSERT INTO card_state
                       (card_key, state, step, stability, difficulty, due, last_review, first_seen)
                   VALUES (:card_key, :state, :step, :stability, :difficulty, :due, :last_review, :reviewed_at)
                   ON CONFLICT (card_key) DO UPDATE SET
                       state = excluded.state, step = excluded.step, stability = excluded.stability,
                       difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review""",
                {**new_state.to_dict(), "card_key": card_key, "reviewed_at": utc_text(reviewed_at)},
            )
            log = self._db.execute(
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
        assert log.lastrowid is not None
        return Recorded(new_state, log.lastrowid, prior)

    @_database_errors
    def undo_review(self, card_key: str, recorded: Recorded, now: dt.datetime) -> None:
        """Put the card back as it was before `recorded` and mark that answer undone (the log keeps it).

        Refused when the card was answered again since (in another window): undoing
        the older answer would throw the newer one away.
        """
        # A first answer undone leaves its log row pointing at no state (the card is new
        # again); foreign keys can only be switched outside a transaction.
        self._db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self._transaction():
                latest = self._db.execute(
                    "SELECT MAX(id) FROM review_log WHERE card_key = ? AND undone_at IS NULL", (card_key,)
                ).fetchone()[0]
                if latest != recorded.log_id:
                    raise StoreError(f"card '{shown(card_key)}' was answered again since; that answer stays")
                self._db.execute("UPDATE review_log SET undone_at = ? WHERE id = ?", (utc_text(now), recorded.log_id))
                if recorded.prior is None:
                    self._db.execute("DELETE FROM card_state WHERE card_key = ?", (card_key,))
                else:
                    self._db.execute(
                        """UPDATE card_state SET state = :state, step = :step, stability = :stability,
                               difficulty = :difficulty, due = :due, last_review = :last_review
                           WHERE card_key = :card_key""",
                        {**recorded.prior.to_dict(), "card_key": card_key},
                    )
        finally:
            self._db.execute("PRAGMA foreign_keys = ON")

    @_database_errors
    def flag_card(self, card_key: str, now: dt.datetime, comment: str = "") -> None:
        """Record that the student reported `card_key` (a mistake, something unclear), for the instructor."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO flag (card_key, flagged_at, comment) VALUES (?, ?, ?)", (card_key, utc_text(now), comment)
            )

    @_database_errors
    def flags(self) -> list[Flag]:
        """Every flag, oldest first."""
        rows = self._db.execute("SELECT card_key, flagged_at, comment FROM flag ORDER BY id")
        return [Flag(row["card_key"], self._moment(row["flagged_at"], "flag time"), row["comment"]) for row in rows]

    @_database_errors
    def missed_since(self, since: dt.datetime) -> list[str]:
        """Cards answered Again from `since` on, most recently missed first (retired ones included:
        the caller keeps the cards it has)."""
        rows = self._db.execute(
            """SELECT card_key FROM review_log WHERE reviewed_at >= ? AND rating = 1 AND undone_at IS NULL
               GROUP BY +card_key ORDER BY MAX(reviewed_at) DESC, card_key""",
            (utc_text(since),),
        )
        return [row["card_key"] for row in rows]

    @_database_errors
    def state(self, card_key: str) -> CardState | None:
        """The card's FSRS state, or None for a card never answered."""
        row = self._db.execute("SELECT * FROM card_state WHERE card_key = ?", (card_key,)).fetchone()
        return self._card_state(row) if row else None

    @_database_errors
    def states(self) -> dict[str, CardState]:
        """Every current (not retired) card's state, in one query for a quick quiz start."""
        rows = self._db.execute("SELECT * FROM card_state WHERE retired_at IS NULL")
        return {row["card_key"]: self._card_state(row) for row in rows}

    @_database_errors
    def due_by(self, moment: dt.datetime) -> dict[str, Due]:
        """The current cards due at or before `moment`: all a quiz plans from, read along the due index
        (a long history holds tens of thousands of states, few of them due). A due time that is not
        stored time text is an error first, not a card passed over."""
        from quiz.scheduler import STATE_NAMED

        self._check_due_times()  # so each due time below is UTC time text
        rows = self._plain_rows(DUE_BY_QUERY, (utc_text(moment),)).fetchall()
        keys, states, dues = zip(*rows, strict=True) if rows else ((), (), ())
        if unknown := set(states) - STATE_NAMED.keys():  # past the table's CHECK: written by another program
            key, state = next((key, state) for key, state, _ in rows if state in unknown)
            raise self._malformed(f"state of card '{shown(str(key))}' ('{shown(str(state))}')")
        # Made in C, column by column: a long history has thousands due, each a Python call before (1 ms).
        columns = zip(map(STATE_NAMED.__getitem__, states), map(dt.datetime.fromisoformat, dues), strict=True)
        return dict(zip(keys, map(functools.partial(tuple.__new__, Due), columns), strict=True))

    @_database_errors
    def known_keys(self) -> set[str]:
        """The current cards answered at least once; the others are new."""
        return {key for (key,) in self._plain_rows("SELECT card_key FROM card_state WHERE retired_at IS NULL", ())}

    @_database_errors
    def known_count(self) -> int:
        """How many current cards were answered at least once: kept by migration 7's triggers; counted
        along their index where they are missing (a database read as an older one, or whose triggers
        another program dropped)."""
        if self._states_counted:
            return int(self._db.execute("SELECT current FROM card_count").fetchone()[0])
        return int(self._db.execute("SELECT COUNT(*) FROM card_state WHERE retired_at IS NULL").fetchone()[0])

    @_database_errors
    def next_due(self) -> dt.datetime | None:
        """When the first current card falls due (None: no card answered yet)."""
        self._check_due_times()
        due = self._db.execute("SELECT MIN(due) FROM card_state WHERE retired_at IS NULL").fetchone()[0]
        return None if due is None else self._moment(due, "due time")

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
            """SELECT COUNT(DISTINCT card_key) FROM review_log
               WHERE prior_state = 'new' AND reviewed_at >= ? AND undone_at IS NULL""",
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
        """Cards due on each of the next `days` local days, today first (overdue cards count today).

        Counted by SQLite, one range of the due index per day; a due time that is not stored
        time text is an error first, not a card passed over.
        """
        self._check_due_times(even_if_guarded=True)
        today = as_utc(now).astimezone(tz).date()
        bounds = _local_days(now, tz, range(days))
        bounds[0] = (0, "", bounds[0][2])  # overdue: today
        days_table, params = _days_table(bounds)
        rows = self._db.execute(
            f"""{days_table} SELECT day.n, COUNT(card.due) FROM day LEFT JOIN card_state AS card
                ON card.retired_at IS NULL AND card.due >= day.start AND card.due < day.stop
                GROUP BY day.n ORDER BY day.n""",
            params,
        )
        return [(today + dt.timedelta(days=n), count) for n, count in rows]

    def _check_due_times(self, every_card: bool = False, even_if_guarded: bool = False) -> None:
        """Raise on the first current card (`every_card`: retired ones too) whose due time is not as
        `utc_text` writes it. Where the triggers checked each as it was written, only `even_if_guarded`:
        `stats`, which is not timed to the millisecond, reads every due time still, and so finds a
        damaged page of the due index that its own queries might not read."""
        if self._due_times_guarded and not (every_card or even_if_guarded):
            return
        # Along the due index, which holds every due time: SQLite's own choice, the current-card index,
        # looks each one up in the table (twice as slow on a long history).
        query = (
            "SELECT card_key, due FROM card_state WHERE due NOT GLOB ? LIMIT 1"
            if every_card
            else "SELECT card_key, due FROM card_state INDEXED BY card_state_due"
            " WHERE retired_at IS NULL AND due NOT GLOB ? LIMIT 1"
        )
        row = self._db.execute(query, (_STORED_TIME,)).fetchone()
        if row is not None:
            what = f"due of card '{shown(str(row['card_key']))}'"
            self._moment(row["due"], what)  # says what is wrong with it when it is no time at all
            raise self._malformed(f"{what}: '{shown(str(row['due']))}' (expected a time like {_TIME_EXAMPLE})")

    @_database_errors
    def recent_reviews(self, now: dt.datetime, days: int = 30) -> RecentReviews:
        """Answers in the `days` before `now`, with true retention (answers to cards in review state)."""
        row = self._db.execute(
            """SELECT COUNT(*), COALESCE(SUM(prior_state = 'review'), 0),
                      COALESCE(SUM(prior_state = 'review' AND rating > 1), 0)
               FROM review_log WHERE reviewed_at > ? AND reviewed_at <= ? AND undone_at IS NULL""",
            (utc_text(now - dt.timedelta(days=days)), utc_text(now)),
        ).fetchone()
        return RecentReviews(*row)

    @_database_errors
    def daily_retention(self, now: dt.datetime, tz: dt.tzinfo, days: int = 30) -> list[tuple[dt.date, int, int]]:
        """Per local day of the last `days` (oldest first): answers to review cards, and those remembered.

        One range of the window's index per day, counted by SQLite: the answers are never read one by one.
        """
        today = as_utc(now).astimezone(tz).date()
        days_table, params = _days_table(_local_days(now, tz, range(1 - days, 1)))
        rows = self._db.execute(
            f"""{days_table} SELECT day.n, COUNT(log.rating), COALESCE(SUM(log.rating > 1), 0) FROM day
                LEFT JOIN review_log AS log ON log.reviewed_at >= day.start AND log.reviewed_at < day.stop
                     AND log.reviewed_at <= ? AND log.prior_state = 'review' AND log.undone_at IS NULL
                GROUP BY day.n ORDER BY day.n""",
            [*params, utc_text(now)],
        )
        return [(today + dt.timedelta(days=n), answers, remembered) for n, answers, remembered in rows]

    @_database_errors
    def lapse_counts(self, min_lapses: int = 1) -> dict[str, int]:
        """Lapses (Again on a card in review state) per current card with at least `min_lapses`.

        A card with many lapses is a leech: rereading it will not fix it; the
        student needs a mnemonic or the fact a different way.
        """
        # Grouped along the lapses' partial index, which holds only the lapses: the log is never walked.
        rows = self._plain_rows(
            """SELECT log.card_key, log.lapses FROM (
                   SELECT card_key, COUNT(*) AS lapses FROM review_log
                   WHERE rating = 1 AND prior_state = 'review' AND undone_at IS NULL
                   GROUP BY card_key HAVING lapses >= ?) AS log
               JOIN card_state AS card ON card.card_key = log.card_key AND card.retired_at IS NULL
               ORDER BY log.lapses DESC, log.card_key""",
            (min_lapses,),
        )
        return dict(rows)

    @_database_errors
    def answer_counts(self, since: dt.datetime) -> dict[str, AnswerCount]:
        """Answers and Agains per card from `since` on, from one read of the window's index.

        Counted in C (`Counter`) as the index gives them, in time order: grouping in SQL sorted the
        window's tens of thousands of answers first, twice the time. Grouping them by muscle or card
        kind is the caller's: one pass over the log serves both.
        """
        rows = self._plain_rows(
            "SELECT card_key, rating = 1 FROM review_log WHERE reviewed_at >= ? AND undone_at IS NULL",
            (utc_text(since),),
        ).fetchall()
        answers = Counter(map(itemgetter(0), rows))
        again = Counter(itertools.compress(map(itemgetter(0), rows), map(itemgetter(1), rows)))
        columns = zip(answers.values(), map(again.__getitem__, answers), strict=True)
        return dict(zip(answers, map(functools.partial(tuple.__new__, AnswerCount), columns), strict=True))

    def _plain_rows(self, sql: str, parameters: tuple[object, ...]) -> sqlite3.Cursor:
        """Rows as plain tuples: a query of thousands of rows spends a third of its time making `sqlite3.Row`s."""
        cursor = self._db.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, parameters)

    @_database_errors
    def sync_cards(self, current_keys: Iterable[str], now: dt.datetime, fingerprint: bytes | None = None) -> list[str]:
        """Retire cards no longer in `current_keys`, restore any that came back; return the newly retired.

        A card whose fact was deleted is reported, not silently dropped, and its
        history is kept. `fingerprint`, when given, names `current_keys` exactly (a
        digest of them, in order; `decks.fact_cache.DeckIndex.fingerprint`), and is
        compared instead of the keys: a thousand muscles' keys are half a megabyte.
        """
        keys = list(current_keys)
        # The deck of the last sync again (a quiz start, most days): nothing can have changed since,
        # for only a sync retires or restores a card. Compared whole, so no two decks look alike.
        synced = fingerprint if fingerprint is not None else "\0".join(keys).encode()
        same = self._db.execute("SELECT card_keys = ? FROM deck_sync", (synced,)).fetchone()
        if same is not None and same[0]:
            return []
        # The current keys go in a temporary table, so only the rows that change are read,
        # not the state of every card ever answered.
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS current_card (card_key TEXT PRIMARY KEY)")
        with self._transaction():
            self._db.execute("DELETE FROM temp.current_card")
            self._db.executemany("INSERT OR IGNORE INTO temp.current_card VALUES (?)", ((k,) for k in keys))
            # Sorted here: ORDER BY would walk the primary key, through every retired card too.
            retired = sorted(
                row[0]
                for row in self._db.execute(
                    """SELECT card_key FROM main.card_state WHERE retired_at IS NULL
                       AND card_key NOT IN (SELECT card_key FROM temp.current_card)"""
                )
            )
            self._db.executemany(
                "UPDATE main.card_state SET retired_at = ? WHERE card_key = ?", [(utc_text(now), k) for k in retired]
            )
            self._db.execute(
                """UPDATE main.card_state SET retired_at = NULL WHERE retired_at IS NOT NULL
                   AND card_key IN (SELECT card_key FROM temp.current_card)"""
            )
            self._db.execute("INSERT OR REPLACE INTO deck_sync (id, card_keys) VALUES (1, ?)", (synced,))
        return retired

    @_database_errors
    def wrong_answers(self) -> list[tuple[str, str]]:
        """Every typed or chosen answer rated Again, as (card key, answer), oldest first: what a student
        took each card for, from which `quiz.contrast` finds the pairs they keep confusing."""
        return list(self._plain_rows(WRONG_ANSWERS_QUERY, ()))
