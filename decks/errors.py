"""The few exceptions the core raises; the CLI maps each to a message and exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FactError:
    """One problem in a fact file, located by line and by its path in the document."""

    path: Path
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class MyodeckError(Exception):
    """An expected failure caused by the user's input or environment (never a bug)."""


class FactsInvalid(MyodeckError):
    """The fact files have problems; carries every one of them, not just the first."""

    def __init__(self, errors: list[FactError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
