"""What `myodeck stats` reports: what is due, how well it is remembered, what is weak."""

from __future__ import annotations

import datetime as dt
import io
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
    daily_retention: tuple[tuple[dt.date, int, int], ...]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["forecast"] = [(day.isoformat(), count) for day, count in self.forecast]
        data["daily_retention"] = [(day.isoformat(), n, kept) for day, n, kept in self.daily_retention]
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
        daily_retention=tuple(store.daily_retention(now, tz, WINDOW_DAYS)),
    )


def plot_stats(stats: Stats) -> bytes:
    """A PNG: the 30-day due forecast, and true retention per day over the last 30 days (matplotlib, loaded here)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    figure = Figure(figsize=(7, 5.2), dpi=100)
    FigureCanvasAgg(figure)
    due_axes, kept_axes = figure.subplots(2, 1)
    due_axes.bar([day for day, _ in stats.forecast], [count for _, count in stats.forecast], color="#d0021b")
    due_axes.set_title(f"Cards due, next {WINDOW_DAYS} days")
    due_axes.set_ylabel("cards")
    due_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    reviewed = [(day, kept / n) for day, n, kept in stats.daily_retention if n]
    if reviewed:
        kept_axes.plot([d for d, _ in reviewed], [r for _, r in reviewed], marker="o", color="#1a1a1a")
    else:
        kept_axes.text(
            0.5, 0.5, "no answers to review cards yet", ha="center", va="center", transform=kept_axes.transAxes
        )
    days = [day for day, _, _ in stats.daily_retention]
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
