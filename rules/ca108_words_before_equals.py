"""CA108 words-before-equals: ``START POLICY = x`` silently sets ``START``.

HTCondor takes the first word as the knob name and drops the others without a word.

Bad::

    START POLICY = Memory > 1024

Good::

    START = Memory > 1024
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.config.parser import Assignment
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA108", "words-before-equals", "error", "words between the name and `=` are dropped")


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src = project.sources[path]
        for stmt in parsed.statements:
            if isinstance(stmt, Assignment) and stmt.ignored_words:
                offset = stmt.line.file_offset(stmt.name_start)
                pos = src.position(offset)
                yield Diagnostic(
                    RULE.code,
                    RULE.name,
                    RULE.severity,
                    f"`{stmt.name} {stmt.ignored_words} {stmt.op}` sets `{stmt.name}`: "
                    f"HTCondor drops `{stmt.ignored_words}`",
                    path,
                    pos.line,
                    pos.col,
                    offset,
                )
