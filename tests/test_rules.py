"""The rule catalogue: every rule's documented examples behave as documented (bad ones fire
exactly the listed diagnostics at the listed places, good ones are clean, fixes give the
documented text), and the HTCondor facts each rule claims are asked of classad2."""

from __future__ import annotations

from typing import Any

import pytest

from classadlint.lint.examples import Example, verify
from classadlint.lint.registry import REQUIRED_HEADINGS, builtin_rules
from classadlint.lint.rule import LoadedRule
from tests.oracle import classad2

RULES = builtin_rules()
EXAMPLES = [(r, e) for r in RULES for e in r.examples]


def _id(item: tuple[LoadedRule, Example]) -> str:
    r, e = item
    k = [x for x in r.examples if x.kind == e.kind].index(e)
    return f"{r.code}-{e.kind}{k}"


def test_discovery_finds_every_rule_file_in_code_order() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    for required in ("CA001", "CA104", "CA201", "CA203", "CA204", "CA205", "CA206", "CA207",
                     "CA208", "CA209", "CA210"):  # fmt: skip
        assert required in codes
    for r in RULES:
        assert r.path.endswith(f"{r.code.lower()}_{r.rule.name.replace('-', '_')}.py")
        for heading in REQUIRED_HEADINGS:
            assert f"## {heading}" in r.doc, (r.code, heading)


@pytest.mark.parametrize("item", EXAMPLES, ids=[_id(x) for x in EXAMPLES])
def test_documented_example(item: tuple[LoadedRule, Example]) -> None:
    rule, example = item
    assert verify(example, rule) == []


def test_every_bad_example_marks_its_rule() -> None:
    for r in RULES:
        if r.code == "CA001":
            continue
        bad = [e for e in r.examples if e.kind == "bad"]
        assert bad and all(any(f" {r.code} " in line for line in e.expect) for e in bad), r.code


def _eval(expr: str, **attrs: Any) -> Any:
    return classad2.ExprTree(expr).eval(classad2.ClassAd(attrs))


UNDEF = classad2.Value.Undefined
ERR = classad2.Value.Error


def test_ca201_claims() -> None:
    """`!= undefined` is never true or false; the fix gives a truth value."""
    for value in (1, 0, "x", True):
        assert _eval("RequestGPU != undefined", RequestGPU=value) == UNDEF
        assert _eval("RequestGPU =!= undefined", RequestGPU=value) is True
    assert _eval("RequestGPU != undefined") == UNDEF
    assert _eval("RequestGPU =!= undefined") is False
    assert _eval("x == error", x=1) == ERR


def test_ca203_and_ca204_claims() -> None:
    assert _eval("ifThenElse(Memory > 1024, true)", Memory=2048) == ERR
    assert _eval("ifThenElse(Memory > 1024, true, false)", Memory=2048) is True
    assert _eval('stringListMembr("a", "a,b")') == ERR
    assert _eval('stringListMember("a", "a,b")') is True
    assert _eval('SlotEval("slot1", Memory)', Memory=1) == ERR  # not outside the startd


def test_ca205_claims() -> None:
    assert _eval('regexp("^bob", Owner, "I")', Owner="Bob") is False  # `I` is ignored
    assert _eval('regexp("^bob", Owner, "i")', Owner="Bob") is True
    assert _eval('regexp("(unclosed", Owner)', Owner="x") == ERR


def test_ca206_claims() -> None:
    assert _eval('WantDocker == "true"', WantDocker=True) == ERR
    assert _eval("WantDocker == true", WantDocker=True) is True
    assert _eval('"1" == 1') == ERR
    assert _eval("{1, 2} == {1, 2}") == ERR
    assert _eval("{1, 2} =?= {1, 2}") == ERR
    assert _eval('"x" + "y"') == ERR
    assert _eval("2.5 & 1") == ERR


def test_ca207_claims() -> None:
    for x in (True, False, 0, 5):
        assert _eval("x || true", x=x) is True
        assert _eval("x && false", x=x) is False
    assert _eval("x || true") is True  # undefined x
    assert _eval("x && false") is False
    assert _eval("x || true", x="s") == ERR  # the documented exception


def test_ca208_claims() -> None:
    assert _eval("2 & 3 == 3") == ERR
    assert _eval("(2 & 3) == 3") is False
    assert _eval("RequestCpus ?: 1 + 1", RequestCpus=4) == 5
    assert _eval("RequestCpus ?: (1 + 1)", RequestCpus=4) == 4
    assert _eval('(Owner == "coltrane" * 1000000000000) + ImageSize', Owner="x", ImageSize=1) == ERR


def test_ca209_claims() -> None:
    for starts, exact in ((6, True), (9, True), (10, True), (4, False)):
        assert _eval("NumJobStarts / 10 > 0.5", NumJobStarts=starts) is (starts >= 10)
        assert _eval("NumJobStarts / 10.0 > 0.5", NumJobStarts=starts) is exact


def test_ca210_claims() -> None:
    assert _eval('Owner == "Bob"', Owner="bob") is True
    assert _eval('Owner =?= "Bob"', Owner="bob") is False


def test_ca104_bad_examples_fail_in_htcondor_and_fixes_parse() -> None:
    from tests.oracle import classad2_accepts

    rule = next(r for r in RULES if r.code == "CA104")
    for e in rule.examples:
        text = e.text.split("=", 1)[1] if e.language == "condor-config" else e.text
        assert classad2_accepts(text.strip()) is (e.kind == "good"), e.text
        if e.fixed is not None:
            fixed = e.fixed.split("=", 1)[1] if e.language == "condor-config" else e.fixed
            assert classad2_accepts(fixed.strip())


def test_every_documented_fix_of_an_expression_parses_in_htcondor() -> None:
    from tests.oracle import classad2_accepts

    for r in RULES:
        for e in r.examples:
            if e.fixed is not None and e.language == "classad":
                assert classad2_accepts(e.fixed.strip()), (r.code, e.fixed)
