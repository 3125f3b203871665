"""``classadlint check``: the rule catalogue's own examples, the bundled corpus snapshot,
and the command line as users run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from classadlint.commands.expand_cmd import config_files
from classadlint.lint.engine import lint_project
from classadlint.project import Project
from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]


def test_ca201_bad_example_is_never_true_in_htcondor() -> None:
    ad = classad2.ClassAd({"RequestGPU": 1})
    assert classad2.ExprTree("RequestGPU != undefined").eval(ad) == classad2.Value.Undefined
    assert classad2.ExprTree("RequestGPU =!= undefined").eval(ad) is True


def test_corpus_snapshot() -> None:
    expected = (REPO / "corpus" / "desy" / "expected-diagnostics.txt").read_text()
    got = _run("check", "corpus/")
    assert got.returncode == 1
    assert got.stdout == expected


def test_corpus_defects_are_the_ones_htcondor_rejects() -> None:
    """HTCondor refuses 10-node-control at line 12 and 30-jupyter at end of file: we say so."""
    files = config_files([REPO / "corpus" / "desy"])
    diags = lint_project(Project([REPO / "corpus" / "desy"], files))
    assert any(d.code == "CA101" and d.file.endswith("10-node-control.config") and d.line == 12
               for d in diags)  # fmt: skip
    assert any(d.code == "CA102" and d.file.endswith("30-jupyter-docker-transforms.config")
               for d in diags)  # fmt: skip


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_exit_codes_and_json(tmp_path: Path) -> None:
    (tmp_path / "ok.config").write_text("START = Memory > 1024\n")
    (tmp_path / "bad.config").write_text("START = RequestGPU != undefined\n")
    assert _run("check", "ok.config", cwd=tmp_path).returncode == 0
    bad = _run("check", "--format", "json", "bad.config", cwd=tmp_path)
    assert bad.returncode == 1
    [diag] = json.loads(bad.stdout)
    assert (diag["code"], diag["line"], diag["col"], diag["end_col"]) == ("CA201", 1, 9, 32)
    [edit] = diag["fixes"][0]["edits"]
    assert edit["text"] == "=!=" and diag["fixes"][0]["safety"] == "unsafe"
    assert "START = RequestGPU != undefined"[edit["start"] : edit["end"]] == "!="
    assert _run("check", "missing.config", cwd=tmp_path).returncode == 2
    assert _run("check", "--select", "CA1", "bad.config", cwd=tmp_path).returncode == 0


def test_old_style_transform_defects_are_found_where_written(tmp_path: Path) -> None:
    """The seed's accounting transform: `!==` and `!= undefined` inside `[ ... ]` bodies."""
    files = config_files([REPO / "corpus" / "desy" / "20-accounting-transforms.config"])
    diags = lint_project(Project(files, files))
    found = {(d.code, d.line) for d in diags}
    assert ("CA104", 9) in found and ("CA201", 16) in found
    ca104 = next(d for d in diags if d.code == "CA104")
    [edit] = ca104.fixes[0].edits
    assert edit.text == "=!="
    text = files[0].read_text()
    assert text[edit.start : edit.end] == "!=="
