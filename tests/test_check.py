"""``classadlint check``: the rule catalogue's own examples, the bundled corpus snapshot,
and the command line as users run it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classadlint.commands.expand_cmd import config_files
from classadlint.lint.engine import lint_project, load_rules
from classadlint.project import Project
from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]
RULES = load_rules()


def _examples(doc: str, label: str) -> list[str]:
    """The indented blocks after ``Bad::`` / ``Good::`` in a rule's docstring."""
    out = []
    for m in re.finditer(rf"{label}::\n\n((?:    .*\n|\n)+)", doc):
        block = "\n".join(line[4:] for line in m.group(1).rstrip().splitlines())
        out.append(block + "\n")
    return out


def _lint_text(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "example.config"
    path.write_text(text)
    return [d.code for d in lint_project(Project([path], [path]))]


def test_every_rule_has_examples_and_discovery_finds_them() -> None:
    codes = [r.rule.code for r in RULES]
    assert codes == sorted(codes) and len(codes) >= 8
    for r in RULES:
        assert _examples(r.doc, "Bad") and _examples(r.doc, "Good"), r.rule.code
        assert Path(r.path).name.startswith(r.rule.code.lower() + "_")


@pytest.mark.parametrize("loaded", RULES, ids=lambda r: r.rule.code)
def test_bad_examples_fire_the_rule_and_good_ones_are_clean(loaded: object, tmp_path: Path) -> None:
    rule = loaded  # type: ignore[assignment]
    for bad in _examples(rule.doc, "Bad"):  # type: ignore[attr-defined]
        assert rule.rule.code in _lint_text(tmp_path, bad), bad  # type: ignore[attr-defined]
    for good in _examples(rule.doc, "Good"):  # type: ignore[attr-defined]
        assert _lint_text(tmp_path, good) == [], good


def test_bad_expression_examples_really_fail_in_htcondor(tmp_path: Path) -> None:
    """CA103/CA104's bad START values are rejected by classad2 too; the good ones parse."""
    for code in ("CA103", "CA104"):
        rule = next(r for r in RULES if r.rule.code == code)
        for bad in _examples(rule.doc, "Bad"):
            value = bad.split("=", 1)[1].strip()
            with pytest.raises(classad2.ClassAdException):
                classad2.ClassAd(f"[x = {value}\n]")
        for good in _examples(rule.doc, "Good"):
            classad2.ClassAd(f"[x = {good.split('=', 1)[1].strip()}\n]")


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
    assert diag["code"] == "CA201" and diag["line"] == 1 and diag["col"] == 20
    assert diag["fixes"][0]["text"] == "=!="
    assert _run("check", "missing.config", cwd=tmp_path).returncode == 2
    assert _run("check", "--select", "CA1", "bad.config", cwd=tmp_path).returncode == 0


def test_old_style_transform_defects_are_found_where_written(tmp_path: Path) -> None:
    """The seed's accounting transform: `!==` and `!= undefined` inside `[ ... ]` bodies."""
    files = config_files([REPO / "corpus" / "desy" / "20-accounting-transforms.config"])
    diags = lint_project(Project(files, files))
    found = {(d.code, d.line) for d in diags}
    assert ("CA104", 9) in found and ("CA201", 16) in found
    ca104 = next(d for d in diags if d.code == "CA104")
    assert ca104.fixes and ca104.fixes[0].text == "=!="
    text = files[0].read_text()
    assert text[ca104.fixes[0].start : ca104.fixes[0].end] == "!=="
