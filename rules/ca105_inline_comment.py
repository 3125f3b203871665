"""CA105 inline-comment: `#` after a value is part of the value.

## What it does
Reports a `#` (outside string literals) in the value of an assignment.

## Why is this bad?
HTCondor has no inline comments: `START = True # allow all` sets START to the text
`True # allow all`, which is not a valid expression (`#` is not a ClassAd token), so the
startd treats START as broken and never starts a job. See the reference, section 7
(pitfall 1).

## Example
```condor-config
START = True # allow all
```
```text
1:14 CA103 START: `#` is not allowed outside a string in a ClassAd expression
1:14 CA105 `# allow all` is part of START's value: HTCondor has no inline comments; put the comment on its own line above
```
```condor-config fixed
# allow all
START = True
```

## Use instead
```condor-config
# allow all
START = True
```

## Fix safety
Unsafe: it changes the value (the text after `#` leaves it), which is what the author
meant but not what HTCondor reads today.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.config.parser import Assignment
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA105",
    "inline-comment",
    "warning",
    "`#` after a value is part of the value",
    fix="unsafe",
    scope="config",
)

_OUTSIDE_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|(\s#)')


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for stmt in parsed.statements:
            if not isinstance(stmt, Assignment) or stmt.heredoc_tag is not None:
                continue
            hit = next((m for m in _OUTSIDE_STRINGS.finditer(stmt.value) if m.group(1)), None)
            if hit is None:
                continue
            comment = stmt.value[hit.start(1) + 1 :].rstrip()
            offset = stmt.line.file_offset(stmt.value_start + hit.start(1) + 1)
            fixes = []
            line = src.position(offset).line
            if line == src.position(stmt.line.file_offset(0)).line:  # one physical line
                start = src.offset(line, 1)
                value_end = stmt.line.file_offset(stmt.value_start + hit.start(1))
                indent = src.line_text(line)[
                    : len(src.line_text(line)) - len(src.line_text(line).lstrip())
                ]
                fixes.append(
                    Fix(
                        "Move the comment to its own line above",
                        (
                            Edit(path, start, start, f"{indent}{comment}\n"),
                            Edit(path, value_end, offset + len(comment), ""),
                        ),
                        "unsafe",
                    )
                )
            yield at(
                RULE,
                src,
                Span(offset, offset + len(comment)),
                f"`{comment}` is part of {stmt.name}'s value: HTCondor has no inline comments; "
                "put the comment on its own line above",
                fixes=fixes,
            )
