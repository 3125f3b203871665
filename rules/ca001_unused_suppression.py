"""CA001 unused-suppression: a suppression comment that silences nothing.

## What it does
Reports a `# classadlint: disable...` comment line that matched no diagnostic, that names
no rule, or (with `require-reason = true`) that gives no reason.

## Why is this bad?
A stale suppression hides the next real problem on that line and documents an exception
that no longer exists. The engine reports these after all other rules ran; a suppression
of a rule that was not selected in this run is not reported.

## Example
```condor-config
# classadlint: disable=CA201 -- legacy policy
START = RequestGPU =!= undefined
```
```text
1:1 CA001 suppression of CA201 silences nothing; remove it
```
```condor-config fixed
START = RequestGPU =!= undefined
```

## Use instead
```condor-config
START = RequestGPU =!= undefined
```

## Fix safety
Safe: the fix deletes the comment line (or the unused codes from it).
"""

from __future__ import annotations

from classadlint.lint.rule import Rule

RULE = Rule(
    "CA001",
    "unused-suppression",
    "warning",
    "suppression silences nothing; remove it",
    fix="safe",
    scope="config",
)
