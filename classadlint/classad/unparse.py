"""Turn an AST back into ClassAd text that parses to the same tree.

Fixes and messages show expressions to the user, so the text must be valid HTCondor
syntax in the chosen string mode. Parentheses are added only where the tree's shape needs
them (a tree from the parser already carries the user's own as :class:`~ast.Paren`).
Works with an explicit stack: operator chains thousands of operands long are fine.
"""

from __future__ import annotations

import math
import re
from typing import Literal as TLiteral

from classadlint.classad import ast
from classadlint.classad.parser import (
    BINARY_PRECEDENCE,
    DEFAULT_VERSION,
    ELVIS_POSTFIX,
    ELVIS_SPACED,
    RESERVED_WORDS,
    Version,
)
from classadlint.classad.values import AbsTime, ErrorType, RelTime, UndefinedType

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CONDITIONAL = 0
_UNARY = 11
_POSTFIX = 12
_PRIMARY = 13

_NEW_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r",
                "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}  # fmt: skip


def precedence(node: ast.Expr, postfix_elvis: bool = True) -> int:
    """How tightly a node binds: 0 (conditional) to 13 (primary). ``postfix_elvis`` False
    for an elvis written as a conditional without a middle (``x ? : y``, see :func:`unparse`),
    which binds like a conditional."""
    match node:
        case ast.Conditional():
            return _CONDITIONAL
        case ast.Binary(op=op):
            return BINARY_PRECEDENCE[op]
        case ast.Unary():
            return _UNARY
        case ast.Elvis():
            return _POSTFIX if postfix_elvis else _CONDITIONAL
        case ast.Select() | ast.Subscript():
            return _POSTFIX
    return _PRIMARY


def _postfix_operand(node: ast.Expr) -> bool:
    """Whether ``node`` can be the right operand of the postfix ``?:`` unparenthesized."""
    return isinstance(node, ast.Select | ast.Subscript) or precedence(node) == _PRIMARY


def _conditional_elvises(node: ast.Expr, version: Version) -> set[int]:
    """The elvis nodes to write as a conditional without a middle for ``version``.

    From 25.13.2 none: every spelling of ``?:`` is the postfix operator. Before 23.10 all:
    there is no postfix elvis, ``x ?: y`` is the conditional without a middle, loosest and
    right-associative (v23.0.0 src/classad/source.cpp:374-397). In between both exist
    (``?:`` written together is the postfix token, ``? :`` the conditional), so an elvis is
    written as the postfix one where that needs no parentheses (its left binds at least as
    tightly as a postfix, its right is a postfix operand), otherwise as ``? :``: every tree
    the parser builds then comes back, whichever way it was written.
    """
    if version >= ELVIS_SPACED:
        return set()
    everything = version < ELVIS_POSTFIX
    out: set[int] = set()
    # Children first, with an explicit stack: a chain of `?:` can be thousands long.
    stack: list[tuple[ast.Expr, bool]] = [(node, False)]
    while stack:
        item, done = stack.pop()
        if not done:
            stack.append((item, True))
            stack.extend((c, False) for c in ast.children(item))
            continue
        if isinstance(item, ast.Elvis) and (
            everything
            or precedence(item.left, id(item.left) not in out) < _POSTFIX
            or not _postfix_operand(item.right)
        ):
            out.add(id(item))
    return out


def quote_string(value: str, strings: TLiteral["new", "old"] = "new") -> str:
    """A string literal for ``value``."""
    if strings == "old":
        return '"' + value.replace('"', '\\"') + '"'
    out = []
    for ch in value:
        esc = _NEW_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):03o}")
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a non-UTF-8 byte kept by surrogateescape
            out.append(f"\\{ord(ch) - 0xDC00:03o}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def quote_name(name: str) -> str:
    """An attribute name as written in an expression: bare when possible, else quoted."""
    if _IDENT.match(name) and name.lower() not in RESERVED_WORDS:
        return name
    body = quote_string(name)[1:-1].replace("'", "\\'").replace('\\"', '"')
    return "'" + body + "'"


def _literal_text(value: object, strings: TLiteral["new", "old"]) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, UndefinedType):
        return "undefined"
    if isinstance(value, ErrorType):
        return "error"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "1e999" if value > 0 else "-1e999"
        if math.isnan(value):
            return 'real("NaN")'
        return repr(value)
    if isinstance(value, str):
        return quote_string(value, strings)
    if isinstance(value, AbsTime):
        return f"absTime({value.seconds}, {value.offset})"
    if isinstance(value, RelTime):
        return f"relTime({value.seconds!r})"
    raise TypeError(f"not a literal value: {value!r}")


