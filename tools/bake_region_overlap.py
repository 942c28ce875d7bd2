"""Write `decks/body/data/region-overlap.json`: the share of each region's skin inside each other
region, measured on the diagrams' fine rasters (`decks.body.skin_overlap.bake_region_overlap`).

Run after changing the mesh, the views or a region's shape: `python tools/bake_region_overlap.py`
(or give another file to write, as the test that checks the committed file does).
`myodeck lookup`, pain-map answers and painting read it without numpy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from decks.body.skin_overlap import OVERLAP_FILE, bake_region_overlap

DATA = Path(__file__).resolve().parent.parent / "decks" / "body" / "data"

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / OVERLAP_FILE
    out.write_text(bake_region_overlap())
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")
