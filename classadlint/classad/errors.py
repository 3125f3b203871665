"""Syntax errors of the ClassAd language and the advice they carry.

A person reading "unexpected `=`" learns little; HTCondor users mostly trip on operators
from other languages (``!==``, ``and``, ``<>``), so those get a message that says what to
write instead. The linter (CA104) reuses :func:`foreign_operator_hint`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from classadlint.source import Span

# Display forms of the grammar's terminals, for "expected ..." lists.
_TERMINAL_TEXT = {
    "NUMBER": "a number", "STRING": "a string", "NAME": "a name", "QNAME": "a quoted name",
    "TRUE": "`true`", "FALSE": "`false`", "UNDEFINED": "`undefined`", "ERROR": "`error`",
    "IS": "`is`", "ISNT": "`isnt`", "ELVIS": "`?:`", "QMARK": "`?`", "COLON": "`:`",
    "OROR": "`||`", "ANDAND": "`&&`", "BAR": "`|`", "CARET": "`^`", "AMP": "`&`",
    "METAEQ": "`=?=`", "METANE": "`=!=`", "EQEQ": "`==`", "NOTEQ": "`!=`", "EQUALS": "`=`",
    "URSHIFT": "`>>>`", "LSHIFT": "`<<`", "RSHIFT": "`>>`", "LE": "`<=`", "GE": "`>=`",
    "LT": "`<`", "GT": "`>`", "PLUS": "`+`", "MINUS": "`-`", "STAR": "`*`", "SLASH": "`/`",
    "PERCENT": "`%`", "TILDE": "`~`", "BANG": "`!`", "DOT": "`.`", "LSQB": "`[`",
    "RSQB": "`]`", "LPAR": "`(`", "RPAR": "`)`", "LBRACE": "`{`", "RBRACE": "`}`",
    "COMMA": "`,`", "SEMI": "`;`", "$END": "end of input",
}  # fmt: skip

_OPERAND_STARTS = {
    "NUMBER",
    "STRING",
    "NAME",
    "QNAME",
    "TRUE",
    "FALSE",
    "UNDEFINED",
    "ERROR",
    "LPAR",
    "LSQB",
    "LBRACE",
    "DOT",
    "MINUS",
    "PLUS",
    "TILDE",
    "BANG",
}
_BINARY = {
    "OROR",
    "ANDAND",
    "BAR",
    "CARET",
    "AMP",
    "METAEQ",
    "METANE",
    "EQEQ",
    "NOTEQ",
    "IS",
    "ISNT",
    "URSHIFT",
    "LSHIFT",
    "RSHIFT",
    "LE",
    "GE",
    "LT",
    "GT",
    "PLUS",
    "MINUS",
    "STAR",
    "SLASH",
    "PERCENT",
}


class ClassAdSyntaxError(ValueError):
    """An expression HTCondor would refuse to parse.

    ``span`` points into ``text`` (the expression as given to the parser); callers that
    parsed a piece of a larger file map it back through their source map.
    """

    def __init__(
        self,
        message: str,
        span: Span,
        text: str = "",
        *,
        found: str = "",
        expected: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.text = text
        self.found = found
        self.expected = tuple(expected)

    def position(self) -> tuple[int, int]:
        """1-based line and column of the error inside :attr:`text`."""
        before = self.text[: self.span.start]
        line = before.count("\n") + 1
        col = self.span.start - (before.rfind("\n") + 1) + 1
        return line, col

    def __str__(self) -> str:
        line, col = self.position()
        return f"{line}:{col}: {self.message}"


def describe_expected(names: Sequence[str]) -> str:
    """A short human list of what the grammar would have accepted."""
    names = [n for n in names if n not in ("WS", "LINE_COMMENT", "BLOCK_COMMENT")]
    if not names:
        return "nothing more"
    s = set(names)
    parts: list[str] = []
    if _OPERAND_STARTS & s and len(_OPERAND_STARTS & s) >= 6:
        parts.append("an expression")
        s -= _OPERAND_STARTS
    if _BINARY & s and len(_BINARY & s) >= 6:
        parts.append("an operator")
        s -= _BINARY
    parts.extend(_TERMINAL_TEXT.get(n, n) for n in sorted(s))
    if len(parts) > 6:
        parts = [*parts[:6], "..."]
    return " or ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " or " + parts[-1]


# Foreign operators, most specific first: (regex, message, length of the operator).
_FOREIGN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!=="), "`!==` is not a ClassAd operator: write `=!=` (or `isnt`)"),
    (re.compile(r"==="), "`===` is not a ClassAd operator: write `=?=` (or `is`)"),
    (re.compile(r"<>"), "`<>` is not a ClassAd operator: write `!=`"),
    (re.compile(r"=<"), "`=<` is not a ClassAd operator: write `<=`"),
    (re.compile(r"=>"), "`=>` is not a ClassAd operator: write `>=`"),
    (re.compile(r"\*\*"), "`**` is not a ClassAd operator: write `pow(a, b)`"),
    (re.compile(r"&&&"), "`&&&` is not a ClassAd operator: write `&&`"),
    (re.compile(r"\|\|\|"), "`|||` is not a ClassAd operator: write `||`"),
    (re.compile(r"\?\?"), "`??` is not a ClassAd operator: write `?:` (elvis)"),
    (re.compile(r"=\s+="), "`= =` is not an operator: write `==` without a space"),
    (re.compile(r"!\s+="), "`! =` is not an operator: write `!=` without a space"),
    (
        re.compile(r"(?i)\bis\s+not\b"),
        "`is not` is not a ClassAd operator: write `isnt` (or `=!=`)",
    ),
    (re.compile(r"(?i)\band\b"), "`and` is not a ClassAd operator: write `&&`"),
    (re.compile(r"(?i)\bor\b"), "`or` is not a ClassAd operator: write `||`"),
    (re.compile(r"(?i)\bnot\b"), "`not` is not a ClassAd operator: write `!`"),
    (
        re.compile(r"(?<![=!<>?])=(?![=?!])"),
        "`=` assigns only inside `[ ... ]`: to compare write `==` (or `=?=`, which never gives "
        "UNDEFINED)",
    ),
]


def foreign_operator_hint(text: str, pos: int) -> tuple[str, Span] | None:
    """If the syntax error at ``pos`` is a foreign operator, the advice and its span.

    The parser reports such errors a token or two away from the operator's start
    (``a !== b`` fails at the last ``=``), so look at a small window around ``pos``.
    """
    lo = max(0, pos - 12)
    hi = min(len(text), pos + 4)
    for pattern, message in _FOREIGN:
        for m in pattern.finditer(text, lo, hi):
            at_or_before = m.start() <= pos and not text[m.end() : pos].strip()
            if (at_or_before or m.start() <= pos <= m.end()) and not _inside_string(
                text, m.start()
            ):
                return message, Span(m.start(), m.end())
    return None


def _inside_string(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a string literal (so an `and` there is data, not code)."""
    quote = ""
    i = 0
    while i < pos:
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        i += 1
    return bool(quote)


_NUMBER_START = re.compile(r"-?(?:[0-9]|\.[0-9])")


def is_numeric_literal_error(text: str, span: Span) -> bool:
    """Whether a syntax error is a malformed number (``010``, ``1.``, ``0x10``, ``2G``):
    CA111 explains those, CA103 the rest."""
    pos = span.start
    if _NUMBER_START.match(text, pos) and not _inside_string(text, pos):
        return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "_.")
    # a unit suffix: the error is at the letter right after the digits
    return (
        0 < pos < len(text)
        and text[pos].isalpha()
        and text[pos - 1].isdigit()
        and not _inside_string(text, pos)
    )
