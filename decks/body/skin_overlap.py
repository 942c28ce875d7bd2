"""Which body regions share skin, and how much, so "does this pattern reach that pain?" is
answered by the body and not only by region ids ('lateral-thigh' holds 'lateral-thigh-upper-third').

`data/region-cells.json` lists, for each region of the vocabulary, the cells of the terminal
bake (`decks.body.lowres`, every view seen from behind) whose skin lies in it: the same
sampling the terminal pictures use, so overlap is measured on the body that is drawn. Reading
the file takes a millisecond; `bake_region_cells` (about 2 s) writes it, and
`tools/bake_terminal_views.py` runs both bakes. A test fails while the file is stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

CELLS_FILE = "region-cells.json"


def bake_region_cells() -> str:
    """The contents of `data/region-cells.json`: each region's cells, numbered across the views."""
    from decks.body.facing import Facing
    from decks.body.lowres import lowres_view, view_keys
    from decks.body.region_shapes import REGION_PATCHES
    from decks.body.surface import patches_contain

    found: dict[str, list[int]] = {region: [] for region in REGION_PATCHES}
    number = 0
    for view, facing in view_keys():
        if facing is not Facing.BEHIND:  # a foot view turned round shows the same skin again
            continue
        for line in lowres_view(view, facing).samples:
            for sample in line:
                number += 1
                if sample is None:
                    continue
                for region, patches in REGION_PATCHES.items():
                    if patches_contain(patches, sample):
                        found[region].append(number)
    return json.dumps(found, separators=(",", ":"), sort_keys=True) + "\n"


@cache
def region_cells(region: str) -> frozenset[int]:
    """The skin of `region`, as cell numbers of the bake."""
    return frozenset(_stored().get(region, ()))


@cache
def _stored() -> dict[str, list[int]]:
    from importlib.resources import files  # not at start-up: only a question that measures overlap reads it

    return json.loads((files("decks.body") / "data" / CELLS_FILE).read_text())


def zone_cells(regions: Iterable[str]) -> frozenset[int]:
    """The skin of several regions together."""
    return frozenset().union(*(region_cells(r) for r in regions))


MOSTLY = 0.5  # a region half inside another is the same pain; neighbours share only their edge cells


def regions_overlap(first: str, second: str) -> bool:
    """The same region, or one lying at least half inside the other ('lateral-thigh' and its upper third)."""
    a, b = region_cells(first), region_cells(second)
    return first == second or (bool(a and b) and len(a & b) >= MOSTLY * min(len(a), len(b)))


def covers(outer: str, inner: str) -> bool:
    """`inner` is `outer` or lies at least half inside it: painting 'lateral-thigh' covers its upper
    third, and painting the third does not cover the whole thigh."""
    a, b = region_cells(outer), region_cells(inner)
    return outer == inner or (bool(b) and len(a & b) >= MOSTLY * len(b))


def share_skin(first: Iterable[str], second: Iterable[str]) -> bool:
    """Whether two zones cover the same pain: some region of one overlaps some region of the other."""
    return any(regions_overlap(a, b) for a in set(first) for b in set(second))


def overlap(first: Iterable[str], second: Iterable[str]) -> float:
    """How much of their skin two zones share: 0 (none) to 1 (the same skin)."""
    a, b = zone_cells(first), zone_cells(second)
    return len(a & b) / len(a | b) if a | b else 0.0
