"""CA210 case-insensitive-equality: `==` with a mixed-case string also matches other cases.

## What it does
Reports `==` and `!=` between an expression and a string literal that mixes upper- and
lowercase letters (`Owner == "Bob"`): the capitals suggest the case matters.

## Why is this bad?
`==` and `!=` compare strings case-insensitively (reference 3.3): `Owner == "Bob"` is also
true for `bob` and `BOB`. When the case matters, `=?=` compares exactly (and is never
UNDEFINED: a missing attribute gives false); `strcmp(a, b) == 0` is the exact comparison
that keeps UNDEFINED.

Off by default (`--extend-select CA210`): HTCondor's own enumerations (`State !=
"Unclaimed"`, `Activity == "Suspended"`) are mixed-case and harmless, and they are most
of what it finds in real configurations.

## Example
```classad context=START
TARGET.Owner == "Bob"
```
```text
1:1 CA210 `TARGET.Owner == "Bob"` ignores case (it is also true for "bob"); write `TARGET.Owner =?= "Bob"` if the case matters
```

## Use instead
```classad context=START
TARGET.Owner =?= "Bob" || TARGET.Owner == "alice"
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.lint.types import strip

RULE = Rule(
    "CA210",
    "case-insensitive-equality",
    "info",
    "`==` on strings ignores case",
    default=False,
)


def _mixed(node: ast.Expr) -> str | None:
    node = strip(node)
    if isinstance(node, ast.Literal) and isinstance(node.value, str):
        v = node.value
        if any(c.isupper() for c in v) and any(c.islower() for c in v):
            return v
    return None


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    for node in ctx.nodes(ast.Binary):
        if node.op not in ("==", "!="):
            continue
        for lit, other in ((node.right, node.left), (node.left, node.right)):
            value = _mixed(lit)
            if value is None or isinstance(strip(other), ast.Literal):
                continue
            meta = "=?=" if node.op == "==" else "=!="
            text = ctx.source(node)
            a = node.op_span.start - node.span.start
            exact = text[:a] + meta + text[a + 2 :]
            verdict = "true" if node.op == "==" else "false"
            yield ctx.report(
                node.span,
                f'`{text}` ignores case (it is also {verdict} for "{value.lower()}"); '
                f"write `{exact}` if the case matters",
            )
            break
