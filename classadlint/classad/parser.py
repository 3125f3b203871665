"""Parse ClassAd expressions into the typed AST, accepting exactly what HTCondor accepts.

The grammar (``grammar/classad.lark``) is the reference. Valid input is read by a
recursive descent over the tokens of :func:`~classadlint.classad.lalr.tokenize`
(:func:`_descend`); whatever it declines goes to the LALR table of the same grammar
(:func:`~classadlint.classad.lalr.run`, with callbacks building the tree at each
reduction), and what the table rejects to Lark's own parser, which says why. Binary
operators arrive as one flat chain and are arranged by precedence here. HTCondor's parser
is recursive descent with a depth limit of 500; we compute the same depth measure
bottom-up and reject what it rejects, so deep input is an error, never a RecursionError.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from typing import Literal as TLiteral

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError, describe_expected, foreign_operator_hint
from classadlint.classad.lalr import (
    UNIT_SUFFIXES,
    ElvisLexing,
    NoParse,
    Tables,
    Tok,
    build_tables,
    run,
    tokenize,
)
from classadlint.classad.lexical import (
    LexicalError,
    decode_integer,
    decode_integer_strtoll,
    decode_quoted_token,
    decode_real,
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

#: HTCondor's parser gives up when its recursion depth passes this (25.13.2 on).
MAX_PARSE_DEPTH = 500
#: Before 25.13.2 the bound was 1000 and only ``parseExpression`` counted (v25.12.2
#: src/classad/source.cpp:327-330, the same since 23.0.0).
OLD_MAX_PARSE_DEPTH = 1000

Version = tuple[int, int, int]

#: The HTCondor version followed when none is given (the oracle's, classad2 25.14.1).
DEFAULT_VERSION: Version = (25, 14, 1)

# The first release with each change to the ClassAd language (reference section 10). Each
# is the first tag that contains the change; no release of that series came before it, so
# "23.9" or "23.10" as a target means the changed language too.
#: HTCONDOR-2140 (v23.3.0): integer literals read base 10 (lexer.cpp std::from_chars).
INTEGERS_BASE_10: Version = (23, 3, 0)
#: HTCONDOR-2374 (v23.7.2): literals became typed subclasses and the unit factor the lexer
#: still read was dropped (literals.h MakeLiteral ignores it): `2K` is 2.
SUFFIX_IGNORED: Version = (23, 7, 0)
#: HTCONDOR-2455 (v23.9.6, the first 23.9 release): no unit suffixes (`2K` is an error).
SUFFIX_REMOVED: Version = (23, 9, 0)
#: HTCONDOR-2530 (v23.10.1, the first 23.10 release): an elvis token `?:` with postfix
#: precedence; string-to-number conversions lose their unit suffixes (HTCONDOR-2523).
ELVIS_POSTFIX: Version = (23, 10, 0)
#: HTCONDOR-3814 (v25.13.2): `? :` with white space is the elvis token, the conditional
#: without a middle is gone, every recursive parse function counts toward the depth bound;
#: in evaluation circular references are UNDEFINED and `error ? a : b` short-circuits.
ELVIS_SPACED: Version = (25, 13, 2)

RESERVED_WORDS = frozenset({"true", "false", "undefined", "error", "is", "isnt"})

# Old syntax (config values, long-form ads): a backslash escapes nothing but the quote, a
# backslash-quote at the very end of the line closes the literal (leaving the backslash in
# it: "C:\dir\"), and adjacent literals are not joined.
_OLD_STRING = r"/\x22(?:[^\x22\\]|\\\x22(?!\n|$)|\\(?!\x22(?!\n|$)))*\x22/"
_OLD_QNAME = r"/\x27(?:[^\x27\\]|\\\x27(?!\n|$)|\\(?!\x27(?!\n|$)))*\x27/"


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """How to read an expression.

    ``semantics``: ``"daemon"`` is HTCondor's default old-semantics mode as in every daemon
    and in ``classad2`` after ``import htcondor2`` (integer literals with a leading zero are
    rejected, ``;`` separates function arguments); ``"strict"`` is the bare library.
    ``strings``: ``"new"`` for ``[...]`` ads and ``classad_eval``; ``"old"`` for config values
    and long-form ads, where a backslash only escapes a quote.
    ``version``: the HTCondor version whose language to follow, as sites run several (23.0
    LTS is still deployed): before 25.13.2 ``x ? : y`` is a conditional without a middle,
    before 23.10 so is ``x ?: y`` (loosest precedence, where 23.10 made it postfix), before
    23.9 numbers take unit suffixes (``2G``: 2147483648.0 before 23.7, 2 from 23.7), before
    23.3 the bare library reads ``0x10`` and ``010`` as hex and octal. Evaluation follows
    it too (see :mod:`classadlint.classad.evaluate`).
    """

    semantics: TLiteral["daemon", "strict"] = "daemon"
    strings: TLiteral["new", "old"] = "new"
    version: Version = DEFAULT_VERSION

    @property
    def suffixes(self) -> bool:
        """Whether the lexer reads a unit letter after a number as part of it."""
        return self.version < SUFFIX_REMOVED

    @property
    def elvis_lexing(self) -> ElvisLexing:
        """Which spellings of ``?:`` the lexer makes one token."""
        if self.version >= ELVIS_SPACED:
            return "spaced"
        return "tight" if self.version >= ELVIS_POSTFIX else "none"


DEFAULT_OPTIONS = ParseOptions()

_state = threading.local()


_TOKENS = (Token, Tok)


_new_tuple = tuple.__new__


def _sp(start: int, end: int) -> Span:
    """A Span without the NamedTuple constructor's Python-level call (hot path)."""
    return _new_tuple(Span, (start, end))


