"""Benchmark: time from `myodeck quiz` start to the first question, against the import floor.

The floor is `python -c "import click, yaml, fsrs, rich"` in the same run; target:
the quiz within 1.5x of it and under 100 MB peak memory. Measured twice: a start on
any later day, whose review database is there, and a student's very first, which
also makes the database. Prints figures only.
Run: python bench/bench_quiz_start.py
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

RUNS = 11


def student_env() -> dict[str, str]:
    """This process's environment as on a student's machine: bytecode cached (this workplace sets
    PYTHONDONTWRITEBYTECODE, which would make every run recompile every module and measure the
    compiler), and the user cache folder found as theirs is (MYODECK_CACHE skips the lookup)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MYODECK_CACHE")}


def first_question_seconds(exe: str, db: Path, args: tuple[str, ...] = (), pinned: str | None = None) -> float:
    """Seconds from starting `myodeck quiz --new 5 [args]` to its first question (the clock pinned to `pinned`)."""
    env = {**student_env(), "MYODECK_DB": str(db), "NO_COLOR": "1", **({"MYODECK_NOW": pinned} if pinned else {})}
    start = time.perf_counter()
    child = pexpect.spawn(exe, ["quiz", "--new", "5", *args], env=env, encoding="utf-8", timeout=120)
    child.expect_exact("── 1 · ")
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def floor_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import click, yaml, fsrs, rich"], check=True, env=student_env())
    return time.perf_counter() - start


def main() -> None:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe, "install myodeck first"
    with tempfile.TemporaryDirectory() as tmp:
        first_question_seconds(exe, Path(tmp, "warm-up.sqlite3"))  # writes the bytecode caches
        time.sleep(6)  # the fact cache is stored only once myodeck's files are 5 s old
        first_question_seconds(exe, Path(tmp, "warm-up.sqlite3"))
        floor_seconds()
        daily, first, floor = [], [], []
        for i in range(RUNS):  # alternated, so a machine whose speed drifts slows all alike
            daily.append(first_question_seconds(exe, Path(tmp, "warm-up.sqlite3")))
            first.append(first_question_seconds(exe, Path(tmp, f"r{i}.sqlite3")))
            floor.append(floor_seconds())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    f = statistics.median(floor)
    print(f"runs: {RUNS} each, alternated (median)")
    print(f"import click, yaml, fsrs, rich:  {1000 * f:6.0f} ms")
    for label, runs in (("any later day (database there)", daily), ("the very first (database made)", first)):
        q = statistics.median(runs)
        print(f"quiz to first question, {label}: {1000 * q:6.0f} ms   {q / f:.2f}x   (target within 1.5x)")
    print(f"peak memory of a child process: {peak:.0f} MiB   (target < 100 MB)")


if __name__ == "__main__":
    main()
