"""CA408 recursive-macro: knobs whose macros refer back to themselves.

## What it does
Reports a cycle of macro references between knobs (`A = $(B)`, `B = $(A)`), at the
reference in each member that starts the way round.

This rule was CA402 `macro-cycle` until the catalogue gave CA402 to unknown-knob; the old
name still selects it (`--select macro-cycle`).

## Why is this bad?
HTCondor expands macros lazily and has no depth limit: loading the file succeeds, but
every daemon or tool that reads a knob of the cycle (or one built from it) loops forever
expanding it, and `A = x$(B)` with `B = $(A)y` grows without bound. A daemon that reads it
at start-up hangs there. A reference to the knob's own name (`A = $(A) more`) is not a
cycle: it is expanded at once with the earlier value. See the reference, section 1.4.

## Example
```condor-config
A = $(B)
B = $(A)
```
```text
1:5 CA408 macro cycle `A -> B -> A`: HTCondor hangs when it expands `A`; give one of them a value that does not refer back
2:5 CA408 macro cycle `B -> A -> B`: HTCondor hangs when it expands `B`; give one of them a value that does not refer back
```

## Use instead
```condor-config
A = $(B)
B = value
A = $(A) more
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.config.model import find_macro
from classadlint.config.parser import Assignment
from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA408",
    "recursive-macro",
    "error",
    "macros refer to each other in a cycle",
    scope="config",
    aliases=("macro-cycle",),
)

#: The config model records each cycle it meets while expanding a knob (reference 1.4).
_NOTE = re.compile(r"macro cycle: (?P<chain>.+?) \(HTCondor hangs")


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    statements = {(file, a.lineno): a for file, a in model.assignments if isinstance(a, Assignment)}
    for file, line, message in model.notes:
        src = project.sources.get(file)
        m = _NOTE.match(message)
        if src is None or m is None:
            continue
        names = [n.strip() for n in m.group("chain").split("->")]
        # a knob that only leads into a cycle hangs too, but the fix is in the cycle itself,
        # which is reported at its own members
        if len(names) < 2 or names[0].lower() != names[-1].lower():
            continue
        span = line_span(src, src.offset(max(line, 1), 1))
        stmt = statements.get((file, line))
        if stmt is not None and stmt.heredoc_tag is None:
            pos = 0
            while (macro := find_macro(stmt.value, pos)) is not None:
                pos = macro.end
                reads = (
                    [macro.name] if macro.fn == "" else [a.strip() for a in macro.body.split(",")]
                )  # $(B), or a macro function reading B ($SUBSTR(B, 1), $INT(B), $Fn(B)...)
                if names[1].lower() in (r.lower() for r in reads):
                    start = stmt.line.file_offset(stmt.value_start + macro.start)
                    end = stmt.line.file_offset(stmt.value_start + macro.end - 1) + 1
                    span = Span(start, end)
                    break
        yield at(
            RULE,
            src,
            span,
            f"macro cycle `{' -> '.join(names)}`: HTCondor hangs when it expands `{names[0]}`; "
            "give one of them a value that does not refer back",
        )