def _tok_span(tok: Token | Tok) -> Span:
    return _new_tuple(Span, (tok.start_pos, tok.end_pos))


def _fail(message: str, span: Span, found: str = "") -> ClassAdSyntaxError:
    return ClassAdSyntaxError(message, span, _state.text, found=found)


class _Builder(Transformer[Token, ast.Expr]):
    """Callbacks run at each reduction (by lalr.run, or by Lark on the error path).

    Each receives exactly the symbols of its grammar rule, tokens included.
    """

    # --- entry points ---------------------------------------------------------
    def start(self, c: list[Any]) -> ast.Expr:
        return c[0]  # type: ignore[no-any-return]

    record_start = start
    list_start = start

    # --- operators --------------------------------------------------------------
    def conditional(self, c: list[Any]) -> ast.Expr:
        cond, _q, then, _colon, other = c
        cond = self.chain([cond])
        return ast.Conditional(cond, then, other, _sp(cond.span[0], other.span[1]))

    def chain_more(self, c: list[Any]) -> list[Any]:
        """``operands OP unary``: collect a flat [operand, op, operand, ...] list.

        A lone operand stays a node (the unit rule passes it through), so the list exists
        only where there is an operator.
        """
        first = c[0]
        if first.__class__ is list:
            first.append(c[1])
            first.append(c[2])
            return first
        return c

    def chain(self, c: list[Any]) -> ast.Expr:
        items = c[0]
        if items.__class__ is not list:
            return items  # type: ignore[no-any-return]
        return _arrange(items)

    def unary(self, c: list[Any]) -> ast.Expr:
        tok, operand = c
        return ast.Unary(tok.value, operand, _sp(tok.start_pos, operand.span[1]))

    def select(self, c: list[Any]) -> ast.Expr:
        base, _dot, tok = c
        name, name_span = _name(tok)
        return ast.Select(base, name, _sp(base.span[0], name_span[1]), name_span)

    def subscript(self, c: list[Any]) -> ast.Expr:
        base, _l, index, r = c
        return ast.Subscript(base, index, _sp(base.span[0], r.end_pos))

    def elvis(self, c: list[Any]) -> ast.Expr:
        # The lexer of the version makes the ELVIS token only where it is one (lalr.py
        # tokenize splits the others into `?` and `:`, which old_elvis reads).
        left, _tok, right = c
        return ast.Elvis(left, right, _sp(left.span[0], right.span[1]))

    def old_elvis(self, c: list[Any]) -> ast.Expr:
        """``x ? : y``, a conditional without a middle: HTCondor before 25.13.2 builds the
        elvis operator from it (v25.12.2 src/classad/operators.cpp:1791-1796 MakeOperation;
        before 23.10 a TERNARY_OP with no middle, evaluated the same way).

        From 25.13.2 on only a comment between ``?`` and ``:`` gets here (white space alone
        makes the elvis token), and the conditional then misses its middle: an error.
        """
        left, qmark, colon, right = c
        left = self.chain([left])
        if _state.options.version >= ELVIS_SPACED:
            raise _fail(
                "expected an expression between `?` and `:`; the elvis operator is `?:` "
                "(white space may separate them, a comment may not)",
                _sp(qmark.start_pos, colon.end_pos),
                "?",
            )
        return ast.Elvis(left, right, _sp(left.span[0], right.span[1]))

    # --- primaries --------------------------------------------------------------
    def number(self, c: list[Token]) -> ast.Expr:
        return _number(c[0])

    def string(self, c: list[Any]) -> ast.Expr:
        tok = c[0]
        try:
            value = decode_quoted_token(tok.value, old=_state.options.strings == "old")
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

    def attr(self, c: list[Any]) -> ast.Expr:
        name, span = _name(c[0])
        return ast.AttrRef(name, span)

    def absolute(self, c: list[Any]) -> ast.Expr:
        dot, tok = c
        name, span = _name(tok)
        return ast.AbsoluteRef(name, _sp(dot.start_pos, span[1]))

    def items_first(self, c: list[Any]) -> list[Any]:
        return c

    def items_more(self, c: list[Any]) -> list[Any]:
        items: list[Any] = c[0]
        items.append(c[2])
        return items

    def args_semi(self, c: list[Any]) -> list[Any]:
        if _state.options.semantics == "strict":
            raise _fail(
                "`;` separates function arguments only in HTCondor's default (old-semantics) "
                "mode: write `,`",
                _tok_span(c[1]),
                ";",
            )
        return self.items_more(c)

    def call(self, c: list[Any]) -> ast.Expr:
        # A quoted name is an identifier too: 'strcat'("a") calls strcat. A reserved word
        # cannot name a function: is(0) fails.
        name, name_span = _name(c[0])
        args = tuple(c[2]) if len(c) == 4 else ()
        node = ast.Call(name, args, _sp(name_span[0], c[-1].end_pos), name_span)
        if len(args) == 1 and name.lower() in ("abstime", "reltime"):
            _check_time_literal(node)
        return node

    def paren(self, c: list[Any]) -> ast.Expr:
        lpar, inner, rpar = c
        return ast.Paren(inner, _sp(lpar.start_pos, rpar.end_pos))

    def record_item(self, c: list[Any]) -> ast.RecordAttr:
        tok, _eq, value = c
        name, name_span = _name(tok)
        if not name:
            raise _fail("an attribute in `[ ... ]` needs a name: `''` is empty", name_span, "''")
        return ast.RecordAttr(name, value, _sp(name_span[0], value.span[1]), name_span)

    def record_seq_first(self, c: list[Any]) -> list[Any]:
        return [c[-1]]

    def record_seq_more(self, c: list[Any]) -> list[Any]:
        items: list[Any] = c[0]
        items.append(c[2])
        return items

    def semis(self, c: list[Any]) -> None:
        return None

    def record(self, c: list[Any]) -> ast.Expr:
        items = tuple(c[1]) if len(c) > 2 else ()
        return ast.Record(items, _sp(c[0].start_pos, c[-1].end_pos))

    def list(self, c: list[Any]) -> ast.Expr:
        items = tuple(c[1]) if len(c) == 3 else ()
        return ast.ListExpr(items, _sp(c[0].start_pos, c[-1].end_pos))


