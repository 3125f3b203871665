"""HTCondor's evaluation depth bound, against classad2 around the threshold.

HTCondor gives an evaluation 400 levels (``EvalState::MAX_CLASSAD_RECURSION``): each
operator or parenthesis spends one for its operands, each attribute reference that finds
its attribute one for the attribute's expression, a selection one for its base, strcat/join
one per argument, eval one for its text, a list one for its elements; past the bound the
whole evaluation fails (classad2 raises), except that a selection gives ERROR and a list
element or ``ad["name"]`` turns the failure into ERROR. Every case here is checked against
classad2 itself at the last depth that works, the first that does not, and around them.

Every shape is linear: a chain of attributes each naming the next once, or one nested
expression, so that each case costs a few hundred steps in either evaluator. (A shape where
an attribute names the next twice, ``a = b + b``, doubles the work per link: HTCondor cuts
that off with a budget of ten million steps that we do not model.)
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import MAX_DEPTH, EvaluationFailed, evaluate
from classadlint.classad.parser import parse_expr
from classadlint.classad.values import ERROR, UNDEFINED
from tests.oracle import classad2

FAIL = "evaluation fails"


def _classad2_ad(attrs: dict[str, str]) -> Any:
    ad = classad2.ClassAd()
    for name, text in attrs.items():
        ad[name] = classad2.ExprTree(text)
    return ad


def theirs(text: str, my: dict[str, str], target: dict[str, str] | None = None) -> Any:
    """classad2's value, or FAIL when its evaluation fails (it raises)."""
    tree = classad2.ExprTree(text)
    try:
        if target is not None:
            value = tree.eval(_classad2_ad(my), _classad2_ad(target))
        else:
            value = tree.eval(_classad2_ad(my))
    except classad2.ClassAdException:
        return FAIL
    if isinstance(value, classad2.Value):
        return "UNDEFINED" if value == classad2.Value.Undefined else "ERROR"
    if isinstance(value, classad2.ClassAd):
        return "an ad"
    return value


def ours(text: str, my: dict[str, str], target: dict[str, str] | None = None) -> Any:
    my_ad = ClassAd({k: parse_expr(v) for k, v in my.items()})
    target_ad = ClassAd({k: parse_expr(v) for k, v in target.items()}) if target else None
    try:
        value = evaluate(text, my_ad, target_ad, on_failure="raise")
    except EvaluationFailed:
        return FAIL
    if value is UNDEFINED:
        return "UNDEFINED"
    if value is ERROR:
        return "ERROR"
    if isinstance(value, ClassAd):
        return "an ad"
    return value


def chain(link: str, n: int, last: str = "1", **extra: str) -> dict[str, str]:
    """``a0 = link(a1); a1 = link(a2); ... a{n} = last``: ``{next}`` in ``link`` is the name
    of the next attribute, ``{quoted}`` the name as a string literal."""
    attrs = {f"a{i}": link.format(next=f"a{i + 1}", quoted=f'"a{i + 1}"') for i in range(n)}
    attrs[f"a{n}"] = last
    attrs.update(extra)
    return attrs


def agree(text: str, my: dict[str, str], target: dict[str, str] | None = None) -> Any:
    expected = theirs(text, my, target)
    assert ours(text, my, target) == expected
    return expected


# (link, last, n where classad2's result changes, results before/at/after it)
CHAINS = [
    # one level a link: the reference itself (ifThenElse and size are calls: no level)
    ("{next}", "1", 400, (1, FAIL)),
    ("ifThenElse(true, {next}, 0)", "1", 400, (1, FAIL)),
    # two: an operator or parentheses above the reference, strcat/join/eval
    ("{next} + 0", "1", 200, (1, FAIL)),
    ("({next})", "1", 200, (1, FAIL)),
    ("+{next}", "1", 200, (1, FAIL)),
    ("true ? {next} : 0", "1", 200, (1, FAIL)),
    ("{next} ?: 0", "1", 200, (1, FAIL)),
    ("strcat({next})", '"x"', 200, ("x", FAIL)),
    ('join(",", {{{next}}})', '"x"', 200, ("x", FAIL)),
    ("eval({quoted})", "1", 200, (1, FAIL)),
    # three, in a list element read on the spot: the failure is ERROR there
    ("{{{next}}}[0]", "1", 134, (1, "ERROR")),
]


