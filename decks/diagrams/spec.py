"""What a trigger-point picture shows, and in which views: shared by every renderer.

Kept free of matplotlib so the terminal quiz can draw the same pictures without it.
"""

from __future__ import annotations

from dataclasses import dataclass

from decks.diagrams import Variant
from decks.model import Muscle, Position, TriggerPoint
from decks.regions import View

MAX_VIEWS = 3
# Ties go to the earlier view: the sole and the top of the foot read better face on.
_VIEW_ORDER = (View.POSTERIOR, View.ANTERIOR, View.LATERAL, View.PLANTAR, View.DORSAL, View.MEDIAL)


@dataclass(frozen=True)
class DiagramSpec:
    """Everything one picture depends on (and nothing else: it is the cache key)."""

    variant: Variant
    title: str
    subtitle: str
    home_view: View  # the trigger point's view: first in every variant, so they look alike
    position: Position | None
    essential: tuple[str, ...]
    spillover: tuple[str, ...]

    @classmethod
    def for_trigger_point(cls, muscle: Muscle, trp: TriggerPoint, variant: Variant) -> DiagramSpec:
        show_x = variant in (Variant.LOCATION, Variant.FULL)
        show_zones = variant in (Variant.PATTERN, Variant.FULL)
        pattern_only = variant is Variant.PATTERN
        return cls(
            variant=variant,
            title="Referral pattern" if pattern_only else muscle.name,
            subtitle="right leg" if pattern_only else f"{trp.name} · right leg",
            home_view=trp.position.view,
            position=trp.position if show_x else None,
            essential=trp.referral.essential if show_zones else (),
            spillover=trp.referral.spillover if show_zones else (),
        )


def choose_views(spec: DiagramSpec) -> tuple[View, ...]:
    """The trigger point's view, then the fewest more that show every zone region."""
    from decks.diagrams.geometry import REGION_SHAPES  # the outlines load only when a picture is drawn

    chosen: list[View] = [spec.home_view]
    uncovered = [r for r in spec.essential + spec.spillover if not any(r in REGION_SHAPES[v] for v in chosen)]
    while uncovered and len(chosen) < MAX_VIEWS:
        best = max(
            (v for v in _VIEW_ORDER if v not in chosen),
            key=lambda v: sum(r in REGION_SHAPES[v] for r in uncovered),
        )
        chosen.append(best)
        uncovered = [r for r in uncovered if r not in REGION_SHAPES[best]]
    return tuple(chosen)
