"""CA107 else-if: `else if COND` is a plain `else`.

## What it does
Reports `else` followed by more words on the same line.

## Why is this bad?
HTCondor reads the line as `else` and drops `if COND` without a word, so the branch runs
whenever the `if` above is false, whatever COND says. See the reference, section 1.9.

## Example
```condor-config
if defined A
X = 1
else if defined B
X = 2
endif
```
```text
3:1 CA107 `else if` is read as `else`: the condition is ignored; write `elif`
```
```condor-config fixed
if defined A
X = 1
elif defined B
X = 2
endif
```

## Use instead
```condor-config
if defined A
X = 1
elif defined B
X = 2
endif
```

## Fix safety
Unsafe: `elif` is what `else if` means in every language the author may know, but HTCondor
today takes the branch whenever the `if` above is false; after the fix it also tests the
condition, so the configuration it builds changes. Review it (`--unsafe-fixes`).
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.parser import Conditional
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA107",
    "else-if",
    "error",
    "`else if` is read as `else`: the condition is ignored; write `elif`",
    fix="unsafe",
    scope="config",
)


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for stmt in parsed.statements:
            if not (isinstance(stmt, Conditional) and stmt.keyword == "else"):
                continue
            if not stmt.trailing.lower().startswith("if"):
                continue
            low = stmt.line.text.lower()
            start = stmt.line.file_offset(low.find("else"))
            end = stmt.line.file_offset(low.find("if", low.find("else")) + 2)
            yield at(
                RULE,
                src,
                Span(start, end),
                fixes=[Fix("Write `elif`", (Edit(path, start, end, "elif"),), "unsafe")],
            )
