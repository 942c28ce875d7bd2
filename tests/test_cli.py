"""The real `myodeck` command, run as a user runs it: another directory, a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from decks import __version__

REPO = Path(__file__).resolve().parent.parent


def myodeck(*args: str, cwd: Path, timeout: float = 120, **options) -> subprocess.CompletedProcess[str]:
    """Run the installed command; a hang fails the test (`timeout` seconds) instead of stalling the suite."""
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe, "the myodeck console script is not installed beside this Python"
    return subprocess.run(
        [exe, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout, **options
    )


def test_check_bundled_facts_from_another_directory(tmp_path: Path) -> None:
    result = myodeck("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert "muscle" in result.stdout and "trigger points" in result.stdout
    assert result.stderr == ""


def test_bad_facts_exit_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nname: [unclosed\n")
    result = myodeck("check", "--facts", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{tmp_path}/broken.yaml:3: YAML syntax error:")
    assert "Traceback" not in result.stderr


def test_missing_facts_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = myodeck("check", "--facts", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("nothing was written")
    assert "no such directory" in result.stderr


def test_version_and_help(tmp_path: Path) -> None:
    """Every command is listed with its summary, each from the module it lives in."""
    from decks.cli import COMMANDS, main

    assert myodeck("--version", cwd=tmp_path).stdout == f"myodeck, version {__version__}\n"
    top = myodeck("--help", cwd=tmp_path)
    listed = top.stdout.split("Commands:\n")[1].splitlines()
    assert top.returncode == 0 and [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert "  quiz       Study in the terminal: due cards first, then new ones." in listed
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.name == name
    for command in ("check", "regions"):
        sub = myodeck(command, "--help", cwd=tmp_path)
        assert sub.returncode == 0 and f"Usage: myodeck {command}" in sub.stdout
    unknown = myodeck("quizz", cwd=tmp_path)
    assert unknown.returncode == 2 and "No such command 'quizz'." in unknown.stderr


def test_regions_lists_the_vocabulary(tmp_path: Path) -> None:
    result = myodeck("regions", cwd=tmp_path)
    assert result.returncode == 0
    assert any(line.startswith("instep ") and "[medial, plantar]" in line for line in result.stdout.splitlines())


def test_shapes_and_movements_list_their_vocabularies(tmp_path: Path) -> None:
    shapes = myodeck("shapes", cwd=tmp_path)
    assert shapes.returncode == 0
    assert "gastrocnemius" in shapes.stdout.splitlines() and "popliteus  (deep)" in shapes.stdout.splitlines()
    movements = myodeck("movements", cwd=tmp_path)
    assert movements.returncode == 0
    assert (
        "hip           flexion, extension, abduction, adduction, medial rotation, lateral rotation" in movements.stdout
    )


def test_lookup_ranks_and_refuses_an_unknown_region(tmp_path: Path) -> None:
    found = myodeck("lookup", "front of the knee", "--limit", "2", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout == (
        "Pain map: front-of-knee\n"
        "1. Vastus medialis TrP1 — essential: front-of-knee, kneecap-medial-edge\n"
        "2. Rectus femoris TrP1 — essential: front-of-knee; also spillover: anterior-thigh-lower-third\n"
    )
    unknown = myodeck("lookup", "heal", cwd=tmp_path)
    assert unknown.returncode == 1
    assert unknown.stdout == ""
    assert unknown.stderr == (
        "Error: unknown region 'heal' (did you mean 'heel-back' or 'heel-plantar'?); `myodeck regions` lists them\n"
    )


def test_lint_and_format_are_clean() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff is not None
    lint = subprocess.run([ruff, "check", "."], cwd=REPO, capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run([ruff, "format", "--check", "."], cwd=REPO, capture_output=True, text=True, check=False)
    assert fmt.returncode == 0, fmt.stdout


def test_a_warm_build_loads_neither_matplotlib_nor_numpy(tmp_path: Path) -> None:
    """Every picture cached: the build only packs notes and files, so the drawing libraries stay unloaded."""
    env = {**os.environ, "MYODECK_CACHE": str(tmp_path / "cache")}
    args = ["build", "--muscle", "plantaris", "-o", str(tmp_path / "deck.apkg")]
    assert myodeck(*args, cwd=tmp_path, env=env).returncode == 0  # draws the pictures once
    code = (
        "import sys; from decks.cli import main\n"
        f"try: main({args!r})\n"
        "except SystemExit as done: assert done.code == 0\n"
        "print(sorted({'matplotlib', 'numpy', 'PIL', 'contourpy'} & set(sys.modules)))"
    )
    warm = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize(("command", "collecting"), [("muscles", True), ("stats", True), ("regions", False)])
def test_the_collector_pauses_for_start_up_and_runs_once_the_facts_are_loaded(
    tmp_path: Path, command: str, collecting: bool
) -> None:
    """The `myodeck` entry point pauses the cyclic collector; loading the facts ends start-up and resumes
    it (a build's drawing or a long quiz must not run without it). A command without facts is over at once."""
    code = (
        "import gc, sys; from decks.entry import main\n"
        f"sys.argv = ['myodeck', {command!r}]\n"
        "try: main()\n"
        "except SystemExit as done: assert not done.code, done.code\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 1000)"
    )
    env = {**os.environ, "MYODECK_DB": str(tmp_path / "reviews.sqlite3")}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == f"{collecting} {collecting}"  # resumed, start-up's objects frozen


def test_the_console_script_is_the_entry_point_that_pauses_the_collector() -> None:
    assert 'myodeck = "decks.entry:main"' in (REPO / "pyproject.toml").read_text()


def test_muscles_lists_every_muscle_with_its_names(tmp_path: Path) -> None:
    result = myodeck("muscles", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 43
    fibularis = next(line for line in lines if line.startswith("fibularis-longus "))
    assert "Fibularis longus" in fibularis and "peroneus longus" in fibularis and "1 trigger point" in fibularis


def test_a_muscle_is_chosen_by_id_name_or_alias_in_any_case(facts) -> None:
    import pytest

    from decks.errors import MyodeckError

    chosen = facts.select(("EDL", "Peroneus Longus", "gastrocnemius", "tibialis-anterior", "Soleus"))
    assert [m.id for m in chosen.muscles] == [
        "extensor-digitorum-longus",
        "fibularis-longus",
        "gastrocnemius",
        "soleus",
        "tibialis-anterior",
    ]
    with pytest.raises(MyodeckError, match=r"unknown muscle 'gastroc nemius' .*`myodeck muscles` lists them"):
        facts.select(("gastroc nemius",))
