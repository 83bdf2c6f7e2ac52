"""The kg command line: validate, build and format, their messages and exit codes."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import BAD, DATA


def kg(*args: str | Path, cwd: Path | None = None,
       process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run kg as a user would: its command, arguments, exit code, stdout and stderr.

    In this process through click's test runner (the same ``kg`` command, without the
    second or so a new Python takes to start and import kg), or with ``process`` in a
    separate ``python -m kg`` -- at least one test per command does. An exception that is
    not an exit (a traceback, for a user) fails the test. The line that says which files
    were used (``kg: using …``, the first of stdout or of stderr) is taken off both streams
    and kept as ``done.using``.
    """
    argv = [str(arg) for arg in args]
    if process:
        done = subprocess.run([sys.executable, "-m", "kg", *argv], capture_output=True,
                              text=True, cwd=cwd, env=os.environ.copy(), timeout=300,
                              check=False)
    else:
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            result = CliRunner().invoke(cli, argv, prog_name="kg")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        done = subprocess.CompletedProcess(["kg", *argv], result.exit_code, result.stdout,
                                           result.stderr)
    done.using = ""  # type: ignore[attr-defined]
    for stream in ("stdout", "stderr"):
        text = getattr(done, stream)
        if text.startswith("kg: using "):
            first, _, rest = text.partition("\n")
            done.using = first  # type: ignore[attr-defined]
            setattr(done, stream, rest)
    return done


