"""CA203 call-arity: a built-in function called with the wrong number of arguments.

## What it does
Reports a call of a known function whose argument count is outside the function's
arity (from the function catalog).

## Why is this bad?
HTCondor parses the expression and the call evaluates to ERROR every time, so a policy
built on it silently never matches. See the reference, section 4.

## Example
```condor-config
START = ifThenElse(Memory > 1024, true)
```
```text
1:9 CA203 `ifThenElse` takes 3 arguments, not 2: the call is always ERROR; pass 3
```

## Use instead
```condor-config
START = ifThenElse(Memory > 1024, true, false)
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.schema.functions_catalog import function

RULE = Rule("CA203", "call-arity", "error", "wrong number of arguments")


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    for node in ctx.nodes(ast.Call):
        info = function(node.name)
        if info is None or info.accepts(len(node.args)):
            continue
        arity = info.arity_text()
        plural = "" if arity == "1" else "s"
        yield ctx.report(
            node.name_span,
            f"`{info.name}` takes {arity} argument{plural}, not {len(node.args)}: the call is "
            f"always ERROR; pass {arity}",
            args={"function": info.name, "given": str(len(node.args)), "arity": arity},
        )
