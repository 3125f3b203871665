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
    they are evaluated here in the same ads, as our evaluator does eagerly.
    """
    tree = classad2.ExprTree(text)
    my_ad = _ad(my) if my is not None else None
    target_ad = _ad(target) if target is not None else None

    def ev(t: Any) -> Any:
        if target_ad is not None:
            return t.eval(my_ad or classad2.ClassAd(), target_ad)
        return t.eval(my_ad) if my_ad is not None else t.eval()

    def resolve(v: Any) -> Any:
        if isinstance(v, list):
            return [resolve(ev(x) if isinstance(x, classad2.ExprTree) else x) for x in v]
        return v

    return resolve(ev(tree))


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
