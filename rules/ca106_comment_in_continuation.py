"""CA106 comment-in-continuation: a ``#`` line inside a ``\\``-continued value.

HTCondor keeps only the *last character* of such a line: if it is not a ``\\``, the value
ends there with that character appended, and the following lines become statements of
their own (usually a fatal error). Move the comment above the assignment.

Bad::

    A = x \\
    # explain y
    y

Good::

    # explain y
    A = x \\
    y
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA106", "comment-in-continuation", "warning", "comment line inside a continued line")


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for issue in parsed.reader_issues:
            pos = src.position(issue.offset)
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                "comment line inside a continued value: HTCondor keeps only its "
                "last character; put the comment above the assignment",
                path,
                pos.line,
                pos.col,
                issue.offset,
            )
