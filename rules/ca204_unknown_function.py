"""CA204 unknown-function: a call of a function HTCondor does not have.

Unknown functions parse fine and evaluate to ERROR, so the policy never matches — no
daemon tells you why. Names are case-insensitive; the message suggests the nearest one.

Bad::

    START = stringListMembr("a", "a,b")

Good::

    START = stringListMember("a", "a,b")
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.classad.functions import FUNCTIONS
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA204", "unknown-function", "error", "not a ClassAd function")

#: Functions registered only inside one daemon (reference 4.3): not errors there.
DAEMON_FUNCTIONS = {"sloteval", "resourcesinusebyuser", "resourcesinusebyusersgroup"}


def check(project: Project) -> Iterable[Diagnostic]:
    names = {f.name.lower(): f.name for f in FUNCTIONS.values()}
    for knob in project.expression_knobs:
        if knob.tree is None:
            continue
        for node in ast.walk(knob.tree):
            if not isinstance(node, ast.Call):
                continue
            low = node.name.lower()
            if low in names or low in DAEMON_FUNCTIONS:
                continue
            close = difflib.get_close_matches(low, list(names), n=1)
            hint = f": did you mean {names[close[0]]}()?" if close else ""
            file, line, col, offset = project.locate(knob, node.name_span.start)
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                f"{node.name}() is not a ClassAd function; the call evaluates to ERROR{hint}",
                file,
                line,
                col,
                offset,
            )
