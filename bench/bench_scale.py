"""How `myodeck check` and a warm `myodeck build` grow with the deck: synthetic fact folders of 100 to 1,000 muscles.

    python bench/bench_scale.py

Each synthetic muscle is a copy of a bundled one (all of them in turn) under a new id and name. The build
leaves out the picture cards (drawing thousands of pictures measures the renderer,
which bench_render.py does); what is measured is everything else a build does per
card: loading, deriving cards, checking their dates, writing notes. Target: 1,000
muscles build warm in under 2 s, and both commands grow linearly. Prints figures,
asserts nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from source_facts import bundled_facts_dir

SIZES = (100, 300, 1000)
RUNS = 3
TEMPLATES = sorted(bundled_facts_dir().glob("*/*.yaml"))
NO_PICTURES = ("attachments", "actions", "innervation", "activators", "symptoms", "treatment")


def synthetic_folder(folder: Path, muscles: int) -> None:
    """`muscles` copies of the bundled muscles in turn, each under its own id and name.

    Taking every bundled muscle in turn, not one muscle a thousand times, keeps the deck
    like a real one: the muscles differ, and a referral pattern is shared by a few dozen
    copies, not by all of them (one shared pattern makes each pattern card's back list
    every other muscle, which grows with the square of the deck).
    """
    texts = [(path.stem, path.read_text()) for path in TEMPLATES]
    for number in range(muscles):
        shape, text = texts[number % len(texts)]
        copy = re.sub(r"^id: .*$", f"id: synthetic-{number:04d}", text, count=1, flags=re.M)
        copy = re.sub(r"^name: (.*)$", rf"name: Synthetic {number:04d} (\1)", copy, count=1, flags=re.M)
        copy = re.sub(r"^shape: .*$", "", copy, flags=re.M) + f"shape: {shape}\n"
        (folder / f"synthetic-{number:04d}.yaml").write_text(copy)


def best_seconds(command: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe, "install myodeck first"
    print(f"cores: {os.cpu_count()}; best of {RUNS}; build without picture cards")
    print(f"{'muscles':>8} {'check':>8} {'build warm':>11} {'per muscle':>11}")
    with tempfile.TemporaryDirectory() as temp:
        for size in SIZES:
            folder = Path(temp, f"facts-{size}")
            folder.mkdir()
            synthetic_folder(folder, size)
            env = {**os.environ, "MYODECK_CACHE": str(Path(temp, "cache"))}
            subprocess.run([exe, "stamp", "--facts", str(folder)], env=env, check=True, capture_output=True)
            build = [exe, "build", "--locked", "--facts", str(folder), "-o", str(Path(temp, "deck.apkg"))]
            build += [arg for topic in NO_PICTURES for arg in ("--topic", topic)]
            check = best_seconds([exe, "check", "--facts", str(folder)], env)
            warm = best_seconds(build, env)
            print(f"{size:>8} {check:>7.2f}s {warm:>10.2f}s {1000 * warm / size:>9.2f}ms")
    print("target: 1,000 muscles build warm in under 2 s")


if __name__ == "__main__":
    main()
