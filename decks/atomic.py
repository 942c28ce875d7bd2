"""Writing an output file: all of it or none of it, and only where the user meant.

A regular file is replaced atomically (a temporary file beside it, then a rename),
so a reader or a crash sees the old content or the new, never a part. What stands
at the path decides the rest:

- a symlink is followed, and the file it points to is replaced (the link stays);
- a named pipe or a character device (`/dev/null`, `/dev/stdout`) is written
  through, never replaced by a file (as root, replacing `/dev/null` would break the
  system); a pipe nobody reads is an error, not a hang;
- a folder, a block device or a socket is refused, and so is a file the user may
  not write to.

An explicit path's folder must exist: a typo (`typo/deck.apkg`) is an error, not a
new folder. Only default locations (the cache) create theirs.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from pathlib import Path

from decks.errors import MyodeckError, printable

_KINDS = {stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


class OutputError(MyodeckError):
    """An output file cannot be written where it was asked for."""


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """Where writing `path` really writes (symlinks followed), and what stands there now (None: nothing)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):  # a dangling link: write the file it names, as the shell's `>` does
            return Path(os.path.realpath(path)), None
        return path, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"cannot write {printable(str(path))}: it is a symlink loop") from None
        if exc.errno == errno.ENOTDIR:
            raise OutputError(f"cannot write {printable(str(path))}: {_not_a_folder(path)}") from None
        raise OutputError(f"cannot write {printable(str(path))}: {_reason(exc)}") from None
    if stat.S_ISREG(status.st_mode):
        return Path(os.path.realpath(path)), status
    return path, status


def _not_a_folder(path: Path) -> str:
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            return f"{printable(str(parent))} is a file, not a folder"
    return "a part of it is not a folder"


def output_problem(path: Path, *, folder: bool = False) -> str | None:
    """Why `path` cannot be written (a file; with `folder`, a folder to write files in), or None.

    Checked before the work, so a long build does not end in a mistyped path.
    """
    shown = printable(str(path))
    try:
        target, status = _target(path)
    except OutputError as exc:
        return str(exc).removeprefix(f"cannot write {shown}: ")
    if status is not None:
        kind = stat.S_IFMT(status.st_mode)
        if folder and kind != stat.S_IFDIR:
            return f"{shown} is a file, not a folder"
        if folder:
            writable = os.access(target, os.W_OK | os.X_OK)
            return None if writable else f"no permission to write in the folder {shown}"
        if kind in _KINDS:
            return f"{shown} is {_KINDS[kind]} (expected a file)"
        if not os.access(target, os.W_OK):
            return f"{shown} is read-only (make it writable, or write elsewhere)"
        if kind != stat.S_IFREG:  # a pipe or a device: written through, its folder is not touched
            return None
    parent = target.parent
    if not parent.is_dir():
        if parent.exists() or os.path.lexists(parent):
            return f"{printable(str(parent))} is not a folder"
        return f"no folder {printable(str(parent))} (create it first)"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"no permission to write in the folder {printable(str(parent))}"
    return None


def write_atomically(path: Path, data: bytes, *, durable: bool = False, create_folder: bool = False) -> None:
    """Write `data` to `path` so that readers see the old content or the new, never a part.

    `durable` flushes the file and its folder to disk before returning (decks, results,
    card dates: what a crash must not lose). `create_folder` makes the missing folders
    of a default location. Raises OutputError with the reason.
    """
    target, status = _target(path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        if stat.S_IFMT(status.st_mode) in (stat.S_IFIFO, stat.S_IFCHR):
            _write_through(path, data)
            return
        raise OutputError(f"cannot write {printable(str(path))}: {output_problem(path)}")
    if create_folder:
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
    elif problem := output_problem(path):
        raise OutputError(f"cannot write {printable(str(path))}: {problem}")
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {printable(str(path))}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {printable(str(path))}: {_reason(exc)}") from None
    except BaseException:  # Ctrl-C: the old file stays, and no temporary file is left behind
        Path(temp).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(target.parent)


def _write_through(path: Path, data: bytes) -> None:
    """Write into a named pipe or a device as it is; a pipe with no reader is an error, not a wait."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        why = "no program is reading from this named pipe" if exc.errno == errno.ENXIO else _reason(exc)
        raise OutputError(f"cannot write {printable(str(path))}: {why}") from None
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OutputError(f"cannot write {printable(str(path))}: {_reason(exc)}") from None
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (the folder's entry), where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
