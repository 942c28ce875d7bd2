"""Wrong answers that tempt but are never right, chosen by how much two referral patterns overlap.

Overlap is measured on the body (`decks.body.skin_overlap`): a zone that is part of the
answer's zone ('upper buttock' in 'buttock') would be half right, so it is never offered;
among the rest, the patterns lying nearest the answer's (sharing the most skin, spillover
included) tempt most and come first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from decks.body.skin_overlap import overlap, share_skin
from decks.regions import REGIONS

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.model import Roster
    from decks.outline import MuscleOutline, TriggerPoint

TEMPTING = 3  # as many as a question has wrong choices


def zone_text(regions: tuple[str, ...]) -> str:
    return "; ".join(REGIONS[r].name for r in regions)


def zone_distractors(facts: Roster, home: MuscleOutline, trp: TriggerPoint) -> list[list[str]]:
    """Wrong answers to "where is `trp`'s essential zone?", as tiers to draw from in turn: the
    `TEMPTING` essential zones whose trigger points' patterns overlap `trp`'s most, then other zones
    of `home`'s compartment, then the rest. No zone shares skin with the answer."""
    answer = trp.referral.essential
    pattern = answer + trp.referral.spillover
    scored: list[tuple[float, bool, str]] = []
    for other in facts.referral_patterns:  # each essential zone once, as its first trigger point has it
        if other.essential == answer or share_skin(answer, other.essential):
            continue
        nearness = overlap(pattern, other.essential + other.spillover)
        scored.append((nearness, other.compartment == home.compartment, zone_text(other.essential)))
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])  # stable: fact order
    tempting = [text for _, _, text in ranked[:TEMPTING]]
    rest = [item for item in scored if item[2] not in tempting]
    return [tempting, [text for _, same, text in rest if same], [text for _, same, text in rest if not same]]


def muscle_distractors(facts: Roster, home: MuscleOutline, trp: TriggerPoint) -> list[list[str]]:
    """Wrong answers to "which muscle refers pain here?" (`trp`'s pattern), as tiers: the `TEMPTING`
    muscles whose nearest pattern overlaps `trp`'s most, then `home`'s compartment, then the rest.
    No muscle with an essential zone sharing skin with `trp`'s: it refers pain "here" too."""
    pattern = trp.referral.essential + trp.referral.spillover
    others = [m for m in facts.muscles if not right_too(m, trp)]
    nearness = {
        m.name: max(overlap(pattern, t.referral.essential + t.referral.spillover) for t in m.trigger_points)
        for m in others
        if m.trigger_points
    }
    ranked = sorted((name for name, near in nearness.items() if near > 0), key=lambda name: -nearness[name])
    tempting = ranked[:TEMPTING]
    rest = [m for m in others if m.name not in tempting]
    return [
        tempting,
        [m.name for m in rest if m.compartment == home.compartment],
        [m.name for m in rest if m.compartment != home.compartment],
    ]


def right_too(muscle: MuscleOutline, trp: TriggerPoint) -> bool:
    """Whether `muscle` has a trigger point whose essential zone shares skin with `trp`'s."""
    return any(share_skin(t.referral.essential, trp.referral.essential) for t in muscle.trigger_points)
