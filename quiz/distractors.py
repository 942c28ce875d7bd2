"""Wrong answers that tempt but are never right, chosen by how much two referral patterns overlap.

Overlap is measured on the body (`decks.body.skin_overlap`): a zone that is part of the
answer's zone ('upper buttock' in 'buttock') would be half right, so it is never offered;
among the rest, the patterns lying nearest the answer's (sharing the most skin, spillover
included) tempt most and come first.
"""

from __future__ import annotations

from decks.body.skin_overlap import overlap, share_skin
from decks.model import Facts, Muscle, TriggerPoint
from decks.regions import REGIONS

TEMPTING = 3  # as many as a question has wrong choices


def zone_text(regions: tuple[str, ...]) -> str:
    return "; ".join(REGIONS[r].name for r in regions)


def zone_distractors(facts: Facts, home: Muscle, trp: TriggerPoint) -> list[list[str]]:
    """Wrong answers to "where is `trp`'s essential zone?", as tiers to draw from in turn: the
    `TEMPTING` essential zones whose trigger points' patterns overlap `trp`'s most, then other zones
    of `home`'s compartment, then the rest. No zone shares skin with the answer."""
    answer = trp.referral.essential
    pattern = answer + trp.referral.spillover
    seen = {zone_text(answer)}
    scored: list[tuple[float, bool, str]] = []
    for muscle in facts.muscles:
        for other in muscle.trigger_points:
            text = zone_text(other.referral.essential)
            if text in seen or share_skin(answer, other.referral.essential):
                continue
            seen.add(text)
            nearness = overlap(pattern, other.referral.essential + other.referral.spillover)
            scored.append((nearness, muscle.compartment == home.compartment, text))
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])  # stable: fact order
    tempting = [text for _, _, text in ranked[:TEMPTING]]
    rest = [item for item in scored if item[2] not in tempting]
    return [tempting, [text for _, same, text in rest if same], [text for _, same, text in rest if not same]]
