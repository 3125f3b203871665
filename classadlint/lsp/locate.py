"""What is under the cursor: the statement, a ``$(X)`` reference, a knob name, an
attribute or function of an expression, a rule code of a suppression comment, an include.

Expressions are found through the config model's source map, not by re-reading the line:
the character under the cursor is looked up among the origins of every expression knob's
expansion, so a cursor inside a helper macro (``POLICY = Memory > 1`` used by ``START =
$(POLICY)``) lands on the node START's parse made of it, in START's evaluation context.
A line that no expression knob uses is parsed on its own, without a context.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import Macro, Origin, expand, find_macro
from classadlint.config.parser import Assignment, ConfigFile, Keyword, Statement
from classadlint.config.reader import LogicalLine
from classadlint.lint.context import line_span
from classadlint.lint.suppress import find_suppressions
from classadlint.project import ExpressionKnob, Project
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.knob_contexts import Context
from classadlint.source import SourceFile, Span

Kind = Literal["macro", "knob", "attribute", "function", "suppression", "include"]
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Target:
    """One thing at the cursor. ``span``: its file offsets.

    For attributes ``scope`` is MY, TARGET (or an alias such as JOB) when written, and
    ``context`` the evaluation context it was found in (None: unknown); ``knob`` is the
    expression knob whose parse it belongs to.
    """

    kind: Kind
    name: str
    span: Span
    statement: Statement | None = None
    scope: str | None = None
    context: Context | None = None
    knob: ExpressionKnob | None = None
    macro: Macro | None = None


# --- statements ---------------------------------------------------------------------------


def statement_lines(stmt: Statement) -> tuple[int, int]:
    """First and last physical line of a statement (an ``@=`` block to its closing line)."""
    last = stmt.line.end_line
    if isinstance(stmt, Assignment) and stmt.heredoc_tag is not None:
        last = (stmt.body[-1].end_line if stmt.body else last) + 1
    return stmt.line.line, last


def statement_at(parsed: ConfigFile, line: int) -> Statement | None:
    """The statement covering a 1-based physical line."""
    for stmt in parsed.statements:
        first, last = statement_lines(stmt)
        if first <= line <= last:
            return stmt
        if first > line:
            break
    return None


def logical_lines(stmt: Statement) -> list[LogicalLine]:
    """The logical lines a statement is made of (an ``@=`` block's body lines too)."""
    if isinstance(stmt, Assignment) and stmt.heredoc_tag is not None:
        return [stmt.line, *stmt.body]
    return [stmt.line]


def macros_of(stmt: Statement) -> Iterator[tuple[Macro, Span]]:
    """Every ``$(X)`` reference written in a statement, with its file span."""
    for ll in logical_lines(stmt):
        pos = 0
        while (macro := find_macro(ll.text, pos)) is not None:
            pos = macro.end
            yield macro, Span(ll.file_offset(macro.start), ll.file_offset(macro.end - 1) + 1)


def name_span(stmt: Assignment) -> Span:
    start = stmt.line.file_offset(stmt.name_start)
    return Span(start, stmt.line.file_offset(stmt.name_start + len(stmt.name) - 1) + 1)


# --- includes ------------------------------------------------------------------------------


def include_target(stmt: Statement, file: str, project: Project) -> Path | None:
    """The file an ``include`` line reads (its argument expanded with the final macro
    values), if it exists; commands (``include command :``) are never resolved."""
    if not isinstance(stmt, Keyword) or stmt.keyword != "include":
        return None
    words = stmt.options.lower().split()
    arg = expand(stmt.argument, [Origin(None, None)] * len(stmt.argument), project.model).text
    if "command" in words or "output" in words or not arg or arg.rstrip().endswith("|"):
        return None
    target = Path(arg) if os.path.isabs(arg) else (Path(file).parent / arg)
    target = target.resolve()
    return target if target.is_file() else None


# --- expressions ---------------------------------------------------------------------------


def _knob_index(knob: ExpressionKnob, file: str, start: int, end: int) -> int | None:
    """The first index of the expansion whose character was written in ``file`` at an
    offset in ``[start, end]``."""
    for k, o in enumerate(knob.expanded.origins):
        if o.offset is not None and start <= o.offset <= end and o.file == file:
            return k
    return None


def expression_at(
    project: Project,
    file: str,
    offset: int,
    stmt: Statement | None,
    start: int | None = None,
    parsed: bool = True,
) -> tuple[ExpressionKnob, int] | None:
    """The expression knob whose expansion holds the character at ``offset`` of ``file``
    (or any from ``start`` to ``offset``) and its index there; the knob the statement
    itself sets first. ``parsed``: only knobs whose expansion parses (False: half-typed
    ones too, for their context)."""
    knobs = project.expression_knobs
    own = [
        k
        for k in knobs
        if isinstance(stmt, Assignment) and k.entry.file == file and k.entry.line == stmt.lineno
    ]
    for knob in [*own, *(k for k in knobs if k not in own)]:
        if parsed and knob.tree is None:
            continue
        index = _knob_index(knob, file, offset if start is None else start, offset)
        if index is not None:
            return knob, index
    return None


def node_at(tree: ast.Expr, index: int) -> list[ast.Expr]:
    """The nodes whose span holds ``index``, outermost first."""
    path: list[ast.Expr] = []
    node: ast.Expr | None = tree
    while node is not None:
        path.append(node)
        node = next(
            (c for c in ast.children(node) if c.span.start <= index < c.span.end),
            None,
        )
    return path


def _target_of_nodes(path: list[ast.Expr], index: int) -> tuple[Kind, str, Span, str | None] | None:
    """(kind, name, span in the expression text, scope) of the innermost name at index."""
    for node in reversed(path):
        if isinstance(node, ast.Call) and node.name_span.start <= index < node.name_span.end:
            return "function", node.name, node.name_span, None
        if isinstance(node, ast.Select) and isinstance(node.base, ast.AttrRef):
            if node.name_span.start <= index < node.name_span.end:
                return "attribute", node.name, node.name_span, node.base.name
            if node.base.span.start <= index < node.base.span.end:
                return None  # the scope word itself
        if isinstance(node, ast.AttrRef) and node.span.start <= index < node.span.end:
            return "attribute", node.name, node.span, None
    return None


def _expression_target(
    project: Project, file: str, offset: int, stmt: Statement | None
) -> Target | None:
    found = expression_at(project, file, offset, stmt)
    if found is not None:
        knob, index = found
        assert knob.tree is not None
        origins = knob.expanded.origins
        hit = _target_of_nodes(node_at(knob.tree, index), index)
        if hit is None:
            return None
        kind, name, span, scope = hit
        start = origins[span.start].offset if span.start < len(origins) else None
        last = origins[span.end - 1].offset if 0 < span.end <= len(origins) else None
        file_span = (
            Span(start, last + 1)
            if start is not None and last is not None and last >= start
            else Span(offset, offset + 1)
        )
        ctx = knob_catalog.context(knob.entry.name)
        return Target(kind, name, file_span, stmt, scope, ctx, knob)
    return _standalone_target(stmt, offset)


def _standalone_target(stmt: Statement | None, offset: int) -> Target | None:
    """A statement no expression knob reads: its value parsed on its own."""
    if not isinstance(stmt, Assignment) or stmt.heredoc_tag is not None or not stmt.value:
        return None
    ll = stmt.line
    offsets = ll.file_offsets(stmt.value_start, len(stmt.value))
    try:
        index = offsets.index(offset)
    except ValueError:
        return None
    try:
        tree = parse_expr(stmt.value, ParseOptions(strings="old"))
    except ClassAdSyntaxError:
        return None
    hit = _target_of_nodes(node_at(tree, index), index)
    if hit is None:
        return None
    kind, name, span, scope = hit
    file_span = Span(offsets[span.start], offsets[span.end - 1] + 1)
    ctx = knob_catalog.context(stmt.name)
    return Target(kind, name, file_span, stmt, scope, ctx)


# --- the cursor ----------------------------------------------------------------------------


def _suppression_target(src: SourceFile, line: int, offset: int) -> Target | None:
    text = src.line_text(line)
    if "classadlint" not in text:
        return None
    sups = [s for s in find_suppressions(SourceFile(src.path, text)) if s.line == 1]
    if not sups:
        return None
    start = src.offset(line, 1)
    eq = text.find("=")
    for m in _IDENT_OR_DASH.finditer(text, eq + 1):
        if m.group(0) in sups[0].selectors and m.start() <= offset - start < m.end():
            return Target("suppression", m.group(0), Span(start + m.start(), start + m.end()))
    return None


_IDENT_OR_DASH = re.compile(r"[\w-]+")


def target_at(project: Project, file: str, offset: int) -> Target | None:
    """The thing at ``offset`` of ``file`` (or just before it: a cursor after a word)."""
    for at in (offset, offset - 1):
        if at < 0:
            continue
        hit = _target_at(project, file, at)
        if hit is not None:
            return hit
    return None


def _target_at(project: Project, file: str, offset: int) -> Target | None:
    src = project.sources.get(file)
    parsed = project.model.files.get(file)
    if src is None or parsed is None or offset >= len(src.text):
        return None
    line = src.position(offset).line
    sup = _suppression_target(src, line, offset)
    if sup is not None:
        return sup
    stmt = statement_at(parsed, line)
    if stmt is None:
        return None
    for macro, span in macros_of(stmt):
        if span.start <= offset < span.end and not macro.fn:
            return Target("macro", macro.name, span, stmt, macro=macro)
    if isinstance(stmt, Keyword) and stmt.keyword == "include":
        return Target("include", stmt.argument, line_span(src, src.offset(stmt.lineno, 1)), stmt)
    if isinstance(stmt, Assignment):
        span = name_span(stmt)
        if span.start <= offset < span.end:
            return Target("knob", stmt.name, span, stmt)
    return _expression_target(project, file, offset, stmt)
