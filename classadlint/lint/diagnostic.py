"""What a rule reports: a code, a place in a file, and what to write instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Fix:
    """Replace ``[start, end)`` of ``file`` with ``text``; ``safe`` fixes keep the meaning
    the user evidently wanted and may be applied without review."""

    file: str
    start: int
    end: int
    text: str
    title: str
    safe: bool = True


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    col: int
    offset: int | None = None
    related: tuple[tuple[str, int, str], ...] = ()  # (file, line, note)
    fixes: tuple[Fix, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)
