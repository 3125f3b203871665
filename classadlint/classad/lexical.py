"""Decoding of literal tokens (numbers, strings, quoted names) exactly as HTCondor's lexer.

Kept apart from the grammar because the rules are byte-level and mode-dependent: new-syntax
strings have C escapes and must decode to valid UTF-8 without NUL; old-syntax strings (config
values, ``condor_q -l`` ads) only treat a backslash before a quote specially.
"""

from __future__ import annotations

import re

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

_SIMPLE_ESCAPES = {
    "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11,
    "\\": 92, "'": 39, '"': 34, "?": 63,
}  # fmt: skip

# Pieces of a token made of several adjacent literals: "a" "b" -> "ab" (new syntax only).
_ADJACENT_PART = {
    '"': re.compile(r'"((?:[^"\\]|\\.)*)"', re.S),
    "'": re.compile(r"'((?:[^'\\]|\\.)*)'", re.S),
}


class LexicalError(ValueError):
    """A literal token that HTCondor's lexer rejects; ``offset`` is relative to the token."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def decode_integer(text: str) -> int:
    """The value HTCondor gives an integer lexeme: strtoll, and 0 when it overflows."""
    value = int(text, 10)
    if value < _INT64_MIN or value > _INT64_MAX:
        return 0
    return value


def decode_integer_strtoll(text: str, auto_base: bool) -> int:
    """An integer lexeme as HTCondor's lexer read it before 23.3: ``strtoll(lexeme, NULL,
    base)`` (v23.0.0 src/classad/lexer.cpp:433-449), base 10 in the default old-semantics
    mode and 0 in the bare library, where ``0x10`` is 16 and ``010`` is 8 (``-010`` is -8);
    a value out of range saturates at INT64_MIN/INT64_MAX (23.3 on gives 0).

    ``text`` is a NUMBER token without unit suffix: ``-?0[xX][0-9a-fA-F]+`` or ``-?[0-9]+``.
    strtoll reads the longest prefix it can: in base 10 ``-0x1F`` is ``-0``.
    """
    negative = text[0] == "-"
    body = text[1:] if negative else text
    if auto_base and body[:2].lower() == "0x":
        value = int(body[2:], 16)
    elif auto_base and len(body) > 1 and body[0] == "0":
        value = int(body, 8)
    else:
        digits = re.match(r"[0-9]*", body)
        value = int(digits.group(0) or "0") if digits else 0
    if negative:
        value = -value
    return max(_INT64_MIN, min(_INT64_MAX, value))


def decode_real(text: str) -> float:
    """A real lexeme; out-of-range exponents become inf/0 as strtod does.

    ``..5`` is a real token in HTCondor's lexer that strtod cannot read: its value is 0.
    """
    if ".." in text:
        return 0.0
    return float(text)


def unescape_new(body: str) -> str:
    """Decode the C-like escapes of a new-syntax string or quoted name body.

    HTCondor builds a byte string: octal escapes give raw bytes (kept here as surrogate
    escapes when they are not UTF-8); a NUL makes the whole token an error.
    """
    if "\\" not in body:
        return body
    out = bytearray()
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        if i + 1 >= n:
            raise LexicalError("a string cannot end with a lone backslash", i)
        e = body[i + 1]
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
            i += 2
        elif "0" <= e <= "7":
            # Up to three octal digits, three only when the first is 0-3.
            limit = 3 if e <= "3" else 2
            j = i + 1
            while j < n and j - (i + 1) < limit and "0" <= body[j] <= "7":
                j += 1
            byte = int(body[i + 1 : j], 8)
            if byte == 0:
                raise LexicalError("a string cannot contain a NUL character (\\0)", i)
            out.append(byte)
            i = j
        else:
            out += e.encode("utf-8")
            i += 2
    # HTCondor strings are bytes: octal escapes may form invalid UTF-8, which it keeps.
    return out.decode("utf-8", "surrogateescape")


def unescape_old(body: str, quote: str = '"') -> str:
    """Old syntax: only a backslash before the quote character is special (dropped)."""
    return body.replace("\\" + quote, quote)


def decode_quoted_token(token: str, *, old: bool) -> str:
    """The value of a STRING (``"..."``) or quoted-name (``'...'``) token.

    In new syntax a token may hold several adjacent literals; HTCondor joins their raw
    text first and decodes escapes afterwards, so an escape can span the seam
    (``"\\1" "23"`` is ``"\\123"``, the letter S).
    """
    quote = token[0]
    if old:
        return unescape_old(token[1:-1], quote)
    raw = "".join(m.group(1) for m in _ADJACENT_PART[quote].finditer(token))
    return unescape_new(raw)
