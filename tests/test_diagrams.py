"""Diagrams, checked on their pixels: red where the zones are, dots only on the skin, the X in place."""

from __future__ import annotations

import io
import statistics
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from decks.body.facing import Facing
from decks.body.muscle_shapes import MUSCLE_SHAPES
from decks.body.raster import view_raster
from decks.body.surface import LEFT, RIGHT_LIMB_PARTS
from decks.body.views import SETUPS, dot
from decks.diagrams import Variant
from decks.diagrams.batch import DiagramCache, RenderReport, diagram_jobs, render_many
from decks.diagrams.render import (
    Panel,
    Rendering,
    _blur,
    _body_coverage,
    _body_paths,
    _legend_entries,
    muscle_mask,
    panel_layouts,
    region_mask,
    render,
    trigger_point_in_view,
    zone_field,
)
from decks.diagrams.spec import DiagramSpec, choose_views
from decks.model import Facts, Muscle
from decks.outline import TriggerPoint
from decks.regions import REGIONS, View


def pixels(rendering: Rendering) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(rendering.png)).convert("RGB")).astype(int)


def is_red(rgb: np.ndarray) -> np.ndarray:
    return (rgb[..., 0] > 170) & (rgb[..., 1] < 70) & (rgb[..., 2] < 90)


def panel_of(rendering: Rendering, view: View) -> Panel:
    return next(p for p in rendering.panels if p.view is view)


