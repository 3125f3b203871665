"""Engine diagnostics as LSP diagnostics: range in editor units, severity, the rule code
linking to its page, and the "expanded from $(X)" notes as related information so the
editor can jump to the macro reference that brought the text in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types

from classadlint.lint.diagnostic import Diagnostic, Severity
from classadlint.lint.rule import LoadedRule
from classadlint.lsp.positions import location_range, path_to_uri
from classadlint.source import SourceFile

SOURCE = "classadlint"

_SEVERITY: dict[Severity, types.DiagnosticSeverity] = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def rule_href(code: str, rules: Sequence[LoadedRule], base: str) -> str:
    """The page of a rule: a site rule's own TOML file, a built-in rule's docs page."""
    for r in rules:
        if r.rule.code == code and r.origin == "site":
            return path_to_uri(str(Path(r.path).resolve()))
    return base.format(code=code)


def to_lsp(
    d: Diagnostic,
    source_of: Callable[[str], SourceFile | None],
    href: Callable[[str], str],
) -> types.Diagnostic:
    """One diagnostic for the editor. ``source_of(path)`` gives the text a range is
    counted in (None: columns taken as they are)."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=path_to_uri(r.location.file),
                range=location_range(r.location, source_of(r.location.file)),
            ),
            message=r.note,
        )
        for r in d.related
    ]
    tags = [types.DiagnosticTag.Unnecessary] if d.code == "CA001" else None
    return types.Diagnostic(
        range=location_range(d.location, source_of(d.file)),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=href(d.code)),
        source=SOURCE,
        related_information=related or None,
        tags=tags,
    )
