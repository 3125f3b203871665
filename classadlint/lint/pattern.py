"""Structural patterns over ClassAd expressions: the one engine behind built-in pattern rules
and site rules written in TOML.

A pattern is ClassAd syntax with metavariables:

* ``$X`` (a letter or ``_`` then letters, digits, ``_``) matches any one sub-expression;
  a second ``$X`` in the same pattern must match an equivalent expression.
  In function-name position (``$F(...)``) it matches the name.
* ``$_`` matches anything, each occurrence independently.
* ``$...ARGS`` matches zero or more items of a call's argument list or a list literal.

Matching is structural and follows ClassAd's own equivalences: attribute, scope and
function names compare case-insensitively, ``is``/``isnt`` are ``=?=``/``=!=`` (the parser
stores them so), and by default parentheses are ignored on both sides (``parens="exact"``
makes them count). String literals compare exactly.

``$X`` is not ClassAd syntax, so a pattern is pre-processed: ``$X`` becomes the identifier
``__mv__X`` and ``$...X`` becomes ``__mvs__X`` (outside string literals), then parsed by the
real parser. A replacement template is rendered with the parser's unparser for the parts
the rule writes, while every metavariable keeps the ORIGINAL source text it matched
(its spacing, comments, ``is`` spelling, old-style string escapes), wrapped in parentheses
only where the surrounding operator would otherwise change the parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal as TLiteral

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import BINARY_PRECEDENCE, ParseOptions, parse_expr
from classadlint.classad.unparse import precedence, unparse
from classadlint.classad.values import ErrorType, UndefinedType

_SINGLE = "__mv__"
_SEQ = "__mvs__"
_METAVAR = re.compile(r"\$(\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)")

#: Kinds a ``where`` constraint may require of a metavariable's match.
KINDS = (
    "any", "literal", "string", "number", "integer", "real", "bool", "undefined", "error",
    "attribute", "call", "list", "record",
)  # fmt: skip
_CONSTRAINT_KEYS = ("kind", "name", "text")

Binding = ast.Expr | tuple[ast.Expr, ...] | str


class PatternError(ValueError):
    """A pattern or replacement that cannot be used; the message names the problem."""


@dataclass(frozen=True)
class Metavar:
    name: str
    sequence: bool = False

    @property
    def anonymous(self) -> bool:
        return self.name.startswith("_")

    def __str__(self) -> str:
        return ("$..." if self.sequence else "$") + self.name


@dataclass
class Match:
    """One place a pattern matched: the node and what each metavariable bound to."""

    node: ast.Expr
    bindings: dict[str, Binding] = field(default_factory=dict)
    #: how tightly the node's position binds (see :func:`child_requirements`): a
    #: replacement that binds less tightly is parenthesised
    required: int = 0


def child_requirements(node: ast.Expr) -> tuple[tuple[ast.Expr, int], ...]:
    """Each child with the least precedence it may have in that position without
    parentheses (0: any expression), following the parser's grammar."""
    match node:
        case ast.Select(base=base):
            return ((base, 12),)
        case ast.Subscript(base=base, index=index):
            return ((base, 12), (index, 0))
        case ast.Unary(operand=o):
            return ((o, 11),)
        case ast.Binary(op=op, left=left, right=right):
            p = BINARY_PRECEDENCE[op]
            return ((left, p), (right, p + 1))
        case ast.Conditional(cond=c, then=th, otherwise=o):
            return ((c, 1), (th, 0), (o, 0))
        case ast.Elvis(left=left, right=right):
            return ((left, 12), (right, 12))
    return tuple((c, 0) for c in ast.children(node))


def _preprocess(text: str) -> tuple[str, dict[str, Metavar]]:
    """Replace metavariables outside string literals by placeholder identifiers."""
    out: list[str] = []
    found: dict[str, Metavar] = {}
    anon = 0
    i = 0
    quote = ""
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            if c == quote:
                quote = ""
            i += 1
            continue
        if c in "\"'":
            quote = c
            out.append(c)
            i += 1
            continue
        if c == "$":
            m = _METAVAR.match(text, i)
            if m is None:
                raise PatternError(
                    f"`$` at column {i + 1} of `{text}` must start a metavariable "
                    "(`$X`, `$_` or `$...ARGS`)"
                )
            seq = bool(m.group(1))
            name = m.group(2)
            if name == "_":
                anon += 1
                name = f"_{anon}"
            placeholder = (_SEQ if seq else _SINGLE) + name
            previous = found.get(placeholder)
            if previous is None:
                other = (_SINGLE if seq else _SEQ) + name
                if other in found:
                    raise PatternError(f"`${name}` is used both as `$X` and as `$...X`")
            found[placeholder] = Metavar(name, seq)
            out.append(placeholder)
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out), found