def _name(tok: Token | Tok) -> tuple[str, Span]:
    """An attribute name token: decode a quoted one, refuse a reserved word."""
    span = _tok_span(tok)
    if tok.type == "QNAME":
        try:
            return decode_quoted_token(tok.value, old=_state.options.strings == "old"), span
        except LexicalError as exc:
            raise _fail(exc.message, span, tok.value) from None
    if tok.value.lower() in RESERVED_WORDS:
        raise _fail(
            f"`{tok.value}` is a reserved word and cannot be an attribute name here: "
            f"quote it as '{tok.value}'",
            span,
            tok.value,
        )
    return tok.value, span


#: Unit suffix multipliers before 23.9 (v23.0.0 src/classad/value.cpp:34-41 ScaleFactor):
#: B is 1, K 1024, M 1024**2, G 1024**3, T 1024**4.
_SCALE = {"B": 1.0, "K": 1024.0, "M": 1024.0**2, "G": 1024.0**3, "T": 1024.0**4}


def _number(tok: Token | Tok) -> ast.Literal:
    """A NUMBER token's value, with HTCondor's rules for leading zeros and hex, and before
    23.9 a unit suffix.

    Before 23.7 the suffix scales the number into a real, ``(double)value * factor``
    (v23.0.0 src/classad/value.cpp:43-63 ApplyFactor, at evaluation; from 23.2 at parse
    time, literals.cpp MakeLiteral): ``2K`` is 2048.0, ``1B`` is 1.0. From 23.7 the lexer
    still reads the letter but the literal drops it (v23.7.2
    src/classad/classad/literals.h:439 ``MakeLiteral(const Value &v, NumberFactor)``
    ignores the factor; v23.8.1 source.cpp:1062-1078 ``MakeInteger(i)``): ``2K`` is 2.
    """
    text = tok.value
    span = _tok_span(tok)
    options = _state.options
    scale = None
    if options.version < SUFFIX_REMOVED and text[-1] in UNIT_SUFFIXES:
        hexadecimal = text.lstrip("-")[:2].lower() == "0x"
        if not (hexadecimal and text[-1] in "bB"):  # after hex digits a B is a digit
            scale = _SCALE[text[-1].upper()]
            text = text[:-1]
    literal = _number_text(text, span, options)
    if scale is None or options.version >= SUFFIX_IGNORED:
        return literal
    value = literal.value
    assert isinstance(value, int | float)
    return ast.Literal(float(value) * scale, span)


