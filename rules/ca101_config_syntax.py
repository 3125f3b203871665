"""CA101 config-syntax: a line HTCondor cannot read.

## What it does
Reports the lines of a configuration file that HTCondor's config reader refuses, at the
column where reading fails.

## Why is this bad?
HTCondor stops at the first such line and every daemon refuses to start ("Configuration
Error Line N"). Typical causes: a continued value whose next line lacks the `\\`, an INI
header with a space (`[HTCondor Settings]`), `require_version` (no such keyword), an `if`
with `&&` or `==` (only one value, `defined NAME` or `version OP X.Y` are allowed), a `use`
of an unknown template, an `include` of a missing file. See the reference, section 1.

## Example
```condor-config
START = (Memory > 1024 &&
Cpus > 1)
```
```text
1:26 CA103 START: unexpected end of input; expected an expression
2:1 CA101 no `=` after `Cpus > 1)`: expected `NAME = value`
```

## Use instead
```condor-config
START = (Memory > 1024 && \\
Cpus > 1)
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic, Location
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA101", "config-syntax", "error", "a line HTCondor cannot read", scope="config")

_NOT_FATAL = ("include command not run", "include outside the tree", "macro cycle")


def check(project: Project) -> Iterable[Diagnostic]:
    for file, err in project.model.errors:
        src = project.sources.get(file)
        if err.code == RULE.code and src is not None:
            yield at(RULE, src, line_span(src, err.offset), err.message)
    for file, line, message in project.model.notes:
        if message.startswith(_NOT_FATAL):
            continue
        src = project.sources.get(file)
        if src is not None:
            yield at(RULE, src, line_span(src, src.offset(max(line, 1), 1)), message)
        else:  # a file we could not read at all (binary, not UTF-8): still say so
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                message,
                Location.point(file, max(line, 1)),
            )
