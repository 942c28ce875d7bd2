"""Which body regions share skin, and how much, so "does this pattern reach that pain?" is
answered by the body and not only by region ids ('lateral-thigh' holds 'lateral-thigh-upper-third').

Two bakes of the same body, both read without numpy:

- `data/region-overlap.json`, from the diagrams' fine rasters (`decks.body.raster`, the masks the
  pictures are drawn from): for each region, the share of its skin inside each other region it
  overlaps by at least 2 %, in thousandths. Whether two regions are the same pain
  (`regions_overlap`) is read from it. `tools/bake_region_overlap.py` writes it (about 6 s).
- `data/region-cells.json`, the cells of the terminal bake (`decks.body.lowres`) each region
  covers, so whole zones can be compared (`overlap`); `tools/bake_terminal_views.py` writes it.

Tests fail while either file is stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

from decks.body import DATA

CELLS_FILE = "region-cells.json"
OVERLAP_FILE = "region-overlap.json"
STORED_FROM = 20  # thousandths: smaller shares are the edges neighbours share, left out
WHOLE = 1000  # shares are whole numbers of thousandths (the bake's unit): exact, and no `fractions` to import
# A region lying mostly inside another, and at least a fifth of its size, is the same pain:
# 'lateral-thigh' and its thirds, 'buttock' and 'lower-buttock'. Neighbours share only their
# edges; and a small landmark inside a wide region is not a part of it (the lateral malleolus
# lies inside the drawn 'lateral-heel', whose pattern says nothing of the ankle bone).
MOSTLY = 600  # thousandths: three fifths
PART = 200  # one fifth


def bake_region_overlap() -> str:
    """The contents of `data/region-overlap.json`, measured on every view of the fine rasters.

    A cell counts its skin weighted by how squarely the view sees it (its normal towards the
    camera): the four limb views at right angles then count each piece of skin about once, and
    cells seen edge on, the least certain, count least. Weights are whole numbers, so the sums
    are exact whatever order numpy adds them in and the file is the same on every machine.
    """
    import numpy as np

    from decks.body.facing import Facing
    from decks.body.raster import patches_mask, view_raster
    from decks.body.region_shapes import REGION_PATCHES
    from decks.regions import View

    regions = list(REGION_PATCHES)
    shared = np.zeros((len(regions), len(regions)))
    for view in View:
        skin = view_raster(view, Facing.BEHIND)  # a foot view turned round sees the same skin
        squarely = np.nan_to_num(skin.normal @ np.asarray(skin.camera.toward, dtype=np.float32))
        weight = np.where(skin.covered, np.rint(np.clip(squarely, 0.0, 1.0) * 1000), 0).ravel()
        masks = np.stack([patches_mask(skin, REGION_PATCHES[r]).ravel() for r in regions]).astype(np.float64)
        shared += ((masks * weight) @ masks.T) * skin.step**2
    table = {}
    for i, region in enumerate(regions):
        inside = {
            other: share
            for j, other in enumerate(regions)
            if j != i and shared[i, i] > 0 and (share := round(WHOLE * shared[i, j] / shared[i, i])) >= STORED_FROM
        }
        table[region] = dict(sorted(inside.items()))
    return json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n"


@cache
def _shares() -> dict[str, dict[str, int]]:
    return json.loads((DATA / OVERLAP_FILE).read_text())  # only when a question measures overlap


@cache  # region ids are few; a ranking asks of the same pairs thousands of times
def inside(region: str, other: str) -> int:
    """The share of `region`'s skin that lies in `other`, in thousandths (`WHOLE` for the region itself)."""
    return WHOLE if region == other else _shares().get(region, {}).get(other, 0)


def covers(outer: str, inner: str) -> bool:
    """`inner` is `outer`, or a part of it: mostly inside it and at least a fifth of its size.
    Painting 'lateral-thigh' covers its upper third; painting the third does not cover the thigh."""
    return outer == inner or (inside(inner, outer) >= MOSTLY and inside(outer, inner) >= PART)


@cache
def regions_overlap(first: str, second: str) -> bool:
    """The same pain: the same region, or one a part of the other ('lateral-thigh' and its upper third)."""
    return covers(first, second) or covers(second, first)


def share_skin(first: Iterable[str], second: Iterable[str]) -> bool:
    """Whether two zones cover the same pain: some region of one overlaps some region of the other."""
    return any(regions_overlap(a, b) for a in set(first) for b in set(second))


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
def region_cells(region: str) -> int:
    """The skin of `region`: one bit for each cell of the bake it covers. A set as an int, so zones
    are joined and compared in C: a referral question ranks the deck's zones against its own."""
    cells = _stored().get(region, ())
    bits = bytearray(max(cells, default=0) // 8 + 1)
    for cell in cells:
        bits[cell >> 3] |= 1 << (cell & 7)
    return int.from_bytes(bits, "little")


@cache
def _stored() -> dict[str, list[int]]:
    return json.loads((DATA / CELLS_FILE).read_text())  # only when a question measures overlap


def zone_cells(regions: Iterable[str]) -> int:
    """The skin of several regions together (as `region_cells`)."""
    joined = 0
    for region in regions:
        joined |= region_cells(region)
    return joined


def overlap(first: Iterable[str], second: Iterable[str]) -> float:
    """How much of their skin two zones share: 0 (none) to 1 (the same skin)."""
    a, b = zone_cells(first), zone_cells(second)
    either = (a | b).bit_count()
    return (a & b).bit_count() / either if either else 0.0
