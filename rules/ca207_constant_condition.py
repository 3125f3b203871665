"""CA207 constant-condition: a condition whose value its own syntax decides.

## What it does
Reports `x || true` and `true || x` (always true), `x && false` and `false && x` (always
false), `x =?= x` / `x =!= x`, and `ifThenElse` or `? :` with a literal `true` or `false`
condition.

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

## Use instead
```classad
Memory > 1024
```
"""

from __future__ import annotations

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
