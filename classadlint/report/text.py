"""The default report, for people: ``path:line:col: CODE message``, the source line with
the span underlined (``^`` from the span's real end, never a guessed width), related
notes and the fix on offer, then a summary. Colour (ANSI) only when asked, which the CLI
does only on a terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.source import SourceFile

_COLOURS = {"error": "31", "warning": "33", "info": "36", "code": "1", "dim": "2", "caret": "1;31"}


def _paint(text: str, what: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if colour and text else text


def frame(d: Diagnostic, src: SourceFile | None, colour: bool = False) -> list[str]:
    """The source line of a diagnostic with its span underlined."""
    if src is None or not (0 < d.line <= src.line_count):
        return []
    text = src.line_text(d.line).rstrip("\r")
    width = len(str(d.line))
    start = d.col - 1
    end = d.end_col - 1 if d.end_line == d.line else len(text)
    carets = "^" * max(1, min(end, len(text) + 1) - start)
    gutter = _paint(f"{' ' * width} |", "dim", colour)
    return [
        gutter,
        _paint(f"{d.line} |", "dim", colour) + f" {text.expandtabs(1)}",
        gutter + " " + " " * start + _paint(carets, "caret", colour),
    ]


def render(
    diagnostics: Iterable[Diagnostic],
    sources: dict[str, SourceFile],
    *,
    colour: bool = False,
    show_source: bool = True,
) -> str:
    out: list[str] = []
    for d in diagnostics:
        head = f"{d.where()}: {_paint(d.code, d.severity, colour)} {d.message}"
        out.append(head)
        if show_source:
            out.extend(frame(d, sources.get(d.file), colour))
        for rel in d.related:
            out.append(f"  = note: {rel.note} at {rel.location}")
        for fix in d.fixes[:1]:
            kind = {"safe": "fix", "unsafe": "unsafe fix", "display-only": "suggestion"}
            out.append(f"  = help: {fix.title} ({kind[fix.safety]})")
        if show_source:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def render_concise(diagnostics: Iterable[Diagnostic]) -> str:
    """One line each: ``path:line:col: CODE message [name]``."""
    return "\n".join(f"{d.where()}: {d.code} {d.message} [{d.name}]" for d in diagnostics)


def summary(diagnostics: list[Diagnostic], fixable: int = 0, unsafe: int = 0) -> str:
    if not diagnostics:
        return "No problems found."
    n = len(diagnostics)
    errors = sum(d.severity == "error" for d in diagnostics)
    text = f"Found {n} problem{'s' if n != 1 else ''} ({errors} error{'s' if errors != 1 else ''})."
    if fixable:
        text += f"\n{fixable} fixable with `--fix`."
    if unsafe:
        text += f"\n{unsafe} more fixable with `--fix --unsafe-fixes`."
    return text


def statistics(diagnostics: list[Diagnostic]) -> str:
    """Count per rule, most frequent first (``--statistics``)."""
    counts = Counter((d.code, d.name) for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if any(f.applicable for f in d.fixes))
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return "\n".join(
        f"{n:5d}  {code:<6} {name}{'  [*]' if fixable[code] else ''}" for (code, name), n in rows
    )
