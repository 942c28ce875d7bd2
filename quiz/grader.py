"""Typed answers marked the way an anatomy teacher marks them.

A slip of spelling is forgiven ("maleolus" earns the mark for "malleolus"); a
different anatomical term never is, however close its spelling ("internal" is
two letters from "external"). Case, accents, punctuation, spacing, articles and
the words "muscle" and "nerve" are ignored; synonyms (fibularis/peroneus, Achilles
tendon/calcaneal tendon, ...) count as the same answer.

Word order matters inside a term ("longus fibularis" is not a muscle) but not
between the items of a list: "S1, S2", "S2 and S1", "S1/S2" and "S1 S2" all
answer "S1 and S2", and a root range "L4-S1" means L4, L5 and S1. Spinal roots
and any word with a digit must be exact. Parenthesised words in an expected
answer are optional: "Superficial fibular (peroneal) nerve" accepts
"superficial fibular nerve".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

# Words that carry no meaning in an answer: "head of the fibula" = "head fibula".
FILLER_WORDS = frozenset({"a", "an", "the", "of", "muscle", "nerve"})

# Each group names one thing; answers are compared in the group's first phrase.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("fibular", "fibularis", "peroneal", "peroneus", "peronaeus"),
    ("calcaneal tendon", "Achilles tendon", "Achilles", "tendo calcaneus", "tendo Achillis"),
    ("hallux", "great toe", "big toe", "first toe"),
    ("patella", "kneecap", "knee cap"),
    ("tibia", "shin bone", "shinbone"),
    ("fibula", "calf bone"),
    ("calcaneus", "heel bone", "calcaneum", "os calcis"),
    ("femur", "thigh bone", "thighbone"),
    ("popliteal fossa", "back of the knee", "knee pit"),
    ("lateral malleolus", "outer ankle bone"),
    ("medial malleolus", "inner ankle bone"),
    ("plantar flexion", "plantarflexion"),
    ("dorsiflexion", "dorsal flexion", "dorsi flexion"),
)

# Terms students confuse, grouped by what they contrast. A misspelt word is
# corrected only to its unique nearest known word, and every word here is
# known: so "internal" stays "internal" and is wrong for "external", while
# "maleolus" (nearest known word "malleolus") is corrected.
CONTRASTS: tuple[str, ...] = (
    "anterior posterior",
    "superior inferior",
    "proximal distal",
    "medial lateral",
    "medialis lateralis intermedius",
    "dorsal plantar palmar",
    "internal external",
    "superficial deep",
    "upper lower",
    "inner outer",
    "major minor",
    "longus brevis tertius magnus",
    "maximus medius minimus",
    "flexor extensor",
    "flexion extension",
    "abductor adductor",
    "abduction adduction",
    "inversion eversion",
    "invert evert",
    "inverts everts",
    "hallucis digitorum pollicis",
    "tibial fibular",
    "tibialis fibularis",
    "tibia fibula",
    "metatarsal metacarpal",
    "tarsal carpal",
    "popliteus popliteal",
    "plantaris plantar",
    "peroneal perineal",
    "first second third fourth fifth",
)

SPINAL_ROOTS: tuple[str, ...] = (
    *(f"t{n}" for n in range(1, 13)),
    *(f"l{n}" for n in range(1, 6)),
    *(f"s{n}" for n in range(1, 6)),
)

_ROOT_RANGE = re.compile(r"\b([tls])(\d{1,2})\s*(?:-|\u2013|\u2014|\bto\b)\s*([tls]?)(\d{1,2})\b")
_ITEM_SEPARATORS = re.compile(r"[,;&/+]|\band\b")
_PARENTHESISED = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Typo:
    """A word accepted as a misspelling: what was typed and the word it was taken for."""

    written: str
    meant: str


@dataclass(frozen=True)
class GradeResult:
    """The mark for one typed answer, with a one-line reason to show the student."""

    correct: bool
    matched: str | None
    typos: tuple[Typo, ...]
    reason: str

    @property
    def close_call(self) -> bool:
        """Right, but only thanks to forgiven spelling: worth showing the correct spelling."""
        return self.correct and bool(self.typos)


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub("['\u2019`]", "", plain)


def _is_filler(word: str) -> bool:
    """A filler word, or a misspelt long one ('nerv', 'musle'): neither carries the answer."""
    return word in FILLER_WORDS or any(
        len(filler) > 3 and edit_distance(word, filler, typo_budget(filler)) <= typo_budget(filler)
        for filler in FILLER_WORDS
    )


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[^\W_]+", text) if not _is_filler(w))


def _expand_root_range(match: re.Match[str]) -> str:
    first = match[1] + match[2]
    last = (match[3] or match[1]) + match[4]
    if first in SPINAL_ROOTS and last in SPINAL_ROOTS and SPINAL_ROOTS.index(first) < SPINAL_ROOTS.index(last):
        return ", ".join(SPINAL_ROOTS[SPINAL_ROOTS.index(first) : SPINAL_ROOTS.index(last) + 1])
    return match[0]


def _items(text: str) -> list[tuple[str, ...]]:
    """A text's list items as word tuples; a run of bare roots ("S1 S2") is one item per root."""
    items: list[tuple[str, ...]] = []
    for part in _ITEM_SEPARATORS.split(_ROOT_RANGE.sub(_expand_root_range, _normalise(text))):
        words = _words(part)
        if words and all(w in SPINAL_ROOTS for w in words):
            items.extend((w,) for w in words)
        elif words:
            items.append(words)
    return items


