"""The reports, as whole rendered snapshots (``CLASSADLINT_UPDATE=1 pytest`` rewrites them;
review the diff), and SARIF's required structure."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.engine import lint_files, selected_rules
from classadlint.lint.settings import Settings
from classadlint.report import github, sarif, text
from classadlint.report import json as json_report
from classadlint.source import SourceFile

SNAPSHOTS = Path(__file__).parent / "snapshots"
POLICY = """\
GPU_CHECK = RequestGPUs != undefined
START = Memory > 1024 && $(GPU_CHECK) && regexp("^bob", Owner, "I")
PREEMPT = a !== b
# classadlint: disable=CA104 -- nothing to disable here
RANK = 2 & 3 == 3
"""


@pytest.fixture
def report_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Diagnostic], dict[str, SourceFile]]:
    monkeypatch.chdir(tmp_path)
    Path("policy.config").write_text(POLICY)
    diags = lint_files([Path("policy.config")])
    return diags, {"policy.config": SourceFile("policy.config", POLICY)}


def _snapshot(name: str, got: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CLASSADLINT_UPDATE") or not path.exists():
        path.write_text(got)
    assert got == path.read_text()


def test_text(report_input: tuple[list[Diagnostic], dict[str, SourceFile]]) -> None:
    diags, sources = report_input
    assert [d.code for d in diags] == ["CA201", "CA205", "CA104", "CA001", "CA208"]
    _snapshot("report.txt", text.render(diags, sources) + "\n\n" + text.summary(diags, 2, 3) + "\n")
    coloured = text.render(diags, sources, colour=True)
    assert "\x1b[" in coloured and "\x1b[" not in text.render(diags, sources)


def test_concise_json_github(report_input: tuple[list[Diagnostic], dict[str, SourceFile]]) -> None:
    diags, _ = report_input
    _snapshot("report.concise.txt", text.render_concise(diags) + "\n")
    _snapshot("report.json", json_report.render(diags) + "\n")
    _snapshot("report.github.txt", github.render(diags) + "\n")
    for line in github.render(diags).splitlines():
        assert line.startswith(("::error file=", "::warning file=", "::notice file="))


def test_sarif_structure(report_input: tuple[list[Diagnostic], dict[str, SourceFile]]) -> None:
    diags, _ = report_input
    rules = selected_rules(Settings())
    log = json.loads(sarif.render(diags, rules))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "classadlint"
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    for r in driver["rules"]:
        assert r["helpUri"].endswith(f"/docs/rules/{r['id']}.md")
        assert r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] in (
            "error",
            "warning",
            "note",
        )
    assert len(run["results"]) == len(diags)
    for res in run["results"]:
        assert res["message"]["text"] and ids[res["ruleIndex"]] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
        for fix in res.get("fixes", []):
            for change in fix["artifactChanges"]:
                assert change["artifactLocation"]["uri"] == "policy.config"
                for rep in change["replacements"]:
                    start = rep["deletedRegion"]["charOffset"]
                    assert 0 <= start <= len(POLICY)
    ca201 = next(r for r in run["results"] if r["ruleId"] == "CA201")
    [related] = ca201["relatedLocations"]
    assert related["message"]["text"] == "expanded from `$(GPU_CHECK)`"
    _snapshot("report.sarif.json", json.dumps(run["results"], indent=1) + "\n")
