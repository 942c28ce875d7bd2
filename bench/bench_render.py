"""Benchmark: draw every bundled diagram cold (empty cache) and warm (cache full).

Prints figures only. Targets on the 2-core machine (issue 10): cold at most 60 ms of CPU
per diagram with both cores used, peak memory per worker under 150 MB, median PNG
under 40 KB; against the floor of a plain matplotlib figure of the same size saved as PNG.
Run: python bench/bench_render.py
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from decks.diagrams.batch import DiagramCache, diagram_jobs, write_diagrams
from decks.loader import load_facts
from source_facts import bundled_facts_dir


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def plain_figure_ms(count: int = 20) -> float:
    """The floor: an empty 3.6 x 5.6 in figure at 200 dpi with one line, saved as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    start = time.process_time()
    for _ in range(count):
        fig = Figure(figsize=(3.6, 5.62), dpi=200)
        FigureCanvasAgg(fig)
        fig.add_artist(Line2D([0, 1], [0, 1]))
        fig.savefig(io.BytesIO(), format="png")
    return 1000 * (time.process_time() - start) / count


class WorkerMemory:
    """Samples this process's children while they draw: the most memory any one used.

    RSS counts the pages a forked worker shares with its parent (the views and masks prepared
    before forking) in full; PSS counts a shared page in part, USS not at all (its own pages only).
    """

    def __init__(self) -> None:
        self.peak = {"Rss": 0, "Pss": 0, "Uss": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            for pid in self._children():
                self._sample(pid)

    @staticmethod
    def _children() -> list[str]:
        try:
            return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
        except OSError:
            return []

    def _sample(self, pid: str) -> None:
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        except (OSError, ValueError):
            return
        kib = {key: int(value.split()[0]) for key, value in fields.items()}
        usage = {
            "Rss": kib.get("Rss", 0),
            "Pss": kib.get("Pss", 0),
            "Uss": kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0),
        }
        for key, value in usage.items():
            self.peak[key] = max(self.peak[key], value)


def main() -> None:
    facts = load_facts(bundled_facts_dir())
    jobs = diagram_jobs(facts)
    with tempfile.TemporaryDirectory() as tmp:
        out, cache_dir = Path(tmp, "out"), Path(tmp, "cache")
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        with WorkerMemory() as memory:
            write_diagrams(jobs, out, DiagramCache(cache_dir))
        cold_cpu, cold = cpu_seconds() - cpu0, time.perf_counter() - wall0
        start = time.perf_counter()
        warm_cache = DiagramCache(cache_dir)
        write_diagrams(jobs, out, warm_cache)
        warm = time.perf_counter() - start
        sizes = [p.stat().st_size for p in out.iterdir()]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    per = 1000 * cold_cpu / len(jobs)
    floor = plain_figure_ms()
    median, largest = statistics.median(sizes) / 1024, max(sizes) / 1024
    print(f"diagrams: {len(jobs)} ({len(facts.muscles)} muscles, {facts.trigger_point_count} trigger points)")
    print(f"cores: {os.cpu_count()}")
    print(f"cold render (empty cache): {cold:6.2f} s wall, {cold_cpu:6.2f} s CPU")
    print(f"  per diagram: {per:5.1f} ms CPU   target <= 60 ms")
    print(f"  floor (a plain matplotlib figure of that size, saved as PNG): {floor:5.1f} ms, ratio {per / floor:4.1f}x")
    print(f"warm render (cache full):  {warm:6.2f} s  ({1000 * warm / len(jobs):5.1f} ms per diagram)")
    print(f"cache hits on warm run:    {warm_cache.hits}/{len(jobs)}")
    print(f"PNG size: median {median:.1f} KiB (target < 40), largest {largest:.1f} KiB")
    mb = 1.048576  # MB per MiB
    print(
        f"peak memory: {own:.0f} MiB (main process), {workers:.0f} MiB = {workers * mb:.0f} MB RSS "
        "(largest worker, target < 150 MB)"
    )
    peak = {key: value / 1024 for key, value in memory.peak.items()}
    print(
        f"  per worker, sampled: RSS {peak['Rss']:.0f} MiB, of which shared with the main process "
        f"{peak['Rss'] - peak['Uss']:.0f} MiB; PSS {peak['Pss']:.0f} MiB, own (USS) {peak['Uss']:.0f} MiB"
    )


if __name__ == "__main__":
    sys.exit(main())
