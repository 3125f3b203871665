"""CA206 type-mismatch: an operation that is ERROR by the types of its operands.

## What it does
Reports comparisons of a string with a number or boolean (`"1" == 1`, `WantDocker ==
"true"` where the catalog says WantDocker is a boolean), `==`/`<`/... on lists or ads,
`=?=` between two lists, arithmetic on strings and bitwise operators on reals, booleans
or strings. Attribute types come from the attribute catalog of the ads the knob is
evaluated against; names it does not know are never guessed.

## Why is this bad?
HTCondor gives ERROR for these whenever both sides have a value (reference 3.3, 3.4 and
section 7, pitfalls 36-37): the condition never matches and no log line says why.

## Example
```classad context=START
TARGET.WantDocker == "true"
```
```text
1:1 CA206 `TARGET.WantDocker == "true"` compares a bool with a string: always ERROR; write `TARGET.WantDocker == true`
```
```classad fixed
TARGET.WantDocker == true
```

```classad
{1, 2} == {1, 2}
```
```text
1:1 CA206 `{1, 2} == {1, 2}` compares lists with `==`: always ERROR; compare elements, or use member()
```

## Use instead
```classad context=START
TARGET.WantDocker =?= true && "1" == string(Cpus)
```

## Fix safety
Unsafe: the comparison now has a value where it was always ERROR.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.lint.types import is_numeric, static_type, strip

RULE = Rule("CA206", "type-mismatch", "error", "always ERROR by types", fix="unsafe")

_ORDERING = {"==", "!=", "<", "<=", ">", ">="}
_META = {"=?=", "=!="}
_ARITH = {"+", "-", "*", "/", "%"}
_BITWISE = {"&", "|", "^", "<<", ">>", ">>>"}
_AGGREGATE = {"list": "lists", "classad": "ads"}


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def _suggest(lit: ast.Expr, other: str | None) -> str | None:
    """The literal of the other side's type the string evidently meant."""
    lit = strip(lit)
    if not (isinstance(lit, ast.Literal) and isinstance(lit.value, str)):
        return None
    v = lit.value.strip()
    if other == "bool" and v.lower() in ("true", "false"):
        return v.lower()
    if other in ("int", "real", "number"):
        try:
            float(v)
        except ValueError:
            return None
        return v
    return None


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    precedence_cases: set[int] = set()  # CA208 explains `a == "s" * 10` and `a & b == c`
    for node in ctx.nodes(ast.Binary):
        if node.op in _ORDERING | _META:
            for child in (node.left, node.right):
                if isinstance(child, ast.Binary) and child.op in _ARITH:
                    precedence_cases.add(id(child))
        if node.op in _BITWISE:
            for child in (node.left, node.right):
                if isinstance(child, ast.Binary) and child.op in _ORDERING | _META:
                    precedence_cases.add(id(node))
    for node in ctx.nodes(ast.Binary):
        lt, rt = static_type(node.left, ctx), static_type(node.right, ctx)
        text = _short(ctx.source(node))
        if node.op in _ORDERING:
            agg = next((t for t in (lt, rt) if t in _AGGREGATE), None)
            if agg is not None:
                yield ctx.report(
                    node.span,
                    f"`{text}` compares {_AGGREGATE[agg]} with `{node.op}`: always ERROR; "
                    "compare elements, or use member()",
                )
                continue
            if {lt, rt} & {"string"} and (is_numeric(lt) or is_numeric(rt)):
                string_side, other_t = (node.left, rt) if lt == "string" else (node.right, lt)
                suggestion = _suggest(string_side, other_t)
                fix = None
                if suggestion is not None:
                    s = strip(string_side)
                    new = ctx.source(node)
                    a, b = s.span.start - node.span.start, s.span.end - node.span.start
                    new = new[:a] + suggestion + new[b:]
                    advice = f"write `{_short(new)}`"
                    fix = ctx.fix(f"Write `{suggestion}`", [(s.span, suggestion)])
                else:
                    advice = f"compare with {_a(other_t)}, or convert with string()"
                yield ctx.report(
                    node.span,
                    f"`{text}` compares {_a(other_t)} with a string: always ERROR; {advice}",
                    fixes=[fix],
                )
        elif node.op in _META and lt == rt and lt in _AGGREGATE:
            yield ctx.report(
                node.span,
                f"`{text}` compares two {_AGGREGATE[lt]} with `{node.op}`: always ERROR; "
                "compare elements",
            )
        elif node.op in _ARITH and "string" in (lt, rt) and id(node) not in precedence_cases:
            advice = "use strcat() to join strings" if node.op == "+" else "convert with int()"
            yield ctx.report(
                node.span, f"`{text}`: arithmetic on a string is always ERROR; {advice}"
            )
        elif node.op in _BITWISE and id(node) not in precedence_cases:
            bad = next((t for t in (lt, rt) if t in ("real", "bool", "string")), None)
            if bad is not None:
                yield ctx.report(
                    node.span,
                    f"`{text}`: `{node.op}` needs integers, {_a(bad)} makes it always ERROR; "
                    "convert with int()",
                )


def _a(type_name: str) -> str:
    """``an int``, ``a string``."""
    return f"{'an' if type_name[:1] in 'aeiou' else 'a'} {type_name}"