def _number_text(text: str, span: Span, options: ParseOptions) -> ast.Literal:
    """The value of a number written ``text`` (no unit suffix)."""
    digits = text[1:] if text[0] == "-" else text
    if digits.isdigit():
        if len(digits) > 1 and digits[0] == "0":
            if "8" in digits or "9" in digits:
                raise _fail(
                    f"`{text}` is not a valid number (a leading zero makes it octal): "
                    f"write `{int(text)}`",
                    span,
                    text,
                )
            if options.semantics == "daemon" and text[0] != "-":
                raise _fail(
                    f"integer literal `{text}` has a leading zero, which HTCondor rejects: "
                    f"write `{int(text)}`",
                    span,
                    text,
                )
        if options.version < INTEGERS_BASE_10:
            return ast.Literal(decode_integer_strtoll(text, options.semantics == "strict"), span)
        return ast.Literal(decode_integer(text), span)
    if digits[:2].lower() == "0x":
        # lexer.cpp refuses a leading 0 only when the lexeme itself starts with it, so
        # "-0x1F" passes in every mode; its base-10 value is just the "0".
        if options.semantics == "daemon" and text[0] != "-":
            raise _fail(
                f"`{text}`: ClassAds have no hexadecimal literals; write the decimal value",
                span,
                text,
            )
        if options.version < INTEGERS_BASE_10:
            return ast.Literal(decode_integer_strtoll(text, options.semantics == "strict"), span)
        return ast.Literal(0, span)
    return ast.Literal(decode_real(text), span)


_BUILDER = _Builder()


#: Operator spelling and binding strength by token kind (``is`` is stored as ``=?=``).
_OP_BY_KIND: dict[str, str] = {
    "OROR": "||", "ANDAND": "&&", "BAR": "|", "CARET": "^", "AMP": "&",
    "EQEQ": "==", "NOTEQ": "!=", "METAEQ": "=?=", "METANE": "=!=", "IS": "=?=", "ISNT": "=!=",
    "LT": "<", "LE": "<=", "GT": ">", "GE": ">=", "LSHIFT": "<<", "RSHIFT": ">>",
    "URSHIFT": ">>>", "PLUS": "+", "MINUS": "-", "STAR": "*", "SLASH": "/", "PERCENT": "%",
}  # fmt: skip
_PREC_BY_KIND: dict[str, int] = {k: BINARY_PRECEDENCE[op] for k, op in _OP_BY_KIND.items()}


def _make_binary() -> Any:
    """A positional constructor of :class:`ast.Binary` that fills the slots directly.

    The dataclass ``__init__`` of a frozen class goes through ``object.__setattr__`` for
    each field, which makes it nearly twice as slow, and a long policy expression has
    dozens of operators.
    """
    new = object.__new__
    cls = ast.Binary
    set_op, set_left, set_right, set_span, set_op_span = (
        cls.__dict__[f].__set__ for f in ("op", "left", "right", "span", "op_span")
    )

    def binary(op: str, left: ast.Expr, right: ast.Expr, span: Span, op_span: Span) -> Any:
        node = new(cls)
        set_op(node, op)
        set_left(node, left)
        set_right(node, right)
        set_span(node, span)
        set_op_span(node, op_span)
        return node

    return binary


def _make_pair(cls: type) -> Any:
    """As :func:`_make_binary`, for the two-field nodes (``AttrRef``, ``Literal``, ``Paren``)."""
    new = object.__new__
    first, second = (cls.__dict__[f.name].__set__ for f in dataclasses.fields(cls))

    def pair(a: Any, b: Any) -> Any:
        node: Any = new(cls)
        first(node, a)
        second(node, b)
        return node

    return pair


_binary = _make_binary()
_attr_ref = _make_pair(ast.AttrRef)
_literal = _make_pair(ast.Literal)
_paren = _make_pair(ast.Paren)


