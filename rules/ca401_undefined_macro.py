"""CA401 undefined-macro: ``$(X)`` where X is defined nowhere and has no default.

HTCondor substitutes an empty string, which usually leaves a broken expression or path
(``START = $(GPU_POLICY) && ...`` becomes ``START =  && ...``). Define the knob, fix the
name, or give a default: ``$(X:fallback)``.

Bad::

    START = $(NOT_DEFINED_ANYWHERE)

Good::

    MY_POLICY = Memory > 1024
    START = $(MY_POLICY)
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.model import find_macro
from classadlint.config.parser import Assignment
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA401", "undefined-macro", "warning", "macro with no definition and no default")


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
                offset = stmt.line.file_offset(stmt.value_start + macro.start)
                where = src.position(offset)
                yield Diagnostic(
                    RULE.code,
                    RULE.name,
                    RULE.severity,
                    f"$({macro.name}) is not defined anywhere and has no default: it expands "
                    f"to nothing (write $({macro.name}:default) or define it)",
                    path,
                    where.line,
                    where.col,
                    offset,
                )
