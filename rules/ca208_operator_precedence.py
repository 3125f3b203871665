"""CA208 operator-precedence: an expression that does not group the way it reads.

## What it does
Reports three traps of ClassAd precedence (reference 2.2):

* a bitwise `&`, `|`, `^` next to a comparison without parentheses: `&` binds LOOSER
  than `==`, so `a & b == c` is `a & (b == c)`;
* `x ?: 1 + 1`, which is `(x ?: 1) + 1`: the elvis operator binds like a subscript;
* a string in arithmetic under a comparison, as in the manual's own
  `Owner == "coltrane" * 1000000000000`, which is `Owner == ("coltrane" * ...)`.

## Why is this bad?
The first and third are ERROR for every ad (a bitwise operator on a boolean, arithmetic
on a string); the second silently uses a different default. See the reference, section
7 (pitfall 31).

## Example
```classad
2 & 3 == 3
```
```text
1:3 CA208 `2 & 3 == 3` is `2 & (3 == 3)`, always ERROR: `&` binds looser than `==`; write `(2 & 3) == 3`
```
```classad fixed
(2 & 3) == 3
```

```classad
RequestCpus ?: 1 + 1
```
```text
1:13 CA208 `RequestCpus ?: 1 + 1` is `(RequestCpus ?: 1) + 1`: `?:` binds tighter than `+`; write `RequestCpus ?: (1 + 1)`
```

```classad
(Owner == "coltrane" * 1000000000000) + ImageSize
```
```text
1:2 CA208 `Owner == "coltrane" * 1000000000000` is `Owner == ("coltrane" * 1000000000000)`, always ERROR: `*` binds tighter than `==`; write `(Owner == "coltrane") * 1000000000000`
```

## Use instead
```classad
((Flags & 3) == 3) && (RequestCpus ?: 1) + 1 > 0 && (Owner == "coltrane") * 1000 > 0
```

## Fix safety
Unsafe: the regrouped expression means what it reads as, which is not what it meant.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.source import Span

RULE = Rule(
    "CA208", "operator-precedence", "warning", "grouping differs from reading", fix="unsafe"
)

_COMPARE = {"==", "!=", "=?=", "=!=", "<", "<=", ">", ">="}
_BITWISE = {"&", "|", "^"}
_ARITH = {"+", "-", "*", "/", "%"}


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 70 else flat[:69] + "…"


def _is_string(node: ast.Expr) -> bool:
    return isinstance(node, ast.Literal) and isinstance(node.value, str)


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    src = ctx.source
    for node in ctx.nodes(ast.Binary):
        whole = _short(src(node))
        if node.op in _BITWISE:
            right, left = node.right, node.left
            if isinstance(right, ast.Binary) and right.op in _COMPARE:
                reads = f"{src(left)} {node.op} ({src(right)})"
                means = f"({src(left)} {node.op} {src(right.left)}) {right.op} {src(right.right)}"
                cmp = right.op
            elif isinstance(left, ast.Binary) and left.op in _COMPARE:
                reads = f"({src(left)}) {node.op} {src(right)}"
                means = f"{src(left.left)} {left.op} ({src(left.right)} {node.op} {src(right)})"
                cmp = left.op
            else:
                continue
            yield ctx.report(
                node.op_span,
                f"`{whole}` is `{_short(reads)}`, always ERROR: `{node.op}` binds looser than "
                f"`{cmp}`; write `{_short(means)}`",
                fixes=[ctx.replace(node.span, means, f"Write `{_short(means)}`")],
            )
        elif node.op in _ARITH and isinstance(node.left, ast.Elvis):
            elvis = node.left
            reads = f"({src(elvis)}) {node.op} {src(node.right)}"
            means = f"{src(elvis.left)} ?: ({src(elvis.right)} {node.op} {src(node.right)})"
            # the `?:` token lies between the two operands (`? :` with white space too)
            at = ctx.text.find("?", elvis.left.span.end, elvis.right.span.start)
            colon = ctx.text.find(":", at, elvis.right.span.start) if at >= 0 else -1
            span = Span(at, colon + 1) if colon >= 0 else elvis.span
            yield ctx.report(
                span,
                f"`{whole}` is `{_short(reads)}`: `?:` binds tighter than `{node.op}`; "
                f"write `{_short(means)}`",
                fixes=[ctx.replace(node.span, means, f"Write `{_short(means)}`")],
            )
        elif node.op in _COMPARE and isinstance(node.right, ast.Binary):
            inner = node.right
            if inner.op not in _ARITH or not (_is_string(inner.left) or _is_string(inner.right)):
                continue
            reads = f"{src(node.left)} {node.op} ({src(inner)})"
            means = f"({src(node.left)} {node.op} {src(inner.left)}) {inner.op} {src(inner.right)}"
            yield ctx.report(
                node.span,
                f"`{whole}` is `{_short(reads)}`, always ERROR: `{inner.op}` binds tighter "
                f"than `{node.op}`; write `{_short(means)}`",
                fixes=[ctx.replace(node.span, means, f"Write `{_short(means)}`")],
            )
