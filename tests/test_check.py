"""``classadlint check``: the rule catalogue's own examples, the bundled corpus snapshot,
and the command line as users run it."""

from __future__ import annotations

import json
import os
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


SEED = REPO / "corpus" / "desy-seed"


def test_corpus_snapshot() -> None:
    """The seed's text report, as the command line prints it (tests/test_corpus_golden.py
    keeps the per-file golden files of the whole corpus)."""
    expected = (SEED / "expected-diagnostics.txt").read_text()
    got = _run("check", "corpus/desy-seed")
    assert got.returncode == 1
    assert got.stdout == expected


def test_corpus_defects_are_the_ones_htcondor_rejects() -> None:
    """HTCondor refuses to load exactly the seed files with a CA101/CA102 error: the node
    control slide at its line 13 (the wrapped GROUP_NOT_DOWN) and the Jupyter transform
    (never closed); it loads the others."""
    files = config_files([SEED])
    diags = lint_project(Project([SEED], files))
    fatal = {(Path(d.file).name, d.line) for d in diags if d.code in ("CA101", "CA102")}
    assert fatal == {("10-node-control-version-b.config", 13), ("31-jupyter-t18-jupyter.config", 5)}
    child = "import htcondor2"
    for f in files:
        env = {**os.environ, "CONDOR_CONFIG": str(f)}
        proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                              env=env, timeout=60)  # fmt: skip
        refused = {name for name, _ in fatal}
        assert (proc.returncode != 0) == (f.name in refused), (f.name, proc.stderr)
        if f.name == "10-node-control-version-b.config":
            assert "Line 13" in proc.stderr, proc.stderr
        if f.name == "31-jupyter-t18-jupyter.config":
            assert "end-of-file" in proc.stderr and "@end" in proc.stderr, proc.stderr


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_exit_codes_and_json(tmp_path: Path) -> None:
    (tmp_path / "ok.config").write_text("START = Memory > 1024\n")
    (tmp_path / "bad.config").write_text("START = RequestGPU != undefined\n")
    assert _run("check", "ok.config", cwd=tmp_path).returncode == 0
    bad = _run("check", "--format", "json", "bad.config", cwd=tmp_path)
    assert bad.returncode == 1
    # the proof rules (CA501, CA502) find the same defect from their side
    [diag] = [d for d in json.loads(bad.stdout) if d["code"] == "CA201"]
    assert (diag["code"], diag["line"], diag["col"], diag["end_col"]) == ("CA201", 1, 9, 32)
    [edit] = diag["fixes"][0]["edits"]
    assert edit["text"] == "=!=" and diag["fixes"][0]["safety"] == "unsafe"
    assert "START = RequestGPU != undefined"[edit["start"] : edit["end"]] == "!="
    assert _run("check", "missing.config", cwd=tmp_path).returncode == 2
    assert _run("check", "--select", "CA1", "bad.config", cwd=tmp_path).returncode == 0


def test_old_style_transform_defects_are_found_where_written(tmp_path: Path) -> None:
    """The seed's accounting transforms: `!==` and `!= undefined` inside `[ ... ]` bodies."""
    t07, t06 = (
        SEED / "21-gpu-t07-accounting-status-hold.config",
        SEED / "30-jupyter-t06-accounting-group.config",
    )
    files = config_files([t07, t06])
    diags = lint_project(Project(files, files))
    found = {(d.code, Path(d.file).name, d.line) for d in diags}
    assert ("CA104", t06.name, 11) in found and ("CA201", t07.name, 8) in found
    ca104 = next(d for d in diags if d.code == "CA104")
    [edit] = ca104.fixes[0].edits
    assert edit.text == "=!="
    text = t06.read_text()
    assert text[edit.start : edit.end] == "!=="
