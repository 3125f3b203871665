"""CA105 inline-comment: ``#`` after a value is part of the value.

HTCondor has no inline comments: ``START = True # allow all`` sets START to the text
``True # allow all``, which is not a valid expression (``#`` is not a ClassAd token) — the
startd then treats START as broken. Put the comment on its own line above.

Bad::

    START = True # allow all

Good::

    # allow all
    START = True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.config.parser import Assignment
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA105", "inline-comment", "warning", "`#` after a value is part of the value")

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
            offset = stmt.line.file_offset(stmt.value_start + hit.start(1) + 1)
            pos = src.position(offset)
            yield Diagnostic(
                RULE.code,
                RULE.name,
                RULE.severity,
                f"`{stmt.value[hit.start(1) + 1 :]}` is part of {stmt.name}'s value: HTCondor has "
                "no inline comments; put the comment on its own line above",
                path,
                pos.line,
                pos.col,
                offset,
            )
