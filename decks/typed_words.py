"""The words of a typed answer as the quiz reads them: case, accents and apostrophes do not count,
and fillers ("the", "of", "muscle", "nerve", or a misspelling of "muscle" or "nerve") are no part
of the answer.

Apart from the grader (`quiz.grader`), so that the fact loader can refuse a name or a
nerve with no word in it to grade a typed answer against.
"""

from __future__ import annotations

import re
import unicodedata

SPINAL_ROOTS: tuple[str, ...] = (
    *(f"t{n}" for n in range(1, 13)),
    *(f"l{n}" for n in range(1, 6)),
    *(f"s{n}" for n in range(1, 6)),
)

_ROOT_RANGE = re.compile(r"\b([tls])(\d{1,2})\s*(?:-|\u2013|\u2014|\bto\b)\s*([tls]?)(\d{1,2})\b")
_ITEM_SEPARATORS = re.compile(r"[,;&/+]|\band\b")
# Words that carry no meaning in an answer: "head of the fibula" = "head fibula".
FILLER_WORDS = frozenset({"a", "an", "the", "of", "muscle", "nerve"})


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub("['\u2019`]", "", plain)


def is_filler(word: str) -> bool:
    """A filler word, or a misspelt long one ('nerv', 'musle'): neither carries the answer."""
    return word in FILLER_WORDS or any(
        len(filler) > 3 and edit_distance(word, filler, typo_budget(filler)) <= typo_budget(filler)
        for filler in FILLER_WORDS
    )


def words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[^\W_]+", text) if not is_filler(w))


def typo_budget(word: str) -> int:
    """Edits forgiven in a word of this length: none in short words, where one letter makes another word."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), or `limit + 1` once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def _expand_root_range(match: re.Match[str]) -> str:
    first = match[1] + match[2]
    last = (match[3] or match[1]) + match[4]
    if first in SPINAL_ROOTS and last in SPINAL_ROOTS and SPINAL_ROOTS.index(first) < SPINAL_ROOTS.index(last):
        return ", ".join(SPINAL_ROOTS[SPINAL_ROOTS.index(first) : SPINAL_ROOTS.index(last) + 1])
    return match[0]


def answer_items(text: str) -> list[tuple[str, ...]]:
    """A text's list items as word tuples, as the grader compares them: "S1, S2", "S2 and S1" and "S1/S2" are
    two items, a root range "L4-S1" three, and a run of bare roots ("S1 S2") one item per root; no item:
    nothing a typed answer could be graded against."""
    items: list[tuple[str, ...]] = []
    for part in _ITEM_SEPARATORS.split(_ROOT_RANGE.sub(_expand_root_range, normalise(text))):
        found = words(part)
        if found and all(w in SPINAL_ROOTS for w in found):
            items.extend((w,) for w in found)
        elif found:
            items.append(found)
    return items
