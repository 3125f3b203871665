"""CA402 macro-cycle: knobs whose macros refer back to themselves.

``A = $(B)`` and ``B = $(A)`` make HTCondor loop forever while loading the configuration:
every daemon and tool hangs at start-up.

Bad::

    A = $(B)
    B = $(A)

Good::

    A = $(B)
    B = value
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA402", "macro-cycle", "error", "macros refer to each other in a cycle")


def check(project: Project) -> Iterable[Diagnostic]:
    for file, line, message in project.model.notes:
        if message.startswith("macro cycle"):
            yield Diagnostic(RULE.code, RULE.name, RULE.severity, message, file, line, 1)
