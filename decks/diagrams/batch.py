"""Render many diagrams: a content-keyed cache, both cores, and files written atomically."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from decks.atomic import OutputError, write_atomically
from decks.diagrams import TRIGGER_POINT_VARIANTS, Variant
from decks.diagrams.fingerprint import cache_key
from decks.diagrams.spec import DiagramSpec, PictureSpec
from decks.model import Facts, Muscle
from decks.outline import TriggerPoint

if TYPE_CHECKING:
    import multiprocessing.context

Progress = Callable[[int], None]


@dataclass(frozen=True)
class DiagramJob:
    """One picture of one trigger point, with the file name it is stored under."""

    muscle: Muscle
    trigger_point: TriggerPoint
    variant: Variant

    @property
    def spec(self) -> DiagramSpec:
        return DiagramSpec.for_trigger_point(self.muscle, self.trigger_point, self.variant)

    @property
    def file_name(self) -> str:
        return f"{self.muscle.id}-{self.trigger_point.id}-{self.variant.value}.png"


def diagram_jobs(facts: Facts, variants: Iterable[Variant] = TRIGGER_POINT_VARIANTS) -> list[DiagramJob]:
    chosen = tuple(variants)
    return [
        DiagramJob(muscle, trp, variant)
        for muscle in facts.muscles
        for trp in muscle.trigger_points
        for variant in chosen
    ]


@dataclass
class DiagramCache:
    """PNG bytes stored under the content key of their spec (code and data included)."""

    directory: Path
    hits: int = 0
    misses: int = 0

    def get(self, spec: PictureSpec) -> bytes | None:
        try:
            data = (self.directory / f"{cache_key(spec)}.png").read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, spec: PictureSpec, png: bytes) -> None:
        with contextlib.suppress(OutputError):  # a read-only or full cache costs speed, never a result
            write_atomically(self.directory / f"{cache_key(spec)}.png", png, create_folder=True)


def _pool_context() -> multiprocessing.context.BaseContext:
    import multiprocessing  # here, not above: a build whose pictures are cached never starts a pool

    # fork shares the already-imported matplotlib with the workers; elsewhere be safe.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


PARENT_POLL_SECONDS = 0.5


def _return_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc), so forked workers do not carry them."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def _keep_heap_small() -> None:
    """Large blocks (a picture's canvas, its PNG buffers) straight from the system and back to it.

    glibc raises its mmap threshold each time such a block is freed, after which the next
    ones come from the heap and stay there: a worker would keep its largest picture's
    memory for good. Fixed thresholds keep a worker at the size of the picture it draws.
    """
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 256 * 1024)
        libc.mallopt(_M_TRIM_THRESHOLD, 1024 * 1024)


def _start_worker(parent: int) -> None:
    """Pool worker start-up: a small heap, and exit as soon as the parent is gone.

    A parent killed with SIGKILL cannot stop its pool, and a worker blocked waiting
    for work would otherwise sleep forever. When the parent dies the worker is
    re-parented, so its parent id changes; a daemon thread watches for that.
    """
    _keep_heap_small()
    if os.getppid() != parent:  # died before this worker started
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def read_cached(specs: Sequence[PictureSpec], cache: DiagramCache | None) -> list[bytes | None]:
    """The cached PNG of each spec, None where it is not cached."""
    return [cache.get(spec) if cache else None for spec in specs]


def render_many(
    specs: Sequence[PictureSpec],
    cache: DiagramCache | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    *,
    cached: Sequence[bytes | None] | None = None,
) -> list[bytes]:
    """PNG bytes for each spec, in order; cached ones are not redrawn. `cached`: what `read_cached`
    gave, when the caller read it already (to know whether anything is to be drawn)."""
    results = list(cached) if cached is not None else read_cached(specs, cache)
    if progress:
        progress(sum(r is not None for r in results))
    missing = [i for i, r in enumerate(results) if r is None]
    if not missing:
        return [r for r in results if r is not None]
    from decks.body.raster import release_surface_samples  # matplotlib loads only when something is drawn

    workers = min(workers or os.cpu_count() or 1, len(missing))
    for index in missing:  # the shared views and masks, once (workers inherit them)
        _renderer(specs[index]).prepare(specs[index])
    release_surface_samples()  # most of the views' memory, and no longer needed to draw
    gc.collect()  # the figures the legends were drawn on, before the survivors are frozen and shared
    _return_free_memory()
    gc.freeze()  # what is shared stays out of the collector's way: collections stay cheap, pages shared
    try:
        if workers > 1 and len(missing) >= 8:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_pool_context(),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            ) as pool:
                drawn = pool.map(_draw, [specs[i] for i in missing], chunksize=4)
                _collect(missing, drawn, specs, results, cache, progress)
        else:
            _collect(missing, (_draw(specs[i]) for i in missing), specs, results, cache, progress)
    finally:
        gc.unfreeze()
    return [r for r in results if r is not None]


def _draw(spec: PictureSpec) -> bytes:
    """One picture, and its figure freed at once: matplotlib's figures live in reference cycles,
    which only the collector frees, and hundreds of them waiting for it cost hundreds of megabytes."""
    png = _renderer(spec).render_png(spec)
    gc.collect()
    return png


def _renderer(spec: PictureSpec) -> ModuleType:
    """The module that draws `spec` (`render_png`, `prepare`), imported only when something is drawn:
    a build whose pictures are cached never loads matplotlib."""
    return importlib.import_module(spec.renderer)


def _collect(
    indexes: list[int],
    drawn: Iterable[bytes],
    specs: Sequence[PictureSpec],
    results: list[bytes | None],
    cache: DiagramCache | None,
    progress: Progress | None,
) -> None:
    for index, png in zip(indexes, drawn, strict=True):
        results[index] = png
        if cache:
            cache.put(specs[index], png)
        if progress:
            progress(1)


@dataclass(frozen=True)
class RenderReport:
    written: int
    redrawn: int
    directory: Path

    def summary(self) -> str:
        cached = self.written - self.redrawn
        noun = "diagram" if self.written == 1 else "diagrams"
        return f"Wrote {self.written} {noun} ({self.redrawn} drawn, {cached} from cache) to {self.directory}"


def write_diagrams(
    jobs: Sequence[DiagramJob], out_dir: Path, cache: DiagramCache | None, progress: Progress | None = None
) -> RenderReport:
    """Render `jobs` into `out_dir` as `<muscle>-<trp>-<variant>.png`."""
    pngs = render_many([job.spec for job in jobs], cache, progress=progress)
    try:
        out_dir.mkdir(exist_ok=True)  # the folder, never its parents: `typo/pngs` is an error
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir}: {exc.strerror}") from None
    for job, png in zip(jobs, pngs, strict=True):
        write_atomically(out_dir / job.file_name, png)
    redrawn = cache.misses if cache else len(jobs)
    return RenderReport(len(jobs), redrawn, out_dir)
