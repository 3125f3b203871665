"""The symbolic engine on the issue's examples, checked against classad2 independently.

Every witness the engine returns is re-evaluated here with classad2 (not only inside the
engine), every "proved unreachable" branch is sampled with generated ad pairs, and a
deliberately broken encoding must be caught by the witness check.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from bench.desy import ACCOUNTING_GROUP, START
from classadlint.analysis import encode
from classadlint.analysis.encode import Scope
from classadlint.analysis.properties import ad_pairs
from classadlint.analysis.symbolic import Analyzer, WitnessMismatch
from classadlint.analysis.witness import Witness, normal_classad2
from classadlint.classad import parse
from classadlint.classad.functions import unparse_value
from tests.oracle import classad2

SLOT = Analyzer("slot", strict=True)
JOB = Analyzer("job", strict=True)


def classad2_value(
    text: str, my: dict[str, Any], target: dict[str, Any] | None, clock: int | None = None
) -> Any:
    """classad2's value of ``text`` with ``time()`` fixed to ``clock``."""
    if clock is not None:
        text = text.replace("time()", str(clock))

    def ad(attrs: dict[str, Any]) -> Any:
        out = classad2.ClassAd()
        for k, v in attrs.items():
            out[k] = classad2.ExprTree(unparse_value(v))
        return out

    tree = classad2.ExprTree(text)
    value = tree.eval(ad(my), ad(target)) if target is not None else tree.eval(ad(my))
    return normal_classad2(value)


def witness_value(text: str, w: Witness, scope: Scope) -> Any:
    my = dict(w.ads.get(scope.my or "", {}))
    target = dict(w.ads.get(scope.target, {})) if scope.target else None
    return classad2_value(text, my, target, w.time)


def test_desy_start_can_be_undefined_when_startjobs_is_absent() -> None:
    answer = SLOT.can_be(START, "undefined", given="MY.StartJobs =?= undefined")
    assert answer.status == "proved", answer
    assert answer.witness is not None
    assert "StartJobs" not in answer.witness.ads["machine"]
    assert witness_value(START, answer.witness, SLOT.scope) == ("U", None)


def test_desy_start_can_be_true_and_false() -> None:
    for kind, want in (("true", ("B", True)), ("false", ("B", False))):
        answer = SLOT.can_be(START, kind)
        assert answer.status == "proved", answer
        assert answer.witness is not None
        assert witness_value(START, answer.witness, SLOT.scope) == want


def test_desy_start_is_never_error_for_scalar_ads() -> None:
    # every operator in it turns a type mismatch into ERROR only through == with a
    # string, and StartJobs == True with StartJobs a string is ERROR: the engine must say so
    answer = SLOT.can_be(START, "error")
    assert answer.status == "proved", answer
    assert answer.witness is not None
    assert witness_value(START, answer.witness, SLOT.scope) == ("E", None)


def test_accounting_group_is_never_undefined() -> None:
    answer = JOB.can_be(ACCOUNTING_GROUP, "undefined")
    assert answer.status == "refuted", answer  # no job makes it UNDEFINED: a proof


CHAIN = (
    'RequestRuntime <= 7200 ? "a" : RequestRuntime <= 10800 ? "b" : '
    'RequestRuntime <= 3600 ? "c" : "d"'
)


