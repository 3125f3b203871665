"""CA112 boolean-knob-value: a boolean knob set to something HTCondor does not read as one.

## What it does
Reports a knob HTCondor reads as a boolean whose value is not `true`/`false`, a number or
an expression that evaluates to one: `yes`, `no`, `on`, `off`, `T`, `"true"`.

## Why is this bad?
HTCondor reads `true`, `false`, `1`, `0` or a ClassAd expression with a boolean or number
result. Anything else is "not a valid boolean": a daemon reading it aborts at start-up,
and a tool silently uses the default — or, when the text merely starts with `0`, `1`,
`true` or `false` (`010`, `1K`), that prefix. `ENABLE_SSH_TO_JOB = no` leaves SSH to jobs
enabled in every tool that reads it. (`if yes` is fine: `if` takes yes/no, knobs do not.)
See the reference, section 1.6 and pitfall 16.

## Example
```condor-config
ENABLE_SSH_TO_JOB = no
STARTD.ENABLE_RUNTIME_CONFIG = "true"
```
```text
1:21 CA112 `no` is not a boolean HTCondor reads: daemons abort on it ("not a valid boolean") and tools use the default (true); write `false`
2:32 CA112 `"true"` is not a boolean HTCondor reads: daemons abort on it ("not a valid boolean") and tools use the default (false); write `true`
```
```condor-config fixed
ENABLE_SSH_TO_JOB = false
STARTD.ENABLE_RUNTIME_CONFIG = true
```

## Use instead
```condor-config
ENABLE_SSH_TO_JOB = false
ENABLE_RUNTIME_CONFIG = 1
SEC_ENABLE_MATCH_PASSWORD_AUTHENTICATION = $(ENABLE_SSH_TO_JOB) || true
```

## Fix safety
Unsafe: the knob then takes the value its author meant instead of the one HTCondor used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.config.typed_values import read_bool, typed_values
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA112",
    "boolean-knob-value",
    "error",
    "a boolean knob set to something HTCondor does not read as one",
    fix="unsafe",
    scope="config",
)

_MEANT = {
    "yes": "true",
    "y": "true",
    "on": "true",
    "t": "true",
    '"true"': "true",
    "no": "false",
    "n": "false",
    "off": "false",
    "f": "false",
    '"false"': "false",
}


def check(project: Project) -> Iterable[Diagnostic]:
    for knob in typed_values(project, ("bool",)):
        info, value = knob.info, knob.value
        default = (info.default or "false").strip().lower() in ("true", "1")
        used, valid = read_bool(value, default)
        if valid:
            continue
        meant = _MEANT.get(value.lower())
        via = "" if value == knob.written else f" (from `{knob.written}`)"
        advice = f"write `{meant}`" if meant else "write `true` or `false`"
        fixes = []
        if meant is not None and value == knob.written:
            edit = Edit(knob.src.path, knob.span.start, knob.span.end, meant)
            fixes.append(Fix(f"Write `{meant}`", (edit,), "unsafe"))
        shown = "true" if used else "false"
        if used == default:
            shown = f"the default ({shown})"
            if info.default is not None and not re.fullmatch(r"(?i)true|false|0|1", info.default):
                shown = f"the default ({info.default})"
        yield at(
            RULE,
            knob.src,
            knob.span,
            f'`{value}`{via} is not a boolean HTCondor reads: daemons abort on it ("not a '
            f'valid boolean") and tools use {shown}; {advice}',
            fixes=fixes,
        )
