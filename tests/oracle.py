"""Helpers that ask the real HTCondor what it does with a piece of ClassAd text."""

from __future__ import annotations

import os

os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")

# isort: off
import htcondor2  # noqa: F401  (must precede classad2)
import classad2
# isort: on


def classad2_accepts(text: str) -> bool:
    """Whether classad2 parses ``text`` as one whole expression.

    ``ExprTree`` alone ignores trailing junk, so the text is wrapped in parentheses; the
    newline keeps a final ``//`` comment from swallowing the closing one.
    """
    try:
        classad2.ExprTree("(" + text + "\n)")
    except Exception:
        return False
    return True


def classad2_unparse(text: str) -> str:
    """classad2's canonical text of the wrapped expression (raises if it does not parse)."""
    return str(classad2.ExprTree("(" + text + "\n)"))
