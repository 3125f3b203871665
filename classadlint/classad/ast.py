"""The typed syntax tree of ClassAd expressions.

Every node is a frozen dataclass carrying a :class:`~classadlint.source.Span` into the
text it was parsed from. Spans are left out of equality, so two trees are equal when they
have the same shape whatever their layout: that is what ``parse(unparse(e)) == e`` means.
Parentheses the user wrote are kept as :class:`Paren` nodes because precedence rules
(``a & b == c``) and fixes need to know whether they were there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from classadlint.classad.values import AbsTime, ErrorType, RelTime, UndefinedType
from classadlint.source import Span

LiteralValue: TypeAlias = bool | int | float | str | UndefinedType | ErrorType | AbsTime | RelTime

#: Binary operators in canonical spelling (``is``/``isnt`` are stored as ``=?=``/``=!=``).
BINARY_OPERATORS: frozenset[str] = frozenset(
    {
        "||", "&&", "|", "^", "&",
        "==", "!=", "=?=", "=!=",
        "<", "<=", ">", ">=",
        "<<", ">>", ">>>",
        "+", "-", "*", "/", "%",
    }
)  # fmt: skip
UNARY_OPERATORS: frozenset[str] = frozenset({"-", "+", "~", "!"})


@dataclass(frozen=True, slots=True, eq=False)
class Literal:
    """A constant: number, string, boolean, ``undefined`` or ``error``.

    Equality also compares the Python type, so ``true`` and ``1`` (equal in Python) differ.
    """

    value: LiteralValue
    span: Span

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Literal):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((Literal, type(self.value), self.value))


@dataclass(frozen=True, slots=True)
class AttrRef:
    """An unqualified attribute name: looked up in MY, then enclosing scopes, then TARGET."""

    name: str
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class AbsoluteRef:
    """``.name``: an attribute of the root (toplevel) ad."""

    name: str
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Select:
    """``base.name``; ``MY.x`` and ``TARGET.x`` are selections from the special names."""

    base: Expr
    name: str
    span: Span = field(compare=False)
    name_span: Span = field(compare=False, default=Span(0, 0))

    @property
    def scope(self) -> str | None:
        """``"MY"``/``"TARGET"``/``"PARENT"`` when ``base`` is that special name, else None."""
        if isinstance(self.base, AttrRef):
            upper = self.base.name.upper()
            if upper in ("MY", "TARGET", "PARENT"):
                return upper
        return None


@dataclass(frozen=True, slots=True)
class Subscript:
    """``base[index]``: list element (0-based) or ClassAd attribute by string key."""

    base: Expr
    index: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    """A prefix operator: ``-``, ``+``, ``~`` or ``!``."""

    op: str
    operand: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    """A binary operator in canonical spelling (see :data:`BINARY_OPERATORS`)."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(compare=False)
    op_span: Span = field(compare=False, default=Span(0, 0))


@dataclass(frozen=True, slots=True)
class Conditional:
    """``cond ? then : otherwise`` (lazy; UNDEFINED condition gives UNDEFINED)."""

    cond: Expr
    then: Expr
    otherwise: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Elvis:
    """``left ?: right``: ``right`` only when ``left`` is UNDEFINED."""

    left: Expr
    right: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; the name is kept as written (lookup is case-insensitive)."""

    name: str
    args: tuple[Expr, ...]
    span: Span = field(compare=False)
    name_span: Span = field(compare=False, default=Span(0, 0))


@dataclass(frozen=True, slots=True)
class ListExpr:
    """``{a, b, ...}``."""

    items: tuple[Expr, ...]
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class RecordAttr:
    """One ``name = expr`` inside a record literal."""

    name: str
    value: Expr
    span: Span = field(compare=False)
    name_span: Span = field(compare=False, default=Span(0, 0))


@dataclass(frozen=True, slots=True)
class Record:
    """A nested ClassAd literal ``[a = 1; b = 2]``; a later duplicate name wins."""

    attrs: tuple[RecordAttr, ...]
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Paren:
    """``( inner )`` as written by the user."""

    inner: Expr
    span: Span = field(compare=False)


Expr: TypeAlias = (
    Literal
    | AttrRef
    | AbsoluteRef
    | Select
    | Subscript
    | Unary
    | Binary
    | Conditional
    | Elvis
    | Call
    | ListExpr
    | Record
    | Paren
)


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, in source order."""
    match node:
        case Literal() | AttrRef() | AbsoluteRef():
            return ()
        case Select(base=b):
            return (b,)
        case Subscript(base=b, index=i):
            return (b, i)
        case Unary(operand=o):
            return (o,)
        case Binary(left=left, right=right):
            return (left, right)
        case Conditional(cond=c, then=t, otherwise=o):
            return (c, t, o)
        case Elvis(left=left, right=right):
            return (left, right)
        case Call(args=args):
            return args
        case ListExpr(items=items):
            return items
        case Record(attrs=attrs):
            return tuple(a.value for a in attrs)
        case Paren(inner=i):
            return (i,)
    raise TypeError(f"not an expression node: {node!r}")


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children, without recursion (deep trees are fine)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


_NOT_CHILDREN = ("span", "name_span", "op_span", "name", "op")


def rewrite(node: Expr, replace: Callable[[Any], Expr | None]) -> Expr:
    """The tree with every node for which ``replace`` returns an expression swapped for
    it (whose children are then not visited); the other nodes are rebuilt around their
    rewritten children, spans kept, and a subtree with nothing to rewrite is returned as
    it is (the same object). One traversal for every analysis that substitutes
    references or marks a branch, instead of one hand-written walk each."""

    def go(n: Any) -> Any:
        swapped = replace(n) if not isinstance(n, tuple) else None
        if swapped is not None:
            return swapped
        if isinstance(n, tuple) and not isinstance(n, Span):
            items = tuple(go(x) for x in n)
            return n if all(a is b for a, b in zip(items, n, strict=True)) else items
        if dataclasses.is_dataclass(n) and not isinstance(n, type | Literal):
            changes = {
                f.name: go(getattr(n, f.name))
                for f in dataclasses.fields(n)
                if f.name not in _NOT_CHILDREN
            }
            if all(v is getattr(n, k) for k, v in changes.items()):
                return n  # nothing below changed: the same node, so caches keyed on it hit
            return dataclasses.replace(n, **changes)
        return n

    out: Expr = go(node)
    return out
