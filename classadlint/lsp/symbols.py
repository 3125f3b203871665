"""Document symbols: the outline of a config file.

Knobs are variables (HTCondor's own knobs properties), ``NAME @=tag`` blocks are objects
whose children are the block's lines, job transforms and routes (old ``[...]`` and native
syntax alike) are functions, includes files and ``use`` lines packages.
"""

from __future__ import annotations

from lsprotocol import types

from classadlint.config.parser import Assignment, ConfigFile, Keyword, Statement
from classadlint.lsp.hover import shorten
from classadlint.lsp.locate import name_span, statement_lines
from classadlint.lsp.positions import lsp_range
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.knob_contexts import classify
from classadlint.source import SourceFile, Span

_DETAIL = 60


def _lines_span(src: SourceFile, stmt: Statement) -> Span:
    first, last = statement_lines(stmt)
    last = min(last, src.line_count)
    return Span(src.offset(first, 1), src.offset(last, 1) + len(src.line_text(last)))


def is_transform(name: str) -> bool:
    return classify(knob_catalog.strip_prefix(name)[1])[0] == "transform"


def _assignment_symbol(src: SourceFile, stmt: Assignment) -> types.DocumentSymbol:
    whole = lsp_range(src, *_lines_span(src, stmt))
    name = name_span(stmt)
    children = None
    if stmt.heredoc_tag is not None:
        kind = types.SymbolKind.Object
        detail = f"@={stmt.heredoc_tag} block, {len(stmt.body)} line(s)"
        children = []
        for body in stmt.body:
            text = body.text.strip()
            if not text:
                continue
            lead = len(body.text) - len(body.text.lstrip())
            start = body.file_offset(lead)
            end = body.file_offset(lead + len(text) - 1) + 1
            r = lsp_range(src, start, end)
            children.append(
                types.DocumentSymbol(
                    name=shorten(text, _DETAIL),
                    kind=types.SymbolKind.Field,
                    range=r,
                    selection_range=r,
                )
            )
    else:
        kind = (
            types.SymbolKind.Property
            if knob_catalog.knob(stmt.name) is not None
            else types.SymbolKind.Variable
        )
        detail = shorten(stmt.value, _DETAIL)
    if is_transform(stmt.name):
        kind = types.SymbolKind.Function
        detail = f"transform; {detail}"
    return types.DocumentSymbol(
        name=stmt.name,
        kind=kind,
        range=whole,
        selection_range=lsp_range(src, name.start, name.end),
        detail=detail,
        children=children,
    )


def document_symbols(src: SourceFile, parsed: ConfigFile) -> list[types.DocumentSymbol]:
    out: list[types.DocumentSymbol] = []
    for stmt in parsed.statements:
        if isinstance(stmt, Assignment):
            out.append(_assignment_symbol(src, stmt))
        elif isinstance(stmt, Keyword) and stmt.keyword in ("include", "use"):
            r = lsp_range(src, *_lines_span(src, stmt))
            kind = types.SymbolKind.File if stmt.keyword == "include" else types.SymbolKind.Package
            label = f"{stmt.keyword} {stmt.options}".strip()
            out.append(
                types.DocumentSymbol(
                    name=f"{label} : {shorten(stmt.argument, _DETAIL)}",
                    kind=kind,
                    range=r,
                    selection_range=r,
                )
            )
    return out
