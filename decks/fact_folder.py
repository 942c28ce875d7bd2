"""Which files of a fact folder are fact files, and reading one without hanging or leaking another file.

Hidden files and folders (`.git`) are skipped. A symlink is followed only to a file or
folder inside the fact folder, and each folder is read once, so a symlink loop ends
and no message quotes a file from elsewhere. Whatever cannot be read (a broken link,
a loop, a named pipe called `*.yaml`, a folder without permission) is reported, not
skipped: a muscle silently missing from a deck is worse than an error.
"""

from __future__ import annotations

import errno
import os
import stat
from operator import attrgetter, itemgetter
from pathlib import Path

from decks.errors import FactError

MAX_FILE_BYTES = 256 * 1024  # the largest bundled file is 10 kB
_LINK_OUT = "a symlink leading out of the fact folder, not followed (copy its target into the folder)"
_LINK_BACK = "a symlink to a folder that is read already (a loop, or a second link to it)"

_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class Unreadable(Exception):
    """A fact file or folder that cannot be read; the message says why."""


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _not_regular(mode: int) -> str:
    kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a file")
    return f"not a regular file ({kind}); fact files are plain text files"


def _is_fact_file(name: str) -> bool:
    """Whether a file of this (not hidden) name is a fact file: a name as `Path.suffix` reads it."""
    return name.endswith((".yaml", ".yml"))


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def fact_files(directory: Path) -> tuple[list[Path], list[FactError]]:
    """The fact files of a directory tree in a stable order, and what stopped any from being read."""
    found, problems = fact_file_stats(directory)
    return [Path(path) for path, _ in found], problems


_NAME, _FIRST = attrgetter("name"), itemgetter(0)  # sort keys in C: a thousand files' listing is sorted twice


def fact_file_stats(directory: Path) -> tuple[list[tuple[str, os.stat_result]], list[FactError]]:
    """`fact_files` as path text, in the same order, with the status of each (of a symlink's target):
    the listing has it already, and the fact cache keys on both without making a `Path` of each."""
    top = os.path.realpath(directory)
    files: list[tuple[tuple[str, ...], str, os.stat_result]] = []  # sorted by the parts below `directory`
    problems: list[FactError] = []
    read_folders = {top}
    pending: list[tuple[Path, tuple[str, ...], str]] = [(directory, (), top)]  # folder, its parts, real path
    while pending:
        folder, parts, folder_real = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_NAME)
        except OSError as exc:
            problems.append(FactError(folder, None, "", f"cannot read this folder ({_reason(exc)})"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            link = entry.is_symlink()
            try:
                status = entry.stat(follow_symlinks=True)
            except OSError as exc:
                if link:
                    why = "a symlink loop" if exc.errno == errno.ELOOP else "a broken symlink"
                    problems.append(
                        FactError(folder / name, None, "", f"{why} (expected a link to a fact file or folder)")
                    )
                else:
                    problems.append(FactError(folder / name, None, "", f"cannot read ({_reason(exc)})"))
                continue
            mode = status.st_mode
            is_folder = stat.S_ISDIR(mode)
            if not is_folder and not _is_fact_file(name):
                continue
            if link and not _inside(os.path.realpath(entry.path), top):
                problems.append(FactError(folder / name, None, "", _LINK_OUT))
            elif is_folder:
                # Only a link can lead elsewhere: anything else lies where its folder really is.
                real = os.path.realpath(entry.path) if link else os.path.join(folder_real, name)
                if real in read_folders:
                    problems.append(FactError(folder / name, None, "", _LINK_BACK))
                else:
                    read_folders.add(real)
                    pending.append((folder / name, (*parts, name), real))
            elif stat.S_ISREG(mode):
                files.append(((*parts, name), entry.path, status))
            else:
                problems.append(FactError(folder / name, None, "", _not_regular(mode)))
    # In `Path` order: by the names of the folders down to each file, then its own.
    return [(path, status) for _, path, status in sorted(files, key=_FIRST)], problems


def read_fact_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a fact file (or of the card dates beside them), at most `limit`.

    Never blocks: a named pipe or a device is refused, not waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Unreadable(f"cannot read this file ({_reason(exc)})") from None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(_not_regular(status.st_mode))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise Unreadable(f"cannot read this file ({_reason(exc)})") from None
    if len(data) > limit:
        raise Unreadable(f"larger than {limit // 1024} kB (expected a few kB)")
    return data
