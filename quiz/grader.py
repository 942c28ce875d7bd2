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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from decks.typed_words import SPINAL_ROOTS, answer_items, edit_distance, normalise, typo_budget
from decks.typed_words import words as words_of

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


@cache
def _phrases() -> dict[tuple[str, ...], str]:
    """Every synonym, as words, mapped to its group's first phrase."""
    return {words_of(normalise(p)): " ".join(words_of(normalise(group[0]))) for group in SYNONYMS for p in group}


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
    forms = [(text, answer_items(form)) for text in acceptable for form in _forms(text)]
    forms = [(text, items) for text, items in forms if items]
    if not forms:
        raise ValueError(f"nothing to grade against: {expected!r}")
    typed = answer_items(answer)
    if not typed:
        return GradeResult(False, None, (), "no answer")
    marks = [(text, *_mark(typed, items)) for text, items in forms]
    right = [(len(typos), text, typos) for text, correct, typos, _ in marks if correct]
    if right:
        _, text, typos = min(right, key=lambda r: r[0])
        spelling = ", ".join(f"{t.meant} (not {t.written})" for t in typos)
        return GradeResult(True, text, typos, f"correct; spelling: {spelling}" if typos else "correct")
    why = next((why for *_, why in marks if why), None)
    return GradeResult(False, None, (), why or f"expected: {acceptable[0]}")
