"""The proof rules and their plumbing beyond their documented examples: the time budget
(a timeout is never a finding, an undecided site assertion is reported as info), the
settings key, the transform pipeline (the symbolic rewrite agrees with applying the
transforms, classad2 evaluating the rewrite), HTCondor's old-style conversion order, and
the DESY seed's findings."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.analysis.pipeline import PipelineError, Symbolic, apply, from_native, read_pipeline
from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import evaluate
from classadlint.classad.functions import unparse_value
from classadlint.classad.parser import parse_expr
from classadlint.classad.unparse import unparse
from classadlint.classad.values import UNDEFINED
from classadlint.lint.engine import lint_files, lint_project
from classadlint.lint.settings import Settings, SettingsError, parse_settings
from classadlint.lint.siterules import load_site_rules
from classadlint.project import Project
from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]
# a witness an exact encoding gives that an evaluator does not reproduce is a bug: raise
os.environ["CLASSADLINT_STRICT_WITNESSES"] = "1"


def _lint(tmp: Path, text: str, s: Settings, name: str = "p.config") -> list[Any]:
    path = tmp / name
    path.write_text(text)
    return lint_files([path], settings=s)


# --- the budget ------------------------------------------------------------------------


def test_budget_setting_is_validated() -> None:
    assert parse_settings({"analysis-budget-ms": 50}).analysis_budget_ms == 50
    assert Settings().analysis_budget_ms == 200
    for bad in (0, -1, True, "200", 10**9):
        with pytest.raises(SettingsError, match="analysis-budget-ms"):
            parse_settings({"analysis-budget-ms": bad})


HARD = (
    'START = regexp("^(a|b)*c[0-9]+x$", TARGET.Owner) && '
    'stringListMember(TARGET.AcctGroup, "a,b,z") && TARGET.Owner == strcat(TARGET.AcctGroup, "c1x")'
)


def test_a_starved_budget_never_becomes_a_finding(tmp_path: Path) -> None:
    """With 1 ms per query every answer is "not proved" or a verified one: the findings
    are a subset of those with the full budget, never new ones."""
    s = Settings(select=("CA202", "CA207", "CA501", "CA502"))
    full = {(d.code, d.line, d.col) for d in _lint(tmp_path, HARD, s)}
    starved = {
        (d.code, d.line, d.col)
        for d in _lint(tmp_path, HARD, dataclasses.replace(s, analysis_budget_ms=1))
    }
    assert starved <= full


ASSERTION = """\
[[rule]]
code = "POOL001"
severity = "error"
name = "start-only-nobody"
message = "START must only run jobs of nobody"
[rule.assert]
knob = "START"
implies = 'TARGET.Owner =?= "nobody"'
[[rule.bad]]
config = 'START = Cpus > 1'
expect = ['1:9 POOL001 START must only run jobs of nobody: ...']
[[rule.good]]
config = 'START = TARGET.Owner =?= "nobody"'
"""


def test_an_undecided_assertion_is_reported_as_info_never_passed(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.toml").write_text(ASSERTION)
    [rule] = load_site_rules([rules])
    s = Settings(select=("POOL001",))
    path = tmp_path / "hard.config"
    path.write_text(HARD + "\n")
    project = Project([path], [path])
    # with the full budget: refuted, with a witness pair
    [full] = lint_project(project, s, extra=(rule,))
    assert full.severity == "error" and "for slot [" in full.message and full.witness is not None
    # a budget the solver cannot meet: still reported, as "not proved" or the same refutation
    for d in lint_project(project, dataclasses.replace(s, analysis_budget_ms=1), extra=(rule,)):
        assert d.code == "POOL001"
        assert (d.severity == "info" and "not proved" in d.message) or d.message == full.message
    # ads the engine does not model (a daemon's own ad): "not proved", deterministically
    (rules / "a.toml").write_text(ASSERTION.replace('knob = "START"', 'knob = "DAEMON_SHUTDOWN"'))
    [rule] = load_site_rules([rules])
    path.write_text("DAEMON_SHUTDOWN = time() - DaemonStartTime > 3600\n")
    [d] = lint_project(Project([path], [path]), s, extra=(rule,))
    assert d.severity == "info" and "not proved" in d.message and "not modelled" in d.message


def test_a_site_assertion_rule_with_a_mistake_is_refused(tmp_path: Path) -> None:
    from classadlint.lint.registry import RuleLoadError

    rules = tmp_path / "rules"
    rules.mkdir()
    for broken, message in (
        (ASSERTION.replace("implies = ", "expect = "), "`expect` goes with `transforms`"),
        (ASSERTION.replace("implies = 'TARGET.Owner =?= \"nobody\"'", "is = 'maybe'"), "`is` must"),
        (ASSERTION.replace('knob = "START"', 'knob = "START"\ntransforms = "job"'), "exactly one"),
        (
            ASSERTION.replace("""implies = 'TARGET.Owner =?= "nobody"'""", "implies = 'a =='"),
            "not a ClassAd",
        ),
        (ASSERTION.replace("[rule.assert]", 'pattern = "a"\n[rule.assert]'), "not both"),
    ):
        (rules / "a.toml").write_text(broken)
        with pytest.raises(RuleLoadError, match=message):
            load_site_rules([rules])


# --- the transform pipeline --------------------------------------------------------------

OLD_STYLE = """\
JOB_TRANSFORM_NAMES = Group Jupyter
JOB_TRANSFORM_Group @=end
[
eval_set_Group = ifThenElse(Project =?= undefined, "noop", ifThenElse(IsJupyterJob =?= true, "jupyter", Project));
copy_Group = "GroupWas";
]
@end
JOB_TRANSFORM_Jupyter @=end
[
Requirements = (TARGET.IsJupyterJob =?= True && JobUniverse != 7);
copy_Requirements = "Base4Requirements";
set_Requirements = Base4Requirements && (IsJupyterSlot =?= True);
eval_set_JobHistory = False;
delete_Project = true;
]
@end
"""

NATIVE = """\
JOB_TRANSFORM_NAMES = Runtime Class
JOB_TRANSFORM_Runtime @=end
DEFAULT RequestRuntime 10800
RENAME MyProject Project
@end
JOB_TRANSFORM_Class @=end
REQUIREMENTS RequestRuntime isnt undefined
EVALSET Class ifThenElse(RequestRuntime <= 3600, "lite", ifThenElse(RequestRuntime <= 86400, "short", "long"))
SET Quota ifThenElse(Class == "lite", "lite", "bide")
COPY Class ClassWas
DELETE Obsolete
@end
"""

JOB_ATTRS = {
    "Project": st.one_of(st.none(), st.sampled_from(["cms", "atlas", "Noop"])),
    "MyProject": st.one_of(st.none(), st.sampled_from(["cms", "belle"])),
    "IsJupyterJob": st.one_of(st.none(), st.booleans(), st.just(1)),
    "JobUniverse": st.sampled_from([5, 7]),
    "RequestRuntime": st.one_of(st.none(), st.integers(0, 200_000)),
    "Obsolete": st.one_of(st.none(), st.just("x")),
    "Group": st.one_of(st.none(), st.just("old")),
    "Requirements": st.sampled_from(["TARGET.Memory > 1", "true"]),
}
ATTRS = ["Group", "GroupWas", "Requirements", "Base4Requirements", "JobHistory", "Project",
         "RequestRuntime", "Class", "Quota", "ClassWas", "Obsolete", "MyProject"]  # fmt: skip


def _pipeline(tmp: Path, text: str) -> list[Any]:
    path = tmp / "t.config"
    path.write_text(text)
    project = Project([path], [path])
    return read_pipeline(project.model)


def _job(values: dict[str, Any]) -> ClassAd:
    ad = ClassAd({k: v for k, v in values.items() if v is not None and k != "Requirements"})
    ad["Requirements"] = parse_expr(values["Requirements"])
    return ad


def test_old_style_transforms_convert_in_htcondors_order(tmp_path: Path) -> None:
    group, jupyter = _pipeline(tmp_path, OLD_STYLE)
    assert [s.op for s in group.steps] == ["copy", "evalset"]  # copy_* before eval_set_*
    assert [s.op for s in jupyter.steps] == ["copy", "delete", "set", "evalset"]
    assert jupyter.requirements is not None
    assert "MY.IsJupyterJob" in unparse(jupyter.requirements)  # TARGET. stripped


@pytest.mark.parametrize("text", [OLD_STYLE, NATIVE], ids=["old-style", "native"])
def test_symbolic_rewrite_agrees_with_applying_the_transforms(tmp_path: Path, text: str) -> None:
    """For generated jobs: each attribute of the job after the transforms (ours, applied)
    equals the rewritten expression evaluated on the submitted job — by classad2."""
    transforms = _pipeline(tmp_path, text)
    pipeline = Symbolic(transforms)
    rewritten = {a: unparse(pipeline.after(parse_expr(a))) for a in ATTRS}

    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.fixed_dictionaries(JOB_ATTRS))
    def agree(values: dict[str, Any]) -> None:
        job = _job(values)
        after = apply(transforms, job).job
        theirs = classad2.ClassAd()
        for name in job:
            theirs[name] = classad2.ExprTree(
                unparse(job[name])
                if name == "Requirements"
                else unparse_value(evaluate(job[name], job))
            )
        for attr in ATTRS:
            expr = after.lookup(attr)
            ours = evaluate(expr, after) if expr is not None else UNDEFINED
            value = classad2.ExprTree(rewritten[attr]).eval(theirs)
            if ours is UNDEFINED:
                assert value == classad2.Value.Undefined, (attr, values, value)
            else:
                assert value == ours, (attr, values, value, ours)

    agree()


def test_unsupported_native_statements_are_refused_not_guessed() -> None:
    for text, why in (
        ("SET A $(MY.Owner)", "macro"),
        ("x = 1\nSET A 1", "temporary variable"),
        ("if defined MY.A\nSET B 1\nendif", "not modelled"),
        ("DELETE /^Foo/", "regular expression"),
    ):
        t = from_native("T", "JOB_TRANSFORM_T", text)
        assert t.unsupported is not None and why in t.unsupported, (text, t.unsupported)
        with pytest.raises(PipelineError):
            Symbolic([t])
        with pytest.raises(PipelineError):
            apply([t], ClassAd())


# --- the DESY seed -----------------------------------------------------------------------


T07 = """\
JOB_TRANSFORM_NAMES = T07AccountingStatusHold
JOB_TRANSFORM_T07AccountingStatusHold @=end
[
eval_set_HoldReason = ifThenElse(RequestGPU != undefined && userMap("Projects.gpu",Owner) =?= undefined,
"Unauthorized GPU request", \\
undefined)
]
@end
"""


def test_desy_seed_t07_findings_are_true(tmp_path: Path) -> None:
    """The slide's T07 (corpus/desy-seed): `RequestGPU != undefined` makes the hold reason
    UNDEFINED for every job (CA503) and its "Unauthorized GPU request" branch unreachable
    (CA202) — asked of classad2 on jobs with and without RequestGPU."""
    path = tmp_path / "21-gpu-t07.config"
    path.write_text(T07)
    diags = lint_project(Project([path], [path]), Settings(select=("CA202", "CA503")))
    assert sorted(d.code for d in diags) == ["CA202", "CA503"], [d.message for d in diags]
    expr = classad2.ExprTree(
        'ifThenElse(RequestGPU != undefined && userMap("Projects.gpu",Owner) =?= undefined,'
        ' "Unauthorized GPU request", undefined)'
    )
    for attrs in ({}, {"RequestGPU": 1}, {"RequestGPU": 0, "Owner": "bob"}):
        assert expr.eval(classad2.ClassAd(attrs)) == classad2.Value.Undefined


def test_z3_and_hypothesis_load_only_when_a_proof_is_asked() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from classadlint.lint.engine import lint_files\n"
        "from classadlint.lint.settings import Settings\n"
        "p = Path(sys.argv[1])\n"
        "lint_files([p], settings=Settings(select=('CA1', 'CA4')))\n"
        "print('z3' in sys.modules, 'hypothesis' in sys.modules)\n"
        "lint_files([p], settings=Settings())\n"
        "print('z3' in sys.modules, 'hypothesis' in sys.modules)\n"
    )
    config = REPO / "corpus" / "desy" / "30-startd-node-control.config"
    out = subprocess.run([sys.executable, "-c", code, str(config)], capture_output=True,
                         text=True, check=True, timeout=120).stdout  # fmt: skip
    assert out.split("\n")[:2] == ["False False", "True False"]


def test_an_attribute_with_an_empty_name_is_always_absent_in_a_witness() -> None:
    """``''`` names an attribute no ad can hold (classad2 refuses to insert it): the
    encoding keeps it UNDEFINED, so a witness never sets it and CA207 proves the branch."""
    from classadlint.lint.engine import lint_expression

    found = lint_expression("0 || ('')", "START", settings=Settings(select=("CA207",)))
    assert [d.code for d in found] == ["CA207"]
    assert "UNDEFINED for every" in found[0].message
    ad = classad2.ClassAd()
    with pytest.raises(Exception, match="Insert"):
        ad[""] = 1


def test_the_schedds_own_universe_limits_are_not_undefined(tmp_path: Path) -> None:
    """HTCondor's defaults START_LOCAL_UNIVERSE = TotalLocalJobsRunning < 200 (and the
    scheduler universe's) read counts the schedd always puts in its ad (schedd.cpp assigns
    them before evaluating): no CA501, and the attribute really is a schedd one."""
    config = tmp_path / "schedd.config"
    config.write_text(
        "START_LOCAL_UNIVERSE = TotalLocalJobsRunning < 200\n"
        "START_SCHEDULER_UNIVERSE = TotalSchedulerJobsRunning < 200\n"
    )
    found = lint_files([config], settings=Settings(select=("CA501",)))
    assert found == []
    config.write_text("START_LOCAL_UNIVERSE = TotalLocalJobsRunnin < 200\n")  # a typo is absent
    assert [d.code for d in lint_files([config], settings=Settings(select=("CA501",)))] == ["CA501"]
