"""The test sessions' scratch folders (tests/scratch.py): none is left behind, even by a
session killed before its exit handlers ran."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import scratch


def test_a_scratch_folder_is_named_after_its_process_and_kept_while_it_lives() -> None:
    made = scratch.folder("probe")
    assert made.is_dir() and made.name.startswith(f"kg-test-probe-{os.getpid()}-")
    assert made not in scratch.remove_abandoned()
    assert made.is_dir()


def test_the_folders_of_a_killed_session_are_removed_by_the_next_one() -> None:
    # a session that made its folders, then was killed (SIGKILL: no exit handlers)
    killed = subprocess.Popen([sys.executable, "-c", (
        "import os, sys; sys.path.insert(0, sys.argv[1]);"
        "from tests import scratch; print(scratch.folder('cache')); sys.stdout.flush();"
        "os.kill(os.getpid(), 9)"), str(Path(__file__).resolve().parents[1])],
        stdout=subprocess.PIPE, text=True)
    left, _ = killed.communicate(timeout=60)
    left_behind = Path(left.strip())
    assert left_behind.is_dir() and left_behind.parent == Path(tempfile.gettempdir())
    assert left_behind in scratch.remove_abandoned()
    assert not left_behind.exists()


def test_the_folders_of_an_older_kgs_sessions_are_removed_once_older_than_any_session() -> None:
    # named as before tests/scratch.py (no process id): whose they are cannot be known
    old = Path(tempfile.mkdtemp(prefix="kg-test-cache-"))
    recent = Path(tempfile.mkdtemp(prefix="kg-test-build-"))
    try:
        hours_ago = time.time() - scratch.LEGACY_AGE - 60
        os.utime(old, (hours_ago, hours_ago))
        removed = scratch.remove_abandoned()
        assert old in removed and not old.exists()
        assert recent not in removed and recent.is_dir()
    finally:
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(recent, ignore_errors=True)
