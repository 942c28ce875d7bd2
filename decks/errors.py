"""The few exceptions the core raises; the CLI maps each to a message and exit code."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple


@cache
def unprintable() -> re.Pattern[str]:
    """C0 and C1 controls, DEL, and lone surrogates: never printed raw, so a message stays one line
    and cannot move the cursor or recolour the terminal. Compiled when first needed: the pattern
    took 0.6 ms of every command's start, most of which print nobody's text."""
    return re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with control characters and lone surrogates escaped (`\\x1b`, `\\ud800`), so it prints as one line."""
    return unprintable().sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def shown(value: str, limit: int = 80) -> str:
    """`value` as a message quotes it: printable, and cut to about `limit` characters with its length said."""
    value = printable(value)
    return value if len(value) <= limit else f"{value[: limit - 1]}… ({len(value)} characters)"


class FactError(NamedTuple):
    """One problem in a fact file, located by line and by its path in the document. (A named tuple,
    not a dataclass: every command imports this module, and a dataclass costs 0.5 ms to create.)"""

    path: Path
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        line = f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"
        return printable(line)


class MyodeckError(Exception):
    """An expected failure caused by the user's input or environment (never a bug)."""


class FactsInvalid(MyodeckError):
    """The fact files have problems; carries every one of them, not just the first."""

    def __init__(self, errors: list[FactError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
