"""Reading a fact folder: what is read, what is reported, and that nothing hangs or leaks another file."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from test_cli import myodeck
from test_loader_errors import VALID

from decks.errors import FactsInvalid
from decks.loader import load_facts


def _problems(directory: Path) -> list[str]:
    with pytest.raises(FactsInvalid) as raised:
        load_facts(directory)
    return [str(error).removeprefix(f"{directory}/") for error in raised.value.errors]


def test_every_odd_entry_is_reported_and_nothing_hangs(tmp_path: Path) -> None:
    """Broken links, loops, pipes and links out of the folder: one line each, exit 1, within seconds."""
    facts = tmp_path / "facts"
    (facts / "leg").mkdir(parents=True)
    (facts / "leg" / "demo.yaml").write_text(VALID)
    (facts / "broken.yaml").symlink_to("nowhere.yaml")
    (facts / "loop-a.yaml").symlink_to("loop-b.yaml")
    (facts / "loop-b.yaml").symlink_to("loop-a.yaml")
    (facts / "leg" / "back-up").symlink_to("..")
    os.mkfifo(facts / "pipe.yaml")
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    (facts / "secret.yaml").symlink_to(secret)
    (facts / "elsewhere").symlink_to(tmp_path)
    result = myodeck("check", "--facts", str(facts), cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert result.stderr.replace(f"{facts}/", "").splitlines() == [
        "broken.yaml: a broken symlink (expected a link to a fact file or folder)",
        "elsewhere: a symlink leading out of the fact folder, not followed (copy its target into the folder)",
        "leg/back-up: a symlink to a folder that is read already (a loop, or a second link to it)",
        "loop-a.yaml: a symlink loop (expected a link to a fact file or folder)",
        "loop-b.yaml: a symlink loop (expected a link to a fact file or folder)",
        "pipe.yaml: not a regular file (a named pipe); fact files are plain text files",
        "secret.yaml: a symlink leading out of the fact folder, not followed (copy its target into the folder)",
        "Error: 7 problems in 7 files; nothing was written",
    ]
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_hidden_folders_are_not_read_and_links_inside_are_followed(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "broken.yaml").write_text("not: [yaml")
    (tmp_path / ".drafts").mkdir()
    (tmp_path / ".drafts" / "demo.yaml").write_text(VALID)
    (tmp_path / ".hidden.yaml").write_text("not: [yaml")
    (tmp_path / "leg").mkdir()
    (tmp_path / "leg" / "demo.yaml").symlink_to("../.drafts/demo.yaml")
    facts = load_facts(tmp_path)
    assert [muscle.id for muscle in facts.muscles] == ["demo"]


def test_a_link_to_a_file_read_already_is_a_duplicate(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(VALID)
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "demo.yaml").symlink_to("../demo.yaml")
    assert _problems(tmp_path) == [
        f"demo.yaml:1: id: duplicate muscle id 'demo' (already used in {tmp_path}/copy/demo.yaml:1)"
    ]


def _deny(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `path` unreadable: by its mode, or (as root, whom modes do not stop) by failing the call."""
    if os.geteuid() != 0:
        path.chmod(0)
        return
    for name in ("open", "scandir"):
        real = getattr(os, name)

        def denied(target, *args, real=real, **kwargs):
            if Path(target) == path:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))
            return real(target, *args, **kwargs)

        monkeypatch.setattr(os, name, denied)


def test_unreadable_file_and_folder_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "demo.yaml").write_text(VALID)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "other.yaml").write_text(VALID.replace("id: demo", "id: other"))
    _deny(tmp_path / "demo.yaml", monkeypatch)
    _deny(tmp_path / "locked", monkeypatch)
    try:
        assert _problems(tmp_path) == [
            "demo.yaml: cannot read this file (permission denied)",
            "locked: cannot read this folder (permission denied)",
        ]
    finally:
        (tmp_path / "demo.yaml").chmod(0o644)
        (tmp_path / "locked").chmod(0o755)


def test_a_file_too_large_to_be_facts_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(VALID + "# " + "x" * 300_000 + "\n")
    assert _problems(tmp_path) == ["demo.yaml: larger than 256 kB (expected a few kB)"]


def test_a_bad_file_is_answered_within_a_second(tmp_path: Path) -> None:
    """Nested aliases grow tenfold per level when expanded; they are refused at the first one instead."""
    levels = "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 30))
    (tmp_path / "demo.yaml").write_text("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + levels + VALID)
    started = time.monotonic()
    assert _problems(tmp_path) == ["demo.yaml:2: alias '*a0' is not allowed (write the value out in full)"]
    assert time.monotonic() - started < 1.0


def test_fact_files_come_in_path_order_whatever_the_names(tmp_path: Path) -> None:
    """The deck's order: folders and names compared part by part, as `Path`s compare, not as text
    ('a/z.yaml' before 'a-b/y.yaml' before 'a.yaml', though '/' sorts after '-' and '.')."""
    from decks.fact_folder import fact_file_stats, fact_files

    names = ["a/z.yaml", "a-b/y.yaml", "a.yaml", "a/b/c.yml", "B.yaml", "a b/x.yaml", "é.yaml", "a0.yaml"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    expected = sorted(tmp_path / name for name in names)
    found, problems = fact_files(tmp_path)
    assert (found, problems) == (expected, [])
    assert [path for path, _ in fact_file_stats(tmp_path)[0]] == [str(path) for path in expected]