@cache
def _phrases() -> dict[tuple[str, ...], str]:
    """Every synonym, as words, mapped to its group's first phrase."""
    return {_words(_normalise(p)): " ".join(_words(_normalise(group[0]))) for group in SYNONYMS for p in group}


@cache
def _known_words() -> frozenset[str]:
    contrasts = {w for group in CONTRASTS for w in group.split()}
    return frozenset(contrasts | {w for phrase in _phrases() for w in phrase})


def _canonical(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words with each synonym replaced by its group's first phrase (longest phrase first)."""
    phrases = _phrases()
    longest = max(len(p) for p in phrases)
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            if words[i : i + size] in phrases:
                out.append(phrases[words[i : i + size]])
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


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


def _correct(word: str, vocabulary: frozenset[str]) -> str:
    """The unique nearest vocabulary word within its typo budget, else the word as typed."""
    if word in vocabulary or any(ch.isdigit() for ch in word):
        return word
    distances = {known: edit_distance(word, known, typo_budget(known)) for known in vocabulary}
    near = {known: distance for known, distance in distances.items() if distance <= typo_budget(known)}
    if not near:
        return word
    closest = min(near.values())
    nearest = [known for known, distance in near.items() if distance == closest]
    return nearest[0] if len(nearest) == 1 else word


def _shown(item: tuple[str, ...]) -> str:
    return " ".join(w.upper() if w in SPINAL_ROOTS else w for w in item)


def _mark(answer: list[tuple[str, ...]], expected: list[tuple[str, ...]]) -> tuple[bool, tuple[Typo, ...], str | None]:
    """Compare one answer with one expected form: (correct, typos forgiven, why not)."""
    vocabulary = _known_words() | {w for item in expected for w in item}
    typos: list[Typo] = []
    corrected: list[tuple[str, ...]] = []
    for item in answer:
        words = tuple(_correct(w, vocabulary) for w in item)
        typos.extend(Typo(w, c) for w, c in zip(item, words, strict=True) if w != c)
        corrected.append(_canonical(words))
    answer_set, expected_set = set(corrected), {_canonical(item) for item in expected}
    if answer_set == expected_set:
        return True, tuple(typos), None
    if len(answer_set) == len(expected_set) == 1:
        (said,), (meant,) = answer_set, expected_set
        if sorted(said) == sorted(meant):
            return False, (), "right words, wrong order"
        if len(said) == len(meant):
            wrong = next((s, m) for s, m in zip(said, meant, strict=True) if s != m)
            return False, (), f"'{_shown(wrong[:1])}' is not '{_shown(wrong[1:])}'"
        return False, (), None
    missing = sorted(_shown(i) for i in expected_set - answer_set)
    extra = sorted(_shown(i) for i in answer_set - expected_set)
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"not {', '.join(extra)}"] if extra else [])
    return False, (), "; ".join(parts)


def _forms(expected: str) -> list[str]:
    """An expected answer with its parenthesised words left out, and with them kept."""
    if "(" not in expected:
        return [expected]
    return [_PARENTHESISED.sub(" ", expected), expected.replace("(", " ").replace(")", " ")]


def grade(answer: str, expected: str | Sequence[str]) -> GradeResult:
    """Mark a typed answer against one acceptable answer or a list of them.

    Raises ValueError when no expected answer has a word in it: that is a bug
    in the card, not a wrong answer.
    """
    acceptable = [expected] if isinstance(expected, str) else list(expected)
    forms = [(text, _items(form)) for text in acceptable for form in _forms(text)]
    forms = [(text, items) for text, items in forms if items]
    if not forms:
        raise ValueError(f"nothing to grade against: {expected!r}")
    answer_items = _items(answer)
    if not answer_items:
        return GradeResult(False, None, (), "no answer")
    marks = [(text, *_mark(answer_items, items)) for text, items in forms]
    right = [(len(typos), text, typos) for text, correct, typos, _ in marks if correct]
    if right:
        _, text, typos = min(right, key=lambda r: r[0])
        spelling = ", ".join(f"{t.meant} (not {t.written})" for t in typos)
        return GradeResult(True, text, typos, f"correct; spelling: {spelling}" if typos else "correct")
    why = next((why for *_, why in marks if why), None)
    return GradeResult(False, None, (), why or f"expected: {acceptable[0]}")
