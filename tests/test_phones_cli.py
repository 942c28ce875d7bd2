"""`myodeck class --phones` refusing what it cannot do: one line, the right exit code, nothing written."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pexpect
import pytest
from test_cli import myodeck


@pytest.mark.parametrize("option", [["--speed"], ["--streaks"], ["--port", "9000"], ["--host", "127.0.0.1"]])
def test_phone_options_need_phones(tmp_path: Path, option: list[str]) -> None:
    result = myodeck("class", *option, cwd=tmp_path, input="")
    assert result.returncode == 2
    assert result.stderr.endswith(f"Error: {option[0]} works with --phones only\n")


def test_paint_questions_are_not_for_phones(tmp_path: Path) -> None:
    result = myodeck("class", "--phones", "--paint", cwd=tmp_path, input="")
    assert result.returncode == 2
    assert result.stderr.endswith("Error: --paint works without --phones only (a phone answers with a letter)\n")


def test_a_port_in_use_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = myodeck("class", "--phones", "--host", "127.0.0.1", "--port", str(port), "--results",
                         str(tmp_path / "r.csv"), cwd=tmp_path, input="")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"Error: port {port} is in use (choose another with --port)\n"
    assert not (tmp_path / "r.csv").exists()


def test_ctrl_c_before_the_start_stops_the_server_cleanly(tmp_path: Path) -> None:
    exe = shutil.which("myodeck", path=str(Path(sys.executable).parent))
    assert exe
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    args = ["class", "--phones", "--host", "127.0.0.1", "--port", "0", "--results", str(tmp_path / "r.csv")]
    child = pexpect.spawn(exe, args, cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60)
    child.expect(r"Students join at  http://127\.0\.0\.1:(\d+)/")
    port = int(child.match.group(1))
    child.expect_exact("0 joined")
    child.sendintr()
    child.expect_exact(f"No question was scored, so {tmp_path / 'r.csv'} was not written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before
    with socket.create_server(("127.0.0.1", port)):  # the port is free again: the server has stopped
        pass
