"""Write `decks/body/data/terminal-views.json`: the body's views at terminal resolution, and
`region-cells.json`: each region's cells in them (`decks.body.skin_overlap`).

Run after changing the mesh, the views or the raster code: `python tools/bake_terminal_views.py`.
The terminal quiz reads the file without numpy; `tests/test_body.py` fails while it is stale.
"""

from __future__ import annotations

from pathlib import Path

from decks.body.lowres import VIEWS_FILE, bake_terminal_views
from decks.body.skin_overlap import CELLS_FILE, bake_region_cells

DATA = Path(__file__).resolve().parent.parent / "decks" / "body" / "data"

if __name__ == "__main__":
    (DATA / VIEWS_FILE).write_text(bake_terminal_views())
    (DATA / CELLS_FILE).write_text(bake_region_cells())  # read from the views just written
    for name in (VIEWS_FILE, CELLS_FILE):
        print(f"wrote {DATA / name} ({(DATA / name).stat().st_size // 1024} KiB)")