def _strip(node: ast.Expr) -> ast.Expr:
    while isinstance(node, ast.Paren):
        node = node.inner
    return node


def _kind_ok(kind: str, node: ast.Expr) -> bool:
    node = _strip(node)
    value = node.value if isinstance(node, ast.Literal) else None
    is_lit = isinstance(node, ast.Literal)
    checks = {
        "any": True,
        "literal": is_lit,
        "string": is_lit and isinstance(value, str),
        "number": is_lit and type(value) in (int, float),
        "integer": is_lit and type(value) is int,
        "real": is_lit and type(value) is float,
        "bool": is_lit and type(value) is bool,
        "undefined": is_lit and isinstance(value, UndefinedType),
        "error": is_lit and isinstance(value, ErrorType),
        "attribute": isinstance(node, ast.AttrRef | ast.AbsoluteRef)
        or (isinstance(node, ast.Select) and node.scope is not None),
        "call": isinstance(node, ast.Call),
        "list": isinstance(node, ast.ListExpr),
        "record": isinstance(node, ast.Record),
    }
    return checks[kind]


def _attribute_name(node: ast.Expr) -> str | None:
    node = _strip(node)
    if isinstance(node, ast.AttrRef | ast.AbsoluteRef | ast.Select | ast.Call):
        return node.name
    return None


@dataclass(frozen=True)
class Constraint:
    """``kind``: one of :data:`KINDS`; ``name``: a regex the attribute or function name
    must match in full (case-insensitive); ``text``: a regex searched in the text as
    written."""

    kind: str = "any"
    name: re.Pattern[str] | None = None
    text: re.Pattern[str] | None = None

    @classmethod
    def parse(cls, var: str, spec: Mapping[str, str]) -> Constraint:
        unknown = set(spec) - set(_CONSTRAINT_KEYS)
        if unknown:
            raise PatternError(
                f"where.{var}: unknown key `{sorted(unknown)[0]}`; "
                f"allowed: {', '.join(_CONSTRAINT_KEYS)}"
            )
        kind = str(spec.get("kind", "any"))
        if kind not in KINDS:
            raise PatternError(f"where.{var}.kind: `{kind}` is not one of {', '.join(KINDS)}")
        try:
            name = re.compile(spec["name"], re.I) if "name" in spec else None
            text = re.compile(spec["text"]) if "text" in spec else None
        except re.error as exc:
            raise PatternError(f"where.{var}: bad regular expression: {exc}") from None
        return cls(kind, name, text)

    def accepts(self, node: Binding, source: str) -> bool:
        if isinstance(node, str):  # a function name
            return self.kind in ("any", "call") and (
                self.name is None or self.name.fullmatch(node) is not None
            )
        if isinstance(node, tuple):
            return all(self.accepts(n, source) for n in node)
        if not _kind_ok(self.kind, node):
            return False
        if self.name is not None:
            name = _attribute_name(node)
            if name is None or self.name.fullmatch(name) is None:
                return False
        return self.text is None or self.text.search(source_text(node, source)) is not None


def source_text(node: ast.Expr | tuple[ast.Expr, ...], source: str) -> str:
    """The text a node (or a run of sibling nodes) was parsed from."""
    if isinstance(node, tuple):
        return source[node[0].span.start : node[-1].span.end] if node else ""
    return source[node.span.start : node.span.end]


