"""CA201 compare-with-undefined: ``x == undefined`` or ``x != undefined``.

``==`` and ``!=`` are strict: when either side is UNDEFINED the result is UNDEFINED, never
true, so the test can never succeed (``x != undefined`` is not "x is defined"). Use the
meta-operators ``=?=``/``=!=`` (or ``is``/``isnt``), which compare identity and never
return UNDEFINED.

Bad::

    START = RequestGPU != undefined

Good::

    START = RequestGPU =!= undefined

Fix: safe.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.lint.diagnostic import Diagnostic, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA201", "compare-with-undefined", "warning", "`==`/`!=` against undefined or error", "safe"
)


def _is_special(node: ast.Expr) -> bool:
    while isinstance(node, ast.Paren):
        node = node.inner
    return isinstance(node, ast.Literal) and (node.value is UNDEFINED or node.value is ERROR)


def check(project: Project) -> Iterable[Diagnostic]:
    for knob in project.expression_knobs:
        if knob.tree is None:
            continue
        for node in ast.walk(knob.tree):
            if not (isinstance(node, ast.Binary) and node.op in ("==", "!=")):
                continue
            if not (_is_special(node.left) or _is_special(node.right)):
                continue
            meta = "=?=" if node.op == "==" else "=!="
            file, line, col, offset = project.locate(knob, node.op_span.start)
            fixes = ()
            if offset is not None:
                fixes = (Fix(file, offset, offset + 2, meta, f"write `{meta}`"),)
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                f"{knob.entry.name}: `{node.op}` with undefined/error is never true "
                f"or false, only UNDEFINED: write `{meta}`",
                file,
                line,
                col,
                offset,
                fixes=fixes,
            )
