"""Fixes (applied atomically), suppression comment lines, SARIF and GitHub output."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from classadlint.classad import parse
from classadlint.config.model import build_model

BAD = """\
START = RequestGPU != undefined && Owner isnt "bob"
# classadlint: disable=CA201 documented exception
RANK = x == undefined
PREEMPT = a !== b
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_fix_rewrites_only_the_operators_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "policy.config"
    path.write_text(BAD)
    os.chmod(path, 0o640)
    proc = run("check", "--fix", "policy.config", cwd=tmp_path)
    # CA104's fix is safe (the text did not parse); CA201's changes the value: unsafe
    assert path.read_text() == BAD.replace("!==", "=!=")
    assert "Fixed 1 problem." in proc.stderr and proc.returncode == 1
    proc = run("check", "--fix", "--unsafe-fixes", "policy.config", cwd=tmp_path)
    fixed = path.read_text()
    assert fixed == BAD.replace("!= undefined", "=!= undefined").replace("!==", "=!=")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "Fixed 1 problem." in proc.stderr
    assert proc.returncode == 0, proc.stdout  # RANK's finding is suppressed
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".policy")]  # no temp left
    # the fixed policy means what the author meant, in HTCondor's own parser too
    model = build_model([path])
    assert parse(model.value("START") or "") is not None


def test_suppression_line_and_unused_suppression(tmp_path: Path) -> None:
    (tmp_path / "a.config").write_text(
        "# classadlint: disable=CA201 ok\nRANK = x == undefined\n# classadlint: disable=CA105\nKILL = false\n"
    )
    proc = run("check", "--format", "json", "a.config", cwd=tmp_path)
    codes = [(d["code"], d["line"]) for d in json.loads(proc.stdout)]
    assert codes == [("CA001", 3)]  # CA105 ran and matched nothing
    (tmp_path / "b.config").write_text(
        "# classadlint: disable-file=CA2\nRANK = x == undefined\nSTART = y != error\n"
    )
    assert run("check", "b.config", cwd=tmp_path).returncode == 0


def test_sarif_and_github_formats(tmp_path: Path) -> None:
    (tmp_path / "p.config").write_text("START = RequestGPU != undefined\n")
    sarif = json.loads(run("check", "--format", "sarif", "p.config", cwd=tmp_path).stdout)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    assert {r["id"] for r in run0["tool"]["driver"]["rules"]} >= {"CA101", "CA201"}
    [result] = run0["results"]
    assert result["ruleId"] == "CA201"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 9, 32)
    gh = run("check", "--format", "github", "p.config", cwd=tmp_path).stdout.strip()
    assert gh.startswith(
        "::warning file=p.config,line=1,col=9,endLine=1,endColumn=32,"
        "title=CA201 compare-with-undefined::"
    )
