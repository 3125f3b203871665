"""``.name``: HTCondor looks it up in the root ad, and a special name the root does not
define (my, self, root, toplevel; parent; CurrentTime) means what it means anywhere
(classad.cpp LookupInScope). In a match the root is HTCondor's match ad (LEFT, RIGHT,
lCtx...; matchClassad.cpp), which the symbolic encoding does not model: it must say "not
proved", never prove something about it."""

from __future__ import annotations

import pytest

from classadlint.analysis.symbolic import Analyzer
from classadlint.classad import evaluate
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.lint.engine import lint_expression
from classadlint.lint.settings import Settings
from tests.oracle import classad2

ADS = ["[x = 1]", "[my = 5; x = 1]", "[root = 2; self = 3; parent = 4; x = [y = 7]]"]
EXPRS = [
    ".my", ".self", ".root", ".toplevel", ".parent", "isClassAd(.my)", ".my.x", ".self.x",
    "isClassAd(.root)", ".x", ".x.y", ".currenttime > 0", "isUndefined(.parent)",
]  # fmt: skip


def _same(ours: object, theirs: object) -> bool:
    if isinstance(theirs, classad2.Value):
        return ours is (UNDEFINED if theirs == classad2.Value.Undefined else ERROR)
    if isinstance(theirs, classad2.ClassAd):  # the ad itself: the same attributes
        return type(ours).__name__ == "ClassAd" and sorted(map(str.lower, ours)) == sorted(
            k.lower() for k in theirs
        )
    return type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize("ad", ADS)
@pytest.mark.parametrize("expr", EXPRS)
def test_absolute_references_in_one_ad_equal_classad2(ad: str, expr: str) -> None:
    ours = evaluate(expr, my=ad)
    expected = classad2.ExprTree(expr).eval(classad2.ClassAd(ad))
    assert _same(ours, expected), (ours, expected)


def test_an_absolute_reference_in_a_match_is_not_proved_anything() -> None:
    slot = Analyzer("slot", strict=True)
    assert slot.can_be(".my", "undefined").status == "unknown"
    assert slot.can_be("isClassAd(.my)", "true").status == "unknown"
    job = Analyzer("job", strict=True)
    assert job.can_be(".my", "undefined").status == "unknown"


def test_witnesses_that_do_not_reproduce_never_become_a_proof() -> None:
    """Excluding ad pairs whose witness did not reproduce (the encoding approximates) can
    leave no pair at all; that is not a proof that the branch is unreachable."""
    found = lint_expression(
        "isClassAd(.my) ? 1 : 2", "START", settings=Settings(select=("CA202", "CA207"))
    )
    assert found == []
    answers = Analyzer("slot", strict=True).unreachable_branches("isClassAd(.my) ? 1 : 2")
    assert [a.answer.status for a in answers] == ["unknown", "unknown"]


def test_a_time_classad2_cannot_convert_is_not_a_crash() -> None:
    """classad2's binding raises on an absolute time in year 0 (absTime("1:00")); the
    witness check then cannot ask it, and the rules go on (found by the fix-safety run)."""
    lint_expression('0||absTime("1:00")', "START", settings=Settings(select=("ALL",)))
    with pytest.raises(ValueError):
        classad2.ExprTree('absTime("1:00")').eval()