def cell_pixels(panel: Panel, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Pixel (x, y) of the centres of raster cells of the panel's view."""
    skin = view_raster(panel.view, panel.facing)
    return np.array([panel.to_pixel((skin.xs[c], skin.ys[r])) for r, c in zip(rows, cols, strict=True)])


def inner_cells(mask: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Cells at least `cells` away from the mask's edge."""
    return np.nonzero(_blur(mask, cells) > 0.999)


def spec_of(facts: Facts, muscle_id: str, trp_id: str, variant: Variant = Variant.FULL) -> DiagramSpec:
    muscle = facts.muscle(muscle_id)
    return DiagramSpec.for_trigger_point(muscle, muscle.trigger_point(trp_id), variant)


def every_trigger_point(facts: Facts) -> list[tuple[Muscle, TriggerPoint]]:
    return [(muscle, trp) for muscle in facts.muscles for trp in muscle.trigger_points]


def test_essential_zones_are_red_in_every_view_that_shows_them(facts: Facts) -> None:
    for muscle, trp in every_trigger_point(facts):
        rendering = render(DiagramSpec.for_trigger_point(muscle, trp, Variant.PATTERN))
        image = pixels(rendering)
        for panel in rendering.panels:
            for region in trp.referral.essential:
                if panel.view not in REGIONS[region].views:
                    continue
                mask = region_mask(panel.view, panel.facing, region)
                rows, cols = inner_cells(mask, 2)
                if len(rows) == 0:
                    continue
                middle = len(rows) // 2
                x, y = cell_pixels(panel, rows[middle : middle + 1], cols[middle : middle + 1])[0]
                assert is_red(image[y, x]), (muscle.id, trp.id, region, panel.view)


def test_red_only_on_the_visible_skin_and_only_in_the_zones(facts: Facts) -> None:
    """No spillover dot, no red, outside the body's outline; none far from the zones."""
    for muscle, trp in every_trigger_point(facts):
        rendering = render(DiagramSpec.for_trigger_point(muscle, trp, Variant.PATTERN))
        image = pixels(rendering)
        for panel in rendering.panels:
            skin = view_raster(panel.view, panel.facing)
            layout_parts = SETUPS[panel.view].parts
            # Red pixels of this panel, back in the view's cells.
            left, top, right, bottom = panel.pixel_box()
            red_y, red_x = np.nonzero(is_red(image[top:bottom, left:right]))
            xs = (red_x + left - panel.tx) / panel.sx
            ys = (red_y + top - panel.ty) / panel.sy
            rows = np.floor((ys - skin.y0) / skin.step).astype(int)
            cols = np.floor((xs - skin.x0) / skin.step).astype(int)
            if len(rows) == 0:
                continue
            coverage = _body_coverage(panel.view, panel.facing, layout_parts)
            off_skin = coverage[rows, cols] < 0.3
            assert not off_skin.any(), f"{muscle.id}/{trp.id}: {off_skin.sum()} red pixels off the body in {panel.view}"
            zones = [
                zone_field(panel.view, panel.facing, regions)
                for regions in (trp.referral.essential, trp.referral.spillover)
            ]
            near = np.zeros(skin.shape, dtype=bool)
            for field in zones:
                if field is not None:
                    near |= _blur(field > 0.05, 3) > 0
            assert near[rows, cols].all(), f"{muscle.id}/{trp.id}: red outside its zones in {panel.view}"


def test_spillover_is_a_lattice_of_dots_on_skin(facts: Facts) -> None:
    rendering = render(spec_of(facts, "gastrocnemius", "trp1", Variant.PATTERN))
    image = pixels(rendering)
    panel = panel_of(rendering, View.POSTERIOR)
    rows, cols = inner_cells(region_mask(View.POSTERIOR, Facing.BEHIND, "posterior-thigh-lower"), 3)
    colours = image[tuple(cell_pixels(panel, rows, cols)[:, ::-1].T)]
    red_share = is_red(colours).mean()
    assert 0.03 < red_share < 0.5, red_share  # dots, not a solid fill
    skin_like = (np.abs(colours - np.array([244, 225, 210])) < 40).all(axis=-1)
    assert skin_like.mean() > 0.4


def _deep_inside(mask: np.ndarray, row: int, col: int) -> bool:
    """Every cell within two of (row, col), 0.3 %H, is in `mask`."""
    return all(mask[row + dr, col + dc] for dr in range(-2, 3) for dc in range(-2, 3) if dr * dr + dc * dc <= 4)


def test_x_lies_on_its_region_and_on_its_muscle_and_is_dark(facts: Facts) -> None:
    for muscle, trp in every_trigger_point(facts):
        position = trp.position
        facing = Facing.FRONT if position.view is View.DORSAL else Facing.BEHIND
        xy = trigger_point_in_view(position, muscle.shape, position.view, facing)
        assert xy is not None, f"{muscle.id}/{trp.id}: the X is not seen in its own view"
        skin = view_raster(position.view, facing)
        row, col = skin.cell_of(*xy)
        assert region_mask(position.view, facing, position.region)[row, col], f"{muscle.id}/{trp.id} off its region"
        # on the muscle's own cells, not beside it: extensor digitorum longus, seen edge on at the side of the
        # front view, once had its X on tibialis anterior's skin
        on_muscle = muscle_mask(position.view, facing, muscle.shape)
        assert on_muscle[row, col], f"{muscle.id}/{trp.id}: not on its muscle"
        # and inside it, not on its outline (an X there read as lying beside its muscle: biceps femoris,
        # iliopsoas, sartorius): every cell within two (0.3 %H) is muscle too, unless the muscle is too
        # narrow for that anywhere in its region within 0.6 %H of the X (fibularis tertius, edge on)
        if not _deep_inside(on_muscle, row, col):
            region = region_mask(position.view, facing, position.region)
            reach = int(0.6 / skin.step)
            nearby = [(row + dr, col + dc) for dr in range(-reach, reach + 1) for dc in range(-reach, reach + 1)]
            assert not any(region[cell] and _deep_inside(on_muscle, *cell) for cell in nearby), (
                f"{muscle.id}/{trp.id}: on its muscle's outline"
            )
        rendering = render(DiagramSpec.for_trigger_point(muscle, trp, Variant.LOCATION))
        x, y = panel_of(rendering, position.view).to_pixel(xy)
        assert (pixels(rendering)[y, x] < 90).all(), f"{muscle.id}/{trp.id}: the X's centre is not dark ink"


def test_the_trigger_points_of_a_muscle_are_drawn_apart(facts: Facts) -> None:
    """Moving an X onto its muscle, and inside it, never brings two of a muscle's points together: in
    one view they lie at least 1.5 %H apart (biceps femoris's two once met when an X moved 2 %H)."""
    for muscle in facts.muscles:
        placed: dict[View, list[tuple[str, tuple[float, float]]]] = {}
        for trp in muscle.trigger_points:
            view = trp.position.view
            xy = trigger_point_in_view(
                trp.position, muscle.shape, view, Facing.FRONT if view is View.DORSAL else Facing.BEHIND
            )
            assert xy is not None
            for other, (x, y) in placed.get(view, []):
                assert np.hypot(xy[0] - x, xy[1] - y) >= 1.5, f"{muscle.id}: {trp.id} and {other} drawn together"
            placed.setdefault(view, []).append((trp.id, xy))


def test_a_point_drawn_in_two_views_sits_at_the_same_height(facts: Facts) -> None:
    """Every limb panel of a picture maps heights the same way, and the X lands at one height."""
    checked = 0
    for muscle, trp in every_trigger_point(facts):
        rendering = render(DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL))
        limb_panels = [p for p in rendering.panels if not SETUPS[p.view].foot]
        assert len({(round(p.sy, 6), round(p.ty, 3)) for p in limb_panels}) <= 1, (muscle.id, trp.id)
        seen = [
            p.to_pixel(xy)[1]
            for p in limb_panels
            if (xy := trigger_point_in_view(trp.position, muscle.shape, p.view, p.facing))
        ]
        if len(seen) > 1:
            assert max(seen) - min(seen) <= 1, (muscle.id, trp.id, seen)
            checked += 1
    assert checked >= 2  # gastrocnemius TrP1 at least: back and inner side of the calf


def test_the_body_is_one_surface_seen_from_each_side() -> None:
    """A screen height in any limb view is that height on the body; landmarks agree between views."""
    for view in (View.POSTERIOR, View.ANTERIOR, View.LATERAL, View.MEDIAL):
        skin = view_raster(view)
        rows, cols = np.nonzero(_blur(skin.covered, 1) > 0.999)  # away from the outline, where cells straddle
        assert np.abs(skin.position[rows, cols, 1] - skin.ys[rows]).max() < skin.step
    for region in ("medial-malleolus", "lateral-malleolus", "back-of-knee", "calf-upper-medial", "front-of-knee"):
        levels = []
        for view in REGIONS[region].views:
            rows, _ = np.nonzero(region_mask(view, Facing.BEHIND, region))
            levels.append(view_raster(view).ys[rows].mean())
        assert max(levels) - min(levels) < 1.5, (region, levels)


def test_the_outer_ankle_regions_lie_around_the_malleolus_not_over_it() -> None:
    """In the lateral view the outer heel lies below and behind the outer ankle bone, and the front of the
    outer ankle in front of it (fibularis tertius refers to both): neither is drawn over the bone."""
    skin = view_raster(View.LATERAL)
    toes_right = dot(SETUPS[View.LATERAL].camera.right, (0.0, 0.0, 1.0)) > 0  # which way the front points

    def cells(region: str) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = np.nonzero(region_mask(View.LATERAL, Facing.BEHIND, region))
        forward = skin.xs[cols] if toes_right else -skin.xs[cols]
        return skin.ys[rows], forward

    bone_levels, bone_forward = cells("lateral-malleolus")
    heel_levels, heel_forward = cells("lateral-heel")
    front_levels, front_forward = cells("front-of-lateral-malleolus")
    assert heel_levels.max() < bone_levels.mean() and heel_forward.min() < bone_forward.min()
    overlap = region_mask(View.LATERAL, Facing.BEHIND, "lateral-heel") & region_mask(
        View.LATERAL, Facing.BEHIND, "lateral-malleolus"
    )
    assert overlap.sum() < 0.05 * len(bone_levels)
    assert np.median(front_forward) > bone_forward.max() - skin.step  # in front of the bone
    assert bone_levels.min() - skin.step < np.median(front_levels) < bone_levels.max() + 3  # at the ankle


@pytest.mark.parametrize(
    ("shape", "view", "bone"),
    [
        ("abductor-hallucis", View.MEDIAL, "medial-malleolus"),
        ("abductor-digiti-minimi", View.LATERAL, "lateral-malleolus"),
    ],
)
def test_the_abductors_of_the_foot_lie_below_the_ankle_bone(shape: str, view: View, bone: str) -> None:
    """Each runs along a border of the foot from the heel to its toe, below the malleolus: the foot chart
    alone carried abductor hallucis over 82 % of the inner ankle bone, which faces the same way."""
    skin = view_raster(view)
    muscle_rows, _ = np.nonzero(muscle_mask(view, Facing.BEHIND, shape))
    bone_rows, _ = np.nonzero(region_mask(view, Facing.BEHIND, bone))
    assert len(muscle_rows) > 300  # the muscle is still drawn along the foot
    assert skin.ys[muscle_rows].max() < skin.ys[bone_rows].min(), (shape, skin.ys[muscle_rows].max())


def test_the_outline_stays_open_where_the_medial_view_cuts_the_thigh() -> None:
    """No line across the top of the thigh (it would draw a stump), but the sides reach up to the cut."""
    cut = SETUPS[View.MEDIAL].top_level
    assert cut is not None
    outline, area = _body_paths(View.MEDIAL, Facing.BEHIND, RIGHT_LIMB_PARTS)
    assert outline.vertices[:, 1].max() < cut - 0.2
    assert outline.vertices[:, 1].max() > cut - 1.5
    assert area.vertices[:, 1].max() > cut - 0.2  # the skin itself goes on to the cut


def test_every_region_is_drawn_in_each_of_its_views() -> None:
    for region in REGIONS.values():
        for view in region.views:
            facing = Facing.FRONT if view is View.DORSAL else Facing.BEHIND
            mask = region_mask(view, facing, region.id)
            step = view_raster(view, facing).step
            assert mask.sum() * step * step > 0.25, f"{region.id} is (almost) not seen in the {view.value} view"


def test_foot_panels_turn_like_the_view_beside_them(facts: Facts) -> None:
    """Beside a back view the sole is seen from behind (heel up, medial on the same side); beside
    a front view the top of the foot from the front. Enlarged panels say so."""
    pairs = 0
    for muscle, trp in every_trigger_point(facts):
        rendering = render(DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL))
        for left, right in zip(rendering.panels, rendering.panels[1:], strict=False):
            for first, second in ((left, right), (right, left)):
                if SETUPS[second.view].foot and first.view in (View.POSTERIOR, View.ANTERIOR):
                    medial_here = dot(SETUPS[first.view].camera.right, LEFT)
                    medial_there = dot(SETUPS[second.view].camera_facing(second.facing).right, LEFT)
                    assert medial_here * medial_there > 0, (muscle.id, trp.id, first.view, second.view)
                    pairs += 1
    assert pairs >= 5
    # On the pixels: soleus TrP1, heel pain seen from behind and from below: heel at the top of the sole.
    rendering = render(spec_of(facts, "soleus", "trp1", Variant.PATTERN))
    sole = panel_of(rendering, View.PLANTAR)
    assert sole.facing is Facing.BEHIND
    skin = view_raster(View.PLANTAR, Facing.BEHIND)
    heel_rows, _ = np.nonzero(region_mask(View.PLANTAR, Facing.BEHIND, "heel-plantar"))
    toe_rows, _ = np.nonzero(region_mask(View.PLANTAR, Facing.BEHIND, "big-toe"))
    assert skin.ys[heel_rows].mean() > skin.ys[toe_rows].mean()  # heel up
    big_toe_cols = np.nonzero(region_mask(View.PLANTAR, Facing.BEHIND, "big-toe"))[1]
    little_toe_cols = np.nonzero(region_mask(View.PLANTAR, Facing.BEHIND, "fifth-toe"))[1]
    assert big_toe_cols.mean() < little_toe_cols.mean()  # medial on the left, as behind


