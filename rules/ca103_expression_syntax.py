"""CA103 expression-syntax: an expression knob that is not a valid ClassAd expression
once its macros are expanded.

The daemon that reads it logs an error and treats the policy as broken (a START that does
not parse never lets a job start). The position is where the expansion went wrong, mapped
back to the text you wrote.

Bad::

    START = Memory > 1024 && (Cpus > 1

Good::

    START = Memory > 1024 && (Cpus > 1)
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA103", "expression-syntax", "error", "expression does not parse")


def check(project: Project) -> Iterable[Diagnostic]:
    for knob in project.expression_knobs:
        err = knob.error
        if err is None or "is not a ClassAd operator" in err.message:
            continue
        file, line, col, offset = project.locate(knob, err.span.start)
        origins = knob.expanded.origins
        at = min(err.span.start, len(origins) - 1)
        chain = origins[at].chain[1:] if origins else ()
        related = tuple(
            (
                ref_file,
                project.sources[ref_file].position(ref_offset).line,
                f"expanded from $({name})",
            )
            for name, ref_file, ref_offset in chain
            if ref_file in project.sources and ref_offset is not None
        )  # the first link is the knob itself
        yield Diagnostic(
            RULE.code,
            RULE.name,
            RULE.severity,
            f"{knob.entry.name}: {err.message}",
            file,
            line,
            col,
            offset,
            related,
        )
