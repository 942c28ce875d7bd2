"""Drawing what `check` accepts, and pool workers that never outlive their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from test_cli import myodeck
from test_loader_errors import VALID

from decks.diagrams import Variant
from decks.diagrams.render import render
from decks.diagrams.spec import DiagramSpec
from decks.loader import load_facts


def test_dollars_and_tex_in_names_are_drawn_as_typed(tmp_path: Path) -> None:
    """matplotlib reads "$...$" as TeX: "$\\frac{$" made the build fail, and "$5 or $6" lost its dollars."""
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "demo.yaml").write_text(
        VALID.replace("name: Demo muscle", "name: 'Costs $5 or $6, \\frac{ 😀'").replace(
            "name: TrP1", "name: '$\\frac{$'"
        )
    )
    muscle = load_facts(facts).muscles[0]
    spec = DiagramSpec.for_trigger_point(muscle, muscle.trigger_points[0], Variant.FULL)
    assert render(spec).png.startswith(b"\x89PNG")
    environment = {**os.environ, "MYODECK_CACHE": str(tmp_path / "cache")}
    assert myodeck("stamp", "--facts", str(facts), "--date", "2026-01-01", cwd=tmp_path).returncode == 0
    for args in (("build", "-o", "demo.apkg"), ("render", "-o", "pngs"), ("handout", "-n", "2", "-o", "demo.pdf")):
        result = myodeck(*args, "--facts", str(facts), cwd=tmp_path, env=environment)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "Warning" not in result.stderr


SLOW_POOL = textwrap.dedent(
    """
    import os, sys, time
    from decks.diagrams import batch, render

    def slow(spec):
        os.write(1, f"{os.getpid()}\\n".encode())  # one write: two workers' lines never interleave
        time.sleep(60)

    class Spec:  # drawn by the module named here, as every picture spec is
        renderer = "decks.diagrams.render"

    render.render_png = slow
    render.prepare = lambda spec: None
    batch.render_many([Spec() for _ in range(8)], workers=2)
    """
)


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # exited, waiting to be reaped
    except FileNotFoundError:
        return True


def test_pool_workers_exit_when_their_parent_is_killed() -> None:
    """`kill -9` of a build while drawing used to leave its workers sleeping forever."""
    with subprocess.Popen([sys.executable, "-c", SLOW_POOL], stdout=subprocess.PIPE, text=True) as parent:
        assert parent.stdout is not None
        workers = [int(parent.stdout.readline()) for _ in range(2)]
        assert all(not _gone(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if not _gone(pid)]
    for pid in left:  # so that a failure here does not leave them behind
        os.kill(pid, signal.SIGKILL)
    assert left == []
