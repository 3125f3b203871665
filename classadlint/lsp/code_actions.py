"""Code actions: a rule's fix, a suppression comment line above the statement, and "fix
all safe fixes in this file".

HTCondor has no inline comments (a ``#`` after a value is part of the value), so a
suppression is always a comment line of its own above the statement (see
:mod:`classadlint.lint.suppress`); it is inserted with a reason placeholder to replace.
Fix all repeats lint-and-fix on the buffer, as ``classadlint check --fix`` does on disk,
until nothing is left to fix, and stops before a round that would add syntax errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from lsprotocol import types

from classadlint.config.parser import ConfigFile
from classadlint.lint.diagnostic import Diagnostic, Fix
from classadlint.lint.engine import lint_project
from classadlint.lint.fix import apply_edits, select_fixes
from classadlint.lint.memo import ExpressionMemo
from classadlint.lint.settings import Settings
from classadlint.lint.suppress import UNUSED_CODE
from classadlint.lsp.locate import statement_at, statement_lines
from classadlint.lsp.positions import lsp_range, path_to_uri
from classadlint.project import ParseCache, Project
from classadlint.source import SourceFile

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.classadlint"
REASON_PLACEHOLDER = "reason: <why this is intended>"
MAX_FIX_ROUNDS = 10

SourceOf = Callable[[str], SourceFile | None]


def _overlaps(d: Diagnostic, src: SourceFile, r: types.Range) -> bool:
    first, last = d.line - 1, d.end_line - 1
    return first <= r.end.line and r.start.line <= last and src.path == d.file


def fix_edit(fix: Fix, source_of: SourceOf) -> types.WorkspaceEdit | None:
    """A fix as a workspace edit (it may edit a macro's definition in another file)."""
    changes: dict[str, list[types.TextEdit]] = {}
    for e in fix.edits:
        src = source_of(e.file)
        if src is None:
            return None
        changes.setdefault(path_to_uri(e.file), []).append(
            types.TextEdit(range=lsp_range(src, e.start, e.end), new_text=e.text)
        )
    return types.WorkspaceEdit(changes=changes)


def suppression_edit(d: Diagnostic, src: SourceFile, parsed: ConfigFile | None) -> types.TextEdit:
    """Insert ``# classadlint: disable=CODE -- reason`` above the statement holding the
    diagnostic (its first line: a continued line or an ``@=`` block is one statement)."""
    stmt = statement_at(parsed, d.line) if parsed is not None else None
    line = statement_lines(stmt)[0] if stmt is not None else d.line
    line = max(1, min(line, src.line_count))
    text = src.line_text(line)
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    newline = "\r\n" if text.endswith("\r") else "\n"
    start = src.offset(line, 1)
    comment = f"{indent}# classadlint: disable={d.code} -- {REASON_PLACEHOLDER}{newline}"
    return types.TextEdit(range=lsp_range(src, start, start), new_text=comment)


def quick_fixes(
    diagnostics: Iterable[Diagnostic],
    to_lsp: Callable[[Diagnostic], types.Diagnostic],
    src: SourceFile,
    parsed: ConfigFile | None,
    source_of: SourceOf,
    r: types.Range,
) -> list[types.CodeAction]:
    """Fixes and suppressions for the diagnostics that touch range ``r``."""
    out: list[types.CodeAction] = []
    uri = path_to_uri(src.path)
    for d in diagnostics:
        if not _overlaps(d, src, r):
            continue
        lsp_d = to_lsp(d)
        for fix in d.fixes:
            if not fix.applicable:
                continue
            edit = fix_edit(fix, source_of)
            if edit is None:
                continue
            out.append(
                types.CodeAction(
                    title=f"{fix.title} ({d.code}{'' if fix.safe else ', unsafe'})",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_d],
                    edit=edit,
                    is_preferred=fix.safe,
                )
            )
        if d.code != UNUSED_CODE:
            out.append(
                types.CodeAction(
                    title=f"Suppress {d.code} for this statement (comment line above)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_d],
                    edit=types.WorkspaceEdit(changes={uri: [suppression_edit(d, src, parsed)]}),
                )
            )
    return out


def _syntax_errors(diagnostics: Iterable[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.code.startswith("CA1") and d.severity == "error")


def fix_all_text(
    root: str,
    path: str,
    texts: Mapping[str, str],
    settings: Settings,
    cache: ParseCache,
    memo: ExpressionMemo,
) -> tuple[str, int]:
    """The text of ``path`` with every safe fix applied, to a fixed point, and how many
    fixes were applied. Fixes that also edit other files are left out (one file's action
    edits one file); a round that would add syntax errors is not taken."""

    def lint(text: str) -> list[Diagnostic]:
        project = Project(
            [Path(root)],
            [Path(root)],
            subsystem=settings.subsystem,
            texts={**texts, path: text},
            cache=cache,
        )
        return [d for d in lint_project(project, settings, memo=memo) if d.file == path]

    text = texts[path]
    found = lint(text)
    total = 0
    for _ in range(MAX_FIX_ROUNDS):
        fixes = [f for f in select_fixes(found) if all(e.file == path for e in f.edits)]
        new_text, applied = apply_edits(text, fixes, file=path)
        if applied == 0 or new_text == text:
            break
        new_found = lint(new_text)
        if _syntax_errors(new_found) > _syntax_errors(found):
            break
        text, found, total = new_text, new_found, total + applied
    return text, total


def fix_all_action(src: SourceFile, new_text: str, count: int) -> types.CodeAction:
    """One edit replacing the whole buffer with its fixed text."""
    whole = lsp_range(src, 0, len(src.text))
    return types.CodeAction(
        title=f"Fix all safe classadlint problems in this file ({count})",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(
            changes={path_to_uri(src.path): [types.TextEdit(range=whole, new_text=new_text)]}
        ),
    )