def test_unreachable_branch_in_else_if_chain() -> None:
    answers = JOB.unreachable_branches(CHAIN)
    verdicts = [(b.branch, b.answer.status) for b in answers]
    assert verdicts == [
        ("then", "refuted"), ("else", "refuted"),
        ("then", "refuted"), ("else", "refuted"),
        ("then", "proved"), ("else", "refuted"),
    ]  # fmt: skip
    reason = answers[4].answer.reason
    assert "`RequestRuntime <= 3600` implies `RequestRuntime <= 10800`" in reason
    assert "one branch earlier" in reason
    # every reachable branch comes with a job that reaches it, per classad2
    reached = set()
    for b in answers:
        if b.answer.witness is not None:
            reached.add(witness_value(CHAIN, b.answer.witness, JOB.scope))
    assert {("S", "a"), ("S", "b"), ("S", "d")} <= reached


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ad_pairs(parse(CHAIN), Scope("job", None)))
def test_proved_unreachable_branch_is_never_taken(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    job, _ = pair
    assert classad2_value(CHAIN, job, None) != ("S", "c")


def test_compare_with_undefined_is_never_true() -> None:
    answer = SLOT.never_true("x == undefined")
    assert answer.status == "proved"
    assert SLOT.always_true("x =?= undefined || x =!= undefined").status == "proved"
    refuted = SLOT.always_true("x =?= undefined")
    assert refuted.status == "refuted" and refuted.witness is not None
    assert witness_value("x =?= undefined", refuted.witness, SLOT.scope) == ("B", False)


def test_case_insensitive_equality_and_case_sensitive_identity() -> None:
    answer = SLOT.can_be('Owner == "alice" && Owner =!= "alice"', "true")
    assert answer.status == "proved", answer
    assert answer.witness is not None
    owner = next(v for ad in answer.witness.ads.values() for k, v in ad.items() if k == "Owner")
    assert isinstance(owner, str) and owner.lower() == "alice" and owner != "alice"
    assert SLOT.never_true('Owner =?= "alice" && Owner != "ALICE"').status == "proved"


def test_string_list_member_and_regexp() -> None:
    expr = 'stringListMember(Group, "cms, atlas") && regexp("^at", Group)'
    answer = SLOT.can_be(expr, "true")
    assert answer.status == "proved" and answer.witness is not None
    assert witness_value(expr, answer.witness, SLOT.scope) == ("B", True)
    assert (
        SLOT.never_true('stringListMember(Group, "cms, atlas") && regexp("^x", Group)').status
        == "proved"
    )


def test_time_is_a_free_integer_reproduced_by_classad2() -> None:
    expr = "time() + MaxJobRetirementTime < ShutdownTime"
    answer = SLOT.can_be(expr, "true")
    assert answer.status == "proved" and answer.witness is not None
    assert answer.witness.time is not None
    assert witness_value(expr, answer.witness, SLOT.scope) == ("B", True)


def test_timeout_is_unknown_never_a_verdict() -> None:
    tight = Analyzer("slot", budget_ms=1, strict=True)
    answer = tight.can_be(START, "undefined")
    assert answer.status in ("unknown", "proved")
    if answer.status == "unknown":
        assert answer.witness is None


def test_broken_encoding_is_caught_by_the_witness_check(monkeypatch: pytest.MonkeyPatch) -> None:
    # a wrong && table (UNDEFINED && false is false, not UNDEFINED) must not produce a
    # believable witness: the evaluators disagree and strict mode raises
    def wrong_and(a: Any, b: Any) -> Any:
        from classadlint.analysis import values as V

        return V.choose([(V.any_of([a.is_("U"), b.is_("U")]), V.UNDEF)], encode.logical_or(a, b))

    monkeypatch.setattr(encode, "logical_and", wrong_and)
    with pytest.raises(WitnessMismatch):
        Analyzer("slot", strict=True).can_be("x && false", "undefined")
    lenient = Analyzer("slot").can_be("x && false", "undefined")
    assert lenient.status == "unknown" and lenient.mismatch is not None


def test_unsupported_function_is_not_a_proof_of_a_value() -> None:
    # userMap is not modelled: the engine may find no witness it can trust, but it must
    # never claim the result is always a string
    answer = JOB.always_true('isString(userMap("m", Owner))')
    assert answer.status in ("refuted", "unknown")
    assert "userMap() is not modelled" in answer.approximations


def test_catalog_facts_constrain_ads() -> None:
    from classadlint.analysis.facts import Facts

    facts = Facts(use_catalog=False).declare("machine", "Cpus", "int", always=True)
    answer = Analyzer("machine", facts=facts, strict=True).can_be(
        "Cpus < 0 || isUndefined(Cpus)", "true"
    )
    assert answer.status == "refuted"  # a declared resource is present and non-negative
