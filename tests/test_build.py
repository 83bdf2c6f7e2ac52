"""kg.build: validate, then write TriG, N-Quads and a manifest atomically, or nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import kg
from kg.errors import ParseError, ValidationFailed
from kg.parse import parse_file

from .conftest import BAD, DATA


def test_a_build_writes_trig_nquads_and_a_manifest(tmp_path: Path) -> None:
    result = kg.build(out=tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["kg.nq", "kg.trig", "manifest.json"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest == result.manifest
    nq = (tmp_path / "out" / "kg.nq").read_text()
    assert manifest["content_sha256"] == hashlib.sha256(nq.encode()).hexdigest()
    assert manifest["entities_per_class"]["kg:Person"] == 4
    assert [s["identifier"] for s in manifest["sources"]] == [
        "000_b2925a6198033b1b", "001_9e02c3f3c2711bf1"]
    trig = parse_file(tmp_path / "out" / "kg.trig")
    assert len(list(trig.quads())) == len(nq.splitlines()) == manifest["quads"]


def test_a_build_is_reproducible(tmp_path: Path) -> None:
    first = kg.build(out=tmp_path / "a").manifest
    second = kg.build(out=tmp_path / "b").manifest
    assert first["content_sha256"] == second["content_sha256"]
    assert (tmp_path / "a" / "kg.nq").read_bytes() == (tmp_path / "b" / "kg.nq").read_bytes()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("bad", ["no_label.ttl", "one_party.trig"])
def test_invalid_data_writes_nothing_and_keeps_the_earlier_build(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "out"
    kg.build(out=out)
    before = _snapshot(out)
    with pytest.raises(ValidationFailed) as caught:
        kg.build([DATA, BAD / bad], out=out)
    assert not caught.value.report.conforms  # type: ignore[attr-defined]
    assert _snapshot(out) == before


def test_a_syntax_error_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ParseError):
        kg.build([DATA, BAD / "syntax_error.ttl"], out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_oxigraph_build_files_are_the_rdflib_store_s_statements(tmp_path: Path) -> None:
    """kg.nq and kg.trig are written by Oxigraph itself (no rdflib copy): kg.nq has the very
    lines the rdflib store writes, and kg.trig holds the same quads."""
    kg.build(data=DATA, out=tmp_path / "out")
    nq = (tmp_path / "out" / "kg.nq").read_text(encoding="utf-8")
    on_rdflib = kg.load(data=DATA, store="rdflib").store.serialize(format="nquads")
    assert nq == "".join(sorted(line + "\n" for line in on_rdflib.splitlines() if line.strip()))
    trig = parse_file(tmp_path / "out" / "kg.trig")
    quads = parse_file(tmp_path / "out" / "kg.nq")
    assert set(trig.quads()) == set(quads.quads())