class CompiledPattern:
    """A parsed pattern (and replacement) ready to match trees."""

    def __init__(
        self,
        text: str,
        replacement: str | None = None,
        where: Mapping[str, Mapping[str, str]] | None = None,
        *,
        parens: TLiteral["ignore", "exact"] = "ignore",
        message: str | None = None,
    ) -> None:
        self.text = text
        self.replacement = replacement
        self.parens = parens
        self.message = message
        processed, self.vars = _preprocess(text)
        self.tree = _parse_pattern(processed, text)
        _check_sequences(self.tree, self.vars, text)
        if isinstance(_strip(self.tree), ast.AttrRef) and processed.strip() in self.vars:
            raise PatternError(f"pattern `{text}` is only a metavariable: it matches everything")
        self.constraints: dict[str, Constraint] = {}
        names = {v.name for v in self.vars.values()}
        for var, spec in (where or {}).items():
            if var.lstrip("$") not in names:
                raise PatternError(f"where.{var}: `${var}` does not occur in `{text}`")
            self.constraints[var.lstrip("$")] = Constraint.parse(var, spec)
        self.replacement_tree: ast.Expr | None = None
        self.replacement_vars: dict[str, Metavar] = {}
        if replacement is not None:
            rprocessed, self.replacement_vars = _preprocess(replacement)
            for placeholder, mv in self.replacement_vars.items():
                if mv.anonymous or placeholder not in self.vars:
                    raise PatternError(
                        f"replacement `{replacement}` uses `{mv}`, which `{text}` does not bind"
                    )
            self.replacement_tree = _parse_pattern(rprocessed, replacement)
            _check_sequences(self.replacement_tree, self.replacement_vars, replacement)

    def __repr__(self) -> str:
        return f"CompiledPattern({self.text!r}, {self.replacement!r})"

    # --- matching ---------------------------------------------------------------------
    def matches(self, tree: ast.Expr, source: str) -> Iterator[Match]:
        """Every node of ``tree`` the pattern matches, outermost first."""
        stack: list[tuple[ast.Expr, int]] = [(tree, 0)]
        while stack:
            node, required = stack.pop()
            stack.extend(reversed(child_requirements(node)))
            if self.parens == "ignore" and isinstance(node, ast.Paren):
                continue  # its inner node is tried on its own
            bindings: dict[str, Binding] = {}
            if self._match(self.tree, node, bindings, source):
                yield Match(node, bindings, required)

    def _metavar(self, node: ast.Expr) -> Metavar | None:
        if isinstance(node, ast.AttrRef):
            return self.vars.get(node.name)
        return None

    def _bind(self, mv: Metavar, value: Binding, b: dict[str, Binding], source: str) -> bool:
        constraint = self.constraints.get(mv.name)
        if constraint is not None and not constraint.accepts(value, source):
            return False
        if mv.anonymous:
            return True
        if mv.name in b:
            return _equivalent(b[mv.name], value)
        b[mv.name] = value
        return True

    def _match(self, p: ast.Expr, t: ast.Expr, b: dict[str, Binding], source: str) -> bool:
        if self.parens == "ignore":
            p = _strip(p)
        mv = self._metavar(p)
        if mv is not None:
            return self._bind(mv, t, b, source)
        if self.parens == "ignore":
            t = _strip(t)
        if type(p) is not type(t):
            return False
        m = self._match
        match p:
            case ast.Literal():
                return p == t
            case ast.AttrRef(name=n) | ast.AbsoluteRef(name=n):
                return n.lower() == t.name.lower()  # type: ignore[union-attr]
            case ast.Select(base=base, name=n):
                assert isinstance(t, ast.Select)
                return n.lower() == t.name.lower() and m(base, t.base, b, source)
            case ast.Subscript(base=base, index=index):
                assert isinstance(t, ast.Subscript)
                return m(base, t.base, b, source) and m(index, t.index, b, source)
            case ast.Unary(op=op, operand=o):
                assert isinstance(t, ast.Unary)
                return op == t.op and m(o, t.operand, b, source)
            case ast.Binary(op=op, left=left, right=right):
                assert isinstance(t, ast.Binary)
                return op == t.op and m(left, t.left, b, source) and m(right, t.right, b, source)
            case ast.Conditional(cond=c, then=th, otherwise=o):
                assert isinstance(t, ast.Conditional)
                return (
                    m(c, t.cond, b, source)
                    and m(th, t.then, b, source)
                    and m(o, t.otherwise, b, source)
                )
            case ast.Elvis(left=left, right=right):
                assert isinstance(t, ast.Elvis)
                return m(left, t.left, b, source) and m(right, t.right, b, source)
            case ast.Call(name=n, args=args):
                assert isinstance(t, ast.Call)
                fmv = self.vars.get(n)
                if fmv is not None:
                    if not self._bind(fmv, t.name, b, source):
                        return False
                elif n.lower() != t.name.lower():
                    return False
                return self._seq(args, t.args, b, source)
            case ast.ListExpr(items=items):
                assert isinstance(t, ast.ListExpr)
                return self._seq(items, t.items, b, source)
            case ast.Record(attrs=attrs):
                assert isinstance(t, ast.Record)
                return len(attrs) == len(t.attrs) and all(
                    pa.name.lower() == ta.name.lower() and m(pa.value, ta.value, b, source)
                    for pa, ta in zip(attrs, t.attrs, strict=True)
                )
            case ast.Paren(inner=i):
                assert isinstance(t, ast.Paren)
                return m(i, t.inner, b, source)
        return False  # pragma: no cover - every node kind is handled above

    def _seq(
        self,
        ps: tuple[ast.Expr, ...],
        ts: tuple[ast.Expr, ...],
        b: dict[str, Binding],
        source: str,
    ) -> bool:
        if not ps:
            return not ts
        head = ps[0]
        seq = self.vars.get(head.name) if isinstance(head, ast.AttrRef) else None
        if seq is not None and seq.sequence:
            for k in range(len(ts) + 1):
                trial = dict(b)
                if self._bind(seq, ts[:k], trial, source) and self._seq(
                    ps[1:], ts[k:], trial, source
                ):
                    b.update(trial)
                    return True
            return False
        if not ts:
            return False
        trial = dict(b)
        if self._match(head, ts[0], trial, source) and self._seq(ps[1:], ts[1:], trial, source):
            b.update(trial)
            return True
        return False

    # --- replacement ------------------------------------------------------------------
    def render(
        self, match: Match, source: str, strings: TLiteral["new", "old"] = "new"
    ) -> str | None:
        """The replacement text for a match (None when the pattern has no replacement)."""
        if self.replacement_tree is None:
            return None
        texts: dict[str, str] = {}
        template = self._substitute(self.replacement_tree, 0, match, source, texts)
        top = _strip(template) if isinstance(template, ast.Paren) else template
        mv = self._metavar(top)
        bound = match.bindings.get(mv.name) if mv is not None else None
        top_precedence = precedence(bound if isinstance(bound, ast.Expr) else template)
        if top_precedence < match.required:
            template = ast.Paren(template, template.span)
        rendered = unparse(template, strings)
        if not texts:
            return rendered

        # an empty $...ARGS takes one adjacent separator with it
        empty = [k for k, v in texts.items() if v == "" and k.startswith(_SEQ)]
        for k in empty:
            rendered = re.sub(rf",\s*{k}\b|\b{k}\s*,\s*|\b{k}\b", "", rendered, count=1)
        alternation = "|".join(sorted((re.escape(k) for k in texts), key=len, reverse=True))
        return re.sub(rf"\b(?:{alternation})\b", lambda m: texts[m.group(0)], rendered)

    def _substitute(
        self,
        node: ast.Expr,
        required: int,
        match: Match,
        source: str,
        texts: dict[str, str],
    ) -> ast.Expr:
        """The template with each metavariable replaced by a placeholder name whose text is
        recorded in ``texts``, parenthesised where the bound expression binds less tightly
        than its position requires."""
        mv = self._metavar(node)
        if mv is not None:
            placeholder = node.name  # type: ignore[union-attr]
            bound = match.bindings[mv.name]
            if isinstance(bound, tuple):
                texts[placeholder] = source_text(bound, source)
                return node
            assert not isinstance(bound, str)
            text = source_text(bound, source)
            texts[placeholder] = text
            if precedence(bound) < required:
                return ast.Paren(node, node.span)
            return node
        sub = self._substitute
        match node:
            case ast.Select(base=base):
                return replace(node, base=sub(base, 12, match, source, texts))
            case ast.Subscript(base=base, index=index):
                return replace(
                    node,
                    base=sub(base, 12, match, source, texts),
                    index=sub(index, 0, match, source, texts),
                )
            case ast.Unary(operand=o):
                new = sub(o, 11, match, source, texts)
                if (
                    node.op in "-+"
                    and isinstance(new, ast.AttrRef)
                    and texts.get(new.name, "x")[:1] in ("-", "+", *"0123456789.")
                ):
                    new = ast.Paren(new, new.span)  # `- -1` must not lex as `--1`
                return replace(node, operand=new)
            case ast.Binary(op=op, left=left, right=right):
                p = BINARY_PRECEDENCE[op]
                return replace(
                    node,
                    left=sub(left, p, match, source, texts),
                    right=sub(right, p + 1, match, source, texts),
                )
            case ast.Conditional(cond=c, then=th, otherwise=o):
                return replace(
                    node,
                    cond=sub(c, 1, match, source, texts),
                    then=sub(th, 0, match, source, texts),
                    otherwise=sub(o, 0, match, source, texts),
                )
            case ast.Elvis(left=left, right=right):
                return replace(
                    node,
                    left=sub(left, 12, match, source, texts),
                    right=sub(right, 12, match, source, texts),
                )
            case ast.Call(name=n, args=args):
                fmv = self.vars.get(n)
                if fmv is not None:
                    bound = match.bindings[fmv.name]
                    assert isinstance(bound, str)
                    texts[n] = bound
                return replace(node, args=tuple(sub(a, 0, match, source, texts) for a in args))
            case ast.ListExpr(items=items):
                return replace(node, items=tuple(sub(a, 0, match, source, texts) for a in items))
            case ast.Record(attrs=attrs):
                return replace(
                    node,
                    attrs=tuple(
                        replace(a, value=sub(a.value, 0, match, source, texts)) for a in attrs
                    ),
                )
            case ast.Paren(inner=i):
                return replace(node, inner=sub(i, 0, match, source, texts))
        return node


