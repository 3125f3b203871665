"""CA401 undefined-macro: `$(X)` where X is defined nowhere and has no default.

## What it does
Reports a macro reference to a knob that neither the configuration nor HTCondor's
built-in defaults define, and that gives no default (`$(X:default)`).

## Why is this bad?
HTCondor substitutes an empty string, which usually leaves a broken expression or path:
`START = $(GPU_POLICY) && Memory > 0` becomes `START =  && Memory > 0`. See the
reference, section 1.6.

## Example
```condor-config
START = $(NOT_DEFINED_ANYWHERE)
```
```text
1:1 CA103 START: unexpected end of input; expected an expression
1:9 CA401 $(NOT_DEFINED_ANYWHERE) is not defined anywhere and has no default: it expands to nothing (write $(NOT_DEFINED_ANYWHERE:default) or define it)
```

## Use instead
```condor-config
MY_POLICY = Memory > 1024
START = $(MY_POLICY)
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.model import find_macro
from classadlint.config.parser import Assignment
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA401",
    "undefined-macro",
    "warning",
    "macro with no definition and no default",
    scope="config",
)


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    for path, parsed in model.files.items():
        src = project.sources[path]
        for stmt in parsed.statements:
            if not isinstance(stmt, Assignment) or stmt.heredoc_tag is not None:
                continue
            pos = 0
            while (macro := find_macro(stmt.value, pos)) is not None:
                pos = macro.end
                if macro.fn or macro.default is not None or macro.name.upper() == "DOLLAR":
                    continue
                if model.lookup(macro.name) is not None:
                    continue
                start = stmt.line.file_offset(stmt.value_start + macro.start)
                end = stmt.line.file_offset(stmt.value_start + macro.end - 1) + 1
                yield at(
                    RULE,
                    src,
                    Span(start, end),
                    f"$({macro.name}) is not defined anywhere and has no default: it expands "
                    f"to nothing (write $({macro.name}:default) or define it)",
                )