def _arrange(items: list[Any]) -> ast.Expr:
    """Arrange a flat [operand, OP, operand, ...] chain by precedence (shunting-yard).

    Every binary operator is left-associative, so an operator is applied as soon as the
    next one binds no tighter.
    """
    if len(items) == 3:
        left, tok, right = items
        return _binary(  # type: ignore[no-any-return]
            _OP_BY_KIND[tok.type],
            left,
            right,
            _new_tuple(Span, (left.span[0], right.span[1])),
            _new_tuple(Span, (tok.start_pos, tok.end_pos)),
        )
    operands: list[Any] = [items[0]]
    ops: list[Any] = []
    precs: list[int] = []
    prec_by_kind = _PREC_BY_KIND
    for i in range(1, len(items), 2):
        tok = items[i]
        prec = prec_by_kind[tok.type]
        while precs and precs[-1] >= prec:
            precs.pop()
            top = ops.pop()
            right = operands.pop()
            left = operands[-1]
            operands[-1] = _binary(
                _OP_BY_KIND[top.type],
                left,
                right,
                _new_tuple(Span, (left.span[0], right.span[1])),
                _new_tuple(Span, (top.start_pos, top.end_pos)),
            )
        ops.append(tok)
        precs.append(prec)
        operands.append(items[i + 1])
    while ops:
        top = ops.pop()
        right = operands.pop()
        left = operands[-1]
        operands[-1] = _binary(
            _OP_BY_KIND[top.type],
            left,
            right,
            _new_tuple(Span, (left.span[0], right.span[1])),
            _new_tuple(Span, (top.start_pos, top.end_pos)),
        )
    return operands[0]  # type: ignore[no-any-return]


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


#: Token kinds of the binary operators (the flat chain of ``operands`` in the grammar).
_BINARY_KINDS = frozenset(
    {"OROR", "ANDAND", "BAR", "CARET", "AMP", "EQEQ", "NOTEQ", "METAEQ", "METANE", "IS",
     "ISNT", "LT", "LE", "GT", "GE", "LSHIFT", "RSHIFT", "URSHIFT", "PLUS", "MINUS", "STAR",
     "SLASH", "PERCENT"}
)  # fmt: skip
_PREFIX_KINDS = frozenset({"MINUS", "PLUS", "TILDE", "BANG"})
_KEYWORD_VALUES: dict[str, Any] = {
    "TRUE": True, "FALSE": False, "UNDEFINED": UNDEFINED, "ERROR": ERROR,
}  # fmt: skip
#: Bracket nesting past which the descent hands over to the table-driven loop, which keeps
#: its stack in a list: three Python frames per level stay far below the recursion limit.
_DESCENT_LIMIT = 100


