"""CA203 call-arity: a built-in function called with the wrong number of arguments.

HTCondor accepts the expression and the call evaluates to ERROR every time, so a policy
built on it silently never matches.

Bad::

    START = ifThenElse(Memory > 1024, true)

Good::

    START = ifThenElse(Memory > 1024, true, false)
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.classad.functions import FUNCTIONS
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA203", "call-arity", "error", "wrong number of arguments")


def _expected(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"at least {lo}"
    return str(lo) if lo == hi else f"{lo} to {hi}"


def check(project: Project) -> Iterable[Diagnostic]:
    for knob in project.expression_knobs:
        if knob.tree is None:
            continue
        for node in ast.walk(knob.tree):
            if not isinstance(node, ast.Call):
                continue
            fn = FUNCTIONS.get(node.name.lower())
            if fn is None:
                continue
            n = len(node.args)
            if n >= fn.min_args and (fn.max_args is None or n <= fn.max_args):
                continue
            file, line, col, offset = project.locate(knob, node.name_span.start)
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                f"{fn.name}() takes {_expected(fn.min_args, fn.max_args)} arguments, given "
                f"{n}: the call always evaluates to ERROR",
                file,
                line,
                col,
                offset,
            )