def test_enlarged_panels_say_by_how_much(facts: Facts) -> None:
    for muscle, trp in every_trigger_point(facts):
        for panel in panel_layouts(DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL)):
            if SETUPS[panel.view].foot and panel.factor is not None:
                assert panel.label == f"{panel.view.value} ×{panel.factor:g}" and panel.factor > 1


def test_pattern_picture_has_no_x_no_name_and_no_muscle(facts: Facts) -> None:
    spec = spec_of(facts, "gastrocnemius", "trp1", Variant.PATTERN)
    assert spec.position is None and spec.muscle_shape is None
    assert "Gastrocnemius" not in spec.title + spec.subtitle
    rendering = render(spec)
    image = pixels(rendering)
    for panel in rendering.panels:
        left, top, right, bottom = panel.pixel_box()
        assert not (image[top:bottom, left:right] < 40).all(axis=-1).any(), "ink of an X on a pattern picture"


def test_location_picture_shows_the_muscle_and_no_zones(facts: Facts) -> None:
    spec = spec_of(facts, "tibialis-anterior", "trp1", Variant.LOCATION)
    assert spec.muscle_shape == "tibialis-anterior"
    rendering = render(spec)
    image = pixels(rendering)
    assert not is_red(image).any()
    panel = panel_of(rendering, View.ANTERIOR)
    rows, cols = inner_cells(muscle_mask(View.ANTERIOR, Facing.BEHIND, "tibialis-anterior"), 2)
    tint = image[tuple(cell_pixels(panel, rows[::20], cols[::20])[:, ::-1].T)]
    skin = np.array([244, 225, 210])
    assert (np.abs(tint - skin).sum(axis=-1) > 30).mean() > 0.8, "the muscle is not shaded"


