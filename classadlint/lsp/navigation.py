"""Go to definition and find references for macros and knobs, and includes.

A knob may be assigned many times (last write wins, and a subsystem-prefixed
``STARTD.X`` beats ``X`` for the startd); definition lists every assignment the lookup
would consider, the one whose value HTCondor uses first, then the others in reading order.
"""

from __future__ import annotations

from collections.abc import Iterator

from lsprotocol import types

from classadlint.config.model import ConfigModel
from classadlint.config.parser import Assignment
from classadlint.lsp.locate import macros_of, name_span
from classadlint.lsp.positions import lsp_range, path_to_uri
from classadlint.project import Project
from classadlint.source import Span


def _location(project: Project, file: str, span: Span) -> types.Location | None:
    src = project.sources.get(file)
    if src is None:  # a metaknob body (<use ROLE:Execute>): no file to open
        return None
    return types.Location(uri=path_to_uri(file), range=lsp_range(src, span.start, span.end))


def assignments_of(model: ConfigModel, name: str) -> list[tuple[str, Assignment]]:
    """Every assignment HTCondor's lookup of ``name`` considers: the one whose value wins
    first, then the others in the order HTCondor read them."""
    keys = model._candidates(name)  # the lookup order itself: local name, subsystem, plain
    order = {(f, stmt.lineno): k for k, (f, stmt) in enumerate(model.assignments)}
    places = {
        (file, line)
        for key in keys
        if (entry := model.entries.get(key)) is not None
        for file, line in entry.history
        if file is not None and line is not None and (file, line) in order
    }
    read = sorted(places, key=order.__getitem__)
    winner = model.lookup(name)
    first = [p for p in read if winner is not None and p == (winner.file, winner.line)]
    return [model.assignments[order[p]] for p in first + [p for p in read if p not in first]]


def definitions(project: Project, name: str) -> list[types.Location]:
    out = []
    for file, stmt in assignments_of(project.model, name):
        loc = _location(project, file, name_span(stmt))
        if loc is not None:
            out.append(loc)
    return out


def _references(project: Project, name: str) -> Iterator[types.Location]:
    low = name.lower()
    for file, parsed in project.model.files.items():
        for stmt in parsed.statements:
            for macro, span in macros_of(stmt):
                if not macro.fn and macro.name.lower() == low:
                    loc = _location(project, file, span)
                    if loc is not None:
                        yield loc


def references(project: Project, name: str, include_declaration: bool) -> list[types.Location]:
    """Every ``$(name)`` in the configuration, after its assignments if asked for."""
    out = definitions(project, name) if include_declaration else []
    return out + list(_references(project, name))