@pytest.mark.parametrize(("link", "last", "at", "results"), CHAINS)
def test_attribute_chain_threshold(link: str, last: str, at: int, results: tuple[Any, Any]) -> None:
    before, after = results
    for n in (at - 2, at - 1):
        assert agree("a0", chain(link, n, last)) == before
    for n in (at, at + 1):
        assert agree("a0", chain(link, n, last)) == after


def test_a_selection_past_the_bound_is_error_not_failure() -> None:
    # a{n} = r.x: the selection needs a level for r, the reference r another.
    results = [agree("a0", chain("{next}", n, "r.x", r="[x = 5]")) for n in range(396, 401)]
    assert results == [5, 5, FAIL, "ERROR", FAIL]


def test_special_names_spend_levels_when_they_resolve() -> None:
    # MY is the ad (a level), CurrentTime is time() (a level), an absent name or a parent
    # that is not there is UNDEFINED without a check.
    assert [agree("a0", chain("{next}", n, "MY")) for n in (398, 399)] == ["an ad", FAIL]
    assert [agree("a0", chain("{next}", n, "CurrentTime > 0")) for n in (397, 398)] == [True, FAIL]
    assert [agree("a0", chain("{next}", n, "nosuch")) for n in (399, 400)] == ["UNDEFINED", FAIL]
    assert [agree("a0", chain("{next}", n, "parent")) for n in (399, 400)] == ["UNDEFINED", FAIL]
    assert [agree("a0", chain("MY.{next}", n)) for n in (398, 399)] == [1, FAIL]


def test_target_spends_two_levels_in_a_match() -> None:
    # TARGET is an attribute of the match's context ad whose value is the reference .RIGHT.
    target = {"t": "1"}
    assert [agree("a0", chain("{next}", n, "TARGET"), target) for n in (397, 398)] == [
        "an ad",
        FAIL,
    ]
    results = [agree("a0", chain("{next}", n, "TARGET.t"), target) for n in range(396, 401)]
    assert results == [1, FAIL, FAIL, "ERROR", FAIL]
    # An unqualified name found in the target (old semantics) is one reference.
    assert [agree("a0", chain("{next}", n, "t"), target) for n in (398, 399)] == [1, FAIL]


def test_subscript_of_an_ad_evaluates_afresh() -> None:
    # ad["x"] is ClassAd::EvaluateAttr: a new evaluation with all levels, failure ERROR;
    # ad.x goes on counting and fails.
    fresh = [agree('r["x"]', chain("{next}", n, r="[x = a0]")) for n in (399, 400)]
    assert fresh == [1, "ERROR"]
    assert [agree("r.x", chain("{next}", n, r="[x = a0]")) for n in (398, 399)] == [1, FAIL]


def test_short_circuit_never_reaches_the_bound() -> None:
    deep = "+".join(["1"] * 600)
    assert agree(f"false && ({deep})", {}) is False
    assert agree(f"true || ({deep})", {}) is True
    assert agree(f"true ? 1 : ({deep})", {}) == 1
    assert agree(f"undefined ?: 2 ?: ({deep})", {}) == 2
    # strcat stops at the first UNDEFINED: the deep argument after it is never evaluated.
    assert agree(f"strcat(undefined, {deep})", {}) == "UNDEFINED"
    assert agree("a0", chain("false && {next}", 450, "true")) is False


