"""Write `decks/body/data/terminal-views.json` and `terminal-views-fine.json`: the body's views at
terminal resolution, and `region-cells.json`: each region's cells in them (`decks.body.skin_overlap`).

Run after changing the mesh, the views or the raster code: `python tools/bake_terminal_views.py`.
The terminal quiz reads the file without numpy; `tests/test_body.py` fails while it is stale.
"""

from __future__ import annotations

from pathlib import Path

from decks.body.lowres import BAKES, bake_terminal_views
from decks.body.skin_overlap import CELLS_FILE, bake_region_cells

DATA = Path(__file__).resolve().parent.parent / "decks" / "body" / "data"

if __name__ == "__main__":
    for bake in BAKES:
        (DATA / bake.file).write_text(bake_terminal_views(bake))
    (DATA / CELLS_FILE).write_text(bake_region_cells())  # read from the coarse views just written
    for name in (*(bake.file for bake in BAKES), CELLS_FILE):
        print(f"wrote {DATA / name} ({(DATA / name).stat().st_size // 1024} KiB)")