def _check_sequences(tree: ast.Expr, found: Mapping[str, Metavar], text: str) -> None:
    """``$...X`` stands for items of an argument list or a list literal, nothing else."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call | ast.ListExpr):
            allowed.update(id(c) for c in ast.children(node))
    for node in ast.walk(tree):
        mv = found.get(node.name) if isinstance(node, ast.AttrRef) else None
        if mv is not None and mv.sequence and id(node) not in allowed:
            raise PatternError(
                f"`{mv}` in `{text}`: a `$...` metavariable stands only for call arguments "
                "or list items"
            )


def _parse_pattern(processed: str, original: str) -> ast.Expr:
    try:
        return parse_expr(processed, ParseOptions(strings="new"))
    except ClassAdSyntaxError as exc:
        raise PatternError(f"`{original}` is not a ClassAd pattern: {exc.message}") from None


_PLAIN = CompiledPattern.__new__(CompiledPattern)
_PLAIN.vars = {}
_PLAIN.constraints = {}
_PLAIN.parens = "ignore"


def _equivalent(a: Binding, b: Binding) -> bool:
    """Whether two bindings of one metavariable are the same expression (names in any case,
    parentheses ignored)."""
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a.lower() == b.lower()
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_PLAIN._match(x, y, {}, "") for x, y in zip(a, b, strict=True))
        )
    return _PLAIN._match(a, b, {}, "")


def compile_pattern(
    text: str,
    replacement: str | None = None,
    where: Mapping[str, Mapping[str, str]] | None = None,
    *,
    parens: TLiteral["ignore", "exact"] = "ignore",
    message: str | None = None,
) -> CompiledPattern:
    """Parse a pattern (and replacement); raises :class:`PatternError` with the reason."""
    return CompiledPattern(text, replacement, where, parens=parens, message=message)


_OPERATOR_CHARS = frozenset("=!<>&|?:+-*/%^~")


def _char_class(c: str) -> int:
    if c.isspace():
        return 0
    if c.isalnum() or c in "_.$":
        return 1
    if c in _OPERATOR_CHARS:
        return 2
    return 3


def _boundary(s: str, i: int) -> bool:
    """Whether ``i`` falls between two tokens of ``s`` (never inside a word or an operator)."""
    if i <= 0 or i >= len(s):
        return True
    a, b = _char_class(s[i - 1]), _char_class(s[i])
    return a != b or a in (0, 3)


def minimal_edit(old: str, new: str) -> tuple[int, int, str]:
    """``(start, end, text)`` replacing only the tokens that differ between ``old`` and
    ``new``, so a fix touches as little of what the user wrote as possible (and reads as
    a whole-token change: `!=` -> `=!=`, not an inserted `=`)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    while start > 0 and not (_boundary(old, start) and _boundary(new, start)):
        start -= 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    while end_old < len(old) and not (_boundary(old, end_old) and _boundary(new, end_new)):
        end_old += 1
        end_new += 1
    return start, end_old, new[start:end_new]
