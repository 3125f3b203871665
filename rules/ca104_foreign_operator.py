"""CA104 foreign-operator: an operator from another language in a ClassAd expression.

## What it does
Reports `!==`, `===`, `<>`, `=<`, `=>`, `**`, `&&&`, `??`, `= =`, `is not`, `and`, `or`,
`not` and a lone `=` where the expression fails to parse, and says what to write.

## Why is this bad?
They are syntax errors in ClassAds (reference section 2.1), so the whole expression is
rejected and the daemon treats the knob as broken.

## Example
```condor-config
START = RequestGPU !== undefined
```
```text
1:20 CA104 `!==` is not a ClassAd operator: write `=!=` (or `isnt`)
```
```condor-config fixed
START = RequestGPU =!= undefined
```

```classad
Memory > 1024 and Cpus > 1
```
```text
1:15 CA104 `and` is not a ClassAd operator: write `&&`
```
```classad fixed
Memory > 1024 && Cpus > 1
```

## Use instead
```condor-config
START = RequestGPU =!= undefined
```

## Fix safety
Safe: the text did not parse, so it had no meaning to change; the replacement is the
ClassAd spelling of the operator the author wrote. A lone `=` (`==` or `=?=`?) and `**`
(`pow()`) get no fix.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.classad.errors import foreign_operator_hint
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule

RULE = Rule("CA104", "foreign-operator", "error", "operator from another language", fix="safe")

_REPLACEMENT = {
    "!==": "=!=", "===": "=?=", "<>": "!=", "=<": "<=", "=>": ">=", "&&&": "&&",
    "|||": "||", "??": "?:", "= =": "==", "! =": "!=", "is not": "isnt", "and": "&&",
    "or": "||", "not": "!",
}  # fmt: skip


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    if ctx.error is None:
        return
    hint = foreign_operator_hint(ctx.text, ctx.error.span.start)
    if hint is None:
        return
    message, span = hint
    written = " ".join(ctx.source(span).lower().split())
    replacement = _REPLACEMENT.get(written)
    fix = None
    if replacement is not None:
        fix = ctx.fix(f"Replace with `{replacement}`", [(span, replacement)])
    yield ctx.report(span, message, fixes=[fix])
