"""What a trigger-point picture shows, and in which views: shared by every renderer.

Kept free of matplotlib and numpy so the terminal quiz can draw the same pictures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from itertools import combinations
from typing import TYPE_CHECKING, ClassVar, Protocol

from decks.body.facing import Facing
from decks.diagrams import Variant
from decks.regions import REGIONS, View

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.outline import MuscleOutline, Position, TriggerPoint

MAX_VIEWS = 3
# Ties go to the earlier view.
_VIEW_ORDER = (View.POSTERIOR, View.ANTERIOR, View.MEDIAL, View.LATERAL, View.PLANTAR, View.DORSAL)


class PictureSpec(Protocol):
    """What the cache and the pool of workers draw: a frozen dataclass (its fields are the cache key)
    naming the module that draws it, which has `render_png(spec)` and `prepare(spec)`."""

    renderer: ClassVar[str]


@dataclass(frozen=True)
class DiagramSpec:
    """Everything one picture depends on (and nothing else: it is the cache key); `renderer` draws it."""

    renderer: ClassVar[str] = "decks.diagrams.render"

    variant: Variant
    title: str
    subtitle: str
    home_view: View  # the trigger point's view: first in every variant, so they look alike
    position: Position | None
    essential: tuple[str, ...]
    spillover: tuple[str, ...]
    muscle_shape: str | None = None  # shaded under the X; never on a pattern picture, which must not tell

    @classmethod
    def for_trigger_point(cls, muscle: MuscleOutline, trp: TriggerPoint, variant: Variant) -> DiagramSpec:
        if variant is Variant.PAIN_MAP:
            return replace(cls.for_pain(trp.referral.essential), variant=variant)
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
            muscle_shape=None if pattern_only else muscle.shape,
        )

    @classmethod
    def for_pain(cls, region_ids: tuple[str, ...], title: str = "Pain map") -> DiagramSpec:
        """Regions of pain (a client's, a student's painting) as an essential zone with no X, first
        in the view that shows most of them."""
        home = Counter(REGIONS[region].views[0] for region in region_ids).most_common(1)[0][0]
        return cls(Variant.PATTERN, title, "right leg", home, None, region_ids, ())

    @property
    def zones(self) -> tuple[str, ...]:
        return self.essential + self.spillover

    @property
    def essential_label(self) -> str:
        """What the solid red means in the legend: a pain map is a client's pain, neither zone."""
        return "where it hurts" if self.variant is Variant.PAIN_MAP else "essential pain"


def choose_views(spec: DiagramSpec) -> tuple[View, ...]:
    """The trigger point's view and the fewest more (up to three in all) that show every zone.

    Among as few views as possible, the set wins that shows each zone region in a view it
    is listed with earlier (a region's first view shows it best: the instep's is the medial
    view, which shows calf, inner ankle and instep together), essential regions first; then
    the usual order of views. A foot view goes next to the back or front view it pairs with.
    """
    others = [view for view in _VIEW_ORDER if view is not spec.home_view]

    def score(views: tuple[View, ...]) -> tuple[int, int, int, int]:
        def rank(region: str) -> int | None:
            listed = REGIONS[region].views
            return min((listed.index(view) for view in views if view in listed), default=None)

        essential = [rank(region) for region in spec.essential]
        spillover = [rank(region) for region in spec.spillover]
        return (
            -sum(r is not None for r in essential),
            -sum(r is not None for r in spillover),
            sum(r for r in essential if r is not None),
            sum(r for r in spillover if r is not None),
        )

    candidates = [(spec.home_view, *added) for size in range(MAX_VIEWS) for added in combinations(others, size)]
    best_coverage = min(score(views)[:2] for views in candidates)
    fewest = min(len(views) for views in candidates if score(views)[:2] == best_coverage)
    best = min((views for views in candidates if len(views) == fewest), key=score)
    return _paired(best)


def _paired(views: tuple[View, ...]) -> tuple[View, ...]:
    """The home view first, the rest in the usual order, each foot view beside its partner."""
    ordered = [views[0], *sorted(views[1:], key=_VIEW_ORDER.index)]
    for foot_view, partner in ((View.PLANTAR, View.POSTERIOR), (View.DORSAL, View.ANTERIOR)):
        if foot_view in ordered[1:] and partner in ordered:
            ordered.remove(foot_view)
            ordered.insert(ordered.index(partner) + 1, foot_view)
    return tuple(ordered)


def panel_facings(views: tuple[View, ...]) -> tuple[Facing, ...]:
    """How each panel is turned: a foot view beside a back view is seen from behind (heel up,
    medial on the same side as the back view), beside a front view from the front."""
    facings = []
    for index, view in enumerate(views):
        neighbours = views[max(0, index - 1) : index] + views[index + 1 : index + 2]
        if View.POSTERIOR in neighbours:
            facings.append(Facing.BEHIND)
        elif View.ANTERIOR in neighbours:
            facings.append(Facing.FRONT)
        else:
            facings.append(Facing.BEHIND if view is View.PLANTAR else Facing.FRONT)
    return tuple(facings)


def plain(value: object) -> object:
    """What `dataclasses.asdict` gives (sequences as lists), without its deep copies: cache keys
    and card digests ask it of every picture on every build."""
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if (names := _field_names(type(value))) is not None:
        return {name: plain(getattr(value, name)) for name in names}
    return value


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (found once per class: `fields` is slow to ask of every value)."""
    return tuple(field.name for field in fields(kind)) if is_dataclass(kind) else None
