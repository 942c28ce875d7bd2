"""Output paths, as a user types them: every bad one is a clear error before any work, and nothing is
replaced that should not be (a device, a pipe, a symlink, another folder's file)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from conftest import read_only
from test_cli import myodeck

from decks.atomic import OutputError, write_atomically

BUILD = ("build", "--muscle", "soleus", "--topic", "actions")  # one card, no pictures: quick

USAGE = "Error: Invalid value for '-o' / '--output': "


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param((*BUILD, "-o", ""), USAGE + "expected a file name, found an empty string", id="empty"),
        pytest.param(
            (*BUILD, "-o", "newdir/"),
            USAGE + "'newdir/' ends with '/', so it names a folder (expected a file name)",
            id="trailing-slash",
        ),
        pytest.param(
            (*BUILD, "-o", "deck.apkg/x.apkg"), USAGE + "deck.apkg is a file, not a folder", id="file-as-folder"
        ),
        pytest.param((*BUILD, "-o", "typo/deck.apkg"), USAGE + "no folder typo (create it first)", id="build-typo"),
        pytest.param(("review", "-o", "typo/review.md"), USAGE + "no folder typo (create it first)", id="review"),
        pytest.param(("gallery", "-o", "typo/g.html"), USAGE + "no folder typo (create it first)", id="gallery"),
        pytest.param(("render", "-o", "typo/pngs"), USAGE + "no folder typo (create it first)", id="render"),
        pytest.param(("render", "-o", "deck.apkg"), USAGE + "Directory 'deck.apkg' is a file.", id="render-file"),
        pytest.param(("handout", "-o", "typo/h.pdf"), USAGE + "no folder typo (create it first)", id="handout"),
        pytest.param(
            ("export", "--format", "csv", "-o", "typo/e.csv"), USAGE + "no folder typo (create it first)", id="export"
        ),
        pytest.param(("review", "-o", "."), USAGE + "File '.' is a directory.", id="a-folder"),
        pytest.param(
            ("stats", "--plot", "typo/p.png"),
            "Error: Invalid value for '--plot': no folder typo (create it first)",
            id="plot",
        ),
        pytest.param(
            ("stats", "--db", "typo/reviws.sqlite3"),
            "Error: Invalid value for '--db' (env var: 'MYODECK_DB'): no folder typo (create it first)",
            id="stats-db",
        ),
        pytest.param(
            ("quiz", "--db", "typo/reviws.sqlite3"),
            "Error: Invalid value for '--db' (env var: 'MYODECK_DB'): no folder typo (create it first)",
            id="quiz-db",
        ),
    ],
)
def test_a_bad_output_path_is_a_usage_error_before_any_work(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "deck.apkg").write_bytes(b"an older deck")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = myodeck(*args, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == message
    assert "Traceback" not in result.stderr and "Drawing" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "deck.apkg").read_bytes() == b"an older deck"


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    (tmp_path / "kept").mkdir()
    target = tmp_path / "kept" / "review.md"
    target.write_text("old")
    target.chmod(0o640)
    (tmp_path / "link.md").symlink_to(target)
    result = myodeck("review", "-o", "link.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.md").is_symlink() and os.readlink(tmp_path / "link.md") == str(target)
    assert target.read_text().startswith("# Content review")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file keeps its permissions
    (tmp_path / "dangling.md").symlink_to("made.md")
    assert myodeck("review", "-o", "dangling.md", cwd=tmp_path).returncode == 0
    assert (tmp_path / "dangling.md").is_symlink() and (tmp_path / "made.md").read_text().startswith("# Content")


def test_dev_null_is_written_through_not_replaced(tmp_path: Path) -> None:
    for args in (("review", "-o", "/dev/null"), (*BUILD, "-o", "/dev/null")):
        result = myodeck(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.endswith("/dev/null\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    handout = myodeck("handout", "-n", "2", "-o", "/dev/null", cwd=tmp_path)  # its key would land in /dev
    assert handout.returncode == 1
    assert handout.stderr.splitlines()[-1] == (
        "Error: cannot write /dev/null: it is not a file, and a handout is two files beside each other"
        " (null and null-key); give a file name"
    )
    assert not os.path.lexists("/dev/null-key")


def test_a_named_pipe_is_written_through_or_reported(tmp_path: Path) -> None:
    pipe = tmp_path / "deck.apkg"
    os.mkfifo(pipe)
    nobody = myodeck(*BUILD, "-o", str(pipe), cwd=tmp_path, timeout=60)  # no reader: an error, not a hang
    assert nobody.returncode == 1
    assert nobody.stderr.splitlines()[-1] == f"Error: cannot write {pipe}: no program is reading from this named pipe"
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = myodeck("review", "-o", str(pipe), cwd=tmp_path, timeout=60)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert received[0].startswith(b"# Content review")
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_an_unwritable_folder_and_a_read_only_file(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        result = myodeck("review", "-o", "locked/review.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == USAGE + "no permission to write in the folder locked"
    kept = tmp_path / "kept.md"
    kept.write_text("mine")
    with read_only(kept):
        result = myodeck("review", "-o", "kept.md", cwd=tmp_path)
    assert result.stderr.splitlines()[-1] == USAGE + "kept.md is read-only (make it writable, or write elsewhere)"
    assert kept.read_text() == "mine"


def test_myodeck_now_must_be_a_time(tmp_path: Path) -> None:
    env = {**os.environ, "MYODECK_NOW": "tomorrow"}
    message = "Error: MYODECK_NOW: 'tomorrow' is not an ISO 8601 time (expected e.g. 2026-01-05T09:30:00+00:00)"
    for args in (("quiz", "--db", "r.sqlite3"), ("stats", "--db", "r.sqlite3"), ("stamp",)):
        result = myodeck(*args, cwd=tmp_path, env=env)
        assert (result.returncode, result.stderr.splitlines()) == (1, [message]), args
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_keeps_the_old_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "results.csv"
    path.write_text("old")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, b"new", durable=True)
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"] and path.read_text() == "old"


def test_a_durable_write_reaches_the_disk_before_it_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(os.fstat(fd).st_mode) or real_fsync(fd))
    write_atomically(tmp_path / "deck.apkg", b"deck", durable=True)
    assert [stat.S_ISREG(mode) for mode in synced] == [True, False]  # the file, then its folder
    synced.clear()
    write_atomically(tmp_path / "cache.png", b"png")
    assert synced == []


def test_a_folder_or_socket_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=f"^cannot write {tmp_path}: {tmp_path} is a folder \\(expected a file\\)$"):
        write_atomically(tmp_path, b"x")
