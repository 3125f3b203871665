"""CA209 integer-division: an integer division whose truncation changes a comparison.

## What it does
Reports `a / b` where both operands are integers (literals, integer attributes of the
catalog, integer functions) and the quotient is compared with a real number, as in
`NumJobStarts / 10 > 0.5`.

## Why is this bad?
Integer `/` truncates toward zero (`15 / 10` is 1, `5 / 10` is 0), so the comparison with
a fraction tests something coarser than it reads: `NumJobStarts / 10 > 0.5` is true only
from 10 starts on, not from 6. See the reference, section 3.4 and section 7 (pitfalls
30 and 42).

## Example
```classad context=SYSTEM_PERIODIC_REMOVE
NumJobStarts / 10 > 0.5
```
```text
1:1 CA209 `NumJobStarts / 10` divides integers and truncates (`15 / 10` is 1), so the comparison with 0.5 is coarser than it reads; write `NumJobStarts / 10.0`
```
```classad fixed
NumJobStarts / 10.0 > 0.5
```

## Use instead
```classad context=SYSTEM_PERIODIC_REMOVE
NumJobStarts / 10.0 > 0.5
```

## Fix safety
Unsafe: the division becomes exact, which changes the result for every non-multiple.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.lint.types import static_type, strip

RULE = Rule("CA209", "integer-division", "warning", "integer division truncates", fix="unsafe")

_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


def _int(node: ast.Expr, ctx: ExpressionContext) -> bool:
    node = strip(node)
    if isinstance(node, ast.Binary) and node.op in ("+", "-", "*", "%", "/"):
        return _int(node.left, ctx) and _int(node.right, ctx)
    if isinstance(node, ast.Unary) and node.op in ("-", "+"):
        return _int(node.operand, ctx)
    return static_type(node, ctx) == "int"


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    for cmp in ctx.nodes(ast.Binary):
        if cmp.op not in _COMPARE:
            continue
        for side, other in ((cmp.left, cmp.right), (cmp.right, cmp.left)):
            div = strip(side)
            if not (isinstance(div, ast.Binary) and div.op == "/"):
                continue
            if not (_int(div.left, ctx) and _int(div.right, ctx)):
                continue
            if static_type(other, ctx) != "real":
                continue
            divisor = strip(div.right)
            if isinstance(divisor, ast.Literal) and type(divisor.value) is int:
                new_divisor = f"{divisor.value}.0"
                exact = f"{ctx.source(div.left)} / {new_divisor}"
                fix = ctx.fix(f"Divide by `{new_divisor}`", [(divisor.span, new_divisor)])
            else:
                exact = f"real({ctx.source(div.left)}) / {ctx.source(div.right)}"
                fix = ctx.replace(div.span, exact, f"Write `{exact}`")
            yield ctx.report(
                div.span,
                f"`{ctx.source(div)}` divides integers and truncates (`15 / 10` is 1), so the "
                f"comparison with {ctx.source(other)} is coarser than it reads; write `{exact}`",
                fixes=[fix],
            )
