"""From a client's pain map to the trigger points that may cause it (`myodeck lookup`).

Ranked as the clinical trigger-point charts are read: a pattern whose essential zone
covers part of the pain comes before one that only spills over onto it; then the one
covering more of the pain (essential overlap counting twice spillover); then the one
referring less pain elsewhere. Regions are compared on the body (`decks.body.skin_overlap`),
so pain and patterns named at different grains meet: 'lateral-thigh' and its thirds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from decks.body.skin_overlap import MOSTLY, WHOLE, covers, inside, regions_overlap
from decks.errors import MyodeckError, shown
from decks.model import Facts
from decks.outline import Referral
from decks.regions import FOOT_VIEWS, REGIONS, Region, suggest

SPILLOVER_WEIGHT = Fraction(1, 2)  # a spillover overlap counts half an essential one
ARTICLES = frozenset({"the", "a", "an"})  # "back of the thigh" and "back of thigh" say the same
# Words a client uses for the words of region ids: "outer thigh" is lateral-thigh (and its parts).
SAME_WORDS = {"outer": "lateral", "outside": "lateral", "inner": "medial", "inside": "medial"}
SAME_WORDS |= {"front": "anterior", "back": "posterior", "rear": "posterior", "sole": "plantar"}
FILLERS = frozenset({"of", "side"})  # "outer side of the thigh" says "outer thigh"
# The words that say which side of a part: without one, "side" is the outer side ("side of the hip",
# as the charts and clients say it); "inner side of the knee" says which itself.
DIRECTIONS = frozenset({"medial", "lateral", "anterior", "posterior", "plantar", "dorsum"})


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in ARTICLES)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1))


def _terms(words: tuple[str, ...]) -> frozenset[str]:
    terms = frozenset(SAME_WORDS.get(word, word) for word in words if word not in FILLERS)
    return terms | {"lateral"} if "side" in words and terms and not terms & DIRECTIONS else terms


def _in_order(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """`phrase`'s words occur among `words` in the same order, perhaps with others between."""
    rest = iter(words)
    return all(word in rest for word in phrase)


@dataclass(frozen=True)
class PainArea:
    """One REGION the user gave and the regions it was understood as."""

    text: str
    regions: tuple[Region, ...]


def pain_area(text: str) -> PainArea:
    """The regions `text` names, most exact reading first.

    An id (any case, spaces for hyphens: 'lateral malleolus') or a whole name names
    one region. Otherwise `text`'s words must all occur in the region's id, in any order,
    a client's words read as the id's ('heel' → heel-back, heel-plantar, medial-heel,
    lateral-heel; 'outer thigh' → lateral-thigh, its thirds and the strip down it; 'back of
    the heel' → heel-back; 'sole' → the plantar regions), else in its name
    ('tailbone'), else in its name with other words between ('outer ankle bone'), and
    every region that matches is taken. Ids before names, so 'heel' is not also the
    Achilles tendon ('… just above the heel') and 'outer thigh' is not only the strip
    whose name says "the outer thigh".
    """
    phrase = _words(text)
    for region in REGIONS.values():
        if phrase == _words(region.id) or text.strip().casefold() == region.name.casefold():
            return PainArea(text, (region,))
    if terms := _terms(phrase):  # 'of' or 'side' alone names nothing
        readings = (
            lambda r: terms <= _terms(_words(r.id)),
            lambda r: _contains(_words(r.name), phrase),
            lambda r: _in_order(_words(r.name), phrase),  # 'outer foot': outer edge of the foot
        )
        for reads in readings:
            found = tuple(r for r in REGIONS.values() if reads(r))
            if found:
                return PainArea(text, found)
    raise MyodeckError(f"unknown region '{shown(text)}'{_hint(phrase, text)}; `myodeck regions` lists them")


def _hint(phrase: tuple[str, ...], text: str) -> str:
    """Regions with all of `phrase`'s words somewhere in their ids and names ('bone ankle outer'), a region
    of the sole or the top of the foot counting as named 'foot' too ('arch of the foot'), else the closest
    spelling."""
    terms = _terms(phrase)
    anyhow = [r.id for r in REGIONS.values() if terms and terms <= _terms((*_words(r.id), *_words(r.name), *_part(r)))]
    if anyhow:
        return " (did you mean " + " or ".join(f"'{region_id}'" for region_id in anyhow[:3]) + "?)"
    return suggest("-".join(phrase) or text, list(REGIONS))


def _part(region: Region) -> tuple[str, ...]:
    """The word for the part of the body a region lies on, where neither its id nor its name says it."""
    return ("foot",) if set(region.views) & set(FOOT_VIEWS) else ()


