"""``path:line:col: CODE message`` with the source line and a caret, as compilers print."""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.source import SourceFile


def render(diagnostics: Iterable[Diagnostic], sources: dict[str, SourceFile]) -> str:
    out = []
    for d in diagnostics:
        out.append(f"{d.file}:{d.line}:{d.col}: {d.code} [{d.name}] {d.message}")
        src = sources.get(d.file)
        if src is not None and 0 < d.line <= src.line_count:
            text = src.line_text(d.line)
            out.append(f"    {text}")
            out.append("    " + " " * (d.col - 1) + "^")
        for file, line, note in d.related:
            out.append(f"    note: {note}" + (f" ({file}:{line})" if line else f" ({file})"))
    return "\n".join(out)


def summary(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return "No problems found."
    errors = sum(d.severity == "error" for d in diagnostics)
    plural = "s" if len(diagnostics) != 1 else ""
    eplural = "s" if errors != 1 else ""
    return f"Found {len(diagnostics)} problem{plural} ({errors} error{eplural})."