def test_every_muscle_has_a_shape_and_deep_ones_are_marked(facts: Facts) -> None:
    for muscle in facts.muscles:
        assert muscle.shape in MUSCLE_SHAPES
    deep = {m.id for m in facts.muscles if MUSCLE_SHAPES[m.shape].deep}
    assert {"popliteus", "tibialis-posterior", "flexor-digitorum-longus", "flexor-hallucis-longus"} <= deep
    assert not deep & {"gastrocnemius", "soleus", "tibialis-anterior", "fibularis-longus"}


@pytest.mark.parametrize("shape", ["sartorius", "tensor-fasciae-latae"])
def test_muscles_of_the_front_of_the_hip_never_reach_round_to_the_buttock(shape: str) -> None:
    """The sartorius (from the ASIS) and the tensor fasciae latae lie on the front and side of the hip: a
    lateral view shows them at the front of the hip, never on the back half of the buttock beside it."""
    skin = view_raster(View.LATERAL)
    cells = muscle_mask(View.LATERAL, Facing.BEHIND, shape) & (skin.ys[:, None] > 45)  # the hip, above the thigh
    behind = skin.normal[cells] @ np.asarray((0.0, 0.0, -1.0), dtype=skin.normal.dtype)
    assert cells.any() and behind.max() < 0.3, (shape, float(behind.max()))


