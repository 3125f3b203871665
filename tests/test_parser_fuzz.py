"""Differential fuzzing of the parser against classad2 (hypothesis).

For random expression text over the whole grammar, and for random damage to it, our parser
must accept exactly what classad2 accepts; when both accept, classad2's canonical print of
our unparsed tree must equal its print of the original text, and our tree must survive
``parse(unparse(tree)) == tree``. The normal suite runs 2,000 + 1,000 examples; the opt-in
long run (``pytest -m long``) runs 100,000.
"""

from __future__ import annotations

import classad2
import pytest
from hypothesis import HealthCheck, given, settings

from classadlint.classad import ClassAdSyntaxError, parse
from classadlint.classad.unparse import unparse
from tests.classad_strategies import damaged, expressions
from tests.oracle import classad2_accepts, classad2_unparse

_FAST = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_LONG = settings(max_examples=100_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_against_classad2(text: str) -> None:
    wrapped = "(" + text + "\n)"
    expected = classad2_accepts(text)
    try:
        tree = parse(wrapped)
    except ClassAdSyntaxError as exc:
        assert not expected, f"we reject what HTCondor accepts: {text!r}: {exc}"
        assert 0 <= exc.span.start <= len(wrapped)
        return
    assert expected, f"we accept what HTCondor rejects: {text!r}"
    again = unparse(tree)
    assert str(classad2.ExprTree(again)) == classad2_unparse(text), (text, again)
    assert parse(again) == tree


@_FAST
@given(expressions())
def test_generated_expressions_agree_with_classad2(text: str) -> None:
    check_against_classad2(text)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_expressions_agree_with_classad2(text: str) -> None:
    check_against_classad2(text)


@pytest.mark.long
@_LONG
@given(expressions())
def test_long_run_generated(text: str) -> None:
    check_against_classad2(text)


@pytest.mark.long
@_LONG
@given(damaged())
def test_long_run_damaged(text: str) -> None:
    check_against_classad2(text)
