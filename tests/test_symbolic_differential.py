"""Differential tests of the z3 encoding against classad2 (hypothesis).

The encoding must be a *function* of the ads: with every attribute of both ads fixed to
concrete values, the solver must find exactly one value for the expression, and it must be
classad2's value, type for type (UNDEFINED and ERROR included). Expressions are drawn from
the subset the encoding claims to model (every operator, conditionals, elvis, the policy
functions); where the encoding says it approximates (a product of two attributes, a real
printed as a string), it may leave the value open but must never contradict HTCondor.
A modest number of examples runs in the normal suite; ``pytest -m long`` runs many more.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.analysis.encode import Scope
from classadlint.analysis.symbolic import concrete_value
from classadlint.analysis.witness import Normal, normal_classad2
from classadlint.classad.functions import unparse_value
from tests.oracle import classad2

_LITERALS = st.sampled_from(
    ["0", "1", "-1", "2", "3", "7", "9223372036854775807", "-9223372036854775808", "0.0",
     "1.5", "-2.25", "true", "false", "undefined", "error", '""', '"a"', '"A"', '"abc"',
     '"ABC"', '"a, b"', '"b,A"', '" a"']
)  # fmt: skip
_REFS = st.sampled_from(["x", "y", "z", "MY.x", "TARGET.y", "TARGET.x", "MY.z", "w"])
_BINOPS = st.sampled_from(
    ["||", "&&", "|", "^", "&", "==", "!=", "=?=", "=!=", "<", "<=", ">", ">=", "<<", ">>",
     ">>>", "+", "-", "*", "/", "%", "is", "isnt"]
)  # fmt: skip
_UNOPS = st.sampled_from(["-", "+", "~", "!"])
_FUNCS1 = st.sampled_from(
    ["isUndefined", "isError", "isString", "isInteger", "isReal", "isBoolean", "isList",
     "size", "int", "real", "bool", "floor", "ceiling", "string", "debug"]
)  # fmt: skip
_FUNCS2 = st.sampled_from(["stringListMember", "stringListIMember", "strcat", "strcat", "nosuch"])
_PATTERNS = st.sampled_from(
    ['"a"', '"^a"', '"b$"', '"^[ab]+$"', '"A.c"', '"x|^b"', '"\\\\d"', '"(ab)*c?$"', '"["']
)
_VALUES = st.sampled_from(
    [0, 1, -1, 2, 7, -(2**63), 2**63 - 1, 0.0, 1.5, -2.25, True, False, "", "a", "A", "abc",
     "a, b", "b,A", "ABC", "1"]
)  # fmt: skip
_ADS = st.dictionaries(st.sampled_from(["x", "y", "z"]), _VALUES, max_size=3)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, _BINOPS, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(_UNOPS, inner).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} ?: {t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"ifThenElse({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(_FUNCS1, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(_FUNCS2, inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, st.lists(inner, max_size=3)).map(
            lambda t: f"member({t[0]}, {{{', '.join(t[1])}}})"
        ),
        st.tuples(inner, st.lists(inner, max_size=3)).map(
            lambda t: f"identicalMember({t[0]}, {{{', '.join(t[1])}}})"
        ),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, max_size=3)).map(
            lambda t: f"{t[0]}({{{', '.join(t[1])}}})"
        ),
        st.tuples(_PATTERNS, inner).map(lambda t: f"regexp({t[0]}, {t[1]})"),
        st.tuples(_PATTERNS, inner).map(lambda t: f'regexp({t[0]}, {t[1]}, "i")'),
    )


EXPRESSIONS = st.recursive(st.one_of(_LITERALS, _REFS), _extend, max_leaves=8)

SLOT = Scope("machine", "job")


def _classad2_value(text: str, my: dict[str, Any], target: dict[str, Any]) -> Normal:
    def ad(attrs: dict[str, Any]) -> Any:
        out = classad2.ClassAd()
        for k, v in attrs.items():
            out[k] = classad2.ExprTree(unparse_value(v))
        return out

    value = classad2.ExprTree(text).eval(ad(my), ad(target))
    if isinstance(value, list | classad2.ClassAd):
        return ("O", None)
    return normal_classad2(value)


def _same(ours: Normal, theirs: Normal, approximated: bool) -> bool:
    if ours == theirs:
        return True
    if ours[0] == theirs[0] == "R" and isinstance(ours[1], float) and isinstance(theirs[1], float):
        return approximated and math.isclose(ours[1], theirs[1], rel_tol=1e-9)
    return False


def check(text: str, machine: dict[str, Any], job: dict[str, Any]) -> None:
    ours, approximations = concrete_value(text, SLOT, {"machine": machine, "job": job})
    theirs = _classad2_value(text, machine, job)
    if ours is None:
        assert approximations, f"{text}: exact encoding left the value open (classad2: {theirs})"
        return
    assert _same(ours, theirs, bool(approximations)), (
        f"{text} with MY={machine} TARGET={job}: encoding {ours}, classad2 {theirs}"
        f" (approximations: {approximations})"
    )


@pytest.mark.parametrize(
    "text",
    [
        "x == undefined", "x =?= undefined", "x && y", "x || y", "!x", "-x", "x ? 1 : 2",
        "x ?: 9", "x + y", "x / y", "x % y", "x * 2", "x < y", "x == y", "x =?= y",
        "x << 1", "x >>> 1", "~x", "stringListMember(x, y)", "stringListIMember(x, y)",
        'stringListMember("a", y)', 'stringListIMember(x, "A, b")', 'regexp("^a", x)',
        "strcat(x, y)", "size(x)", "member(x, {1, \"a\", y})", "min({x, y, 3})",
        "max({x, y})", "int(x)", "bool(x)", "floor(x)", "ceiling(x)", "real(x)",
        "string(x)", "isInteger(x)", "TARGET.x", "MY.y", "z",
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "machine, job",
    [
        ({}, {}),
        ({"x": 1, "y": "A"}, {"x": "a", "y": 0}),
        ({"x": "a", "y": "b, A"}, {"z": 2.5}),
        ({"x": 2**63 - 1, "y": 2}, {"y": True}),
        ({"x": -7, "y": -2}, {}),
        ({"x": 2.5, "y": 0}, {"x": False}),
        ({"x": True, "y": 1.5}, {"y": "x"}),
    ],
)
def test_table(text: str, machine: dict[str, Any], job: dict[str, Any]) -> None:
    check(text, machine, job)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, _ADS, _ADS)
def test_fuzz(text: str, machine: dict[str, Any], job: dict[str, Any]) -> None:
    check(text, machine, job)


@pytest.mark.long
@settings(max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, _ADS, _ADS)
def test_fuzz_long(text: str, machine: dict[str, Any], job: dict[str, Any]) -> None:
    check(text, machine, job)
