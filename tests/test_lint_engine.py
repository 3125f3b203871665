"""The engine around the rules: standalone expressions, spans through macro expansions,
selection, settings, suppressions, site rules (the documented ones) and atomic fixes."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from classadlint.lint.diagnostic import Edit, Fix
from classadlint.lint.engine import lint_expression, lint_files, selected_rules
from classadlint.lint.examples import verify
from classadlint.lint.fix import apply_edits, apply_fixes, choose, select_fixes
from classadlint.lint.registry import RuleLoadError, all_rules
from classadlint.lint.settings import Settings, SettingsError, discover, parse_settings
from classadlint.lint.siterules import load_site_rules

REPO = Path(__file__).resolve().parents[1]


def _codes(diags: list) -> list[tuple[str, int, int]]:  # type: ignore[type-arg]
    return [(d.code, d.line, d.col) for d in diags]


def _lint(
    tmp_path: Path, text: str, settings: Settings | None = None, name: str = "a.config"
) -> list:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_bytes(text.encode())
    return lint_files([path], settings=settings)


# --- standalone expressions -------------------------------------------------------------


def test_lint_expression_positions_and_context() -> None:
    text = 'x == undefined ||\n  WantDocker == "true"'
    assert _codes(lint_expression(text)) == [("CA201", 1, 1)]  # no context: type unknown
    # in START, WantDocker is not a slot attribute, so lookup falls through to the job's bool
    assert _codes(lint_expression(text, context="START")) == [("CA201", 1, 1), ("CA206", 2, 3)]
    diags = lint_expression('x == undefined ||\n  TARGET.WantDocker == "true"', context="START")
    assert _codes(diags) == [("CA201", 1, 1), ("CA206", 2, 3)]
    assert diags[1].end_line == 2 and diags[1].end_col == 30  # exclusive, as SARIF
    assert lint_expression("Memory > 1024") == []
    [syntax] = lint_expression("Memory >")
    assert (syntax.code, syntax.col) == ("CA103", 9)


def test_daemon_only_function_depends_on_the_context() -> None:
    text = 'SlotEval("slot1", Memory) > 1'
    assert lint_expression(text, context="START") == []  # the startd has SlotEval
    assert [d.code for d in lint_expression(text, context="SYSTEM_PERIODIC_HOLD")] == ["CA204"]


# --- spans in macro expansions -------------------------------------------------------------


def test_finding_inside_a_macro_points_at_its_definition_with_a_note(tmp_path: Path) -> None:
    text = "GPU_CHECK = RequestGPUs != undefined\nSTART = Memory > 1 && $(GPU_CHECK)\n"
    [d] = _lint(tmp_path, text)
    assert (d.code, d.line, d.col, d.end_col) == ("CA201", 1, 13, 37)
    [note] = d.related
    assert note.note == "expanded from `$(GPU_CHECK)`" and note.location.start.line == 2
    [edit] = d.fixes[0].edits
    assert text[edit.start : edit.end] == "!=" and edit.text == "=!="


def test_no_fix_when_the_edited_text_spans_a_macro_boundary(tmp_path: Path) -> None:
    text = "SIDE = 2 &\nSTART = $(SIDE) 3 == 3\n"
    [d] = [d for d in _lint(tmp_path, text) if d.code == "CA208"]
    assert d.fixes == ()  # `2 &` and `3 == 3` are in different places: never edit blindly


# --- selection and settings ------------------------------------------------------------


def test_selection_by_code_prefix_name_and_ignore() -> None:
    def codes(**kw: object) -> set[str]:
        return {r.code for r in selected_rules(Settings().override(**kw))}  # type: ignore[arg-type]

    # an explicit prefix selects every rule under it, opt-in ones (CA210) included
    assert codes(select=["CA2"]) == {c for c in codes(select=["ALL"]) if c.startswith("CA2")}
    assert "CA210" in codes(select=["CA2"]) and "CA210" not in codes()
    assert codes(select=["compare-with-undefined"]) == {"CA201"}
    assert "CA201" not in codes(ignore=["CA20"])
    assert codes(select=["CA201"], extend_select=["CA104"]) == {"CA201", "CA104"}
    assert "CA201" not in codes(select=["ALL"], ignore=["compare-with-undefined"])


def test_settings_from_pyproject_and_dotfile(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.classadlint]\nselect = ["CA2"]\nfail-on = "warning"\n'
        '[tool.classadlint.severity]\nCA201 = "error"\n'
        '[tool.classadlint.per-file-ignores]\n"legacy/*" = ["CA201"]\n'
    )
    sub = tmp_path / "conf"
    sub.mkdir()
    s = discover(sub)
    assert s.source == tmp_path / "pyproject.toml" and s.select == ("CA2",)
    diags = _lint(sub, "START = x == undefined\nRANK = a !== b\n", s)
    assert [(d.code, d.severity) for d in diags] == [("CA201", "error")]  # CA104 not selected
    (tmp_path / "legacy").mkdir()
    assert _lint(tmp_path / "legacy", "START = x == undefined\n", s) == []
    (sub / ".classadlint.toml").write_text('ignore = ["CA201"]\n')
    assert discover(sub).ignore == ("CA201",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"selekt": ["CA1"]}, "`selekt`: unknown setting"),
        ({"fail-on": "fatal"}, "`fail-on`: `fatal` is not one of info, warning, error"),
        ({"select": ["CA2!"]}, "not a rule code"),
        ({"severity": {"CA201": "loud"}}, "severity.CA201"),
        ({"attributes": {"job": {"X": "float"}}}, "attributes.job.X"),
    ],
)
def test_bad_settings_say_which_key(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(SettingsError, match=re.escape(message)):
        parse_settings(data, Path("pyproject.toml"))


# --- suppressions ----------------------------------------------------------------------


def test_suppression_forms(tmp_path: Path) -> None:
    text = (
        "# classadlint: disable=CA201 -- legacy\n"
        "START = x == undefined && \\\n"
        "  y == undefined\n"
        "# classadlint: disable-start=compare-with-undefined\n"
        "RANK = a == undefined\n"
        "# classadlint: enable=compare-with-undefined\n"
        "PREEMPT = b == undefined\n"
        "# classadlint: disable-next-line=CA104\n"
        "KILL = c == undefined\n"
    )
    diags = _lint(tmp_path, text)
    assert _codes(diags) == [("CA201", 7, 11), ("CA001", 8, 1), ("CA201", 9, 8)]
    unused = diags[1]
    assert unused.message == "suppression of CA104 silences nothing; remove it"
    fixed, n = apply_edits(text, unused.fixes)
    assert n == 1 and "disable-next-line" not in fixed and fixed.count("\n") == text.count("\n") - 1


def test_file_suppression_unknown_code_and_required_reason(tmp_path: Path) -> None:
    assert _lint(tmp_path, "# classadlint: disable-file=CA2\nSTART = x == undefined\n") == []
    [d] = _lint(tmp_path, "# classadlint: disable=CA999\nSTART = 1\n", name="b.config")
    assert d.code == "CA001" and "names no rule" in d.message
    s = Settings(require_reason=True)
    [d] = _lint(tmp_path, "# classadlint: disable=CA201\nSTART = x == undefined\n", s, "c.config")
    assert d.code == "CA001" and "without a reason" in d.message
    # a suppression of a rule that did not run is not "unused"
    s = Settings(select=("CA1",))
    assert _lint(tmp_path, "# classadlint: disable=CA201\nSTART = 1\n", s, "d.config") == []


# --- site rules ------------------------------------------------------------------------


def _doc_rules(tmp_path: Path) -> Path:
    doc = (REPO / "docs" / "site-rules.md").read_text()
    blocks = [b for b in re.findall(r"```toml\n(.*?)```", doc, re.S) if b.startswith("[[rule]]")]
    assert len(blocks) >= 3
    d = tmp_path / "rules"
    d.mkdir()
    for k, b in enumerate(blocks):
        (d / f"r{k}.toml").write_text(b)
    return d


def test_documented_site_rules_load_and_their_examples_hold(tmp_path: Path) -> None:
    rules = load_site_rules([_doc_rules(tmp_path)])
    codes = [r.code for r in rules]
    assert codes == ["SITE001", "SITE002", "SITE003", "SITE004", "SITE005", "SITE006"]
    for r in rules:
        assert r.origin == "site"
        if r.rule.patterns:
            assert r.check is None  # data only, never code
        else:  # an assertion: classadlint's own checker, parameterised by the rule's data
            assert r.check is not None and r.check.__module__ == "classadlint.lint.assertions"
        for e in r.examples:
            assert verify(e, r) == [], (r.code, e)


def test_site_rules_run_through_settings_and_fix(tmp_path: Path) -> None:
    d = _doc_rules(tmp_path)
    (tmp_path / ".classadlint.toml").write_text(f'rule-dirs = ["{d.name}"]\n')
    s = discover(tmp_path)
    assert {"SITE001", "CA201"} <= {r.code for r in all_rules(s.rule_dirs)}
    diags = _lint(tmp_path, 'START = TARGET.Owner == "alice"\nRANK = Owner == "bob"\n', s)
    patterns = [c for c in _codes(diags) if c[0] in ("SITE001", "SITE002", "SITE003")]
    assert patterns == [("SITE001", 1, 9)]  # `knobs` limits SITE001 to START
    assert ("SITE004", 1, 9) in _codes(diags)  # START = TARGET.Owner == ... ignores StartJobs
    apply_fixes(select_fixes(diags, unsafe=True))
    assert (tmp_path / "a.config").read_text().startswith('START = TARGET.Owner =?= "alice"\n')


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[[rule]]\ncode = "CA999"\nname = "x"\nmessage = "m"\npattern = "a"\n',
            "belong to classadlint",
        ),
        (
            '[[rule]]\ncode = "SX001"\nname = "x"\nmessage = "m"\npattern = "$X =="\n',
            "not a ClassAd pattern",
        ),
        (
            '[[rule]]\ncode = "SX001"\nname = "x"\nmessage = "m"\npattern = "a"\nrun = "rm -rf"\n',
            "unknown key `run`",
        ),
        (
            '[[rule]]\ncode = "SX001"\nname = "x"\nmessage = "m"\npattern = "a == 1"\n',
            "needs at least one bad and one good",
        ),
    ],
)
def test_bad_site_rules_are_refused_with_the_file(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "bad.toml").write_text(toml)
    with pytest.raises(RuleLoadError, match=re.escape(message)) as exc:
        load_site_rules([tmp_path])
    assert "bad.toml" in str(exc.value)


# --- fixes -----------------------------------------------------------------------------


def test_overlapping_fixes_are_resolved_deterministically() -> None:
    a = Fix("a", (Edit("f", 0, 4, "AAAA"),))
    b = Fix("b", (Edit("f", 2, 6, "BBBB"),))
    c = Fix("c", (Edit("f", 6, 6, "+"), Edit("f", 8, 9, "C")))
    d = Fix("d", (Edit("f", 6, 7, "D"),))  # touches c's insertion point: next round
    for order in ([a, b, c, d], [d, c, b, a]):
        assert [f.title for f in choose(order)] == ["a", "c"]
    assert apply_edits("0123456789", [a, b, c, d]) == ("AAAA45+67C9", 2)


def test_fix_writes_atomically_keeps_mode_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "p.config"
    text = "# policy\r\nSTART = a !== b\r\nRANK = x\r\n"
    path.write_bytes(text.encode())
    os.chmod(path, 0o600)
    diags = lint_files([path])
    assert apply_fixes(select_fixes(diags)) == {str(path): 1}
    assert path.read_bytes() == text.replace("!==", "=!=").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.config"]  # no temp file left
