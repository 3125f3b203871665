"""CA102 unterminated-block: `NAME @=tag` is never closed by a line `@tag`.

## What it does
Reports a multi-line (heredoc) value whose closing line is missing, at its opening line.

## Why is this bad?
HTCondor reads to the end of the file looking for the terminator and then refuses the
whole configuration. A common slip is closing with `@=tag` (the opener) instead of
`@tag`. See the reference, section 1.5.

## Example
```condor-config
JOB_TRANSFORM_NAMES = X
JOB_TRANSFORM_X @=end
SET Foo 1
@=end
```
```text
2:1 CA102 `JOB_TRANSFORM_X @=end` is never closed: HTCondor reads to the end of the file looking for a line `@end`
```

## Use instead
```condor-config
JOB_TRANSFORM_NAMES = X
JOB_TRANSFORM_X @=end
SET Foo 1
@end
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA102", "unterminated-block", "error", "`@=tag` block never closed", scope="config")


def check(project: Project) -> Iterable[Diagnostic]:
    for file, err in project.model.errors:
        src = project.sources.get(file)
        if err.code == RULE.code and src is not None:
            yield at(RULE, src, line_span(src, err.offset), err.message)
