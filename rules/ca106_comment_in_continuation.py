"""CA106 comment-in-continuation: a `#` line inside a `\\`-continued value.

## What it does
Reports a comment line between the lines of a value continued with `\\`.

## Why is this bad?
HTCondor keeps only the *last character* of such a line: if it is not a `\\`, the value
ends there with that character appended, and the following lines become statements of
their own (usually a fatal error). See the reference, section 7 (pitfall 2).

## Example
```condor-config
A = x \\
# explain y
y
```
```text
2:1 CA106 comment line inside a continued value: HTCondor keeps only its last character; put the comment above the assignment
3:1 CA101 `y` is not a statement: expected `NAME = value`
```

## Use instead
```condor-config
# explain y
A = x \\
y
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA106",
    "comment-in-continuation",
    "warning",
    "comment line inside a continued value: HTCondor keeps only its last character; "
    "put the comment above the assignment",
    scope="config",
)


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for issue in parsed.reader_issues:
            yield at(RULE, src, line_span(src, issue.offset))
