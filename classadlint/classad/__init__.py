"""The ClassAd language: parse, unparse and evaluate expressions exactly as HTCondor does."""

from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse, parse_expr, parse_record
from classadlint.classad.values import ERROR, UNDEFINED

__all__ = [
    "ERROR",
    "UNDEFINED",
    "ClassAdSyntaxError",
    "ParseOptions",
    "parse",
    "parse_expr",
    "parse_record",
]
