"""CA207 constant-condition: a condition that is the same for every ad.

## What it does
Reports `x || true` and `true || x` (always true), `x && false` and `false && x` (always
false), `x =?= x` / `x =!= x`, and `ifThenElse` or `? :` with a literal `true` or `false`
condition — and, proved by the symbolic engine, every other condition (what a `?:` or
`ifThenElse` tests, an operand of `&&` or `||`) that is true for every valid ad pair,
false for every one, or UNDEFINED for every one: `RequestMemory > 4096 || RequestMemory
< 8192` holds for every number. "Valid" follows HTCondor's attribute catalog (a job
always has RequestCpus, never a negative one) and the site's declared attributes; a proof
that does not finish within `analysis-budget-ms` (default 200 ms) reports nothing.

## Why is this bad?
The other operand never matters (`||` and `&&` short-circuit on a literal, reference
3.2), so the condition does not do what it reads as: usually a debugging leftover
(`START = $(START) || true`) or a macro that expanded to something unexpected. The only
exception is an ERROR on the left (`error || true` is ERROR).

## Example
```classad
(Memory > 1024) || true
```
```text
1:1 CA207 `(Memory > 1024) || true` is always true: the other operand never matters; remove `|| true` or fix the condition
```

```condor-config
START = ifThenElse(false, Memory > 1024, Cpus > 1)
```
```text
1:9 CA207 the condition of `ifThenElse(false, Memory > 1024, Cpus > 1)` is always false; keep only the branch it selects
```

```condor-config
START = (TARGET.RequestMemory > 4096 || TARGET.RequestMemory < 8192) && Cpus > 1
```
```text
1:10 CA207 `TARGET.RequestMemory > 4096 || TARGET.RequestMemory < 8192` is true for every slot and job pair (HTCondor sets RequestMemory in every job ad): it never changes the `&&`; remove it or fix it
```

## Use instead
```classad
Memory > 1024
```
```condor-config
START = (TARGET.RequestMemory > 4096 && TARGET.RequestMemory < 8192) && Cpus > 1
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.classad.unparse import unparse
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.proving import (
    ads_words,
    always_note,
    compares_with_special,
    questions,
    short,
)
from classadlint.lint.rule import Pattern, Rule

_ALWAYS = (
    "`{match}` is always %s: the other operand never matters; remove `%s` or fix the condition"
)
_BRANCH = "the condition of `{match}` is always %s; keep only the branch it selects"

RULE = Rule(
    "CA207",
    "constant-condition",
    "warning",
    "condition with a constant value",
    patterns=(
        Pattern("$X || true", message=_ALWAYS % ("true", "|| true")),
        Pattern("true || $X", message=_ALWAYS % ("true", "true ||")),
        Pattern("$X && false", message=_ALWAYS % ("false", "&& false")),
        Pattern("false && $X", message=_ALWAYS % ("false", "false &&")),
        Pattern("$X =?= $X", message="`{match}` is always true: both sides are the same; fix one"),
        Pattern("$X =!= $X", message="`{match}` is always false: both sides are the same; fix one"),
        Pattern("ifThenElse(true, $A, $B)", message=_BRANCH % "true"),
        Pattern("ifThenElse(false, $A, $B)", message=_BRANCH % "false"),
        Pattern("true ? $A : $B", message=_BRANCH % "true"),
        Pattern("false ? $A : $B", message=_BRANCH % "false"),
    ),
)

#: What a condition that is always one thing does to what it belongs to.
_EFFECT = {
    ("?:", "true"): "only the first branch is ever taken",
    ("?:", "false"): "only the second branch is ever taken",
    ("?:", "undefined"): "the conditional is UNDEFINED, neither branch is taken",
    ("?:", "error"): "the conditional is ERROR",
    ("&&", "true"): "it never changes the `&&`; remove it or fix it",
    ("&&", "false"): "the `&&` is never true",
    ("&&", "undefined"): "the `&&` is never true",
    ("&&", "error"): "the `&&` is ERROR whenever it gets there",
    ("||", "true"): "the `||` is always true",
    ("||", "false"): "it never changes the `||`; remove it or fix it",
    ("||", "undefined"): "the `||` is never false",
    ("||", "error"): "the `||` is ERROR whenever it gets there",
}
_CLASS_WORDS = {"true": "true", "false": "false", "undefined": "UNDEFINED", "error": "ERROR"}


def _bare(node: ast.Expr) -> ast.Expr:
    while isinstance(node, ast.Paren):
        node = node.inner
    return node


def _is_bool_literal(node: ast.Expr) -> bool:
    node = _bare(node)
    return isinstance(node, ast.Literal) and isinstance(node.value, bool)


def _syntactic(node: ast.Expr) -> bool:
    """Constant by its syntax (this rule's patterns, CA201's `== undefined`): not asked."""
    node = _bare(node)
    if isinstance(node, ast.Literal):
        return True
    if isinstance(node, ast.Binary):
        if node.op in ("&&", "||") and (
            _is_bool_literal(node.left) or _is_bool_literal(node.right)
        ):
            return True
        if node.op in ("=?=", "=!=") and unparse(node.left) == unparse(node.right):
            return True
        if node.op in ("==", "!=", "<", "<=", ">", ">="):
            for side in (node.left, node.right):
                side = _bare(side)
                if isinstance(side, ast.Literal) and side.value in (UNDEFINED, ERROR):
                    return True
    if isinstance(node, ast.Call) and node.name.lower() == "ifthenelse" and node.args:
        return _is_bool_literal(node.args[0])
    if isinstance(node, ast.Conditional):
        return _is_bool_literal(node.cond)
    return False


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    """The semantic form: each condition asked of the symbolic engine (the syntactic
    forms are this rule's patterns)."""
    from classadlint.analysis.policy import conditions, constant_class

    for q in questions(ctx):
        for cond, role in conditions(q.tree):
            inner = [n for n in ast.walk(cond) if not isinstance(n, ast.Literal | ast.Paren)]
            if _syntactic(cond) or any(_syntactic(n) for n in inner):
                continue
            if compares_with_special(cond):
                continue  # an unknown function, a wrong arity: CA203/CA204 say so
            kind = constant_class(q, cond)
            if kind is None:
                continue
            text = short(ctx.source(_bare(cond)))
            yield ctx.report(
                _bare(cond).span,
                f"`{text}` is {_CLASS_WORDS[kind]} for every {ads_words(q.scope)}"
                f"{always_note(q, cond)}: {_EFFECT[(role, kind)]}",
            )
