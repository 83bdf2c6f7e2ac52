"""The notebooks in ``notebooks/``: stored without outputs, and each runs top to bottom in a
fresh kernel that imports the kg under test."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_at_least_three_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_is_linked_from_the_readme(path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"](notebooks/{path.name})" in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_top_to_bottom(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the kernel imports the kg under test: this checkout's src when it is on sys.path
    source = str(ROOT / "src")
    if any(Path(p).resolve() == Path(source).resolve() for p in sys.path if p):
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
            [source, *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    rich = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type in ("execute_result", "display_data")]
    assert any("text/html" in o.data for o in rich)
    if path.name.startswith("02"):
        assert any("image/png" in o.data for o in rich)
    for check in CHECKS.get(path.name[:2], ()):
        check(notebook)


def _shown(notebook: object, code: str) -> list[dict[str, str]]:
    """The rich outputs of the code cell whose source contains ``code``."""
    cells = [c for c in notebook.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, code
    return [o.data for o in cells[0].outputs
            if o.output_type in ("execute_result", "display_data")]


def _time_side_by_side_with_cited_changes(notebook: object) -> None:
    for comparison in ("side_by_side(in_2006, in_2024", "side_by_side(by_june, by_october"):
        [figure] = _shown(notebook, comparison)
        assert "image/png" in figure and "with 2 Axes" in figure["text/plain"]
    [burkina] = _shown(notebook, 'knowledge_time["to"].str.contains("Burkina")')
    html = burkina["text/html"]
    assert "for project" in html and "added" in html and "2024-10-15" in html
    assert "https://w3id.org/kg/source/" in html and "Burkina Faso" in html  # cited, quoted


def _both_servers_read_exported_and_stopped(notebook: object) -> None:
    [people] = _shown(notebook, "def names(endpoint)")
    assert "kg serve" in people["text/html"] and "Oxigraph" in people["text/html"]
    assert "Leyla Aliyeva" in people["text/plain"]
    [path] = _shown(notebook, "on_oxigraph.paths(")
    assert "Burkina Faso" in path["text/html"]
    [exported] = _shown(notebook, "nx.read_gexf")
    read_back, projected = ast.literal_eval(exported["text/plain"])
    assert set(read_back) == {"graph.gexf", "graph.graphml"}
    assert all(size == projected for size in read_back.values())
    [stopped] = _shown(notebook, "kg_server.stop()")
    assert stopped["text/plain"] == "(False, False)"


#: what a notebook must show once run, beyond running without error
def _the_sources_listed_and_narrowed(notebook: object) -> None:
    [every] = _shown(notebook, "g.sources()")
    assert "Trend, 11 May 2024" in every["text/html"] and "2024-10-15" in every["text/html"]
    [october] = _shown(notebook, 'g.sources("Trend 2024-10")')
    assert "001_9e02c3f3c2711bf1" in october["text/html"]
    assert "000_b2925a6198033b1b" not in october["text/html"]


CHECKS = {"01": [_the_sources_listed_and_narrowed],
          "02": [_time_side_by_side_with_cited_changes],
          "03": [_both_servers_read_exported_and_stopped]}