def test_one_view_that_shows_the_whole_pattern_is_preferred(facts: Facts) -> None:
    # Gastrocnemius TrP1: the medial view shows calf, inner ankle and instep together.
    assert choose_views(spec_of(facts, "gastrocnemius", "trp1")) == (View.POSTERIOR, View.MEDIAL)
    # Tibialis anterior: the front of the ankle and the big toe together, from the front and above.
    assert choose_views(spec_of(facts, "tibialis-anterior", "trp1")) == (View.ANTERIOR, View.DORSAL)
    # The fibularis muscles: the outer leg, ankle and foot in one lateral view.
    assert choose_views(spec_of(facts, "fibularis-longus", "trp1")) == (View.LATERAL,)


def test_pelvis_patterns_show_both_buttocks_and_the_midline(facts: Facts) -> None:
    (panel,) = panel_layouts(spec_of(facts, "soleus", "trp3"))
    assert panel.view is View.POSTERIOR
    xmin, xmax, ymin, ymax = panel.box
    assert xmin < -8 and xmax > 8  # both sides of the body
    assert ymax > 60 and ymin < 1  # from the low back to the heel (the X is in the calf)


def test_rendering_is_byte_identical_and_cached(facts: Facts, tmp_path: Path) -> None:
    jobs = diagram_jobs(facts.select(("gastrocnemius",)))
    specs = [job.spec for job in jobs]
    cache = DiagramCache(tmp_path / "cache")
    first = render_many(specs, cache, workers=1)
    assert (cache.hits, cache.misses) == (0, len(specs))
    again = DiagramCache(tmp_path / "cache")
    second = render_many(specs, again)
    assert (again.hits, again.misses) == (len(specs), 0)
    assert first == second
    assert render(specs[0]).png == first[0]  # drawing again gives the same bytes as the cache


@pytest.fixture(scope="module")
def every_png(facts: Facts) -> list[tuple[str, bytes]]:
    jobs = diagram_jobs(facts)
    return [(job.file_name, png) for job, png in zip(jobs, render_many([job.spec for job in jobs]), strict=True)]


def test_the_render_summary_counts_in_words() -> None:
    assert RenderReport(1, 0, Path("pngs")).summary() == "Wrote 1 diagram (0 drawn, 1 from cache) to pngs"
    assert RenderReport(3, 2, Path("pngs")).summary() == "Wrote 3 diagrams (2 drawn, 1 from cache) to pngs"


