"""CA108 words-before-equals: `START POLICY = x` silently sets `START`.

## What it does
Reports an assignment with more than one word before the `=`.

## Why is this bad?
HTCondor takes the first word as the knob name and drops the others without a word, so
`START POLICY = False` sets START. See the reference, section 7 (pitfall 4).

## Example
```condor-config
START POLICY = Memory > 1024
```
```text
1:1 CA108 `START POLICY =` sets `START`: HTCondor drops `POLICY`; remove it or join the words
```

## Use instead
```condor-config
START = Memory > 1024
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.parser import Assignment
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA108",
    "words-before-equals",
    "error",
    "words between the name and `=` are dropped",
    scope="config",
)


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for stmt in parsed.statements:
            if isinstance(stmt, Assignment) and stmt.ignored_words:
                offset = stmt.line.file_offset(stmt.name_start)
                width = len(stmt.name) + 1 + len(stmt.ignored_words)
                yield at(
                    RULE,
                    src,
                    Span(offset, offset + width),
                    f"`{stmt.name} {stmt.ignored_words} {stmt.op}` sets `{stmt.name}`: "
                    f"HTCondor drops `{stmt.ignored_words}`; remove it or join the words",
                )
