"""What `myodeck stats` reports: what is due, how well it is remembered, what is weak."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from decks.cards import Card
from quiz.store import ReviewStore

LEECH_LAPSES = 4
WINDOW_DAYS = 30
_MIN_ANSWERS_TO_RANK = 3


@dataclass(frozen=True)
class Weakness:
    group: str
    answers: int
    again: int

    @property
    def again_rate(self) -> float:
        return self.again / self.answers


@dataclass(frozen=True)
class Stats:
    due_now: int
    due_today: int
    due_week: int
    reviews_30d: int
    retention_30d: float | None
    weakest_muscles: tuple[Weakness, ...]
    weakest_kinds: tuple[Weakness, ...]
    leeches: tuple[tuple[str, int], ...]
    forecast: tuple[tuple[dt.date, int], ...]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["forecast"] = [(day.isoformat(), count) for day, count in self.forecast]
        return data

    def lines(self) -> list[str]:
        retention = "—" if self.retention_30d is None else f"{self.retention_30d:.0%}"
        lines = [
            f"Due now: {self.due_now}   by end of today: {self.due_today}   next 7 days: {self.due_week}",
            f"Last {WINDOW_DAYS} days: {self.reviews_30d} answers, true retention {retention}",
        ]
        for title, weak in (("Weakest muscles", self.weakest_muscles), ("Weakest card kinds", self.weakest_kinds)):
            if weak:
                ranked = ", ".join(f"{w.group} ({w.again}/{w.answers} again)" for w in weak)
                lines.append(f"{title}: {ranked}")
        if self.leeches:
            lines.append("Leeches (4+ lapses): " + ", ".join(f"{key} ({n})" for key, n in self.leeches))
        return lines


def _weakest(store: ReviewStore, group_of: dict[str, str], since: dt.datetime) -> tuple[Weakness, ...]:
    answers = store.review_counts(group_of, since)
    again = store.review_counts(group_of, since, again_only=True)
    ranked = [Weakness(g, n, again.get(g, 0)) for g, n in answers.items() if n >= _MIN_ANSWERS_TO_RANK]
    ranked.sort(key=lambda w: (-w.again_rate, -w.answers, w.group))
    return tuple(w for w in ranked[:3] if w.again)


def collect_stats(store: ReviewStore, cards: Sequence[Card], now: dt.datetime, tz: dt.tzinfo) -> Stats:
    """The figures of `myodeck stats` at `now`, days counted in the local zone `tz`."""
    since = now - dt.timedelta(days=WINDOW_DAYS)
    due = store.due_counts(now, tz)
    recent = store.recent_reviews(now, WINDOW_DAYS)
    return Stats(
        due_now=due.now,
        due_today=due.today,
        due_week=due.week,
        reviews_30d=recent.reviews,
        retention_30d=recent.retention,
        weakest_muscles=_weakest(store, {c.key: c.muscle_id for c in cards}, since),
        weakest_kinds=_weakest(store, {c.key: c.kind.value for c in cards}, since),
        leeches=tuple(store.lapse_counts(LEECH_LAPSES).items()),
        forecast=tuple(store.due_forecast(now, tz, WINDOW_DAYS)),
    )


def plot_stats(stats: Stats, path: str) -> None:
    """A PNG of the 30-day due forecast, with retention in the title (matplotlib, loaded only here)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    days = [day for day, _ in stats.forecast]
    axes.bar(days, [count for _, count in stats.forecast], color="#d0021b")
    retention = "no reviews yet" if stats.retention_30d is None else f"true retention {stats.retention_30d:.0%}"
    axes.set_title(f"Cards due, next {WINDOW_DAYS} days — {retention} over the last {WINDOW_DAYS} days")
    axes.set_ylabel("cards due")
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
