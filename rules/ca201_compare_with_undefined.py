"""CA201 compare-with-undefined: `x == undefined`, `x != undefined`, `x == error`.

## What it does
Reports `==` and `!=` with the literal `undefined` or `error` on either side.

## Why is this bad?
`==` and `!=` are strict: when either side is UNDEFINED the result is UNDEFINED (ERROR
when either is ERROR), never true or false, so `RequestGPU != undefined` is not "the job
asks for GPUs" — it is UNDEFINED for every job, and a START or requirement built on it
never matches. The meta-operators `=?=`/`=!=` (or `is`/`isnt`) compare identity and are
always true or false. See the reference, sections 3.3 and 7 (pitfall 27).

## Example
```condor-config
START = RequestGPU != undefined
```
```text
1:9 CA201 `RequestGPU != undefined` is UNDEFINED or ERROR, never true or false; write `RequestGPU =!= undefined`
```
```condor-config fixed
START = RequestGPU =!= undefined
```

```classad
(x == UNDEFINED) || error == y
```
```text
1:2 CA201 `x == UNDEFINED` is UNDEFINED or ERROR, never true or false; write `x =?= UNDEFINED`
1:21 CA201 `error == y` is UNDEFINED or ERROR, never true or false; write `error =?= y`
```
```classad fixed
(x =?= UNDEFINED) || error =?= y
```

## Use instead
```condor-config
START = RequestGPU =!= undefined
```
```classad
RequestGPU isnt undefined && Owner is "bob"
```

## Fix safety
Unsafe: the expression now evaluates to true or false where it was always UNDEFINED —
what the author meant, but a change of behaviour, so review it (`--unsafe-fixes`).
"""

from __future__ import annotations

from classadlint.lint.rule import Pattern, Rule


def _patterns() -> tuple[Pattern, ...]:
    """`$X == $S` for S the literal `undefined` or `error` (kept as the user spelled it)."""
    out = []
    for special in ("undefined", "error"):
        where = {"S": {"kind": special}}
        for op, meta in (("==", "=?="), ("!=", "=!=")):
            out.append(Pattern(f"$X {op} $S", f"$X {meta} $S", where))
            out.append(Pattern(f"$S {op} $X", f"$S {meta} $X", where))
    return tuple(out)


RULE = Rule(
    "CA201",
    "compare-with-undefined",
    "warning",
    "`{match}` is UNDEFINED or ERROR, never true or false; write `{replacement}`",
    fix="unsafe",
    patterns=_patterns(),
)
