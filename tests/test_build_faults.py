"""Faults in ``kg build``: killed mid-write, a full disk, a read-only folder, a damaged
previous build. Nothing is ever half-written, the previous build stays intact, the message
says what happened; ``kg serve --build`` refuses a damaged build and says why."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg
from kg.build import CorruptBuild, open_build
from kg.errors import InputError

from . import scratch

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes]:
    # (every file, the articles' texts in sources/ too)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of a complete build, to compare against."""
    out = tmp_path_factory.mktemp("previous") / "build"
    kg.build(out=out)
    return snapshot(out)


def write_previous(out: Path, files: dict[str, bytes]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)


# -- killed -------------------------------------------------------------------------------

def test_a_build_killed_mid_write_leaves_the_previous_build_whole(tmp_path, previous):
    out = tmp_path / "build"
    write_previous(out, previous)
    # a real `kg build`, slowed down inside its writes so that the kill lands there
    script = textwrap.dedent(f"""
        import os, time, sys
        real_fsync = os.fsync
        def slow_fsync(fd):
            real_fsync(fd)
            sys.stdout.write("writing\\n"); sys.stdout.flush()
            time.sleep(30)
        os.fsync = slow_fsync
        from kg.cli import main
        sys.argv = ["kg", "build", "--out", {str(out)!r}]
        main()
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        lines = iter(process.stdout.readline, "")
        assert "writing" in (line.strip() for line in lines)  # inside the first write
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(out) == previous  # the previous build, whole
    assert open_build(out)  # and it still checks out
    assert staging_folders(out)  # the killed build's staging folder, beside it...
    kg.build(out=out)
    assert staging_folders(out) == []  # ...is cleared by the next build
    assert snapshot(out) == previous


def test_a_staging_folder_another_build_is_writing_is_left_alone(tmp_path, previous):
    """Two builds into one folder at once: the second removes only what no live process
    holds (the first's staging folder was removed, under its feet)."""
    from kg.atomic import Staging

    out = tmp_path / "build"
    write_previous(out, previous)
    with Staging(tmp_path, f".{out.name}.staging-") as other:
        (other.path / "kg.trig").write_text("being written", encoding="utf-8")
        kg.build(out=out)
        assert staging_folders(out) == [other.path]
        assert (other.path / "kg.trig").read_text(encoding="utf-8") == "being written"
    assert staging_folders(out) == []


# -- full disk, read-only folder (real file systems: tmpfs mounts, as root) ----------------

def _can_mount() -> bool:
    if os.geteuid() != 0:
        return False
    probe = scratch.folder("mount")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                            capture_output=True, check=False).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], check=False)
        return ok
    except FileNotFoundError:
        return False
    finally:
        probe.rmdir()


needs_mount = pytest.mark.skipif(
    not _can_mount() and os.environ.get("CI") != "true",
    reason="needs root and mount(8) to make a small or read-only file system")


@contextlib.contextmanager
def tmpfs(where: Path, *, size: int) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                   check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@needs_mount
def test_a_full_disk_is_reported_and_the_previous_build_kept(tmp_path, previous):
    build_size = sum(len(content) for content in previous.values())
    with tmpfs(tmp_path / "disk", size=build_size + build_size // 2) as disk:
        out = disk / "build"
        write_previous(out, previous)
        with pytest.raises(InputError, match="no space left on the device; nothing was "
                                             "changed there"):
            kg.build(out=out)
        assert snapshot(out) == previous
        assert staging_folders(out) == []  # what was written is cleared again


@needs_mount
def test_a_read_only_folder_is_reported_and_left_alone(tmp_path, previous):
    with tmpfs(tmp_path / "disk", size=4 * 1024 ** 2) as disk:
        out = disk / "build"
        write_previous(out, previous)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(out)],
                                capture_output=True, text=True, cwd=ROOT, check=False)
        assert result.returncode == 2
        assert f"kg: cannot write into {disk}: Read-only file system" in result.stderr
        assert "Traceback" not in result.stderr
        assert snapshot(out) == previous


# -- a folder that is not (only) a build ----------------------------------------------------

def test_a_folder_with_other_files_is_refused_not_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match=r"holds other files \(notes.txt\)"):
        kg.build(out=out)
    assert snapshot(out) == {"notes.txt": b"keep me"}


# -- a damaged build -------------------------------------------------------------------------

@pytest.mark.parametrize("damage, words", [
    (lambda out: (out / "kg.nq").write_text("<urn:a> <urn:b> <urn:c> .\n"),
     "does not match"),
    (lambda out: (out / "manifest.json").write_text("{not json"), "not a kg build manifest"),
    (lambda out: (out / "manifest.json").unlink(), "has no manifest.json"),
    (lambda out: (out / "kg.nq").unlink(), "cannot read it"),
])
def test_a_damaged_build_is_refused_with_the_reason(tmp_path, previous, damage, words):
    out = tmp_path / "build"
    write_previous(out, previous)
    damage(out)
    with pytest.raises(CorruptBuild, match=words):
        open_build(out)


def test_a_new_build_replaces_a_damaged_one(tmp_path, previous):
    out = tmp_path / "build"
    write_previous(out, previous)
    (out / "manifest.json").write_text("{not json")
    kg.build(out=out)
    assert snapshot(out) == previous


def test_kg_serve_refuses_a_damaged_build_and_says_why(tmp_path, previous):
    out = tmp_path / "build"
    write_previous(out, previous)
    (out / "kg.nq").write_text("<urn:a> <urn:b> <urn:c> .\n")
    result = subprocess.run([sys.executable, "-m", "kg", "serve", "--port", "0", "--build",
                             str(out)], capture_output=True, text=True, cwd=ROOT, timeout=60,
                            check=False)
    assert result.returncode == 2
    assert "does not match" in result.stderr and "run kg build again" in result.stderr
    assert "serving" not in result.stdout


@pytest.mark.parametrize("store", ["oxigraph:{out}/oxigraph", "sparql+http://127.0.0.1:9/q"])
def test_kg_serve_refuses_a_build_with_another_store_than_one_to_load_it_into(
        tmp_path, previous, store):
    """(--build loads kg.nq into an engine: a store folder or triplestore beside it would be
    served instead, and the build silently not)"""
    out = tmp_path / "build"
    write_previous(out, previous)
    result = subprocess.run([sys.executable, "-m", "kg", "serve", "--port", "0", "--build",
                             str(out), "--store", store.format(out=out)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert "--build loads the build's kg.nq into --store oxigraph or rdflib" in result.stderr
    assert "serving" not in result.stdout


def test_kg_serve_serves_a_sound_build(tmp_path, previous):
    import requests

    out = tmp_path / "build"
    write_previous(out, previous)
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0",
                                "--workers", "1", "--build", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               cwd=ROOT)
    try:
        assert process.stdout is not None
        line = next(line for line in iter(process.stdout.readline, "")
                    if "serving http://" in line or not line)
        assert "serving http://" in line
        url = line.split("serving ", 1)[1].split(" ", 1)[0]
        answer = requests.get(url + "api/queries/cq07-member-since", timeout=30).json()
        assert answer["rows"][0]["since"] == "1991"
    finally:
        process.terminate()
        process.wait(20)
        if process.stdout is not None:
            process.stdout.close()
