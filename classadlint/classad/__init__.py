"""The ClassAd language: parse, unparse and evaluate expressions exactly as HTCondor does.

``from classadlint.classad import parse, evaluate, UNDEFINED, ERROR, ClassAd``
"""

from classadlint.classad.ad import ClassAd
from classadlint.classad.adfile import AdSyntaxError, parse_ad_text, parse_ads
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import evaluate
from classadlint.classad.parser import ParseOptions, parse, parse_expr, parse_record
from classadlint.classad.values import ERROR, UNDEFINED, AbsTime, RelTime

__all__ = [
    "ERROR",
    "UNDEFINED",
    "AbsTime",
    "AdSyntaxError",
    "ClassAd",
    "ClassAdSyntaxError",
    "ParseOptions",
    "RelTime",
    "evaluate",
    "parse",
    "parse_ad_text",
    "parse_ads",
    "parse_expr",
    "parse_record",
]
