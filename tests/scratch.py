"""Scratch folders of a test session, left behind by no session, even a killed one.

A folder is named ``kg-test-<kind>-<pid>-<random>`` after the process that made it and is
removed when that process exits. A session killed before its exit handlers ran (SIGTERM,
SIGKILL, a timeout) cannot remove its own: the next session that starts removes every
such folder whose process is gone.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

_NAME = re.compile(r"kg-test-[a-z]+-(\d+)-")


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


def remove_abandoned() -> list[Path]:
    """Remove the scratch folders (and files) whose process is gone; return them."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob("kg-test-*"):
        match = _NAME.match(path.name)
        if match is None or _alive(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
