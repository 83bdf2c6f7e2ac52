"""kg installs as a package that carries its own ontology, data, shapes and queries."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest

import kg
from kg.bundle import PARTS, bundled

from .conftest import ROOT


def _installed_files() -> list[str]:
    try:
        files = importlib.metadata.files("kg") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("kg is not installed as a distribution (running from the source tree)")
    return [str(f) for f in files]


def _editable() -> bool:
    """True for ``pip install -e .``: the package is the source tree (PEP 660 direct_url)."""
    text = importlib.metadata.distribution("kg").read_text("direct_url.json") or "{}"
    return bool(json.loads(text).get("dir_info", {}).get("editable"))


def test_the_installed_wheel_ships_the_bundle_and_py_typed() -> None:
    files = _installed_files()
    if _editable():
        # the package and its bundle are the checkout's own folders
        package = Path(kg.__file__).resolve().parent
        assert (package / "py.typed").is_file()
        for part in PARTS:
            assert any(getattr(bundled(), part).iterdir()), part
        return
    assert "kg/py.typed" in files
    for part in PARTS:
        assert any(f.startswith(f"kg/_bundle/{part}/") for f in files), part
    assert "kg/_bundle/data/sources/000_b2925a6198033b1b.txt" in files


def test_the_bundle_has_every_part_with_files_in_it() -> None:
    bundle = bundled()
    for part in PARTS:
        folder = getattr(bundle, part)
        assert folder.is_dir() and any(folder.iterdir()), folder


def test_the_console_script_is_installed() -> None:
    _installed_files()
    assert shutil.which("kg") is not None


def test_a_project_folder_replaces_the_bundle(tmp_path: Path) -> None:
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "data" / "vocabulary.ttl").unlink()
    report = kg.validate(project=tmp_path)
    assert not report.conforms  # roles, fields and titles are now undefined
    assert all(f.file is None or not f.file.startswith(str(ROOT)) for f in report.findings)
    assert [Path(f).relative_to(tmp_path).as_posix() for f in report.files] == [
        "data/000_b2925a6198033b1b.trig", "data/001_9e02c3f3c2711bf1.trig", "data/entities.ttl"]
