"""Write `decks/body/data/terminal-views.json`: the body's views at terminal resolution.

Run after changing the mesh, the views or the raster code: `python tools/bake_terminal_views.py`.
The terminal quiz reads the file without numpy; `tests/test_body.py` fails while it is stale.
"""

from __future__ import annotations

from pathlib import Path

from decks.body.lowres import VIEWS_FILE, bake_terminal_views

OUT = Path(__file__).resolve().parent.parent / "decks" / "body" / "data" / VIEWS_FILE

if __name__ == "__main__":
    OUT.write_text(bake_terminal_views())
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")