def test_every_bundled_picture_is_sharp_and_small(facts: Facts, every_png) -> None:
    assert len(every_png) == 3 * facts.trigger_point_count
    for name, png in every_png:
        image = Image.open(io.BytesIO(png))
        assert image.width >= 720, name  # 2x density for a phone card 360 px wide
        assert len(png) < 80_000, f"{name} is {len(png)} bytes"
    assert statistics.median(len(png) for _, png in every_png) < 40_000


def test_plain_gives_what_asdict_gives(facts: Facts) -> None:
    """Cache keys and card digests read `plain(spec)`; it must say what `asdict` said, or every
    student's notes would be re-sent."""
    import dataclasses
    import json

    from decks.diagrams.spec import plain

    for muscle, trp in every_trigger_point(facts):
        for variant in Variant:
            spec = DiagramSpec.for_trigger_point(muscle, trp, variant)
            ours = json.dumps(plain(spec), sort_keys=True, default=str)
            assert ours == json.dumps(dataclasses.asdict(spec), sort_keys=True, default=str)


def test_drawing_after_prepare_needs_no_surface_samples(facts: Facts) -> None:
    """The drawing workers inherit what `prepare` computed and none of the per-cell samples
    (most of a view's memory): a picture that needed them would compute them again in each worker."""
    import importlib

    from decks.body.raster import release_surface_samples, surface_samples
    from decks.occlusion import occlusion_notes

    specs = [job.spec for job in diagram_jobs(facts)[::7]] + [note.spec for note in occlusion_notes(facts)[::4]]
    for spec in specs:
        importlib.import_module(spec.renderer).prepare(spec)
    release_surface_samples()
    for spec in specs:
        importlib.import_module(spec.renderer).render_png(spec)
    assert surface_samples.cache_info().currsize == 0


def test_one_legend_for_several_pictures_names_every_mark_once(facts: Facts) -> None:
    """`lookup --picture` draws several candidates over one legend: it names what any of them shows."""
    minimus, tfl = facts.muscle("gluteus-minimus"), facts.muscle("tensor-fasciae-latae")
    deep = DiagramSpec.for_trigger_point(minimus, minimus.trigger_point("trp1"), Variant.FULL)
    superficial = DiagramSpec.for_trigger_point(tfl, tfl.trigger_point("trp1"), Variant.FULL)
    no_spillover = DiagramSpec.for_trigger_point(tfl, tfl.trigger_point("trp1"), Variant.LOCATION)
    labels = [label for _, label in _legend_entries((deep, superficial))]
    assert labels == ["muscle", "muscle (deep)", "trigger point", "essential pain", "spillover pain"]
    assert [label for _, label in _legend_entries((no_spillover,))] == ["muscle", "trigger point"]


@pytest.mark.parametrize(("muscle_id", "trp_id", "variant"), [("abductor-digiti-minimi", "trp1", Variant.FULL), ("popliteus", "trp1", Variant.LOCATION), ("gastrocnemius", "trp1", Variant.PATTERN)])  # fmt: skip
def test_the_legend_drawn_once_is_the_legend_drawn_in_place(
    facts: Facts, muscle_id: str, trp_id: str, variant: Variant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pictures put down a legend drawn once per process; it is the legend matplotlib draws on the
    picture itself, to a pixel's rounding (and the palette's)."""
    import decks.diagrams.render as drawing

    spec = spec_of(facts, muscle_id, trp_id, variant)
    once = pixels(render(spec))
    monkeypatch.setattr(
        drawing, "_add_legend_pixels", lambda fig, spec, rows: drawing.add_legend(fig, (spec,), (0.5, 0.0), rows=rows)
    )
    in_place = pixels(render(spec))
    assert once.shape == in_place.shape
    band = slice(once.shape[0] - 110, None)  # the legend, under the views' labels
    background = in_place[-1, 0]
    inked = (np.abs(in_place[band] - background).sum(axis=2) > 60).sum()
    assert inked > 800  # a legend is there
    assert (np.abs(once[band] - background).sum(axis=2) > 60).sum() == pytest.approx(inked, rel=0.02)
    moved = (np.abs(once[band] - in_place[band]).sum(axis=2) > 60).sum()
    assert moved < 0.06 * inked
