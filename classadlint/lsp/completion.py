"""Completion, by where the cursor is on its line:

* after ``$(``: macro names, the configuration's own first, then HTCondor's knobs;
* after ``MY.``/``TARGET.`` (or a context alias such as ``JOB.``): the attributes of the
  ad that scope names where the knob is evaluated (START: MY is the slot, TARGET the
  job; SUBMIT_REQUIREMENT_x: MY is the job; see :mod:`classadlint.schema.knob_contexts`);
* at the start of a line: knob names and the config keywords;
* elsewhere in a value: ClassAd functions with their signatures, and the attributes an
  unqualified name finds (MY's, then TARGET's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lsprotocol import types

from classadlint.config.parser import Assignment, Statement
from classadlint.lsp.hover import describe_context, function_signature, shorten
from classadlint.lsp.locate import expression_at, statement_at
from classadlint.project import Project
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.attributes import ADS, Ad, catalog, catalog_ad, manual_description
from classadlint.schema.functions_catalog import all_functions
from classadlint.schema.knob_contexts import Context

_MACRO = re.compile(r"\$\(([A-Za-z0-9_./]*)\Z")
_SCOPED = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_]*)\Z")
_LINE_START = re.compile(r"\s*[A-Za-z0-9_.]*\Z")
_WORD = re.compile(r"(?<![A-Za-z0-9_.$])[A-Za-z_][A-Za-z0-9_]*\Z|(?<=[\s(,!&|=<>+*/%?:-])\Z")
KEYWORDS = ("include", "use", "if", "elif", "else", "endif", "error", "warning")
_VALUE_LIMIT = 80


# a code span (kept verbatim), else emphasis (its text kept), else a backslash escape
_MARKUP = re.compile(
    r"(?P<fence>`+)(?P<code>.+?)(?P=fence)"
    r"|(?<![\w*\\])(?P<stars>\*\*?)(?=\S)(?P<emph>.+?)(?<=\S)(?P=stars)(?![\w*])"
    r"|\\(?P<escaped>[^\w\s])"
)


def _plain(m: re.Match[str]) -> str:
    if m.group("code") is not None:
        return m.group("code").strip()
    if m.group("emph") is not None:
        return m.group("emph")
    return m.group("escaped")


def documentation(text: str, markdown: bool = True) -> types.MarkupContent | str | None:
    """A completion item's documentation: Markdown for a client that renders it (its
    ``documentationFormat`` lists markdown, as VS Code's and Neovim's do), else the same
    text with the markup taken out (a client without the capability gets plain text)."""
    if not text:
        return None
    if markdown:
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return _MARKUP.sub(_plain, text)


def knob_documentation(name: str, markdown: bool = True) -> types.MarkupContent | str | None:
    """The first sentence of the manual's description of a knob: a list of 1,200 knobs
    with their whole descriptions would be ~530 kB per request instead of ~140 kB; the first
    sentences add ~130 kB, and the hover has the rest."""
    desc = knob_catalog.description(name)
    return documentation(desc.summary, markdown) if desc is not None else None


def macro_items(project: Project, markdown: bool = True) -> list[types.CompletionItem]:
    model = project.model
    items: dict[str, types.CompletionItem] = {}
    for entry in model.entries.values():
        items[entry.name.upper()] = types.CompletionItem(
            label=entry.name,
            kind=types.CompletionItemKind.Variable,
            detail=shorten(entry.value, _VALUE_LIMIT),
            sort_text=f"0{entry.name.upper()}",
        )
    for info in knob_catalog.iter_knobs():
        if info.name.upper() not in items:
            items[info.name.upper()] = types.CompletionItem(
                label=info.name,
                kind=types.CompletionItemKind.Constant,
                detail=f"default: {shorten(info.default, _VALUE_LIMIT)}"
                if info.default
                else "HTCondor knob",
                documentation=knob_documentation(info.name, markdown),
                sort_text=f"1{info.name.upper()}",
            )
    return list(items.values())


def knob_items(project: Project, markdown: bool = True) -> list[types.CompletionItem]:
    items: dict[str, types.CompletionItem] = {}
    for info in knob_catalog.iter_knobs():
        kind = "expression" if info.expression else info.type
        detail = f"{kind}; default: {shorten(info.default, _VALUE_LIMIT)}" if info.default else kind
        items[info.name.upper()] = types.CompletionItem(
            label=info.name,
            kind=types.CompletionItemKind.Property,
            detail=detail,
            documentation=knob_documentation(info.name, markdown),
            sort_text=f"1{info.name.upper()}",
        )
    for entry in project.model.entries.values():
        items.setdefault(
            entry.name.upper(),
            types.CompletionItem(
                label=entry.name,
                kind=types.CompletionItemKind.Variable,
                detail=shorten(entry.value, _VALUE_LIMIT),
                sort_text=f"0{entry.name.upper()}",
            ),
        )
    for kw in KEYWORDS:
        items[kw] = types.CompletionItem(
            label=kw, kind=types.CompletionItemKind.Keyword, sort_text=f"2{kw}"
        )
    return list(items.values())


def attribute_items(
    ads: Iterable[Ad], why: str, markdown: bool = True
) -> list[types.CompletionItem]:
    cat = catalog()
    items: dict[str, types.CompletionItem] = {}
    for ad in ads:
        for name in cat.names(ad):
            info = cat.get(ad, name)
            if info is None or name.lower() in items:
                continue
            # ours where we wrote one, else the manual's first sentence (as for knobs)
            found = None if info.description else manual_description(info)
            doc = info.description or (found.summary if found is not None else "")
            items[name.lower()] = types.CompletionItem(
                label=info.name,
                kind=types.CompletionItemKind.Field,
                detail=f"{info.ad} ad, {info.type}{why}",
                documentation=documentation(doc, markdown),
                sort_text=("0" if info.always else "1") + info.name.lower(),
            )
    return list(items.values())


def function_items() -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=f.name,
            kind=types.CompletionItemKind.Function,
            detail=function_signature(f),
            sort_text=f"2{f.name.lower()}",
        )
        for f in all_functions()
    ]


def context_at(project: Project, file: str, line: int, offset: int) -> Context | None:
    """The evaluation context of the expression being written on ``line``: the knob the
    statement sets if it is an expression knob, else the knob whose expansion reads this
    text (a helper macro), else None."""
    parsed = project.model.files.get(file)
    stmt = statement_at(parsed, line) if parsed is not None else None
    if isinstance(stmt, Assignment):
        ctx = knob_catalog.context(stmt.name)
        if ctx is not None:
            return ctx
    src = project.sources.get(file)
    if src is None or line > src.line_count:
        return None
    found = expression_at(project, file, offset, stmt, start=src.offset(line, 1), parsed=False)
    return knob_catalog.context(found[0].entry.name) if found is not None else None


def _ads(ctx: Context | None, scope: str | None) -> list[Ad]:
    if ctx is None:
        return ["job", "machine"] if scope is None or scope.upper() in ("MY", "TARGET") else []
    kinds = [ctx.ad_for_scope(scope)] if scope is not None else [ctx.my, ctx.target]
    return [ad for k in kinds if k is not None and (ad := catalog_ad(k)) is not None]


def _in_value(stmt: Statement | None, line: int, prefix: str) -> bool:
    if stmt is None:
        return "=" in prefix
    if stmt.line.line != line:
        return True  # a continuation line or an @= block body
    return "=" in prefix


def complete(
    project: Project, file: str, line: int, offset: int, prefix: str, *, markdown: bool = True
) -> types.CompletionList:
    """``prefix``: the current line up to the cursor; ``line`` 1-based; ``offset`` the
    cursor's file offset in the project's text of ``file``; ``markdown``: whether the client
    renders Markdown documentation (see :func:`documentation`)."""
    items: list[types.CompletionItem] = []
    if _MACRO.search(prefix):
        items = macro_items(project, markdown)
    elif (m := _SCOPED.search(prefix)) is not None:
        ctx = context_at(project, file, line, offset)
        scope = m.group(1)
        if ctx is not None or scope.upper() in ("MY", "TARGET"):
            why = f"; {scope.upper()} in {describe_context(ctx)}" if ctx is not None else ""
            items = attribute_items(_ads(ctx, scope), why, markdown)
    elif _LINE_START.fullmatch(prefix) and not _continued(project, file, line):
        items = knob_items(project, markdown)
    else:
        parsed = project.model.files.get(file)
        stmt = statement_at(parsed, line) if parsed is not None else None
        if _in_value(stmt, line, prefix) and _WORD.search(prefix):
            ctx = context_at(project, file, line, offset)
            ads = _ads(ctx, None) if ctx is not None else list(ADS[:2])
            why = f"; {describe_context(ctx)}" if ctx is not None else ""
            items = function_items() + attribute_items(ads, why, markdown)
    return types.CompletionList(is_incomplete=False, items=items)


def _continued(project: Project, file: str, line: int) -> bool:
    """Whether ``line`` continues a statement begun above (no knob name can start it)."""
    parsed = project.model.files.get(file)
    stmt = statement_at(parsed, line) if parsed is not None else None
    return stmt is not None and stmt.line.line != line
