"""Parse ClassAd expressions into the typed AST, accepting exactly what HTCondor accepts.

The grammar (``grammar/classad.lark``) is run by Lark's LALR parser with the contextual
lexer, and the tree is built by callbacks during parsing (no intermediate parse tree).
Binary operators arrive as one flat chain and are arranged by precedence here. HTCondor's
parser is recursive descent with a depth limit of 500; we compute the same depth measure
bottom-up and reject what it rejects, so deep input is an error, never a RecursionError.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from typing import Literal as TLiteral

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError, describe_expected, foreign_operator_hint
from classadlint.classad.lexical import (
    LexicalError,
    decode_integer,
    decode_quoted_name,
    decode_real,
    decode_string_token,
)
from classadlint.classad.timeliterals import parse_abstime_literal, parse_reltime_literal
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.resources import grammar_text
from classadlint.source import Span

#: Binding strength of binary operators (higher binds tighter); all are left-associative.
BINARY_PRECEDENCE: dict[str, int] = {
    "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5,
    "==": 6, "!=": 6, "=?=": 6, "=!=": 6,
    "<": 7, "<=": 7, ">": 7, ">=": 7,
    "<<": 8, ">>": 8, ">>>": 8,
    "+": 9, "-": 9,
    "*": 10, "/": 10, "%": 10,
}  # fmt: skip

#: HTCondor's parser gives up when its recursion depth passes this.
MAX_PARSE_DEPTH = 500

RESERVED_WORDS = frozenset({"true", "false", "undefined", "error", "is", "isnt"})

# Old-syntax strings: a backslash escapes nothing but a quote, and a \" at the very end of
# the text or line closes the string (leaving the backslash in it): "C:\dir\".
_OLD_BODY = r"(?:[^\x22\\]|\\\x22(?!\n|$)|\\(?!\x22(?!\n|$)))*"
_OLD_STRING = rf"/\x22{_OLD_BODY}\x22(?:\s*\x22{_OLD_BODY}\x22)*/"


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """How to read an expression.

    ``semantics``: ``"daemon"`` is HTCondor's default old-semantics mode as in every daemon
    and in ``classad2`` after ``import htcondor2`` (integer literals with a leading zero are
    rejected, ``;`` separates function arguments); ``"strict"`` is the bare library.
    ``strings``: ``"new"`` for ``[...]`` ads and ``classad_eval``; ``"old"`` for config values
    and long-form ads, where a backslash only escapes a quote.
    ``version``: the HTCondor version whose syntax to follow (``? :`` with white space is
    the elvis operator only from 25.13.2 on).
    """

    semantics: TLiteral["daemon", "strict"] = "daemon"
    strings: TLiteral["new", "old"] = "new"
    version: tuple[int, int, int] = (25, 14, 1)


DEFAULT_OPTIONS = ParseOptions()

_state = threading.local()


def _cost(node: Any) -> int:
    costs: dict[int, int] = _state.costs
    return costs.get(id(node), 3)


def _set_cost(node: Any, cost: int) -> Any:
    _state.costs[id(node)] = cost
    return node


def _tok_span(tok: Token) -> Span:
    return Span(tok.start_pos or 0, tok.end_pos or 0)


def _span_of(x: Any) -> Span:
    if isinstance(x, Token):
        return _tok_span(x)
    if isinstance(x, tuple):  # a name: (text, span, quoted)
        return x[1]  # type: ignore[no-any-return]
    return x.span  # type: ignore[no-any-return]


def _fail(message: str, span: Span, found: str = "") -> ClassAdSyntaxError:
    return ClassAdSyntaxError(message, span, _state.text, found=found)


class _Builder(Transformer[Token, ast.Expr]):
    """Callbacks run by the LALR parser at each reduction; they build AST nodes."""

    # --- entry points ---------------------------------------------------------
    def start(self, c: list[Any]) -> ast.Expr:
        return c[0]  # type: ignore[no-any-return]

    record_start = start
    list_start = start

    # --- operators --------------------------------------------------------------
    def conditional(self, c: list[Any]) -> ast.Expr:
        cond, _q, then, _colon, other = c
        node = ast.Conditional(cond, then, other, cond.span.cover(other.span))
        return _set_cost(node, max(_cost(cond), _cost(then) + 1, _cost(other) + 1))  # type: ignore[no-any-return]

    def binop(self, c: list[Token]) -> Token:
        return c[0]

    def chain(self, c: list[Any]) -> ast.Expr:
        if len(c) == 1:
            return c[0]  # type: ignore[no-any-return]
        operands: list[ast.Expr] = [c[0]]
        ops: list[tuple[str, Span]] = []
        cost = _cost(c[0])

        def reduce() -> None:
            op, op_span = ops.pop()
            right = operands.pop()
            left = operands.pop()
            node = ast.Binary(op, left, right, left.span.cover(right.span), op_span)
            operands.append(node)

        for i in range(1, len(c), 2):
            tok: Token = c[i]
            op = _canonical_op(tok)
            prec = BINARY_PRECEDENCE[op]
            while ops and BINARY_PRECEDENCE[ops[-1][0]] >= prec:
                reduce()
            ops.append((op, _tok_span(tok)))
            operands.append(c[i + 1])
            cost = max(cost, _cost(c[i + 1]))
        while ops:
            reduce()
        return _set_cost(operands[0], cost)  # type: ignore[no-any-return]

    def unary(self, c: list[Any]) -> ast.Expr:
        tok, operand = c
        node = ast.Unary(str(tok), operand, _tok_span(tok).cover(operand.span))
        return _set_cost(node, _cost(operand) + 1)  # type: ignore[no-any-return]

    def select(self, c: list[Any]) -> ast.Expr:
        base, _dot, (name, name_span, _quoted) = c
        node = ast.Select(base, name, base.span.cover(name_span), name_span)
        return _set_cost(node, _cost(base))  # type: ignore[no-any-return]

    def subscript(self, c: list[Any]) -> ast.Expr:
        base, _l, index, r = c
        node = ast.Subscript(base, index, base.span.cover(_tok_span(r)))
        return _set_cost(node, max(_cost(base), _cost(index) + 3))  # type: ignore[no-any-return]

    def elvis(self, c: list[Any]) -> ast.Expr:
        left, tok, right = c
        if _state.options.version < (25, 13, 2) and tok.value != "?:":
            raise _fail(
                "`? :` with white space is the elvis operator only since HTCondor "
                "25.13.2: write `?:`",
                _tok_span(tok),
                tok.value,
            )
        node = ast.Elvis(left, right, left.span.cover(right.span))
        return _set_cost(node, max(_cost(left) + 1, _cost(right) + 1))  # type: ignore[no-any-return]

    # --- primaries --------------------------------------------------------------
    def number(self, c: list[Token]) -> ast.Expr:
        tok = c[0]
        text = tok.value
        span = _tok_span(tok)
        digits = text[1:] if text.startswith("-") else text
        if digits[:2].lower() == "0x":
            if _state.options.semantics == "daemon":
                raise _fail(
                    f"`{text}`: ClassAds have no hexadecimal literals; write the decimal value",
                    span,
                    text,
                )
            return ast.Literal(0, span)  # HTCondor reads it in base 10: just the "0"
        if digits.isdigit():
            if len(digits) > 1 and digits[0] == "0":
                if "8" in digits or "9" in digits:
                    raise _fail(
                        f"`{text}` is not a valid number (a leading zero makes it "
                        f"octal): write `{int(text)}`",
                        span,
                        text,
                    )
                if _state.options.semantics == "daemon" and not text.startswith("-"):
                    raise _fail(
                        f"integer literal `{text}` has a leading zero, which HTCondor rejects: "
                        f"write `{int(text)}`",
                        span,
                        text,
                    )
            return ast.Literal(decode_integer(text), span)
        return ast.Literal(decode_real(text), span)

    def string(self, c: list[Token]) -> ast.Expr:
        tok = c[0]
        try:
            value = decode_string_token(tok.value, old=_state.options.strings == "old")
        except LexicalError as exc:
            start = (tok.start_pos or 0) + exc.offset
            raise _fail(exc.message, Span(start, start + 1), tok.value) from None
        return ast.Literal(value, _tok_span(tok))

    def true(self, c: list[Token]) -> ast.Expr:
        return ast.Literal(True, _tok_span(c[0]))

    def false(self, c: list[Token]) -> ast.Expr:
        return ast.Literal(False, _tok_span(c[0]))

    def undefined(self, c: list[Token]) -> ast.Expr:
        return ast.Literal(UNDEFINED, _tok_span(c[0]))

    def error(self, c: list[Token]) -> ast.Expr:
        return ast.Literal(ERROR, _tok_span(c[0]))

    def name(self, c: list[Token]) -> tuple[str, Span, bool]:
        tok = c[0]
        span = _tok_span(tok)
        if tok.type == "QNAME":
            try:
                return decode_quoted_name(tok.value), span, True
            except LexicalError as exc:
                raise _fail(exc.message, span, tok.value) from None
        if tok.value.lower() in RESERVED_WORDS:
            raise _fail(
                f"`{tok.value}` is a reserved word and cannot be an attribute name here: "
                f"quote it as '{tok.value}'",
                span,
                tok.value,
            )
        return tok.value, span, False

    def attr(self, c: list[Any]) -> ast.Expr:
        name, span, _quoted = c[0]
        return ast.AttrRef(name, span)

    def absolute(self, c: list[Any]) -> ast.Expr:
        dot, (name, span, _quoted) = c
        return ast.AbsoluteRef(name, _tok_span(dot).cover(span))

    def args(self, c: list[Any]) -> list[Any]:
        return c

    def argsep(self, c: list[Token]) -> Token:
        tok = c[0]
        if tok.type == "SEMI" and _state.options.semantics == "strict":
            raise _fail(
                "`;` separates function arguments only in HTCondor's default (old-semantics) "
                "mode: write `,`",
                _tok_span(tok),
                ";",
            )
        return tok

    def call(self, c: list[Any]) -> ast.Expr:
        name_tok, _lpar, arglist, rpar = c
        name_span = _tok_span(name_tok)
        args = tuple(a for a in (arglist or ()) if not isinstance(a, Token))
        node = ast.Call(name_tok.value, args, name_span.cover(_tok_span(rpar)), name_span)
        _check_time_literal(node)
        cost = max((_cost(a) + 3 for a in args), default=3)
        return _set_cost(node, cost)  # type: ignore[no-any-return]

    def paren(self, c: list[Any]) -> ast.Expr:
        lpar, inner, rpar = c
        node = ast.Paren(inner, _tok_span(lpar).cover(_tok_span(rpar)))
        return _set_cost(node, _cost(inner) + 3)  # type: ignore[no-any-return]

    def record_item(self, c: list[Any]) -> ast.RecordAttr:
        (name, name_span, _quoted), _eq, value = c
        node = ast.RecordAttr(name, value, name_span.cover(value.span), name_span)
        return _set_cost(node, _cost(value) + 3)  # type: ignore[no-any-return]

    def record(self, c: list[Any]) -> ast.Expr:
        items = tuple(x for x in c if isinstance(x, ast.RecordAttr))
        node = ast.Record(items, _tok_span(c[0]).cover(_tok_span(c[-1])))
        return _set_cost(node, max((_cost(i) for i in items), default=3))  # type: ignore[no-any-return]

    def list(self, c: list[Any]) -> ast.Expr:
        items = tuple(x for x in c if x is not None and not isinstance(x, Token))
        node = ast.ListExpr(items, _tok_span(c[0]).cover(_tok_span(c[-1])))
        return _set_cost(node, max((_cost(i) + 3 for i in items), default=3))  # type: ignore[no-any-return]


_OP_NAMES = {"IS": "=?=", "ISNT": "=!="}


def _canonical_op(tok: Token) -> str:
    return _OP_NAMES.get(tok.type, tok.value)


def _check_time_literal(node: ast.Call) -> None:
    """absTime("...")/relTime("...") with a literal string are converted while parsing in
    HTCondor, so an invalid time string makes the whole expression a syntax error."""
    lname = node.name.lower()
    if lname not in ("abstime", "reltime") or len(node.args) != 1:
        return
    arg = node.args[0]
    if not (isinstance(arg, ast.Literal) and isinstance(arg.value, str)):
        return
    parse = parse_abstime_literal if lname == "abstime" else parse_reltime_literal
    if parse(arg.value) is None:
        raise _fail(
            f'{node.name}("{arg.value}") is not a valid time: HTCondor rejects the whole '
            "expression",
            arg.span,
            arg.value,
        )


@cache
def _lark(strings: str) -> Lark:
    text = grammar_text("classad.lark")
    if strings == "old":
        text += f"\n%override STRING: {_OLD_STRING}\n"
    return Lark(
        text,
        parser="lalr",
        lexer="contextual",
        start=["start", "record_start", "list_start"],
        keep_all_tokens=True,
        maybe_placeholders=True,
        transformer=_Builder(),
        cache=True,
    )


def _run(text: str, options: ParseOptions, start: str) -> Any:
    parser = _lark(options.strings)
    _state.options = options
    _state.text = text
    _state.costs = {}
    try:
        result = parser.parse(text, start=start)
    except UnexpectedInput as exc:
        raise _convert_error(exc, text) from None
    finally:
        costs = _state.costs
        _state.costs = {}
    depth = costs.get(id(result), 3)
    if depth > MAX_PARSE_DEPTH:
        raise ClassAdSyntaxError(
            f"expression is nested too deeply (depth {depth}; HTCondor's parser gives up past "
            f"{MAX_PARSE_DEPTH})",
            Span(0, len(text)),
            text,
        )
    return result


def parse_expr(text: str, options: ParseOptions = DEFAULT_OPTIONS) -> ast.Expr:
    """Parse one whole expression; trailing input is an error, as in HTCondor."""
    return _run(text, options, "start")  # type: ignore[no-any-return]


def parse_record(text: str, options: ParseOptions = DEFAULT_OPTIONS) -> ast.Record:
    """Parse a new-syntax ClassAd ``[ name = expr; ... ]``."""
    return _run(text, options, "record_start")  # type: ignore[no-any-return]


parse = parse_expr


def _convert_error(exc: UnexpectedInput, text: str) -> ClassAdSyntaxError:
    """Turn Lark's exception into a message that says what was found and what to write."""
    expected: Sequence[str]
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            pos = len(text)
            found = "end of input"
            span = Span(pos, pos)
        else:
            pos = tok.start_pos or 0
            found = f"`{tok.value}`"
            span = Span(pos, tok.end_pos or pos + 1)
        expected = sorted(exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        end = pos + 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_") and text[pos].isalnum():
            end += 1
        found = f"`{text[pos:end]}`"
        span = Span(pos, end)
        expected = sorted(exc.allowed or ())
    elif isinstance(exc, UnexpectedEOF):
        pos = len(text)
        found = "end of input"
        span = Span(pos, pos)
        expected = sorted(exc.expected)
    else:  # pragma: no cover - Lark has no other UnexpectedInput subclasses
        pos = 0
        found = "input"
        span = Span(0, 0)
        expected = []
    hint = foreign_operator_hint(text, pos)
    if hint is not None:
        message, hint_span = hint
        return ClassAdSyntaxError(message, hint_span, text, found=found, expected=expected)
    lexical = _lexical_message(text, pos)
    if lexical is not None:
        return ClassAdSyntaxError(lexical, span, text, found=found, expected=expected)
    message = f"unexpected {found}; expected {describe_expected(expected)}"
    return ClassAdSyntaxError(message, span, text, found=found, expected=expected)


def _lexical_message(text: str, pos: int) -> str | None:
    """Messages for characters and literals HTCondor's lexer refuses."""
    rest = text[pos:]
    if rest.startswith("//"):
        return "a `//` comment at the very end must be followed by a newline"
    if rest.startswith("/*"):
        return "`/*` comment is never closed with `*/`"
    if rest[:1] == '"':
        return 'string is never closed with `"`'
    if rest[:1] == "'":
        return "quoted attribute name is never closed with `'`"
    if rest[:1] in ("#", "$", "@", "`", "\\"):
        return f"`{rest[0]}` is not allowed outside a string in a ClassAd expression"
    j = pos + 1 if rest[:1] == "-" else pos
    k = j
    while k < len(text) and (text[k].isalnum() or text[k] in "._+-"):
        if text[k] in "+-" and text[k - 1] not in "eE":
            break
        k += 1
    word = text[j:k]
    if word[:1].isdigit() or (word[:1] == "." and word[1:2].isdigit()):
        if word.endswith(".") or ".e" in word.lower():
            fixed = word.split(".")[0] + ".0"
            return f"`{word}` is not a number: a `.` must be followed by a digit (write `{fixed}`)"
        if word.lower().startswith("0x"):
            return f"`{word}`: ClassAds have no hexadecimal literals; write the decimal value"
        stripped = word.rstrip("0123456789")
        if word[:1].isdigit() and stripped and stripped[-1:].upper() in ("B", "K", "M", "G", "T"):
            return (
                f"`{word}`: unit suffixes on numbers were removed in HTCondor 23.10; "
                "write the value in the knob's base unit"
            )
        return f"`{word}` is not a valid number"
    return None
