"""CA402 macro-cycle: knobs whose macros refer back to themselves.

## What it does
Reports a cycle of macro references between knobs.

## Why is this bad?
`A = $(B)` and `B = $(A)` make HTCondor loop forever while expanding A: every daemon and
tool that reads it hangs. See the reference, section 7 (pitfall 11).

## Example
```condor-config
A = $(B)
B = $(A)
```
```text
1:1 CA402 macro cycle: A -> B -> A (HTCondor hangs expanding it)
2:1 CA402 macro cycle: B -> A -> B (HTCondor hangs expanding it)
```

## Use instead
```condor-config
A = $(B)
B = value
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA402", "macro-cycle", "error", "macros refer to each other in a cycle", scope="config"
)


def check(project: Project) -> Iterable[Diagnostic]:
    for file, line, message in project.model.notes:
        src = project.sources.get(file)
        if message.startswith("macro cycle") and src is not None:
            yield at(RULE, src, line_span(src, src.offset(max(line, 1), 1)), message)
