"""Differential fuzzing of the evaluator against classad2 (hypothesis).

Random expressions over every operator, literals of every type (and the awkward ones:
UNDEFINED, ERROR, strings, lists, nested ads, reals with fractions), attribute references
resolved in MY and TARGET, and a set of functions; random MY and TARGET ads. Our value
must equal classad2's, type for type. 2,000 examples in the normal suite; the opt-in long
run (``pytest -m long``) takes 100,000.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.classad import ClassAdSyntaxError, parse
from classadlint.classad.evaluate import evaluate
from tests.eval_oracle import normalise_ours, normalise_theirs, theirs
from tests.oracle import classad2_accepts

_LITERALS = st.sampled_from(
    ["0", "1", "-1", "2", "7", "9223372036854775807", "-9223372036854775808", "0.0", "1.5",
     "-2.25", "1e300", "true", "false", "undefined", "error", '""', '"a"', '"A"', '"abc"',
     '"1"', "{}", "{1, 2}", '{"a", "b"}', "[]", "[a = 1]", "[a = 1; b = a]"]
)  # fmt: skip
_REFS = st.sampled_from(["x", "y", "z", "MY.x", "TARGET.y", "TARGET.x", "my.z", "w"])
_BINOPS = st.sampled_from(
    ["||", "&&", "|", "^", "&", "==", "!=", "=?=", "=!=", "<", "<=", ">", ">=", "<<", ">>",
     ">>>", "+", "-", "*", "/", "%", "is", "isnt"]
)  # fmt: skip
_UNOPS = st.sampled_from(["-", "+", "~", "!"])
_FUNCS1 = st.sampled_from(
    ["isUndefined", "isError", "isString", "isInteger", "isReal", "isBoolean", "isList",
     "size", "int", "real", "string", "bool", "floor", "ceiling", "round", "toUpper",
     "toLower", "sum", "avg", "min", "max", "stringListSize", "splitUserName", "split"]
)  # fmt: skip
_FUNCS2 = st.sampled_from(
    ["member", "identicalMember", "strcmp", "stricmp", "pow", "substr", "regexp",
     "stringListMember", "stringListIMember", "versioncmp", "strcat", "join", "quantize"]
)  # fmt: skip


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, _BINOPS, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(_UNOPS, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} ?: {t[1]})"),
        st.tuples(_FUNCS1, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(_FUNCS2, inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"ifThenElse({t[0]}, {t[1]}, {t[2]})"),
        st.lists(inner, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]})[{t[1]}]"),
        st.tuples(inner).map(lambda t: f"[q = {t[0]}].q"),
    )


_EXPR = st.deferred(lambda: st.one_of(_LITERALS, _REFS, _LITERALS, _extend(_EXPR)))
_AD = st.dictionaries(st.sampled_from(["x", "y", "z"]), st.one_of(_LITERALS, _REFS), max_size=3)


def check(text: str, my: dict[str, str], target: dict[str, str]) -> None:
    if not classad2_accepts(text):
        with pytest.raises(ClassAdSyntaxError):
            parse(text)
        return
    expected = normalise_theirs(theirs(text, my, target))
    got = normalise_ours(
        evaluate(
            text, {k: parse(v) for k, v in my.items()}, {k: parse(v) for k, v in target.items()}
        )
    )
    assert got == expected, (text, my, target)


_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=2000, **_SETTINGS)  # type: ignore[arg-type]
@given(_EXPR, _AD, _AD)
def test_values_agree_with_classad2(text: str, my: dict[str, str], target: dict[str, str]) -> None:
    check(text, my, target)


@pytest.mark.long
@settings(max_examples=100_000, **_SETTINGS)  # type: ignore[arg-type]
@given(_EXPR, _AD, _AD)
def test_long_run_values_agree_with_classad2(
    text: str, my: dict[str, str], target: dict[str, str]
) -> None:
    check(text, my, target)
