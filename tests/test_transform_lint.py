"""The expressions inside native transforms are linted by the existing rules, at the file,
line and column the user wrote (through heredoc bodies, continuations and macros), in the
context HTCondor evaluates each of them in."""

from __future__ import annotations

from pathlib import Path

from classadlint.lint.engine import lint_files
from classadlint.project import Project

CONFIG = """\
JOB_TRANSFORM_NAMES = Acct
LIMIT = 4096
JOB_TRANSFORM_Acct @=end
   REQUIREMENTS RequestMemory > 1024 && Owner != undefined
   tmp = Owner != undefined
   SET IsBig RequestMemory > $(LIMIT) && \\
       TARGET.Memory > 1
   EVALSET Bad = strcat("a", Owner
   if $(tmp)
      SET X 1
   endif
   BOGUS line
   if true
@end
"""


def _findings(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "t.config"
    path.write_text(text)
    found = lint_files([path])
    return sorted((d.line, d.col, d.code) for d in found if d.code in CODES)


CODES = {"CA101", "CA102", "CA103", "CA201", "CA207", "CA303"}


def test_diagnostics_inside_a_native_transform_are_at_the_line_written(tmp_path: Path) -> None:
    findings = _findings(tmp_path, CONFIG)
    assert findings == [
        (4, 41, "CA201"),  # REQUIREMENTS: `Owner != undefined`, job alone
        (5, 10, "CA201"),  # the variable's text, through `if $(tmp)` (a ClassAd condition)
        (8, 35, "CA103"),  # EVALSET: the call is never closed
        (12, 4, "CA101"),  # not a keyword: the transform fails here
        (13, 4, "CA102"),  # if without endif
    ]
    path = tmp_path / "t.config"
    [d] = [d for d in lint_files([path]) if (d.line, d.code) == (5, "CA201")]
    assert any("$(tmp)" in r.note and r.location.start.line == 9 for r in d.related)


def test_a_stored_expression_may_use_target(tmp_path: Path) -> None:
    """SET stores the expression in the job: `TARGET.Memory` is the slot's in a match, so
    no CA303 there; EVALSET evaluates now, against the job alone: TARGET is nothing."""
    text = (
        "JOB_TRANSFORM_T @=end\n"
        "SET Requirements MY.Base && TARGET.HasDocker =?= true\n"
        "EVALSET Now TARGET.Memory > 1\n"
        "@end\n"
    )
    assert _findings(tmp_path, text) == [(3, 13, "CA303")]


def test_expressions_are_expanded_with_the_transform_variables(tmp_path: Path) -> None:
    path = tmp_path / "t.config"
    path.write_text(
        "GROUP = physics\n"
        "JOB_TRANSFORM_T @=end\n"
        'prefix = "group_"\n'
        'SET AcctGroup strcat($(prefix), "$(GROUP)", "$(MY.Owner)")\n'
        "SET Runtime $(MY.RequestRuntime) * 2\n"
        "@end\n"
    )
    project = Project([path], [path])
    inside = [k for k in project.expression_knobs if k.statement is not None]
    assert [(k.statement, k.expanded.text) for k in inside] == [
        (("SET", 2), 'strcat("group_", "physics", "$(MY.Owner)")'),  # line 2 of the body
    ]  # the second holds a run-time value outside a string: not checked
    [knob] = inside
    text = path.read_text()
    for k, ch in enumerate(knob.expanded.text):
        origin = knob.expanded.origins[k]
        assert origin.file == str(path) and origin.offset is not None
        assert text[origin.offset] == ch  # every character maps to what was written


def test_old_and_unterminated_transforms_are_left_to_their_rules(tmp_path: Path) -> None:
    text = (
        'JOB_TRANSFORM_Old = [ set_A = 1 + ; Requirements = Owner == "x" ]\n'
        "JOB_TRANSFORM_Open @=end\n"
        "SET B (\n"
    )
    findings = _findings(tmp_path, text)
    assert (1, 35, "CA103") in findings  # the old route parsed as a ClassAd
    assert not [f for f in findings if f[0] == 3]  # the swallowed text is not reported