def test_a_cycle_is_undefined_unless_the_bound_comes_first() -> None:
    assert agree("a", {"a": "a + 0"}) == "UNDEFINED"
    assert [agree("a0", chain("{next}", n, "a0")) for n in (398, 399)] == ["UNDEFINED", FAIL]


@pytest.mark.parametrize("n", [398, 399, 400, 401, 402])
def test_nested_operators_threshold(n: int) -> None:
    # Within what the parser accepts: 400 nested operators evaluate, 401 fail.
    agree("+".join(["1"] * n), {})
    agree("- " * n + "1", {})
    agree("!" * n + "true", {})
    agree("true ? " * n + "1" + " : 0" * n, {})
    agree("(" * 30 + "- " * (n - 30) + "1" + ")" * 30, {})
    agree("{" + "- " * (n - 2) + "1}[0]", {})
    agree("x", {"x": "- " * (n - 1) + "1"})


def test_far_past_the_bound_is_quick_and_never_a_recursion_error() -> None:
    # The parser takes operator chains of any length; evaluation stops at the bound.
    long_chain = "+".join(["1"] * 20_000)
    assert ours(long_chain, {}) == FAIL
    assert evaluate(long_chain) is ERROR
    assert ours("a0", chain("{next}", 5_000)) == FAIL
    assert ours("a0", chain("{next} + 1", 5_000)) == FAIL
    assert theirs("a0", chain("{next}", 5_000)) == FAIL


# --- random chains around the bound ---------------------------------------------------------

#: Links and the levels each spends (checked against classad2 by the test itself).
_LINKS = [
    "{next}",
    "{next} + 0",
    "({next})",
    "-{next}",
    "!!{next}",
    "true ? {next} : 0",
    "{next} ?: 0",
    "ifThenElse(true, {next}, 0)",
    "strcat({next})",
    "eval({quoted})",
    "{{{next}}}[0]",
    "MY.{next}",
    "[v = {next}].v",
    "false || {next}",
    "size({next}) >= 0 && {next} =!= undefined",
]
_LASTS = ["1", '"x"', "r.x", "MY", "nosuch", "a0", "CurrentTime > 0", "{1, 2}[1]", "true"]


#: In a match, links and ends that read the target ad too.
_MATCH_LINKS = [
    *_LINKS,
    "TARGET.t * 0 + {next}",
    "t * 0 + {next}",
    "{next} + (TARGET =?= undefined)",
    "join({{{next}}})",
]
_MATCH_LASTS = [*_LASTS, "TARGET", "TARGET.t", "t", 'strcat("a", undefined, a0)']


@st.composite
def _chains(
    draw: st.DrawFn, links: list[str] = _LINKS, lasts: list[str] = _LASTS
) -> tuple[dict[str, str], int]:
    n = draw(st.integers(min_value=60, max_value=420))
    attrs = {}
    for i in range(n):
        link = draw(st.sampled_from(links))
        attrs[f"a{i}"] = link.format(next=f"a{i + 1}", quoted=f'"a{i + 1}"')
    attrs[f"a{n}"] = draw(st.sampled_from(lasts))
    attrs["r"] = "[x = 5]"
    return attrs, n


def _as_text(v: Any) -> Any:
    # A list comes back as expressions from classad2 and as values from us: compare
    # only what is not a list.
    return "a list" if isinstance(v, list) else v


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(_chains())
def test_random_chains_agree_with_classad2(case: tuple[dict[str, str], int]) -> None:
    attrs, _n = case
    assert _as_text(ours("a0", attrs)) == _as_text(theirs("a0", attrs))


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(_chains(_MATCH_LINKS, _MATCH_LASTS))
def test_random_chains_in_a_match_agree_with_classad2(case: tuple[dict[str, str], int]) -> None:
    attrs, _n = case
    target = {"t": "2"}
    assert _as_text(ours("a0", attrs, target)) == _as_text(theirs("a0", attrs, target))


def test_the_bound_is_htcondors() -> None:
    assert MAX_DEPTH == 400
