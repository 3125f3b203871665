"""Matchmaking: does a job match a slot, and how does each rank the other.

HTCondor's match is symmetric: each side's ``Requirements`` is evaluated with MY = its own
ad and TARGET = the other, and a side accepts only when the value is true or a non-zero
number (UNDEFINED, ERROR and strings mean no match). ``Rank`` values that are not numbers
count as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import evaluate_attribute, truth


@dataclass(frozen=True)
class MatchResult:
    """Both sides' Requirements values and whether each accepts; both ranks."""

    left_requirements: Any
    right_requirements: Any
    left_rank: float
    right_rank: float

    @property
    def left_accepts(self) -> bool:
        return truth(self.left_requirements) is True

    @property
    def right_accepts(self) -> bool:
        return truth(self.right_requirements) is True

    @property
    def matches(self) -> bool:
        return self.left_accepts and self.right_accepts


def _rank(value: Any) -> float:
    return float(value) if value.__class__ in (int, float, bool) else 0.0


def match(left: ClassAd, right: ClassAd, **kw: Any) -> MatchResult:
    """Match two ads (typically a job and a slot), as the negotiator would."""
    return MatchResult(
        evaluate_attribute("Requirements", left, right, **kw),
        evaluate_attribute("Requirements", right, left, **kw),
        _rank(evaluate_attribute("Rank", left, right, **kw)),
        _rank(evaluate_attribute("Rank", right, left, **kw)),
    )
