"""Benchmark: draw every bundled diagram cold (empty cache) and warm (cache full).

Prints figures only; targets on the 2-core machine: cold < 10 s, warm < 1 s.
Run: python bench/bench_render.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from decks.diagrams.batch import DiagramCache, diagram_jobs, write_diagrams
from decks.loader import load_facts
from source_facts import bundled_facts_dir


def main() -> None:
    facts = load_facts(bundled_facts_dir())
    jobs = diagram_jobs(facts)
    with tempfile.TemporaryDirectory() as tmp:
        out, cache_dir = Path(tmp, "out"), Path(tmp, "cache")
        start = time.perf_counter()
        write_diagrams(jobs, out, DiagramCache(cache_dir))
        cold = time.perf_counter() - start
        start = time.perf_counter()
        warm_cache = DiagramCache(cache_dir)
        write_diagrams(jobs, out, warm_cache)
        warm = time.perf_counter() - start
        size = sum(p.stat().st_size for p in out.iterdir())
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"diagrams: {len(jobs)} ({len(facts.muscles)} muscles, {facts.trigger_point_count} trigger points)")
    print(f"cold render (empty cache): {cold:6.2f} s  ({1000 * cold / len(jobs):5.1f} ms per diagram)   target < 10 s")
    print(f"warm render (cache full):  {warm:6.2f} s  ({1000 * warm / len(jobs):5.1f} ms per diagram)   target < 1 s")
    print(f"cache hits on warm run:    {warm_cache.hits}/{len(jobs)}")
    print(f"output size: {size / 1024:.0f} KiB ({size / len(jobs) / 1024:.1f} KiB per diagram)")
    print(f"peak memory: {own:.0f} MiB (main process), {workers:.0f} MiB (largest worker)")


if __name__ == "__main__":
    sys.exit(main())
