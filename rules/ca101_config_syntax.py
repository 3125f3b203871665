"""CA101 config-syntax: a line HTCondor cannot read.

HTCondor stops reading the configuration at the first such line and every daemon refuses to
start ("Configuration Error Line N"). Examples: a continued value whose next line is not
marked with ``\\``, an INI header with a space (``[HTCondor Settings]``), ``require_version``
(no such keyword: use ``if version >= X.Y`` / ``error : ...`` / ``endif``), an ``if`` with
``&&`` or ``==`` (only one value, ``defined NAME`` or ``version OP X.Y`` are allowed), a
``use`` of an unknown template, an ``include`` of a missing file.

Bad::

    START = (Memory > 1024 &&
    Cpus > 1)

Good::

    START = (Memory > 1024 && \\
    Cpus > 1)
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA101", "config-syntax", "error", "a line HTCondor cannot read")

_NOT_FATAL = ("include command not run", "include outside the tree", "macro cycle")


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
    for file, line, message in project.model.notes:
        if not message.startswith(_NOT_FATAL):
            yield Diagnostic(RULE.code, RULE.name, RULE.severity, message, file, line, 1)
