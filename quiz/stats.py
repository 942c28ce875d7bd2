"""What `myodeck stats` reports: what is due, how well it is remembered, what is weak."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from decks.fact_cache import DeckIndex
from decks.words import counted
from quiz.store import AnswerCount, ReviewStore

LEECH_LAPSES = 4
LEECHES_SHOWN = 20  # in the text; a list of hundreds is read by no one (`--json` has them all)
WINDOW_DAYS = 30
_MIN_ANSWERS_TO_RANK = 3
RETENTION_MEANING = "the share of cards due for review that you remembered; learning steps not counted"


@dataclass(frozen=True)
class Weakness:
    """A muscle or card kind often answered Again: `id` is what --muscle or --topic takes, `name` what to show."""

    id: str
    name: str
    answers: int
    again: int

    @property
    def again_rate(self) -> float:
        return self.again / self.answers


class CardNote(NamedTuple):
    """A card `stats` points at (a leech, a flagged card): its key to quote, and what it asks.

    Leeches come by the thousand in a large deck: as named tuples they are made five
    times faster than as frozen dataclasses, and are as immutable.
    """

    card_key: str
    muscle: str
    question: str


class Leech(NamedTuple):
    card: CardNote
    lapses: int


@dataclass(frozen=True)
class Flagged:
    card: CardNote
    flagged_at: dt.datetime
    comment: str


@dataclass(frozen=True)
class DueDay:
    day: dt.date
    due: int


@dataclass(frozen=True)
class RetentionDay:
    day: dt.date
    answers: int
    remembered: int


@dataclass(frozen=True)
class Stats:
    due_now: int
    due_today: int
    due_week: int
    reviews_30d: int
    retention_30d: float | None
    weakest_muscles: tuple[Weakness, ...]
    weakest_kinds: tuple[Weakness, ...]
    leeches: tuple[Leech, ...]
    flagged: tuple[Flagged, ...]
    forecast: tuple[DueDay, ...]
    daily_retention: tuple[RetentionDay, ...]

    def to_dict(self) -> dict[str, object]:
        """The JSON shape: every list is a list of objects, days and times as ISO 8601 text."""
        return {
            "retention_meaning": RETENTION_MEANING,
            "due_now": self.due_now,
            "due_today": self.due_today,
            "due_week": self.due_week,
            "reviews_30d": self.reviews_30d,
            "retention_30d": self.retention_30d,
            "weakest_muscles": [vars(w).copy() for w in self.weakest_muscles],
            "weakest_kinds": [vars(w).copy() for w in self.weakest_kinds],
            "leeches": [{"card": leech.card._asdict(), "lapses": leech.lapses} for leech in self.leeches],
            "flagged": [
                {"card": f.card._asdict(), "flagged_at": f.flagged_at.isoformat(), "comment": f.comment}
                for f in self.flagged
            ],
            "forecast": [{"day": d.day.isoformat(), "due": d.due} for d in self.forecast],
            "daily_retention": [
                {"day": d.day.isoformat(), "answers": d.answers, "remembered": d.remembered}
                for d in self.daily_retention
            ],
        }

    def json_text(self) -> str:
        """`to_dict` as JSON: indented by key, each list item on a line of its own.

        `json.dumps(indent=…)` takes the pure-Python encoder: thousands of leeches took
        a third of a second. Each item encoded on one line by the C encoder reads as
        well and takes a tenth of that.
        """
        one_line = _one_line_encoder()
        entries = []
        for key, value in self.to_dict().items():
            if isinstance(value, list) and value:
                items = ",\n".join(f"    {one_line(item)}" for item in value)
                entries.append(f"  {one_line(key)}: [\n{items}\n  ]")
            else:
                entries.append(f"  {one_line(key)}: {one_line(value)}")
        return "{\n" + ",\n".join(entries) + "\n}"

    def lines(self) -> list[str]:
        """The figures as text, a line each (the command wraps them to the terminal)."""
        retention = "—" if self.retention_30d is None else f"{self.retention_30d:.0%}"
        lines = [
            f"Due now: {self.due_now}   by end of today: {self.due_today}   next 7 days: {self.due_week}",
            f"Last {WINDOW_DAYS} days: {counted(self.reviews_30d, 'answer')}, true retention {retention}",
            f"  (true retention: {RETENTION_MEANING})",
        ]
        for title, weak in (("Weakest muscles", self.weakest_muscles), ("Weakest card kinds", self.weakest_kinds)):
            if weak:
                ranked = ", ".join(f"{w.name} ({w.again}/{w.answers} again)" for w in weak)
                lines.append(f"{title}: {ranked}")
        if self.leeches:
            lines.append(f"Leeches ({LEECH_LAPSES}+ lapses; `myodeck quiz --mistakes` studies them):")
            shown = self.leeches[:LEECHES_SHOWN]  # most lapses first
            lines += [f"  {_card_line(leech.card)} · {leech.lapses} lapses" for leech in shown]
            if len(self.leeches) > len(shown):
                lines.append(f"  … and {len(self.leeches) - len(shown)} more (`myodeck stats --json` lists them all)")
        if self.flagged:
            lines.append(f"Flagged cards ({len(self.flagged)}):")
            for flag in self.flagged:
                said = f" · “{flag.comment}”" if flag.comment else ""
                lines.append(f"  {_card_line(flag.card)} · {flag.flagged_at:%Y-%m-%d}{said}")
        return lines


def _one_line_encoder() -> Callable[[object], str]:
    """JSON on one line, `", "` and `": "` between items and keys, non-ASCII kept.

    `JSONEncoder.encode` makes a new C encoder on every call, half the time of a short
    value: with thousands of leeches, one made once (as `JSONEncoder` makes it) halves
    the time of `--json`. Without the C accelerator, `JSONEncoder.encode` it is.
    """
    from json import encoder

    if encoder.c_make_encoder is None:
        return json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    # The arguments `JSONEncoder.iterencode` passes: no circular-reference markers (the figures are a
    # tree of plain values), no default, the non-ASCII string encoder, no indent, the separators,
    # keys unsorted, none skipped, NaN allowed.
    make = encoder.c_make_encoder(None, None, encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(make(value, 0))


def _card_line(card: CardNote) -> str:
    """What the card asks, with its muscle's name (a pattern card's question does not say it), then its key."""
    asks = card.question if card.question.startswith(card.muscle) else f"{card.muscle}: {card.question}"
    return f"{asks} ({card.card_key})"


def _weakest(
    counts: dict[str, AnswerCount], at: dict[str, int], group_of: tuple[str, ...], names: dict[str, str]
) -> tuple[Weakness, ...]:
    """The three groups (muscles or card kinds: `group_of` card at its position `at`) most often answered Again."""
    totals: dict[str, list[int]] = {}
    for key, (answers, again) in counts.items():
        if (n := at.get(key)) is not None:
            total = totals.setdefault(group_of[n], [0, 0])
            total[0] += answers
            total[1] += again
    ranked = [Weakness(g, names.get(g, g), n, again) for g, (n, again) in totals.items() if n >= _MIN_ANSWERS_TO_RANK]
    ranked.sort(key=lambda w: (-w.again_rate, -w.answers, w.id))
    return tuple(w for w in ranked[:3] if w.again)


def _card_note(key: str, cards: dict[str, int], index: DeckIndex, questions: Sequence[str]) -> CardNote:
    """A card by key; one whose fact is gone (retired) keeps its key and says so."""
    at = cards.get(key)
    if at is None:
        return CardNote(key, "", "a card no longer in the fact files")
    return CardNote(key, index.muscle_names[index.muscle_ids[at]], questions[at])


def collect_stats(
    store: ReviewStore, index: DeckIndex, questions: Sequence[str], now: dt.datetime, tz: dt.tzinfo
) -> Stats:
    """The figures of `myodeck stats` at `now`, days counted in the local zone `tz`, for the cards of `index`
    (whose `questions` name them)."""
    since = now - dt.timedelta(days=WINDOW_DAYS)
    due = store.due_counts(now, tz)
    recent = store.recent_reviews(now, WINDOW_DAYS)
    counts = store.answer_counts(since)
    at = {key: n for n, key in enumerate(index.keys)}
    return Stats(
        due_now=due.now,
        due_today=due.today,
        due_week=due.week,
        reviews_30d=recent.reviews,
        retention_30d=recent.retention,
        weakest_muscles=_weakest(counts, at, index.muscle_ids, index.muscle_names),
        weakest_kinds=_weakest(counts, at, index.kinds, {}),
        leeches=tuple(
            Leech(_card_note(key, at, index, questions), n) for key, n in store.lapse_counts(LEECH_LAPSES).items()
        ),
        flagged=tuple(
            Flagged(_card_note(f.card_key, at, index, questions), f.flagged_at, f.comment) for f in store.flags()
        ),
        forecast=tuple(DueDay(day, n) for day, n in store.due_forecast(now, tz, WINDOW_DAYS)),
        daily_retention=tuple(
            RetentionDay(day, n, kept) for day, n, kept in store.daily_retention(now, tz, WINDOW_DAYS)
        ),
    )


def plot_stats(stats: Stats) -> bytes:
    """A PNG: the 30-day due forecast, and true retention per day over the last 30 days (matplotlib, loaded here)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    figure = Figure(figsize=(7, 5.2), dpi=100)
    FigureCanvasAgg(figure)
    due_axes, kept_axes = figure.subplots(2, 1)
    due_axes.bar([d.day for d in stats.forecast], [d.due for d in stats.forecast], color="#d0021b")
    due_axes.set_title(f"Cards due, next {WINDOW_DAYS} days")
    due_axes.set_ylabel("cards")
    due_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    reviewed = [(d.day, d.remembered / d.answers) for d in stats.daily_retention if d.answers]
    if reviewed:
        kept_axes.plot([d for d, _ in reviewed], [r for _, r in reviewed], marker="o", color="#1a1a1a")
    else:
        kept_axes.text(
            0.5, 0.5, "no answers to review cards yet", ha="center", va="center", transform=kept_axes.transAxes
        )
    days = [d.day for d in stats.daily_retention]
    kept_axes.set_xlim(days[0], days[-1])
    kept_axes.set_ylim(0, 1.05)
    kept_axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    overall = "—" if stats.retention_30d is None else f"{stats.retention_30d:.0%}"
    kept_axes.set_title(f"True retention per day, last {WINDOW_DAYS} days (overall {overall})")
    for axes in (due_axes, kept_axes):
        for label in axes.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    figure.tight_layout()
    png = io.BytesIO()
    figure.savefig(png, format="png", metadata={"Software": None})
    return png.getvalue()