def _descend(tokens: list[Tok], start: str) -> Any:
    """Recursive descent over the tokens, building exactly the tree the LALR table builds.

    It is the common path because it does one step per token where the table loop does
    two or three (shift, reduce, unit reductions), which halves the parse time of a long
    policy expression. It accepts a subset of the grammar, never more: on anything it does
    not expect (a syntax error, a literal the builder refuses, ``;`` between arguments in
    strict mode, nesting past ``_DESCENT_LIMIT``) it raises :class:`NoParse` or the
    builder's error, and the caller re-parses with the table, whose order of reductions
    decides which error is reported. So errors and their messages cannot differ from the
    table's, and a tree from here equals the table's tree, spans included (tested).
    """
    toks = tokens
    end = toks[-1][3] if toks else 0
    toks.append(_new_tuple(Tok, ("$END", "", end, end)))
    pos = 0
    b = _BUILDER
    binary_kinds = _BINARY_KINDS
    prefix_kinds = _PREFIX_KINDS

    def expr(depth: int) -> ast.Expr:
        nonlocal pos
        if depth > _DESCENT_LIMIT:
            raise NoParse
        node = operand(depth)
        kind = toks[pos][0]
        if kind in binary_kinds:
            items: list[Any] = [node]
            while kind in binary_kinds:
                items.append(toks[pos])
                pos += 1
                items.append(operand(depth))
                kind = toks[pos][0]
            node = _arrange(items)
        if kind == "QMARK":
            qmark = toks[pos]
            pos += 1
            if toks[pos][0] == "COLON":
                colon = toks[pos]
                pos += 1
                right = expr(depth + 1)
                return b.old_elvis([node, qmark, colon, right])
            then = expr(depth + 1)
            if toks[pos][0] != "COLON":
                raise NoParse
            pos += 1
            other = expr(depth + 1)
            return ast.Conditional(node, then, other, _sp(node.span[0], other.span[1]))
        return node

    def operand(depth: int) -> ast.Expr:
        """Prefix operators, a primary, then selections, subscripts and elvis operators
        (one function rather than three: a Python call per operand is a tenth of the
        time)."""
        nonlocal pos
        kind = toks[pos][0]
        ops = None
        if kind in prefix_kinds:
            ops = []
            while kind in prefix_kinds:
                ops.append(toks[pos])
                pos += 1
                kind = toks[pos][0]
        node = primary(depth)
        while True:
            tok = toks[pos]
            kind = tok[0]
            if kind == "DOT":
                name = toks[pos + 1]
                if name[0] != "NAME" and name[0] != "QNAME":
                    raise NoParse
                pos += 2
                node = b.select([node, tok, name])
            elif kind == "LSQB":
                pos += 1
                node = subscript(node, depth)
            elif kind == "ELVIS":
                pos += 1
                right = primary(depth)
                while True:
                    kind = toks[pos][0]
                    if kind == "DOT":
                        name = toks[pos + 1]
                        if name[0] != "NAME" and name[0] != "QNAME":
                            raise NoParse
                        right = b.select([right, toks[pos], name])
                        pos += 2
                    elif kind == "LSQB":
                        pos += 1
                        right = subscript(right, depth)
                    else:
                        break
                node = b.elvis([node, tok, right])
            else:
                break
        if ops is not None:
            for tok in reversed(ops):
                node = ast.Unary(tok[1], node, _sp(tok[2], node.span[1]))
        return node

    def subscript(base: ast.Expr, depth: int) -> ast.Expr:
        nonlocal pos
        index = expr(depth + 1)
        close = toks[pos]
        if close[0] != "RSQB":
            raise NoParse
        pos += 1
        return ast.Subscript(base, index, _sp(base.span[0], close[3]))

    def primary(depth: int) -> ast.Expr:
        nonlocal pos
        tok = toks[pos]
        kind = tok[0]
        pos += 1
        if kind == "NAME" or kind == "QNAME":
            if toks[pos][0] == "LPAR":
                return call(tok, depth)
            if kind == "NAME":  # the lexer never makes a reserved word a NAME
                return _attr_ref(tok[1], _new_tuple(Span, (tok[2], tok[3])))  # type: ignore[no-any-return]
            return b.attr([tok])
        if kind == "LPAR":
            inner = expr(depth + 1)
            close = toks[pos]
            if close[0] != "RPAR":
                raise NoParse
            pos += 1
            return _paren(inner, _new_tuple(Span, (tok[2], close[3])))  # type: ignore[no-any-return]
        if kind == "NUMBER":
            return _number(tok)
        if kind == "STRING":
            return b.string([tok])
        if kind in _KEYWORD_VALUES:
            return _literal(  # type: ignore[no-any-return]
                _KEYWORD_VALUES[kind], _new_tuple(Span, (tok[2], tok[3]))
            )
        if kind == "DOT":
            name = toks[pos]
            if name[0] != "NAME" and name[0] != "QNAME":
                raise NoParse
            pos += 1
            return b.absolute([tok, name])
        if kind == "LSQB":
            return record(tok, depth)
        if kind == "LBRACE":
            return list_(tok, depth)
        raise NoParse

    def call(name: Tok, depth: int) -> ast.Expr:
        nonlocal pos
        lpar = toks[pos]
        pos += 1
        if toks[pos][0] == "RPAR":
            close = toks[pos]
            pos += 1
            return b.call([name, lpar, close])
        args = [expr(depth + 1)]
        kind = toks[pos][0]
        while kind == "COMMA" or kind == "SEMI":
            if kind == "SEMI" and _state.options.semantics == "strict":
                raise NoParse
            pos += 1
            args.append(expr(depth + 1))
            kind = toks[pos][0]
        if kind != "RPAR":
            raise NoParse
        close = toks[pos]
        pos += 1
        return b.call([name, lpar, args, close])

    def record(open_: Tok, depth: int) -> ast.Expr:
        nonlocal pos
        attrs: list[ast.RecordAttr] = []
        kind = toks[pos][0]
        if kind != "RSQB":
            while kind == "SEMI":  # leading semicolons, then an attribute must follow
                pos += 1
                kind = toks[pos][0]
            while True:
                name = toks[pos]
                if (name[0] != "NAME" and name[0] != "QNAME") or toks[pos + 1][0] != "EQUALS":
                    raise NoParse
                equals = toks[pos + 1]
                pos += 2
                attrs.append(b.record_item([name, equals, expr(depth + 1)]))
                kind = toks[pos][0]
                if kind != "SEMI":
                    break
                while kind == "SEMI":
                    pos += 1
                    kind = toks[pos][0]
                if kind == "RSQB":
                    break
        if kind != "RSQB":
            raise NoParse
        close = toks[pos]
        pos += 1
        return ast.Record(tuple(attrs), _sp(open_[2], close[3]))

    def list_(open_: Tok, depth: int) -> ast.Expr:
        nonlocal pos
        items: list[ast.Expr] = []
        if toks[pos][0] != "RBRACE":
            items.append(expr(depth + 1))
            while toks[pos][0] == "COMMA":
                pos += 1
                items.append(expr(depth + 1))
        close = toks[pos]
        if close[0] != "RBRACE":
            raise NoParse
        pos += 1
        return ast.ListExpr(tuple(items), _sp(open_[2], close[3]))

    try:
        if start == "start":
            result = expr(0)
        else:
            first = toks[pos]
            pos += 1
            if start == "record_start" and first[0] == "LSQB":
                result = record(first, 1)
            elif start == "list_start" and first[0] == "LBRACE":
                result = list_(first, 1)
            else:
                raise NoParse
        if toks[pos][0] != "$END":
            raise NoParse
        return result
    finally:
        toks.pop()


