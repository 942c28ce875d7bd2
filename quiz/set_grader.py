"""Set answers ("Which muscles abduct the hip?") marked with partial credit, as a rating.

The student types the names in any order, separated by commas, semicolons or "and";
each part is marked like any typed answer (`quiz.grader`: aliases, abbreviations and
small typos accepted, a different term never). "and" inside a name ("dorsal and plantar
interossei") is kept when the whole part is a name. Every required item named is a
point, every credited one half a point, every part that names nothing asked for takes a
point away; the score over the number of required items gives the rating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from decks.cards import AnswerItem, AnswerSet
from quiz.grader import grade
from quiz.scheduler import Rating

CREDIT = Fraction(1, 2)  # a credited item (an assistant, a spillover zone) is worth half a required one
HARD_FROM = Fraction(1, 2)  # half the required score, at least: Hard; less: Again


def partial_rating(complete: bool, score: Fraction) -> Rating:
    """Partial credit as a rating, the one rule for set answers and paintings: Good when all that is
    required is there and nothing wrong (`complete`); Hard from half the score; else Again."""
    if complete:
        return Rating.Good
    return Rating.Hard if score >= HARD_FROM else Rating.Again


_PARTS = re.compile(r"[,;\n/+&]")
_AND = re.compile(r"\band\b", re.IGNORECASE)


@dataclass(frozen=True)
class SetGrade:
    """What a typed set answer named, missed and got wrong, and the rating that follows."""

    named: tuple[str, ...]  # required items named
    missing: tuple[str, ...]  # required items not named
    credited: tuple[str, ...]  # credited items named
    also_credited: tuple[str, ...]  # credited items not named (no penalty)
    extra: tuple[str, ...]  # typed parts that name nothing asked for, as typed

    @property
    def score(self) -> Fraction:
        """Points over the required items' count, from 0 (never negative)."""
        points = len(self.named) + CREDIT * len(self.credited) - len(self.extra)
        return max(Fraction(0), points / max(1, len(self.named) + len(self.missing)))

    @property
    def rating(self) -> Rating:
        return partial_rating(not self.missing and not self.extra, self.score)

    def lines(self) -> list[str]:
        """What the student sees: each group that is not empty, then the score."""
        groups = (
            ("✓ Named", self.named),
            ("✗ Missing", self.missing),
            ("+ Credited", self.credited),
            ("✗ Not right", self.extra),
            ("Also credited", self.also_credited),
        )
        lines = [f"{label}: {', '.join(items)}" for label, items in groups if items]
        tally = [f"{len(self.named)} of {len(self.named) + len(self.missing)} required"]
        if self.credited or self.also_credited:
            tally.append(f"{len(self.credited)} of {len(self.credited) + len(self.also_credited)} credited")
        if self.extra:
            tally.append(f"{len(self.extra)} wrong")
        return [*lines, f"{', '.join(tally)} → {self.rating.name}"]


def _match(part: str, items: tuple[AnswerItem, ...], taken: set[AnswerItem]) -> AnswerItem | None:
    """The first item not yet named that `part` names."""
    return next((item for item in items if item not in taken and grade(part, item.forms).correct), None)


def grade_set(answer: str, expected: AnswerSet) -> SetGrade:
    """Mark `answer` (names separated by commas or "and", any order) against `expected`."""
    every = expected.required + expected.credited
    taken: set[AnswerItem] = set()
    extra: list[str] = []
    for chunk in _PARTS.split(answer):
        if not chunk.strip():
            continue
        whole = _match(chunk, every, taken)
        parts = [chunk] if whole is not None else [p for p in _AND.split(chunk) if p.strip()]
        for part in parts:
            found = whole if whole is not None else _match(part, every, taken)
            if found is not None:
                taken.add(found)
            elif _match(part, tuple(taken), set()) is None:  # a name given twice counts once, and is no error
                extra.append(" ".join(part.split()))
    return SetGrade(
        tuple(i.name for i in expected.required if i in taken),
        tuple(i.name for i in expected.required if i not in taken),
        tuple(i.name for i in expected.credited if i in taken),
        tuple(i.name for i in expected.credited if i not in taken),
        tuple(extra),
    )
