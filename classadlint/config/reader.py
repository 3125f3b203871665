"""HTCondor's config line reader: physical lines to logical lines, with positions kept.

HTCondor trims every physical line, glues ``\\``-continued lines without a space, and
treats a ``#`` line inside a continuation in its own way (only its last character
survives). A hand-written reader rather than a grammar: these rules are about lines and
characters, not tokens, and every character of a logical line must keep the file offset
it came from so that diagnostics in a macro's expansion point at what the user wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class LogicalLine:
    """One logical line: its text, and for each run of it the file offset it came from."""

    text: str
    line: int  # 1-based number of the first physical line
    end_line: int
    #: (offset in text, offset in file, length) runs, in order.
    segments: list[tuple[int, int, int]] = field(default_factory=list)

    def file_offset(self, i: int) -> int:
        """The file offset of character ``i`` of the text (end of text allowed)."""
        for start, file_start, length in self.segments:
            if start <= i < start + length:
                return file_start + (i - start)
        if self.segments:
            start, file_start, length = self.segments[-1]
            return file_start + length
        return 0

    def file_offsets(self, start: int, length: int) -> list[int]:
        """File offsets of characters ``start`` .. ``start + length - 1``, in one pass."""
        out: list[int] = []
        end = start + length
        for seg_start, file_start, seg_len in self.segments:
            lo = max(start, seg_start)
            hi = min(end, seg_start + seg_len)
            if lo < hi:
                out.extend(range(file_start + lo - seg_start, file_start + hi - seg_start))
        return out

    def file_pieces(self, start: int, length: int) -> list[tuple[int, int]]:
        """The same characters as ``(file offset, length)`` pieces: a source map in runs
        (see :mod:`classadlint.config.sourcemap`) without a list entry per character."""
        out: list[tuple[int, int]] = []
        end = start + length
        for seg_start, file_start, seg_len in self.segments:
            lo = max(start, seg_start)
            hi = min(end, seg_start + seg_len)
            if lo < hi:
                out.append((file_start + lo - seg_start, hi - lo))
        return out

    def append(self, piece: str, file_start: int) -> None:
        if piece:
            self.segments.append((len(self.text), file_start, len(piece)))
            self.text += piece


@dataclass(frozen=True)
class ReaderIssue:
    """Something the reader noticed: a comment line inside a continuation (CA106)."""

    line: int
    offset: int
    message: str


def read_logical_lines(text: str) -> tuple[list[LogicalLine], list[ReaderIssue]]:
    """Logical lines of a config file, blank and comment lines dropped, as HTCondor reads."""
    issues: list[ReaderIssue] = []
    lines = [ll for ll, _, _ in logical_lines(text.splitlines(keepends=True), 0, 0, False, issues)]
    return lines, issues


def logical_lines(
    physical: list[str], pos: int, first: int, old_comments: bool, issues: list[ReaderIssue]
) -> Iterator[tuple[LogicalLine, int, bool]]:
    """The reader, resumable: ``physical`` are lines with their line breaks (``splitlines(
    keepends=True)``), the first of them at file offset ``pos`` and 0-based line index
    ``first``, read from the state ``old_comments``. Yields each logical line with the file
    offset of its first physical line and the state the reader was in there: reading again
    from that line, in that state, gives the same lines (what an incremental parse
    restarts from, see :mod:`classadlint.config.parser`)."""
    i = 0
    n = len(physical)
    while i < n:
        raw = physical[i]
        start = line_start = pos
        pos += len(raw)
        body = raw.rstrip("\r\n")
        i += 1
        state = old_comments
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        if not stripped:
            continue
        if stripped.startswith("#"):
            low = stripped.lower()
            if low == "#opt:oldcomment":
                old_comments = True
            elif low == "#opt:newcomment":
                old_comments = False
            if not (old_comments and stripped.endswith("\\")):
                continue
        logical = LogicalLine("", first + i, first + i)
        piece = stripped
        while piece.endswith("\\") and i < n:
            logical.append(piece[:-1], start + lead)
            raw = physical[i]
            start = pos
            pos += len(raw)
            body = raw.rstrip("\r\n")
            i += 1
            logical.end_line = first + i
            stripped = body.strip()
            lead = len(body) - len(body.lstrip())
            if stripped.startswith("#") and not old_comments:
                issues.append(
                    ReaderIssue(first + i, start + lead, "comment line inside a continued line")
                )
                last = stripped[-1]
                if last == "\\":
                    piece = "\\"
                    lead = lead + len(stripped) - 1
                    continue
                logical.append(last, start + lead + len(stripped) - 1)
                piece = ""
                break
            piece = stripped
        if piece.endswith("\\") and i >= n:
            piece = piece[:-1]
        logical.append(piece, start + lead)
        if logical.text.strip():
            yield logical, line_start, state