@dataclass(frozen=True)
class Candidate:
    """A trigger point whose referral pattern overlaps the pain map, and why."""

    muscle_id: str
    muscle_name: str
    trp_id: str
    trp_name: str
    essential: tuple[str, ...]  # regions of its essential zone on the pain
    spillover: tuple[str, ...]  # regions of its spillover zone on the pain
    essential_elsewhere: tuple[str, ...]  # regions of its essential zone off the pain map
    spillover_elsewhere: tuple[str, ...]  # regions of its spillover zone off the pain map
    coverage: Fraction  # weighted share of the pain map the pattern covers, 0..1
    outside: Fraction  # share of the pattern lying off the pain map, 0..1
    within: tuple[str, ...]  # regions of its essential zone lying (mostly) within the pain map

    @property
    def elsewhere(self) -> tuple[str, ...]:
        """Every region of its pattern off the pain map, essential ones first."""
        return self.essential_elsewhere + self.spillover_elsewhere

    def to_dict(self) -> dict[str, object]:
        return {
            "muscle_id": self.muscle_id,
            "muscle": self.muscle_name,
            "trigger_point_id": self.trp_id,
            "trigger_point": self.trp_name,
            "essential_overlap": bool(self.essential),
            "coverage": round(float(self.coverage), 4),
            "outside": round(float(self.outside), 4),
            "essential": list(self.essential),
            "spillover": list(self.spillover),
            "elsewhere": list(self.elsewhere),
            "essential_elsewhere": list(self.essential_elsewhere),
            "spillover_elsewhere": list(self.spillover_elsewhere),
        }

    def line(self) -> str:
        """The trigger point and why it ranks where it does: its zones on the pain, then the rest of its
        pattern, each region named with the zone it belongs to (a student learns which is which)."""
        parts = (
            ("essential", self.essential),
            ("spillover", self.spillover),
            ("also essential", self.essential_elsewhere),
            ("also spillover", self.spillover_elsewhere),
        )
        why = "; ".join(f"{label}: {', '.join(ids)}" for label, ids in parts if ids)
        return f"{self.muscle_name} {self.trp_name} — {why}"


def _outermost(pain: frozenset[str]) -> tuple[str, ...]:
    """The pain map without the regions that are parts of others in it ('lateral-thigh' and its thirds
    are one pain, counted once), in id order."""
    return tuple(
        region
        for region in sorted(pain)
        if not any(covers(other, region) and (not covers(region, other) or other < region) for other in pain - {region})
    )


def _share(region: str, zone: Iterable[str]) -> Fraction:
    """How much of `region` the regions of `zone` that overlap it cover (at most all of it)."""
    return min(Fraction(1), Fraction(sum(inside(region, r) for r in zone if regions_overlap(region, r)), WHOLE))


def _covered(pain: str, referral: Referral) -> Fraction:
    """How much of one pain region a pattern covers, a spillover share counting half an essential one."""
    essential = _share(pain, referral.essential)
    return essential + SPILLOVER_WEIGHT * min(_share(pain, referral.spillover), 1 - essential)


def rank(facts: Facts, pain: frozenset[str]) -> list[Candidate]:
    """Every trigger point whose pattern overlaps `pain` (region ids) on the body, best first.

    A region of a pattern is on the pain when it overlaps a pain region (`regions_overlap`: the same,
    or a part of it). Coverage is the mean over the pain map's regions (its parts counted with the
    whole) of the share each pattern covers; outside, the mean over the pattern's regions of the share
    off the pain. Ties go to the muscle name, then the trigger point's place in its fact file, so the
    order never depends on anything but the facts.
    """
    painful = _outermost(pain)

    def on_pain(region: str) -> bool:
        return any(regions_overlap(region, p) for p in pain)

    ranked: list[tuple[tuple[object, ...], Candidate]] = []
    for muscle in facts.muscles:
        for index, trp in enumerate(muscle.trigger_points):
            essential = tuple(r for r in trp.referral.essential if on_pain(r))
            spillover = tuple(r for r in trp.referral.spillover if on_pain(r) and r not in essential)
            if not essential and not spillover:
                continue
            pattern = tuple(dict.fromkeys(trp.referral.essential + trp.referral.spillover))
            candidate = Candidate(
                muscle.id,
                muscle.name,
                trp.id,
                trp.name,
                essential,
                spillover,
                tuple(r for r in trp.referral.essential if not on_pain(r)),
                tuple(r for r in trp.referral.spillover if not on_pain(r) and r not in trp.referral.essential),
                sum((_covered(p, trp.referral) for p in painful), Fraction(0)) / len(painful),
                sum((1 - _share(r, painful) for r in pattern), Fraction(0)) / len(pattern),
                tuple(r for r in essential if _share(r, painful) >= Fraction(MOSTLY, WHOLE)),
            )
            key = (not essential, -candidate.coverage, candidate.outside, muscle.name.casefold(), muscle.id, index)
            ranked.append((key, candidate))
    return [candidate for _, candidate in sorted(ranked, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class Lookup:
    """The pain map as understood and the best candidates for it."""

    areas: tuple[PainArea, ...]
    candidates: tuple[Candidate, ...]

    @property
    def pain(self) -> tuple[str, ...]:
        """The pain map's region ids, each once, in the order given."""
        return tuple(dict.fromkeys(region.id for area in self.areas for region in area.regions))

    def pain_map_line(self) -> str:
        parts = []
        for area in self.areas:
            ids = ", ".join(region.id for region in area.regions)
            several = f" (all {len(area.regions)} match '{shown(area.text)}')" if len(area.regions) > 1 else ""
            parts.append(ids + several)
        return "Pain map: " + "; ".join(parts)

    def lines(self) -> list[str]:
        if not self.candidates:
            return [self.pain_map_line(), "No trigger point in these facts refers pain there."]
        width = len(str(len(self.candidates)))
        numbered = [f"{n:>{width}}. {c.line()}" for n, c in enumerate(self.candidates, start=1)]
        return [self.pain_map_line(), *numbered]

    def to_list(self) -> list[dict[str, object]]:
        return [candidate.to_dict() for candidate in self.candidates]


def lookup(facts: Facts, texts: Sequence[str], limit: int) -> Lookup:
    """The `limit` trigger points most likely behind the pain in `texts` (region ids or words)."""
    areas = tuple(pain_area(text) for text in texts)
    pain = frozenset(region.id for area in areas for region in area.regions)
    return Lookup(areas, tuple(rank(facts, pain)[:limit]))
