"""ClassAds as data: a case-insensitive mapping of attribute names to expressions.

An attribute holds an *expression*, not a value: ``Rank = Memory * 2`` is evaluated each
time, in the scope of the ad that holds it. Nested record values keep a link to the ad
they sit in (``parent``), which is how unqualified names inside them find outer
attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from classadlint.classad import ast
from classadlint.classad.values import AbsTime, ErrorType, RelTime, UndefinedType
from classadlint.source import Span

_NOWHERE = Span(0, 0)


class ClassAd(Mapping[str, ast.Expr]):
    """Attribute name (any case) -> expression; iteration yields names as first written."""

    __slots__ = ("_exprs", "compiled", "parent")

    def __init__(
        self,
        attrs: Mapping[str, Any] | None = None,
        parent: ClassAd | None = None,
    ) -> None:
        self._exprs: dict[str, tuple[str, ast.Expr]] = {}
        self.parent = parent
        #: Evaluator cache: lower-case name -> compiled closure (filled by evaluate.py).
        self.compiled: dict[str, Any] = {}
        if attrs:
            for name, value in attrs.items():
                self[name] = value

    # --- mapping ------------------------------------------------------------------
    def __getitem__(self, name: str) -> ast.Expr:
        return self._exprs[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._exprs.values())

    def __len__(self) -> int:
        return len(self._exprs)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._exprs

    def __setitem__(self, name: str, value: Any) -> None:
        """Set an attribute from an expression, a ClassAd, or a plain Python value."""
        lower = name.lower()
        existing = self._exprs.get(lower)
        spelled = existing[0] if existing else name
        self._exprs[lower] = (spelled, to_expr(value))
        self.compiled.pop(lower, None)

    def __delitem__(self, name: str) -> None:
        del self._exprs[name.lower()]
        self.compiled.pop(name.lower(), None)

    def lookup(self, name: str) -> ast.Expr | None:
        """The expression of ``name`` (any case), or None."""
        entry = self._exprs.get(name.lower())
        return entry[1] if entry else None

    def root(self) -> ClassAd:
        ad = self
        while ad.parent is not None:
            ad = ad.parent
        return ad

    def __repr__(self) -> str:
        from classadlint.classad.unparse import quote_name, unparse

        inner = "; ".join(f"{quote_name(n)} = {unparse(e)}" for n, e in self._exprs.values())
        return f"[{inner}]" if inner else "[]"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassAd):
            return NotImplemented
        return self._exprs.keys() == other._exprs.keys() and all(
            self._exprs[k][1] == other._exprs[k][1] for k in self._exprs
        )

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_record(cls, record: ast.Record, parent: ClassAd | None = None) -> ClassAd:
        """An ad from a parsed ``[ ... ]`` literal; a later duplicate name wins."""
        ad = cls(parent=parent)
        for attr in record.attrs:
            ad[attr.name] = attr.value
        return ad


def to_expr(value: Any) -> ast.Expr:
    """An expression for a plain Python value (or the expression itself)."""
    if isinstance(value, ast.Literal | ast.AttrRef | ast.AbsoluteRef | ast.Select
                  | ast.Subscript | ast.Unary | ast.Binary | ast.Conditional | ast.Elvis
                  | ast.Call | ast.ListExpr | ast.Record | ast.Paren):  # fmt: skip
        return value
    if isinstance(value, bool | int | float | str | UndefinedType | ErrorType | AbsTime
                  | RelTime):  # fmt: skip
        return ast.Literal(value, _NOWHERE)
    if isinstance(value, ClassAd):
        return ast.Record(tuple(ast.RecordAttr(n, value[n], _NOWHERE) for n in value), _NOWHERE)
    if isinstance(value, Mapping):
        return ast.Record(
            tuple(ast.RecordAttr(str(k), to_expr(v), _NOWHERE) for k, v in value.items()),
            _NOWHERE,
        )
    if isinstance(value, list | tuple):
        return ast.ListExpr(tuple(to_expr(v) for v in value), _NOWHERE)
    raise TypeError(f"cannot store a {type(value).__name__} in a ClassAd")