# An older version's lexer, for Lark's error path: numbers with a unit suffix (before
# 23.9), no elvis token or only `?:` written together (before 25.13.2). As lalr.py.
_SUFFIXED_NUMBER = (
    r"/(-(?!\.\.))?(\d+\.\d+([eE][+-]?\d+)?|\.\.?\d+([eE][+-]?\d+)?|\d+[eE][+-]?\d+)"
    rf"[{UNIT_SUFFIXES}]?|-?(0[xX][0-9a-fA-F]+|\d+)(?![.eE0-9])[{UNIT_SUFFIXES}]?/"
)
_ELVIS_TERMINAL: dict[str, str] = {"tight": '"?:"', "none": r"/(?!)\?:/"}


@cache
def _lark(strings: str, suffixes: bool = False, elvis: ElvisLexing = "spaced") -> Lark:
    text = grammar_text("classad.lark")
    if strings == "old":
        text += f"\n%override STRING: {_OLD_STRING}\n%override QNAME: {_OLD_QNAME}\n"
    if suffixes:
        text += f"\n%override NUMBER.2: {_SUFFIXED_NUMBER}\n"
    if elvis != "spaced":
        text += f"\n%override ELVIS.3: {_ELVIS_TERMINAL[elvis]}\n"
    return Lark(
        text,
        parser="lalr",
        lexer="contextual",
        start=["start", "record_start", "list_start"],
        keep_all_tokens=True,
        maybe_placeholders=False,
        transformer=_BUILDER,
        cache=True,
    )


@cache
def _tables(strings: str) -> Tables:
    return build_tables(_lark(strings), _BUILDER)


def _run(text: str, options: ParseOptions, start: str) -> Any:
    _state.options = options
    _state.text = text
    suffixes, elvis = options.suffixes, options.elvis_lexing
    try:
        tokens = tokenize(text, options.strings, suffixes, elvis)
        try:
            result = _descend(tokens, start)
        except (NoParse, ClassAdSyntaxError):
            result = run(_tables(options.strings), tokens, start)
    except NoParse:
        # Only invalid input gets here: let Lark's own lexer and parser find the error.
        try:
            result = _lark(options.strings, suffixes, elvis).parse(text, start=start)
        except UnexpectedInput as exc:
            raise _convert_error(exc, text) from None
    if options.version < ELVIS_SPACED:
        if _old_depth_bound(text) > OLD_MAX_PARSE_DEPTH:
            depth = old_parse_depth(result, text, elvis, top_record=start == "record_start")
            if depth > OLD_MAX_PARSE_DEPTH:
                raise ClassAdSyntaxError(
                    f"expression is nested too deeply (depth {depth}; HTCondor before 25.13.2 "
                    f"gives up past {OLD_MAX_PARSE_DEPTH})",
                    Span(0, len(text)),
                    text,
                )
        return result
    if _depth_bound(text) > MAX_PARSE_DEPTH:
        depth = parse_depth(result)
        if depth > MAX_PARSE_DEPTH:
            raise ClassAdSyntaxError(
                f"expression is nested too deeply (depth {depth}; HTCondor's parser gives up "
                f"past {MAX_PARSE_DEPTH})",
                Span(0, len(text)),
                text,
            )
    return result


def _depth_bound(text: str) -> int:
    """A cheap upper bound of :func:`parse_depth` from the characters that can nest."""
    nesting = text.count("(") + text.count("[") + text.count("{")
    steps = text.count("-") + text.count("+") + text.count("~") + text.count("!") + text.count("?")
    return 3 + 3 * nesting + steps


def parse_depth(tree: ast.Expr) -> int:
    """The recursion depth HTCondor's recursive-descent parser needs for this tree.

    Measured against classad2: every bracketed sub-expression (parentheses, arguments, list
    items, subscripts, record values) costs 3 levels, every prefix operator, conditional
    branch and elvis 1; operator chains and selections cost nothing (HTCondor loops there).
    """
    depth: dict[int, int] = {}
    stack: list[tuple[ast.Expr, bool]] = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in ast.children(node))
            continue
        d = [depth[id(c)] for c in ast.children(node)]
        match node:
            case ast.Unary():
                value = d[0] + 1
            case ast.Conditional():
                value = max(d[0], d[1] + 1, d[2] + 1)
            case ast.Elvis():
                value = max(d[0], d[1]) + 1
            case ast.Subscript():
                value = max(d[0], d[1] + 3)
            case ast.Call() | ast.ListExpr() | ast.Record() | ast.Paren():
                value = max((x + 3 for x in d), default=3)
            case _:
                value = max(d, default=3)
        depth[id(node)] = value
    return depth[id(tree)]


