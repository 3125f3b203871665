"""CA410 include-command: the configuration runs a program when HTCondor reads it.

## What it does
Reports `include command : <program>` (also spelled `include output`, or
`include : <program> |`), which classadlint never runs, so whatever the program's output
would define is not checked. With `into <file>`, HTCondor reads that file instead when it
exists; classadlint then checks the file as it is now.

## Why is this bad?
HTCondor runs the program every time a daemon or tool reads its configuration (start-up,
every `condor_reconfig`, every `condor_q`), parses its standard output as configuration,
and aborts loading if the program fails (unless `ifexist`). The knobs it sets exist only
at run time: no review or linter sees them, and a slow or failing program stalls or
breaks every HTCondor command on the host. It is an informational finding: sometimes a
program is the right tool. See the reference, section 1.7.

## Example
```condor-config
include command : /usr/local/bin/make-slots-config
```
```text
1:19 CA410 `include command` runs `/usr/local/bin/make-slots-config` each time HTCondor reads this file; classadlint runs nothing, so what it defines is not checked: write its output to a file and `include :` that file, or cache it with `include command into <file> :`
```

## Use instead
```condor-config
include ifexist : slots.config
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.parser import Keyword
from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA410",
    "include-command",
    "info",
    "an include runs a program at configuration time",
    scope="config",
)


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    for record in model.include_commands:
        src = project.sources.get(record.file)
        parsed = model.files.get(record.file)
        if src is None or parsed is None:
            continue
        stmt = next(
            (
                s
                for s in parsed.statements
                if isinstance(s, Keyword) and s.keyword == "include" and s.lineno == record.line
            ),
            None,
        )
        if stmt is not None and stmt.argument:
            start = stmt.line.file_offset(stmt.argument_start)
            end = stmt.line.file_offset(stmt.argument_start + len(stmt.argument) - 1) + 1
            span = Span(start, end)
        else:
            span = line_span(src, src.offset(max(record.line, 1), 1))
        cmd = record.command
        if record.action == "read-into-file":
            message = (
                f"`include command` runs `{cmd}` whenever `{record.into}` does not exist; "
                f"classadlint checked `{record.into}` as it is now: keep it in the repository "
                "and `include :` it instead"
            )
        elif record.action == "run":
            message = (
                f"`include command` runs `{cmd}` each time HTCondor reads this file "
                "(classadlint ran it as asked and checked today's output): write its output to "
                "a file and `include :` that file"
            )
        else:
            message = (
                f"`include command` runs `{cmd}` each time HTCondor reads this file; "
                "classadlint runs nothing, so what it defines is not checked: write its output "
                "to a file and `include :` that file, or cache it with "
                "`include command into <file> :`"
            )
        yield at(RULE, src, span, message)
