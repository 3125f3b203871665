"""Static types of expression nodes, as far as they are certain: literals, list and record
literals, comparisons, function results from the catalog, and attribute references whose
ad (by the knob's evaluation context) the attribute catalog gives a definite type.

Anything else is None ("any"): rules stay silent rather than guess. Types are the
catalog's words: ``string``, ``int``, ``real``, ``bool``, ``list``, ``classad``, plus
``number`` (int or real).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from classadlint.classad import ast
from classadlint.classad.values import AbsTime, ErrorType, RelTime, UndefinedType

if TYPE_CHECKING:
    from classadlint.lint.context import ExpressionContext

_DEFINITE = {"string", "int", "real", "bool", "list", "classad", "number"}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">=", "=?=", "=!="}


def literal_type(value: object) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        return "string"
    if isinstance(value, UndefinedType | ErrorType | AbsTime | RelTime):
        return None
    return None


def strip(node: ast.Expr) -> ast.Expr:
    while isinstance(node, ast.Paren):
        node = node.inner
    return node


def attribute_type(node: ast.Expr, ctx: ExpressionContext) -> str | None:
    """The catalog type of an attribute reference in the expression's context."""
    from classadlint.schema.attributes import catalog, catalog_ad

    context = ctx.context
    if context is None:
        return None
    node = strip(node)
    ads: list[str | None]
    if isinstance(node, ast.AttrRef):
        name = node.name
        ads = [context.my, context.target]
    elif isinstance(node, ast.Select) and isinstance(node.base, ast.AttrRef):
        scope = node.base.name
        if scope.upper() not in ("MY", "TARGET") and not any(
            a.upper() == scope.upper() for a in context.aliases
        ):
            return None
        name = node.name
        ads = [context.ad_for_scope(scope)]
    else:
        return None
    cat = catalog()
    for kind in ads:
        ad = catalog_ad(kind) if kind is not None else None
        if ad is None:
            continue
        info = cat.get(ad, name)
        if info is not None:
            return info.type if info.type in _DEFINITE else None
    return None


def static_type(node: ast.Expr, ctx: ExpressionContext) -> str | None:
    """The type the node has whenever it is neither UNDEFINED nor ERROR, or None."""
    node = strip(node)
    match node:
        case ast.Literal(value=v):
            return literal_type(v)
        case ast.ListExpr():
            return "list"
        case ast.Record():
            return "classad"
        case ast.Binary(op=op) if op in _COMPARISONS or op in ("&&", "||"):
            return "bool"
        case ast.Unary(op="!"):
            return "bool"
        case ast.Call(name=name):
            from classadlint.schema.functions_catalog import function

            info = function(name)
            if info is not None and info.result in _DEFINITE:
                return info.result
            return None
        case ast.AttrRef() | ast.Select():
            return attribute_type(node, ctx)
    return None


def is_numeric(t: str | None) -> bool:
    return t in ("int", "real", "number", "bool")
