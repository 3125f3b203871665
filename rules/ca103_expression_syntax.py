"""CA103 expression-syntax: an expression that does not parse as ClassAd.

## What it does
Reports an expression-valued knob (or old-style transform, or standalone expression)
that is not a valid ClassAd expression once its macros are expanded, at the place the
parser gives up, mapped back to the text you wrote (with "expanded from" notes when the
text came from a macro).

## Why is this bad?
The daemon that reads it logs an error and treats the policy as broken: a START that does
not parse never lets a job start, a SYSTEM_PERIODIC_REMOVE that does not parse never
removes anything. See the reference, sections 2 and 6.2.

## Example
```condor-config
START = Memory > 1024 && (Cpus > 1
```
```text
1:35 CA103 START: unexpected end of input; expected `)`
```

```classad
Memory > 1024 &&
```
```text
1:17 CA103 unexpected end of input; expected an expression
```

## Use instead
```condor-config
START = Memory > 1024 && (Cpus > 1)
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad.errors import foreign_operator_hint, is_numeric_literal_error
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.source import Span

RULE = Rule("CA103", "expression-syntax", "error", "expression does not parse")


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    err = ctx.error
    if err is None or foreign_operator_hint(ctx.text, err.span.start) is not None:
        return  # CA104 explains foreign operators better
    if is_numeric_literal_error(ctx.text, err.span):
        return  # CA111 explains malformed numbers
    span = err.span if err.span.end > err.span.start else Span(err.span.start, err.span.start)
    prefix = f"{ctx.knob}: " if ctx.knob else ""
    yield ctx.report(span, prefix + err.message)
