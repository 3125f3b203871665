"""Positions: the engine's 0-based character offsets and 1-based ``line:col`` against the
editor's 0-based line and UTF-16 (or negotiated) code-unit character.

An editor counts columns in UTF-16 code units by default (or UTF-8 or UTF-32 when client
and server agree on it at initialization), Python in code points; they differ only on
lines with non-ASCII characters, so the conversion is done per line and skipped for ASCII
lines. :func:`use_codec` sets the encoding the session negotiated.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from classadlint.lint.diagnostic import Location
from classadlint.source import Position, SourceFile

_codec = PositionCodec()  # UTF-16 until the session says otherwise


def use_codec(codec: PositionCodec) -> None:
    """The position encoding negotiated with the client (one client per server process)."""
    global _codec
    _codec = codec


def uri_to_path(uri: str) -> str | None:
    """The file system path of a ``file:`` URI (None for other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return str(Path(unquote(parsed.path)))


def path_to_uri(path: str) -> str:
    return from_fs_path(path) or f"file://{path}"


def _units(text: str) -> int:
    return len(text) if text.isascii() else int(_codec.client_num_units(text))


def lsp_position(src: SourceFile, pos: Position) -> types.Position:
    """An engine position (1-based line and code-point column) for the editor."""
    line = max(pos.line, 1)
    if line > src.line_count:
        return types.Position(line=src.line_count - 1, character=0)
    text = src.line_text(line)
    return types.Position(line=line - 1, character=_units(text[: max(pos.col - 1, 0)]))


def lsp_range(src: SourceFile, start: int, end: int) -> types.Range:
    """The editor range of ``[start, end)`` offsets of ``src``."""
    return types.Range(
        start=lsp_position(src, src.position(start)),
        end=lsp_position(src, src.position(end)),
    )


def location_range(loc: Location, src: SourceFile | None) -> types.Range:
    """The editor range of a diagnostic location (code points when the text is unknown)."""
    if src is not None:
        return types.Range(start=lsp_position(src, loc.start), end=lsp_position(src, loc.end))
    return types.Range(
        start=types.Position(line=loc.start.line - 1, character=loc.start.col - 1),
        end=types.Position(line=loc.end.line - 1, character=loc.end.col - 1),
    )


def offset_at(src: SourceFile, pos: types.Position) -> int:
    """The offset of an editor position in ``src`` (clamped to the text)."""
    if pos.line >= src.line_count:
        return len(src.text)
    text = src.line_text(pos.line + 1)
    if text.isascii():
        col = min(pos.character, len(text))
    else:
        col = 0
        units = 0
        for ch in text:
            if units >= pos.character:
                break
            units += _units(ch)
            col += 1
    return src.offset(pos.line + 1, col + 1)
