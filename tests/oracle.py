"""Helpers that ask the real HTCondor what it does with a piece of ClassAd text."""

from __future__ import annotations

import os

os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")

# isort: off
import htcondor2  # noqa: F401  (must precede classad2)
import classad2
# isort: on


_SENTINEL = "zz_classadlint_sentinel_9"


def _parse_wrapped(text: str) -> classad2.ExprTree | None:
    """classad2's tree for ``( text )``, or None if it does not parse as one expression.

    ``ExprTree`` alone ignores trailing junk, and a text with an unmatched ``)`` closes a
    plain ``( ... )`` wrapper early (``(0)).x]`` would "parse"). Inside an ad with a second
    attribute after it, junk is an error, and early closing of the ad loses the sentinel
    attribute. The newline keeps a final ``//`` comment from swallowing the wrapper.
    """
    try:
        ad = classad2.ClassAd(f"[x = ({text}\n); {_SENTINEL} = 1]")
    except Exception:
        return None
    if set(ad.keys()) != {"x", _SENTINEL}:
        return None
    tree = ad.lookup("x")
    if not isinstance(tree, classad2.ExprTree):  # the ( ) wrapper keeps it an expression
        raise TypeError(f"classad2 returned {tree!r} for an expression")
    return tree


def classad2_accepts(text: str) -> bool:
    """Whether classad2 parses ``text`` as one whole expression."""
    return _parse_wrapped(text) is not None


def classad2_unparse(text: str) -> str:
    """classad2's canonical text of ``( text )`` (raises if it does not parse)."""
    tree = _parse_wrapped(text)
    if tree is None:
        raise ValueError(f"classad2 does not parse {text!r}")
    return str(tree)
