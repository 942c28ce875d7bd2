"""The three-dimensional body every picture is drawn from.

`data/lower-body.npz` is the MakeHuman hm08 mesh from the waist down (made by
`tools/body_mesh.py`). Places on it are defined once, on the skin, in surface
coordinates (`surface.py`): body regions (`region_shapes.py`), muscles
(`muscle_shapes.py`) and trigger points. Each view (`views.py`) is an orthographic
projection of the same surface, so a place drawn in two views agrees between them.

Light to import: `surface`, `views`, `region_shapes`, `muscle_shapes` and `lowres` (the
terminal's pre-projected views) are pure Python. `mesh` and `raster` need numpy and
matplotlib and are imported only where a PNG is drawn.
"""

from pathlib import Path

# The bundled data files, read as plain files beside the code: `importlib.resources`
# alone takes a few milliseconds to import, on the quiz's start-up path.
DATA = Path(__file__).parent / "data"
