"""CA102 unterminated-block: ``NAME @=tag`` is never closed by a line ``@tag``.

HTCondor reads to the end of the file looking for the terminator and then refuses the
whole configuration. A common slip is closing with ``@=tag`` (the opener) instead of
``@tag``.

Bad::

    JOB_TRANSFORM_X @=end
    [ set_Foo = 1; ]
    @=end

Good::

    JOB_TRANSFORM_X @=end
    [ set_Foo = 1; ]
    @end
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA102", "unterminated-block", "error", "`@=tag` block never closed")


def check(project: Project) -> Iterable[Diagnostic]:
    for file, err in project.model.errors:
        if err.code == RULE.code:
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                err.message,
                file,
                err.line,
                err.col,
                err.offset,
            )
