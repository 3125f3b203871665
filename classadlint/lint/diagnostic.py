"""What a rule reports: a code, a range of a file, notes elsewhere, and what to write instead.

Every position here is into the ORIGINAL file text the user wrote (0-based, half-open
character offsets, with the 1-based line:col of both ends kept beside them so reports need
no source text). A rule that looks at expanded macro text never builds these by hand: it
reports a span of the expression and :class:`classadlint.lint.context.ExpressionContext`
maps it back through the config model's source map.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from classadlint.source import Position, SourceFile, Span

Severity = Literal["error", "warning", "info"]
#: Ordered from least to most severe (``--fail-on`` compares by this order).
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")

#: ``safe``: the meaning is unchanged (or there was none: the text did not parse) and the
#: fix may be applied without review; ``unsafe``: it changes what the expression evaluates
#: to, as the author evidently intended, so ``--unsafe-fixes`` is needed; ``display-only``:
#: shown, never applied.
Safety = Literal["safe", "unsafe", "display-only"]


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)
class Location:
    """A range of one file: 0-based offsets plus the 1-based line:col of both ends."""

    file: str
    span: Span
    start: Position
    end: Position

    @classmethod
    def of(cls, src: SourceFile, span: Span) -> Location:
        return cls(src.path, span, src.position(span.start), src.position(span.end))

    @classmethod
    def point(cls, file: str, line: int = 1, col: int = 1, offset: int = 0) -> Location:
        """A location known only by line:col (e.g. a whole-file problem: 1:1)."""
        pos = Position(max(line, 1), max(col, 1))
        return cls(file, Span(offset, offset), pos, pos)

    def __str__(self) -> str:
        return f"{self.file}:{self.start.line}:{self.start.col}"


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a diagnostic ("expanded from $(X)", "first set here")."""

    location: Location
    note: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` of ``file`` (0-based offsets of the original text)."""

    file: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A titled set of edits applied all together or not at all."""

    title: str
    edits: tuple[Edit, ...]
    safety: Safety = "safe"

    @property
    def safe(self) -> bool:
        return self.safety == "safe"

    @property
    def applicable(self) -> bool:
        return self.safety != "display-only" and bool(self.edits)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. Immutable: severity overrides go through ``dataclasses.replace``.

    ``args`` keeps the values the message was built from (for JSON/SARIF and tests);
    ``witness`` is a pair of ads that demonstrates a proved finding (CA5xx), if any.
    """

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Related, ...] = ()
    fixes: tuple[Fix, ...] = ()
    witness: Any = field(default=None, compare=False, hash=False)
    args: tuple[tuple[str, str], ...] = ()

    # Convenience views of the location, the fields reports and tests read most.
    @property
    def file(self) -> str:
        return self.location.file

    @property
    def span(self) -> Span:
        return self.location.span

    @property
    def line(self) -> int:
        return self.location.start.line

    @property
    def col(self) -> int:
        return self.location.start.col

    @property
    def end_line(self) -> int:
        return self.location.end.line

    @property
    def end_col(self) -> int:
        return self.location.end.col

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)

    def where(self) -> str:
        """``path:line:col`` (1-based)."""
        return str(self.location)

    def args_dict(self) -> Mapping[str, str]:
        return dict(self.args)


def dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted by (file, line, col, code, message), exact duplicates dropped."""
    seen: set[Diagnostic] = set()
    out = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out
