"""Diagrams, checked on their pixels: red where the zones are, dots where they spill, X in place."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from decks.diagrams import Variant
from decks.diagrams.batch import DiagramCache, diagram_jobs, render_many
from decks.diagrams.geometry import REGION_SHAPES
from decks.diagrams.render import Rendering, render
from decks.diagrams.shapes import (
    inside_points,
    interior_points,
    outline_path,
    region_in_view,
    shape_path,
    trigger_point_xy,
)
from decks.diagrams.spec import DiagramSpec
from decks.model import Facts
from decks.regions import REGIONS


def pixels(rendering: Rendering) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(rendering.png)).convert("RGB")).astype(int)


def is_red(rgb: np.ndarray) -> np.ndarray:
    return (rgb[..., 0] > 170) & (rgb[..., 1] < 70) & (rgb[..., 2] < 90)


def is_skin(rgb: np.ndarray) -> np.ndarray:
    return (np.abs(rgb - np.array([244, 225, 210])) < 18).all(axis=-1)


def sample(rendering: Rendering, image: np.ndarray, view, points: np.ndarray) -> np.ndarray:
    panel = next(p for p in rendering.panels if p.view is view)
    xy = np.array([panel.to_pixel(tuple(pt)) for pt in points])
    return image[xy[:, 1], xy[:, 0]]


def test_every_region_has_skin_in_each_of_its_views() -> None:
    for region in REGIONS.values():
        for view in region.views:
            assert region.id in REGION_SHAPES[view], f"{region.id} has no shape in the {view.value} view"
            assert len(inside_points(view, region.id)) > 20, f"{region.id} is (almost) outside the {view.value} limb"
    for view, shapes in REGION_SHAPES.items():
        for name in shapes:
            assert view in REGIONS[name].views, f"{name} is drawn in {view.value} but not listed there"


def test_gastrocnemius_trp1_zones_on_the_pixels(facts: Facts) -> None:
    muscle = facts.muscle("gastrocnemius")
    trp = muscle.trigger_point("trp1")
    rendering = render(DiagramSpec.for_trigger_point(muscle, trp, Variant.FULL))
    image = pixels(rendering)
    views = [p.view for p in rendering.panels]
    assert views[0] is trp.position.view
    # The centre of each essential region is solid red, in every view that shows it.
    for region in trp.referral.essential:
        shown = [v for v in views if region in REGION_SHAPES[v]]
        assert shown, f"{region} is not shown"
        for view in shown:
            centre = np.array([region_in_view(view, region).inner_point])
            assert is_red(sample(rendering, image, view, centre)).all(), (region, view)
    # Spillover regions hold red dots on skin.
    for region in trp.referral.spillover:
        for view in [v for v in views if region in REGION_SHAPES[v]]:
            colours = sample(rendering, image, view, inside_points(view, region, step=0.05))
            red_share = is_red(colours).mean()
            assert 0.03 < red_share < 0.6, (region, view, red_share)
            assert is_skin(colours).mean() > 0.3, (region, view)
    # A region in neither zone shows no red (away from its edges, where zones are softened).
    for view, region in [(views[0], "calf-upper-lateral"), (views[0], "calf-lower-lateral")]:
        colours = sample(rendering, image, view, interior_points(view, region, margin=0.8, step=0.1))
        assert not is_red(colours).any(), region


def test_x_lies_in_its_region_and_is_dark(facts: Facts) -> None:
    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            position = trp.position
            x, y = trigger_point_xy(position)
            region_path = shape_path(REGION_SHAPES[position.view][position.region])
            assert region_path.contains_point((x, y)), f"{muscle.id}/{trp.id} X outside {position.region}"
            assert outline_path(position.view).contains_point((x, y)), f"{muscle.id}/{trp.id} X outside the limb"
    muscle = facts.muscle("soleus")
    rendering = render(DiagramSpec.for_trigger_point(muscle, muscle.trigger_points[0], Variant.LOCATION))
    image = pixels(rendering)
    centre = sample(
        rendering,
        image,
        muscle.trigger_points[0].position.view,
        np.array([trigger_point_xy(muscle.trigger_points[0].position)]),
    )
    assert (centre < 80).all(), "the X's centre is not dark ink"


def test_pattern_variant_has_no_x_and_no_name(facts: Facts) -> None:
    muscle = facts.muscle("gastrocnemius")
    spec = DiagramSpec.for_trigger_point(muscle, muscle.trigger_point("trp1"), Variant.PATTERN)
    assert spec.position is None and "Gastrocnemius" not in spec.title + spec.subtitle
    rendering = render(spec)
    image = pixels(rendering)
    for panel in rendering.panels:
        points = inside_points(panel.view, "calf-upper-medial") if panel.view.value == "posterior" else None
        if points is not None:
            assert not (sample(rendering, image, panel.view, points) < 60).all(axis=-1).any(), (
                "ink where the X would be"
            )


def test_location_variant_has_no_zones(facts: Facts) -> None:
    muscle = facts.muscle("tibialis-anterior")
    rendering = render(DiagramSpec.for_trigger_point(muscle, muscle.trigger_points[0], Variant.LOCATION))
    assert not is_red(pixels(rendering)).any()


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


def test_every_bundled_trigger_point_renders_small_and_legible(facts: Facts) -> None:
    jobs = diagram_jobs(facts)
    pngs = render_many([job.spec for job in jobs], cache=None)
    assert len(pngs) == 3 * facts.trigger_point_count
    for job, png in zip(jobs, pngs, strict=True):
        image = Image.open(io.BytesIO(png))
        assert image.width >= 360, job.file_name
        assert len(png) < 40_000, f"{job.file_name} is {len(png)} bytes"
