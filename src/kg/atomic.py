"""Replace a folder's contents all at once: readers see the old files or the new ones,
never a mix, and a crash at any moment leaves one of the two complete.

:func:`write_folder` writes every file into a staging folder beside the target (same
file system), flushes each to disk, then swaps the staging folder with the target in one
step -- Linux's ``renameat2(RENAME_EXCHANGE)`` -- and deletes the old contents. Where
that call does not exist, the target is renamed aside and the new folder renamed into
place (two renames; a crash between them leaves the old folder beside the target, under a
name that says so).

A process killed while writing leaves a staging folder (``.NAME.staging-*``) beside the
target; the next write removes it. Each staging folder is a :class:`Staging`: held by
the process that makes it (an ``flock`` on the folder, which the system lets go when the
process ends, however it ends), so that a stale one is told from one that a process
running beside is still writing, which is left alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Self

from .errors import InputError

__all__ = ["Staging", "remove_stale", "write_file", "write_folder"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def write_folder(target: Path, contents: Mapping[str, str], *,
                 allowed: frozenset[str] | None = None,
                 folders: Mapping[str, Path] | None = None) -> list[Path]:
    """Make ``target`` hold exactly ``contents`` (file name → text), atomically, and
    ``folders`` (name → a folder made ready on the same file system, moved in: ``kg build``'s
    store folder inside its output folder), swapped in with the files in the same step.

    ``allowed`` names the files ``target`` may already hold (default: those of
    ``contents`` and ``folders``); a folder holding anything else is refused rather than
    replaced, so that a mistyped ``--out`` never swaps away somebody's files.

    Raises :class:`~kg.errors.InputError` with the reason (not a folder, other files in
    it, permission denied, no space left) and leaves ``target`` as it was.
    """
    target = Path(target)
    folders = dict(folders or {})
    allowed = allowed if allowed is not None else frozenset(contents) | frozenset(folders)
    if target.exists():
        if not target.is_dir():
            raise InputError(f"{target} exists and is not a folder")
        others = sorted(p.name for p in target.iterdir() if p.name not in allowed)
        if others:
            raise InputError(f"{target} holds other files ({', '.join(others[:5])}); give "
                             f"an empty folder or a previous output folder")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        held = Staging(parent, f".{target.name}.staging-")
    except OSError as error:
        raise InputError(f"cannot write into {parent}: {error.strerror}") from None
    with held:
        _fill_and_swap(held.path, target, contents, folders)
    _fsync_folder(parent)
    return [target / name for name in (*contents, *folders)]


def _fill_and_swap(staging: Path, target: Path, contents: Mapping[str, str],
                   folders: Mapping[str, Path]) -> None:
    try:
        for name, text in contents.items():
            with open(staging / name, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        for name, ready in folders.items():
            os.rename(ready, staging / name)
        if target.exists():
            _swap(staging, target)
        else:
            os.rename(staging, target)
    except OSError as error:  # (the staging folder is removed on the way out)
        raise InputError(f"cannot write {target}: {_why(error)}; nothing was changed "
                         f"there") from None
    # after the swap the staging folder holds the old files, removed on the way out


class Staging:
    """A new folder ``PREFIX*`` made in ``parent`` for this process to fill, held until
    :meth:`close` (or the end of a ``with`` block), which removes it with whatever it
    still holds. Made after removing the stale folders of the same prefix: those that no
    live process holds, left by one that was killed.

    The hold is an ``flock`` on the folder, let go by the system when the process ends,
    however it ends. (Made and then held: should a process removing stale folders take
    one in between, it is made again.)
    """

    def __init__(self, parent: Path, prefix: str) -> None:
        remove_stale(parent, prefix)
        while True:
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            handle = os.open(path, os.O_RDONLY)
            fcntl.flock(handle, fcntl.LOCK_EX)  # (another only holds a stale one, briefly)
            try:
                if os.path.samestat(os.fstat(handle), os.stat(path)):
                    break
            except FileNotFoundError:
                pass
            os.close(handle)
        self.path = path
        self._handle: int | None = handle

    def close(self) -> None:
        """Remove the folder and let it go."""
        if self._handle is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            os.close(self._handle)
            self._handle = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def remove_stale(parent: Path, prefix: str) -> None:
    """Remove the folders ``PREFIX*`` in ``parent`` that no process holds (see
    :class:`Staging`); those held are another process's, still at work."""
    for stale in parent.glob(f"{prefix}*"):
        try:
            handle = os.open(stale, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: at work
            os.close(handle)
            continue
        try:
            shutil.rmtree(stale, ignore_errors=True)
        finally:
            os.close(handle)


def write_file(target: Path, text: str | bytes) -> None:
    """Replace the file ``target`` with ``text`` (UTF-8, or bytes) in one step: written beside it
    under a name no load reads (``.NAME.*.tmp``), flushed to disk, given the file's
    permissions, then renamed over it; a crash or a full disk leaves the file as it was.

    Raises :class:`~kg.errors.InputError` with the reason; ``target`` is as it was then.
    """
    target = Path(target)
    staged = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        # (created as a plain open would create the file: the umask applies)
        handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise InputError(f"cannot write {target}: {_why(error)}; nothing was written") from None
    try:
        with open(handle, "wb") as stream:
            stream.write(text.encode("utf-8") if isinstance(text, str) else text)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):  # (a file there before: its permissions)
            os.chmod(staged, target.stat().st_mode & 0o7777)
        os.replace(staged, target)
    except OSError as error:
        staged.unlink(missing_ok=True)
        raise InputError(f"cannot write {target}: {_why(error)}; nothing was written") from None
    _fsync_folder(target.parent)


def _why(error: OSError) -> str:
    """What a failed write says to the user."""
    return "no space left on the device" if error.errno == errno.ENOSPC else str(
        error.strerror or error)


def _swap(staging: Path, target: Path) -> None:
    """Exchange the two folders in one step where the system can; else two renames."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        done = renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(target),
                         _RENAME_EXCHANGE)
        if done == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code))
    aside = target.with_name(f".{target.name}.previous")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(target, aside)
    os.rename(staging, target)
    os.rename(aside, staging)  # removed by the caller with the rest of the staging folder


def _fsync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not POSIX
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(handle)
