"""CA202 unreachable-branch: a `?:` or `ifThenElse` branch no ad can reach.

## What it does
Asks the symbolic engine, for every branch of every `?:` and `ifThenElse`, whether some
valid ad pair reaches it given the conditions around it — the branches it sits in, the
conditions an else-if chain has already tested, the `&&`/`||` that must let evaluation
through — and reports the branches it proves unreachable, saying why in the terms of the
conditions as written. Valid ads follow HTCondor's attribute catalog and the site's
declared attributes; a proof that does not finish within `analysis-budget-ms` (default
200 ms) reports nothing.

## Why is this bad?
A branch nobody reaches is a policy that does not do what it says: an else-if chain
tested in the wrong order (`RequestRuntime <= 3600` after `RequestRuntime <= 10800` never
sees a job), a case already caught by an enclosing condition, or a test that is never
true (`RequestGPU != undefined`, reference pitfall 27). HTCondor gives no sign of it:
jobs just get the other branch.

## Example
```classad
RequestRuntime <= 7200 ? "short" : RequestRuntime <= 10800 ? "medium" : RequestRuntime <= 3600 ? "lite" : "long"
```
```text
1:98 CA202 `"lite"` is never reached: `RequestRuntime <= 3600` implies `RequestRuntime <= 10800`, taken one branch earlier
```

```condor-config
START = ifThenElse(TARGET.RequestCpus > 8, Cpus >= 8, ifThenElse(TARGET.RequestCpus > 16, false, true))
```
```text
1:91 CA202 `false` is never reached: `TARGET.RequestCpus > 16` implies `TARGET.RequestCpus > 8`, taken one branch earlier
```

## Use instead
```classad
RequestRuntime <= 3600 ? "lite" : RequestRuntime <= 7200 ? "short" : RequestRuntime <= 10800 ? "medium" : "long"
```
```condor-config
START = ifThenElse(TARGET.RequestCpus > 16, false, ifThenElse(TARGET.RequestCpus > 8, Cpus >= 8, true))
```

A branch whose own condition is the same for every ad is CA207's (constant-condition)
finding, not reported again here; nor are branches inside a branch already reported.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.proving import questions, short
from classadlint.lint.rule import Rule
from classadlint.source import Span

RULE = Rule("CA202", "unreachable-branch", "warning", "a branch no ad can reach")


def _parts(node: ast.Conditional | ast.Call) -> tuple[ast.Expr, ast.Expr, ast.Expr]:
    if isinstance(node, ast.Conditional):
        return node.cond, node.then, node.otherwise
    cond, then, other = node.args
    return cond, then, other


def _literal(node: ast.Expr) -> bool:
    while isinstance(node, ast.Paren):
        node = node.inner
    return isinstance(node, ast.Literal)


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    from classadlint.analysis.policy import branches, constant_class

    for q in questions(ctx):
        reported: list[Span] = []
        for b in branches(q):
            if b.answer.status != "proved":
                continue
            cond, then, other = _parts(b.node)
            if _literal(cond) or constant_class(q, cond) is not None:
                continue  # CA207 reports the condition itself
            target = then if b.branch == "then" else other
            if any(_inside(target.span, r) for r in reported):
                continue
            reported.append(target.span)
            reason = b.answer.reason or "no valid ad pair reaches it"
            yield ctx.report(
                target.span, f"`{short(ctx.source(target))}` is never reached: {reason}"
            )
