"""Translate the regular expressions policies write into z3's regular expressions.

``regexp("^bird_(gpu|cpu)$", AcctGroup)`` is common in START and transforms; z3 can reason
about membership in a regular language exactly, so a literal pattern made of literals,
classes, repetition, alternation and end anchors becomes a z3 regex with PCRE's *search*
semantics (unanchored ends match anything). Anything else (back-references, look-around,
word boundaries, anchors in the middle, multi-line mode) is reported as unsupported and
the caller falls back to an uninterpreted result instead of guessing.
"""

from __future__ import annotations

import re
from typing import Any

import z3  # type: ignore[import-untyped]

try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _p

_S = z3.StringSort()
_RE = z3.ReSort(_S)
_ALL_CHAR = z3.AllChar(_RE)
_EMPTY_WORD = z3.Re(z3.StringVal(""))
_ANY_STRING = z3.Star(_ALL_CHAR)
_MAX_REPEAT = 64


class Unsupported(Exception):
    """The pattern uses something this translation does not model exactly."""


def _char(code: int) -> z3.ReRef:
    return z3.Re(z3.StringVal(chr(code)))


def _range(lo: int, hi: int) -> z3.ReRef:
    return z3.Range(chr(lo), chr(hi))


def _fold(code: int, caseless: bool) -> z3.ReRef:
    ch = chr(code)
    if caseless and ch.isascii() and ch.isalpha():
        return z3.Union(z3.Re(z3.StringVal(ch.lower())), z3.Re(z3.StringVal(ch.upper())))
    return _char(code)


def _union(parts: list[z3.ReRef]) -> z3.ReRef:
    if not parts:
        return z3.Empty(_RE)
    return parts[0] if len(parts) == 1 else z3.Union(*parts)


def _concat(parts: list[z3.ReRef]) -> z3.ReRef:
    if not parts:
        return _EMPTY_WORD
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


_CATEGORIES: dict[Any, list[tuple[int, int]]] = {
    _c.CATEGORY_DIGIT: [(48, 57)],
    _c.CATEGORY_WORD: [(48, 57), (65, 90), (97, 122), (95, 95)],
    _c.CATEGORY_SPACE: [(9, 13), (32, 32)],
}
_NOT_CATEGORIES = {
    _c.CATEGORY_NOT_DIGIT: _c.CATEGORY_DIGIT,
    _c.CATEGORY_NOT_WORD: _c.CATEGORY_WORD,
    _c.CATEGORY_NOT_SPACE: _c.CATEGORY_SPACE,
}


def _negate(r: z3.ReRef) -> z3.ReRef:
    return z3.Intersect(_ALL_CHAR, z3.Complement(r))


def _category(cat: Any) -> z3.ReRef:
    if cat in _CATEGORIES:
        return _union([_range(lo, hi) for lo, hi in _CATEGORIES[cat]])
    if cat in _NOT_CATEGORIES:
        return _negate(_category(_NOT_CATEGORIES[cat]))
    raise Unsupported(f"character category {cat}")


def _in(items: list[tuple[Any, Any]], caseless: bool) -> z3.ReRef:
    negate = False
    parts: list[z3.ReRef] = []
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            parts.append(_fold(av, caseless))
        elif op is _c.RANGE:
            lo, hi = av
            parts.append(_range(lo, hi))
            if caseless:
                for a, b, delta in ((65, 90, 32), (97, 122, -32)):
                    x, y = max(lo, a), min(hi, b)
                    if x <= y:
                        parts.append(_range(x + delta, y + delta))
        elif op is _c.CATEGORY:
            parts.append(_category(av))
        else:
            raise Unsupported(f"class item {op}")
    r = _union(parts)
    return _negate(r) if negate else r


def _seq(items: Any, caseless: bool, dotall: bool) -> z3.ReRef:
    return _concat([_item(op, av, caseless, dotall) for op, av in items])


def _item(op: Any, av: Any, caseless: bool, dotall: bool) -> z3.ReRef:
    if op is _c.LITERAL:
        return _fold(av, caseless)
    if op is _c.NOT_LITERAL:
        return _negate(_fold(av, caseless))
    if op is _c.ANY:
        return _ALL_CHAR if dotall else _negate(_char(10))
    if op is _c.IN:
        return _in(av, caseless)
    if op is _c.BRANCH:
        return _union([_seq(alt, caseless, dotall) for alt in av[1]])
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise Unsupported("inline flags")
        return _seq(sub, caseless, dotall)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        inner = _seq(sub, caseless, dotall)
        if hi is _c.MAXREPEAT:
            if lo == 0:
                return z3.Star(inner)
            if lo == 1:
                return z3.Plus(inner)
            if lo > _MAX_REPEAT:
                raise Unsupported("large repetition")
            return z3.Concat(z3.Loop(inner, lo, lo), z3.Star(inner))
        if hi > _MAX_REPEAT:
            raise Unsupported("large repetition")
        if lo == 0 and hi == 1:
            return z3.Option(inner)
        return z3.Loop(inner, lo, hi)
    raise Unsupported(f"regex construct {op}")


def _alternative(items: list[tuple[Any, Any]], caseless: bool, dotall: bool) -> z3.ReRef:
    """One top-level alternative with search semantics: ``^``/``$`` only at its ends."""
    anchored_start = bool(items) and items[0] == (_c.AT, _c.AT_BEGINNING)
    if anchored_start:
        items = items[1:]
    anchored_end = bool(items) and items[-1] == (_c.AT, _c.AT_END)
    if anchored_end:
        items = items[:-1]
    if any(op is _c.AT for op, _ in items):
        raise Unsupported("anchor or boundary inside the pattern")
    body = _seq(items, caseless, dotall)
    parts = [] if anchored_start else [_ANY_STRING]
    parts.append(body)
    # PCRE's $ (not DOLLAR_ENDONLY) also matches before a final newline
    parts.append(z3.Option(_char(10)) if anchored_end else _ANY_STRING)
    return _concat(parts)


def search_regex(pattern: str, options: str = "") -> z3.ReRef:
    """The language of strings in which ``pattern`` finds a match (``regexp()`` is true).

    Raises :class:`Unsupported` for constructs not modelled exactly, and ``re.error`` for a
    pattern that does not compile (which ``regexp`` evaluates to ERROR).
    """
    caseless = "i" in options
    dotall = "s" in options
    if "m" in options or "x" in options:
        raise Unsupported("multi-line or extended mode")
    if not pattern.isascii():
        raise Unsupported("non-ASCII pattern")
    parsed = _p.parse(pattern, 0)
    items = list(parsed)
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        return _union([_alternative(list(alt), caseless, dotall) for alt in items[0][1][1]])
    return _alternative(items, caseless, dotall)


def caseless_literal(text: str) -> z3.ReRef:
    """Strings equal to ``text`` ignoring ASCII case (strcasecmp's notion of equality)."""
    return _concat([_fold(ord(ch), True) for ch in text])


def compiles(pattern: str, options: str = "") -> bool:
    """Whether the pattern is valid (an invalid one makes ``regexp`` ERROR)."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