def test_validate_on_clean_data_prints_one_line_and_exits_0(tmp_path: Path) -> None:
    done = kg("validate", "--data", DATA, cwd=tmp_path, process=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == [done.stdout.strip()]
    assert done.stdout.startswith("kg validate: ok: 4 files, ")
    assert done.stdout.rstrip().endswith(", 2 sources, 0 warnings")


def test_validate_reports_violations_grouped_by_shape_and_exits_1() -> None:
    done = kg("validate", DATA, BAD / "no_label.ttl")
    assert done.returncode == 1
    out = done.stdout
    assert out.startswith("Violations (")
    assert "no_label.ttl:5: https://w3id.org/kg/id/jane-doe" in out
    assert "path rdfs:label" in out
    assert out.rstrip().splitlines()[-1].startswith("kg validate: 1 violation, ")


def test_validate_json_is_machine_readable() -> None:
    done = kg("validate", DATA, BAD / "one_party.trig", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["conforms"] is False
    assert report["counts"]["violations"] >= 1
    assert {r["focus"] for r in report["results"] if r["severity"] == "Violation"} == {
        "https://w3id.org/kg/id/agreement-one-party"}


@pytest.mark.parametrize("case, where", [("syntax_error.ttl", ":7:26: "),
                                         ("not_utf8.ttl", ":5:22: ")])
def test_an_unreadable_file_is_file_line_col_and_exit_2(case: str, where: str) -> None:
    done = kg("validate", BAD / case, process=True)
    assert done.returncode == 2
    assert done.stderr.startswith(f"kg: {BAD / case}{where}")
    assert done.stdout == ""  # nothing else run
    assert "Traceback" not in done.stderr


def test_a_missing_path_is_exit_2_with_its_name(tmp_path: Path) -> None:
    done = kg("validate", tmp_path / "missing.trig")
    assert done.returncode == 2
    assert done.stderr == f"kg: no such file or directory: {tmp_path / 'missing.trig'}\n"


def test_an_empty_data_folder_is_exit_2(tmp_path: Path) -> None:
    done = kg("validate", "--data", tmp_path)
    assert done.returncode == 2
    assert "no data files in this folder" in done.stderr


def test_build_prints_a_summary_and_writes_the_files(tmp_path: Path) -> None:
    done = kg("build", "--out", tmp_path / "out", process=True)
    assert done.returncode == 0, done.stderr
    assert "entities per class:" in done.stdout
    assert "kg:Person" in done.stdout and "sources: 2" in done.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "kg.nq", "kg.trig", "manifest.json", "sources"]


def test_build_lists_twenty_sources_and_says_how_many_more(tmp_path: Path) -> None:
    from kg.synth import synth

    corpus = synth(articles=23, seed=2, out=tmp_path / "data").out
    done = kg("build", "--data", corpus, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    listed = done.stdout.split("sources: 23\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed[:20]] == sorted(p.stem for p in corpus.glob("*.trig"))[:20]
    assert listed[20] == "  ... and 3 more (every source: manifest.json, or kg sources)"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert len(manifest["sources"]) == 23


def test_build_on_invalid_data_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    done = kg("build", DATA, BAD / "signer_without_post.trig", "--out", tmp_path / "out")
    assert done.returncode == 1
    assert "nothing written" in done.stderr
    assert not (tmp_path / "out").exists()


def test_format_check_passes_on_the_bundled_data() -> None:
    done = kg("format", "--check", process=True)
    assert done.returncode == 0, done.stdout
    assert "canonical" in done.stdout


def test_format_rewrites_a_file_into_canonical_form(tmp_path: Path) -> None:
    messy = tmp_path / "messy.ttl"
    messy.write_text("@prefix ex: <http://example.org/> .\nex:b ex:p ex:c . ex:a ex:p ex:c .\n")
    assert kg("format", "--check", messy).returncode == 1
    assert kg("format", messy).returncode == 0
    assert kg("format", "--check", messy).returncode == 0
    assert messy.read_text().index("ex:a") < messy.read_text().index("ex:b")


def test_format_changes_no_file_when_one_does_not_parse(tmp_path: Path) -> None:
    """Every file is read first: a file that does not parse stops the command before any
    is rewritten, and a rewritten file keeps its permissions, nothing staged left."""
    messy = tmp_path / "messy.ttl"
    text = "@prefix ex: <http://example.org/> .\nex:b ex:p ex:c . ex:a ex:p ex:c .\n"
    messy.write_text(text)
    (tmp_path / "z-broken.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:p")
    done = kg("format", tmp_path)
    assert done.returncode == 2 and "z-broken.ttl:" in done.stderr
    assert messy.read_text() == text
    (tmp_path / "z-broken.ttl").unlink()
    messy.chmod(0o640)
    assert kg("format", tmp_path).returncode == 0
    assert messy.read_text() != text and messy.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["messy.ttl"]


@pytest.mark.parametrize("command", ["validate", "build", "format"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    done = kg(command, "--help")
    assert done.returncode == 0
    assert "Example" in done.stdout


def test_warnings_are_shown_and_exit_0() -> None:
    done = kg("validate", DATA, BAD / "warning_only.trig")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("Warnings (2):")
    assert done.stdout.rstrip().endswith("2 warnings")


BAD_DATA = ["no_label.ttl", "no_source.ttl", "end_before_start.trig", "signer_without_post.trig",
            "wrong_datatype.trig", "one_party.trig", "unknown_term.trig",
            "quote_not_in_source.trig"]


@pytest.mark.parametrize("case", BAD_DATA)
def test_each_kind_of_bad_data_fails_validate_and_build_without_output(
        case: str, tmp_path: Path) -> None:
    checked = kg("validate", DATA, BAD / case)
    assert checked.returncode == 1
    assert f"{case}:" in checked.stdout  # located: file:line of the offending node
    built = kg("build", DATA, BAD / case, "--out", tmp_path / "out")
    assert built.returncode == 1
    assert not (tmp_path / "out").exists()


def test_build_into_a_path_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    occupied = tmp_path / "out"
    occupied.write_text("not a folder")
    done = kg("build", "--out", occupied)
    assert done.returncode == 2
    assert done.stderr == f"kg: --out {occupied} exists and is not a folder\n"
    assert occupied.read_text() == "not a folder"


def test_an_unknown_option_value_is_a_usage_error_exit_2() -> None:
    done = kg("validate", "--format", "xml")
    assert done.returncode == 2
    assert "'xml' is not one of 'text', 'json'" in done.stderr
