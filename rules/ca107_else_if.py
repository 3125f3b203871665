"""CA107 else-if: ``else if COND`` is a plain ``else``; HTCondor drops ``if COND`` silently.

Bad::

    if defined A
    X = 1
    else if defined B
    X = 2
    endif

Good::

    if defined A
    X = 1
    elif defined B
    X = 2
    endif

Fix: safe.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.parser import Conditional
from classadlint.lint.diagnostic import Diagnostic, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA107", "else-if", "error", "`else if` is a plain `else`", "safe")


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for stmt in parsed.statements:
            if not (isinstance(stmt, Conditional) and stmt.keyword == "else"):
                continue
            if not stmt.trailing.lower().startswith("if"):
                continue
            start = stmt.line.file_offset(stmt.line.text.lower().find("else"))
            end = stmt.line.file_offset(
                stmt.line.text.lower().find("if", stmt.line.text.lower().find("else")) + 2
            )
            pos = src.position(start)
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                "`else if` is read as `else`: the condition is ignored; write `elif`",
                path,
                pos.line,
                pos.col,
                start,
                fixes=(Fix(path, start, end, "elif", "write `elif`"),),
            )