def unparse(
    node: ast.Expr,
    strings: TLiteral["new", "old"] = "new",
    *,
    version: Version = DEFAULT_VERSION,
) -> str:
    """ClassAd text for ``node``; ``parse(unparse(e)) == e`` for every parsed ``e``, both
    read as HTCondor ``version`` reads them (the elvis operator's precedence depends on it:
    before 23.10 ``a || b ?: c`` is ``(a || b) ?: c``)."""
    out: list[str] = []
    # Work stack: a str is emitted as is; a node is expanded into its pieces.
    stack: list[str | ast.Expr] = [node]
    conditional = _conditional_elvises(node, version) if version < ELVIS_SPACED else set()
    spelling = " ?: " if version < ELVIS_POSTFIX else " ? : "

    def sub(child: ast.Expr, wrap: bool) -> list[str | ast.Expr]:
        return ["(", child, ")"] if wrap else [child]

    def prec(child: ast.Expr) -> int:
        return precedence(child, id(child) not in conditional) if conditional else precedence(child)

    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        pieces: list[str | ast.Expr]
        match item:
            case ast.Literal(value=v):
                pieces = [_literal_text(v, strings)]
            case ast.AttrRef(name=n):
                pieces = [quote_name(n)]
            case ast.AbsoluteRef(name=n):
                pieces = ["." + quote_name(n)]
            case ast.Select(base=b, name=n):
                sep = " ." if _is_number(b) else "."
                pieces = [*sub(b, prec(b) < _POSTFIX), sep + quote_name(n)]
            case ast.Subscript(base=b, index=i):
                pieces = [*sub(b, prec(b) < _POSTFIX), "[", i, "]"]
            case ast.Unary(op=op, operand=o):
                wrap = prec(o) < _UNARY
                space = " " if not wrap and op in "-+" and _starts_with_sign_or_digit(o) else ""
                pieces = [op + space, *sub(o, wrap)]
            case ast.Binary(op=op, left=left, right=right):
                p = BINARY_PRECEDENCE[op]
                pieces = [
                    *sub(left, prec(left) < p),
                    f" {op} ",
                    *sub(right, prec(right) <= p),
                ]
            case ast.Conditional(cond=c, then=t, otherwise=o):
                pieces = [*sub(c, prec(c) == _CONDITIONAL), " ? ", t, " : ", o]
            case ast.Elvis(left=left, right=right) if id(item) in conditional:
                # A conditional without a middle: its right operand is a whole expression,
                # its left one binds tighter than a conditional. Before 23.10 `?:` reads so;
                # until 25.13.2 `? :` does.
                pieces = [*sub(left, prec(left) == _CONDITIONAL), spelling, right]
            case ast.Elvis(left=left, right=right):
                right_ok = isinstance(right, ast.Select | ast.Subscript) or (
                    prec(right) == _PRIMARY
                )
                pieces = [*sub(left, prec(left) < _POSTFIX), " ?: "]
                pieces += sub(right, not right_ok)
            case ast.Call(name=n, args=args):
                pieces = [quote_name(n), "("]
                for k, a in enumerate(args):
                    if k:
                        pieces.append(", ")
                    pieces.append(a)
                pieces.append(")")
            case ast.ListExpr(items=items):
                pieces = ["{"]
                for k, a in enumerate(items):
                    if k:
                        pieces.append(", ")
                    pieces.append(a)
                pieces.append("}")
            case ast.Record(attrs=attrs):
                pieces = ["["]
                for k, attr in enumerate(attrs):
                    pieces.append("; " if k else " ")
                    pieces.extend([quote_name(attr.name) + " = ", attr.value])
                pieces.append(" ]" if attrs else "]")
            case ast.Paren(inner=i):
                pieces = ["(", i, ")"]
            case _:
                raise TypeError(f"not an expression node: {item!r}")
        stack.extend(reversed(pieces))
    return "".join(out)


