"""The body's views at terminal resolution, pre-projected and read without numpy.

`data/terminal-views.json` holds, for each view (and each turn of the foot views), a
coarse grid of cells with the skin seen in each: its part, position, normal and chart
coordinates, exactly as `raster.py` computes them at full resolution. The terminal
quiz tests regions and muscles on these cells with `surface.patch_contains`, so its
pictures come from the same body as the PNGs while the quiz never imports numpy.
`data/terminal-views-fine.json` is the same at twice the resolution, for pictures on a
large terminal, which would otherwise enlarge the coarse cells into visible blocks; it
is four times the size, so it is read only when such a picture is drawn.

`bake_terminal_views` (numpy, run by `tools/bake_terminal_views.py`) writes the files;
a test checks that the committed files are what the body model gives today.
"""

from __future__ import annotations

import base64
import json
import zlib
from array import array
from dataclasses import dataclass
from functools import cache

from decks.body import DATA
from decks.body.facing import Facing
from decks.body.surface import SurfaceSample
from decks.body.views import SETUPS, ViewGrid
from decks.regions import View


@dataclass(frozen=True)
class Bake:
    """One resolution of the terminal views: the file it is stored in and its cells' size in %H."""

    file: str
    limb_step: float
    foot_step: float

    def step(self, view: View) -> float:
        return self.foot_step if SETUPS[view].foot else self.limb_step


COARSE = Bake("terminal-views.json", 0.75, 0.3)
FINE = Bake("terminal-views-fine.json", 0.375, 0.15)
BAKES = (COARSE, FINE)
# Fixed-point scales of the stored fields (int16).
_SCALES = {
    "x": 100,
    "y": 100,
    "z": 100,
    "nx": 1000,
    "ny": 1000,
    "nz": 1000,
    "around": 10,
    "along": 1000,
    "across": 1000,
}
FIELDS = ("part", *_SCALES)


@dataclass(frozen=True, eq=False)
class LowResView(ViewGrid):
    """A coarse grid of one view: `samples[row][col]` is None where no skin is seen."""

    samples: tuple[tuple[SurfaceSample | None, ...], ...]

    @property
    def rows(self) -> int:
        return len(self.samples)

    @property
    def cols(self) -> int:
        return len(self.samples[0])

    def centre(self, row: int, col: int) -> tuple[float, float]:
        return self.x0 + (col + 0.5) * self.step, self.y0 + (row + 0.5) * self.step

    def sample_at(self, x: float, y: float) -> SurfaceSample | None:
        row, col = self.cell_of(x, y)
        if 0 <= row < self.rows and 0 <= col < self.cols:
            return self.samples[row][col]
        return None

    def depth(self, sample: SurfaceSample) -> float:
        return self.camera.project(sample.position)[2]


def _decode(text: str) -> list[int]:
    values = array("h")
    values.frombytes(zlib.decompress(base64.b64decode(text)))
    return values.tolist()


def _encode(values: list[int]) -> str:
    return base64.b64encode(zlib.compress(array("h", values).tobytes(), 9)).decode()


@cache
def _stored(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@cache
def lowres_view(view: View, facing: Facing = Facing.BEHIND, bake: Bake = COARSE) -> LowResView:
    """The pre-projected cells of `view` (foot views turned to `facing`) in `bake`, read once per process."""
    entry = _stored(bake.file)[f"{view.value}/{facing.value}" if SETUPS[view].foot else view.value]
    columns = {name: _decode(entry[name]) for name in FIELDS}
    rows, cols = entry["rows"], entry["cols"]
    samples = []
    for row in range(rows):
        line: list[SurfaceSample | None] = []
        for col in range(cols):
            i = row * cols + col
            if columns["part"][i] < 0:
                line.append(None)
                continue
            value = {name: columns[name][i] / scale for name, scale in _SCALES.items()}
            line.append(
                SurfaceSample(
                    columns["part"][i],
                    (value["x"], value["y"], value["z"]),
                    (value["nx"], value["ny"], value["nz"]),
                    value["around"],
                    value["along"],
                    value["across"],
                )
            )
        samples.append(tuple(line))
    camera = SETUPS[view].camera_facing(facing)
    return LowResView(view, facing, camera, entry["x0"], entry["y0"], entry["step"], tuple(samples))


def view_keys() -> list[tuple[View, Facing]]:
    """Every view and turn the terminal draws."""
    keys = []
    for view, setup in SETUPS.items():
        keys += [(view, facing) for facing in Facing] if setup.foot else [(view, Facing.BEHIND)]
    return keys


def bake_terminal_views(bake: Bake = COARSE) -> str:
    """The contents of `bake.file`, sampled from the full-resolution views (needs numpy)."""
    import numpy as np

    from decks.body.raster import view_raster

    out = {}
    for view, facing in view_keys():
        skin = view_raster(view, facing)
        step = bake.step(view)
        x0, x1, y0, y1 = skin.extent()
        cols, rows = int((x1 - x0) // step), int((y1 - y0) // step)
        xs = x0 + (np.arange(cols) + 0.5) * step
        ys = y0 + (np.arange(rows) + 0.5) * step
        r = np.clip(((ys - skin.y0) / skin.step).astype(int), 0, skin.shape[0] - 1)
        c = np.clip(((xs - skin.x0) / skin.step).astype(int), 0, skin.shape[1] - 1)
        grid = np.ix_(r, c)
        covered = skin.covered[grid]
        values = {
            "part": np.where(covered, skin.part[grid], -1),
            "x": skin.position[..., 0][grid], "y": skin.position[..., 1][grid], "z": skin.position[..., 2][grid],
            "nx": skin.normal[..., 0][grid], "ny": skin.normal[..., 1][grid], "nz": skin.normal[..., 2][grid],
            "around": skin.around[grid], "along": skin.along[grid], "across": skin.across[grid],
        }  # fmt: skip
        entry: dict[str, object] = {"rows": rows, "cols": cols, "x0": round(float(x0), 4), "y0": round(float(y0), 4)}
        entry["step"] = step
        for name, data in values.items():
            scaled = data if name == "part" else np.nan_to_num(data) * _SCALES[name]
            entry[name] = _encode(
                np.clip(np.round(np.where(covered, scaled, -1 if name == "part" else 0)), -32768, 32767)
                .astype(int)
                .ravel()
                .tolist()
            )
        out[f"{view.value}/{facing.value}" if SETUPS[view].foot else view.value] = entry
    return json.dumps(out, indent=0, sort_keys=True) + "\n"
