"""Compare our evaluator's values with classad2's, type for type."""

from __future__ import annotations

import datetime
import math
from typing import Any

from classadlint.classad.ad import ClassAd
from classadlint.classad.values import ERROR, UNDEFINED, AbsTime, RelTime
from tests.oracle import classad2


def theirs(
    text: str, my: dict[str, str] | None = None, target: dict[str, str] | None = None
) -> Any:
    """classad2's value of ``text`` with ads given as attribute -> expression text.

    classad2 hands list elements back unevaluated (as ExprTree) unless they are literals;
    each element is asked of classad2 itself as ``(text)[i]``, so it is evaluated in the
    scope HTCondor gives it (our evaluator evaluates list elements eagerly, likewise).
    """
    my_ad = _ad(my) if my is not None else None
    target_ad = _ad(target) if target is not None else None

    def ev(expr: str) -> Any:
        tree = classad2.ExprTree(expr)
        if target_ad is not None:
            return tree.eval(my_ad or classad2.ClassAd(), target_ad)
        return tree.eval(my_ad) if my_ad is not None else tree.eval()

    def resolve(expr: str, value: Any) -> Any:
        if isinstance(value, list):
            return [resolve(f"({expr})[{i}]", ev(f"({expr})[{i}]")) for i in range(len(value))]
        return value

    return resolve(text, ev(text))


def _ad(attrs: dict[str, str]) -> Any:
    ad = classad2.ClassAd()
    for k, v in attrs.items():
        ad[k] = classad2.ExprTree(v)
    return ad


def normalise_theirs(v: Any) -> Any:
    if isinstance(v, classad2.Value):
        return "UNDEFINED" if v == classad2.Value.Undefined else "ERROR"
    if isinstance(v, list):
        return [normalise_theirs(x) for x in v]
    if isinstance(v, datetime.datetime):
        return ("abstime", int(v.timestamp()))
    if isinstance(v, classad2.ClassAd):
        return ("classad", sorted(k.lower() for k in v))
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return (type(v).__name__, v)


def normalise_ours(v: Any) -> Any:
    if v is UNDEFINED:
        return "UNDEFINED"
    if v is ERROR:
        return "ERROR"
    if isinstance(v, list):
        return [normalise_ours(x) for x in v]
    if isinstance(v, AbsTime):
        return ("abstime", v.seconds)
    if isinstance(v, RelTime):
        return ("float", float(v.seconds))  # classad2 hands relative times back as floats
    if isinstance(v, ClassAd):
        return ("classad", sorted(k.lower() for k in v))
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return (type(v).__name__, v)
