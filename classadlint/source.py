"""Source text and positions.

Every diagnostic classadlint prints must point at the characters the user wrote, so all
front ends share one notion of a position: a 0-based character offset into a text, turned
into a 1-based ``line:col`` only when shown to a person.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Span(NamedTuple):
    """A half-open range ``[start, end)`` of character offsets into one text.

    A named tuple rather than a dataclass: the parser makes dozens per expression, and a
    tuple is several times cheaper to create.
    """

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def cover(self, other: Span) -> Span:
        """The smallest span holding both: how a parent node gets its extent."""
        return Span(min(self.start, other.start), max(self.end, other.end))

    def shift(self, delta: int) -> Span:
        """The same range in a text that starts ``delta`` characters earlier."""
        return Span(self.start + delta, self.end + delta)


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column, as editors and compilers print them."""

    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


@dataclass(eq=False)
class SourceFile:
    """A text with its name and a line index, so offsets convert to line:col cheaply."""

    path: str
    text: str
    _line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    @classmethod
    def read(cls, path: str | Path) -> SourceFile:
        """Read a file as UTF-8; the caller turns OSError/UnicodeDecodeError into messages."""
        p = Path(path)
        data = p.read_bytes()
        if b"\0" in data:
            raise UnicodeDecodeError(
                "utf-8", data, data.index(b"\0"), data.index(b"\0") + 1, "binary file (NUL byte)"
            )
        return cls(str(path), data.decode("utf-8"))

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def position(self, offset: int) -> Position:
        """1-based line and column of a 0-based offset (end of text allowed)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def offset(self, line: int, col: int) -> int:
        """Inverse of :meth:`position` (1-based in, 0-based out)."""
        return self._line_starts[line - 1] + col - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its newline."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end]

    def location(self, offset: int) -> str:
        """``path:line:col`` for messages."""
        return f"{self.path}:{self.position(offset)}"
