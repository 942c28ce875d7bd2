"""`myodeck class --phones` refusing what it cannot do: one line, the right exit code, nothing written."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from test_cli import myodeck


@pytest.mark.parametrize("option", [["--speed"], ["--streaks"], ["--port", "9000"], ["--host", "127.0.0.1"]])
def test_phone_options_need_phones(tmp_path: Path, option: list[str]) -> None:
    result = myodeck("class", *option, cwd=tmp_path, input="")
    assert result.returncode == 2
    assert result.stderr.endswith(f"Error: {option[0]} works with --phones only\n")


def test_a_port_in_use_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = myodeck("class", "--phones", "--host", "127.0.0.1", "--port", str(port), "--results",
                         str(tmp_path / "r.csv"), cwd=tmp_path, input="")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"Error: port {port} is in use (choose another with --port)\n"
    assert not (tmp_path / "r.csv").exists()
