"""CA204 unknown-function: a call of a function HTCondor does not have where it runs.

## What it does
Reports a call of a name that is no built-in ClassAd function (suggesting the nearest
one), or of a daemon-specific function (`SlotEval`, `ResourcesInUseByUser`) in a knob that
another daemon evaluates.

## Why is this bad?
Unknown functions parse fine and evaluate to ERROR, so the policy never matches — and no
daemon tells you why. Names are case-insensitive. See the reference, section 4 and
section 7 (pitfall 44).

## Example
```condor-config
START = stringListMembr("a", "a,b")
```
```text
1:9 CA204 `stringListMembr` is not a ClassAd function: the call is always ERROR; did you mean `stringListMember`?
```

```condor-config
SYSTEM_PERIODIC_HOLD = SlotEval("slot1", Memory) > 10
```
```text
1:24 CA204 `SlotEval` exists only in the startd; SYSTEM_PERIODIC_HOLD is evaluated by the schedd, where the call is always ERROR
```

## Use instead
```condor-config
START = stringListMember("a", "a,b")
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.schema.functions_catalog import function, names

RULE = Rule("CA204", "unknown-function", "error", "not a ClassAd function")


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    daemon = ctx.context.daemon if ctx.context is not None else None
    for node in ctx.nodes(ast.Call):
        info = function(node.name)
        if info is None:
            known = {n.lower(): n for n in names()}
            close = difflib.get_close_matches(node.name.lower(), list(known), n=1)
            hint = f"; did you mean `{known[close[0]]}`?" if close else "; check the spelling"
            yield ctx.report(
                node.name_span,
                f"`{node.name}` is not a ClassAd function: the call is always ERROR{hint}",
                args={"function": node.name},
            )
        elif daemon is not None and not info.available_in(daemon):
            where = " or ".join(info.daemons)
            yield ctx.report(
                node.name_span,
                f"`{info.name}` exists only in the {where}; {ctx.knob} is evaluated by the "
                f"{daemon}, where the call is always ERROR",
                args={"function": info.name, "daemon": daemon},
            )