def _is_number(node: ast.Expr) -> bool:
    return isinstance(node, ast.Literal) and type(node.value) in (int, float)


def _starts_with_sign_or_digit(node: ast.Expr) -> bool:
    """Whether ``-`` glued to this operand would lex as a negative number or ``--``."""
    while True:
        if isinstance(node, ast.Literal):
            return type(node.value) in (int, float)
        if isinstance(node, ast.Unary):
            return node.op in "-+"
        if isinstance(node, ast.Select | ast.Subscript):
            node = node.base
        elif isinstance(node, ast.Elvis):
            node = node.left
        else:
            return False


def _old_real(value: float) -> str:
    if math.isnan(value):
        return 'real("NaN")'
    if math.isinf(value):
        return 'real("INF")' if value > 0 else 'real("-INF")'
    text = f"{value:.16G}"
    return text if any(c in text for c in ".E") else text + ".0"


def _old_literal(n: ast.Literal) -> str:
    v = n.value
    if isinstance(v, str):
        return '"' + v.replace('"', '\\"') + '"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _old_real(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, UndefinedType):
        return "undefined"
    if isinstance(v, ErrorType):
        return "error"
    return unparse_condor(n)


def unparse_condor(
    node: ast.Expr, *, old_syntax: bool = False, nested_ads_long: bool = False
) -> str:
    """The text HTCondor's own unparser (sink.cpp) writes for a tree.

    Used where HTCondor turns an expression into a string value (``string({x, 1.5})`` is
    ``"{ x,1.500000000000000E+00 }"``), so it copies that format: reals in ``%1.15E``,
    lists as ``{ a,b }``, a space before prefix operators. ``old_syntax`` is the same
    unparser set to old ClassAds (ExprTreeToString, what transforms and routes print):
    reals as %.16G, strings escaping only ``"``, ``=?=`` not ``is``; ``nested_ads_long``
    writes a nested ad as long-form lines.
    """
    from classadlint.classad.values import real_text

    def go(n: ast.Expr) -> str:
        match n:
            case ast.Literal(value=v):
                if old_syntax:
                    return _old_literal(n)
                if isinstance(v, float):
                    return real_text(v)
                return _literal_text(v, "new")
            case ast.AttrRef(name=name):
                return quote_name(name)
            case ast.AbsoluteRef(name=name):
                return "." + quote_name(name)
            case ast.Select(base=b, name=name):
                return go(b) + "." + quote_name(name)
            case ast.Subscript(base=b, index=i):
                return f"{go(b)}[{go(i)}]"
            case ast.Unary(op=op, operand=o):
                return f" {op}{go(o)}"
            case ast.Binary(op=op, left=left, right=right):
                spelled = op if old_syntax else {"=?=": "is", "=!=": "isnt"}.get(op, op)
                return f"{go(left)} {spelled} {go(right)}"
            case ast.Conditional(cond=c, then=t, otherwise=o):
                return f"{go(c)} ? {go(t)} : {go(o)}"
            case ast.Elvis(left=left, right=right):
                return f"{go(left)} ?: {go(right)}"
            case ast.Call(name=name, args=args):
                return f"{name}({','.join(go(a) for a in args)})"
            case ast.ListExpr(items=items):
                return "{ " + ",".join(go(i) for i in items) + " }"
            case ast.Record(attrs=attrs):
                if nested_ads_long:
                    return "".join(f"{a.name} = {go(a.value)}\n" for a in attrs)
                inner = "; ".join(f"{quote_name(a.name)} = {go(a.value)}" for a in attrs)
                return f"[ {inner} ]" if inner else "[  ]"
            case ast.Paren(inner=i):
                return f"({go(i)})"
        raise TypeError(f"not an expression node: {n!r}")

    return go(node)