def _old_depth_bound(text: str) -> int:
    """A cheap upper bound of :func:`old_parse_depth`."""
    nesting = text.count("(") + text.count("[") + text.count("{")
    return 1 + nesting + text.count("?")


_SKIPPED = re.compile(r"(?:[ \t\r\n\f\v]+|//[^\n]*\n|/\*.*?\*/)*", re.S)


def old_parse_depth(
    tree: ast.Expr, text: str, elvis: ElvisLexing = "none", top_record: bool = False
) -> int:
    """The recursion depth HTCondor's parser before 25.13.2 counts for this tree.

    Only ``parseExpression`` counted (v23.0.0 src/classad/source.cpp:352-372, unchanged to
    v25.12.2): the whole expression is 1, and one more each for what it parses again, a
    bracketed sub-expression (parentheses, arguments, list items, subscripts, record
    values) and both branches of a conditional, and the right side of a conditional without
    a middle (``x ? : y``). Prefix operators and the postfix ``?:`` of 23.10 count nothing.
    An ad's own values start at 1 (``parseClassAd`` is not ``parseExpression``).
    """
    depth: dict[int, int] = {}
    stack: list[tuple[ast.Expr, bool]] = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in ast.children(node))
            continue
        d = [depth[id(c)] for c in ast.children(node)]
        match node:
            case ast.Conditional():
                value = max(d[0], d[1] + 1, d[2] + 1)
            case ast.Elvis():
                value = max(d[0], d[1] + (0 if _is_elvis_token(node, text, elvis) else 1))
            case ast.Subscript():
                value = max(d[0], d[1] + 1)
            case ast.Call() | ast.ListExpr() | ast.Record() | ast.Paren():
                value = max((x + 1 for x in d), default=1)
            case _:
                value = max(d, default=1)
        depth[id(node)] = value
    if top_record and isinstance(tree, ast.Record):
        return max((depth[id(a.value)] for a in tree.attrs), default=1)
    return depth[id(tree)]


def _is_elvis_token(node: ast.Elvis, text: str, elvis: ElvisLexing) -> bool:
    """Whether this elvis was the postfix ``?:`` token rather than a conditional without a
    middle: from 23.10 to 25.13.1 that depends on how it is written (``?:`` together)."""
    if elvis == "spaced":
        return True
    if elvis == "none":
        return False
    at = node.left.span[1]
    at = _SKIPPED.match(text, at).end()  # type: ignore[union-attr]  # always matches
    return text[at : at + 2] == "?:"


@lru_cache(maxsize=8192)
def parse_expr(text: str, options: ParseOptions = DEFAULT_OPTIONS) -> ast.Expr:
    """Parse one whole expression; trailing input is an error, as in HTCondor.

    Trees are immutable, so results are cached by text: a pool's config repeats the same
    macro bodies in many knobs, and the language server re-parses unchanged expressions.
    ``parse_expr.__wrapped__`` is the uncached parser (benchmarks use it).
    """
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
        pos = exc.pos_in_stream or 0
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
    suffixes = _state.options.suffixes
    if (
        suffixes
        and pos > 1
        and rest[:1].isalnum()
        and text[pos - 1] in UNIT_SUFFIXES
        and (text[pos - 2].isdigit() or text[pos - 2] == ".")
    ):
        start = pos - 1
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
            start -= 1
        return (
            f"`{text[start:pos]}{rest[:1]}`: a number takes one unit letter, so this is "
            f"`{text[start:pos]}` followed by the name `{rest[:1]}`"
        )
    if (
        not suffixes
        and pos > 0
        and text[pos - 1].isdigit()
        and rest[:1].upper() in ("B", "K", "M", "G", "T")
    ):
        return (
            f"`{text[pos - 1]}{rest[:1]}`: unit suffixes on numbers were removed in HTCondor "
            "23.10; write the value in the knob's base unit"
        )
    if rest.startswith("//"):
        return "a `//` comment at the very end must be followed by a newline"
    if rest.startswith("/*"):
        return "`/*` comment is never closed with `*/`"
    if rest[:1] == '"' and '"' not in rest[1:]:
        return 'string is never closed with `"`'
    if rest[:1] == "'" and "'" not in rest[1:]:
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
        if (
            not suffixes
            and word[:1].isdigit()
            and stripped
            and stripped[-1:].upper() in ("B", "K", "M", "G", "T")
        ):
            return (
                f"`{word}`: unit suffixes on numbers were removed in HTCondor 23.10; "
                "write the value in the knob's base unit"
            )
        return f"`{word}` is not a valid number"
    return None
