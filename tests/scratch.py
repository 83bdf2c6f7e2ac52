"""Scratch folders of a test session, left behind by no session, even a killed one.

A folder is named ``kg-test-<kind>-<pid>-<random>`` after the process that made it and is
removed when that process exits. A session killed before its exit handlers ran (SIGTERM,
SIGKILL, a timeout) cannot remove its own: the next session that starts removes every
such folder whose process is gone.

Sessions of a kg from before this module named their folders without a process id
(``kg-test-cache-<random>``, ``kg-test-build-<random>``): nothing makes those any more,
and such a folder is removed once it is older than any session lasts (``LEGACY_AGE``).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

_NAME = re.compile(r"kg-test-[a-z]+-(\d+)-")
#: a folder of an older kg's test session: no process id, just mkdtemp's 8 characters
_LEGACY = re.compile(r"kg-test-[a-z]+-[a-z0-9_]{8}")
#: seconds after which a legacy folder is removed: a whole suite takes minutes
LEGACY_AGE = 3600.0


def folder(kind: str) -> Path:
    """A new, empty scratch folder of this process, removed at exit."""
    made = Path(tempfile.mkdtemp(prefix=f"kg-test-{kind}-{os.getpid()}-"))
    atexit.register(shutil.rmtree, made, ignore_errors=True)
    return made


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.lstat().st_mtime > seconds
    except OSError:  # gone meanwhile
        return False


def remove_abandoned() -> list[Path]:
    """Remove the scratch folders (and files) whose process is gone, and those of an older
    kg's sessions older than ``LEGACY_AGE``; return them."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob("kg-test-*"):
        match = _NAME.match(path.name)
        if match is None:
            if not (_LEGACY.fullmatch(path.name) and _older_than(path, LEGACY_AGE)):
                continue
        elif _alive(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
