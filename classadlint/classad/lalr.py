"""The fast paths of the ClassAd parser: HTCondor's own lexing rule and a lean LALR loop.

:func:`tokenize` reads the whole text with one ``findall`` of a master regular expression
(alternatives in the order of HTCondor's lexer.cpp) and gives the ``-`` before a digit to
the number unless the previous token was a value, a name, a selection dot or a closing
bracket. One C call for the whole text is about three times faster than matching token by
token from Python, which matters because the linter parses every expression of every
file on each keystroke in the editor.

The parser's recursive descent (``parser._descend``) consumes these tokens in the common
case. :func:`run` drives Lark's LALR table for ``grammar/classad.lark`` over the same
tokens when the descent declines (nesting past its limit, or invalid input): the table is
the reference for which trees and errors the grammar gives. On the first token the table
rejects, it gives up (:class:`NoParse`) and the caller re-parses with Lark's own machinery
to build a precise error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from lark import Lark
from lark.parsers.lalr_analysis import Shift


class Tok(NamedTuple):
    """A token, shaped like ``lark.Token`` where the tree builder reads it.

    A named tuple so that making one is a single C call (``tuple.__new__``).
    """

    type: str
    value: str
    start_pos: int
    end_pos: int


_new_tok = tuple.__new__


class NoParse(Exception):
    """The fast path cannot continue; the slow path will say why."""


_NEW_STRING = r'"(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*'
_NEW_QNAME = r"'(?:[^'\\]|\\.)*'(?:\s*'(?:[^'\\]|\\.)*')*"
_OLD_STRING = r'"(?:[^"\\]|\\"(?!\n|$)|\\(?!"(?!\n|$)))*"'
_OLD_QNAME = r"'(?:[^'\\]|\\'(?!\n|$)|\\(?!'(?!\n|$)))*'"
# As lexer.cpp reads them: a number ends where its characters end (0is is `0` `is`), but an
# integer followed by `.` or `e` was meant as a real and is an error (`2.a`, `1e`). `..5`
# is a real too (strtod reads it as 0.0), but `-..5` is minus applied to it.
_NUMBER = (
    r"(?:\d+\.\d+(?:[eE][+-]?\d+)?|\.\.?\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)"
    r"|(?:0[xX][0-9a-fA-F]+|\d+)(?![.eE0-9])"
)
# Before HTCondor 23.9 the lexer took one unit letter right after any number, in either
# case, as part of it (v23.0.0 src/classad/lexer.cpp:463-476, tokenizeNumber: `switch(
# toupper(ch))` over B K M G T after the digits, no white space between): `2G`, `1.5k`,
# `0x1FK`; `2GB` is `2G` followed by the name `B`. After hex digits a `B` is a digit.
UNIT_SUFFIXES = "BKMGTbkmgt"
_NUMBER_WITH_SUFFIX = f"(?:{_NUMBER})[{UNIT_SUFFIXES}]?"
_SKIP = r"(?:[ \t\r\n\f\v]+|//[^\n]*\n|/\*.*?\*/)+"
# Operators, longest first where one is a prefix of another (`>>>` before `>>` before `>`).
_PUNCT: dict[str, str] = {
    "=?=": "METAEQ", "=!=": "METANE", ">>>": "URSHIFT", "==": "EQEQ", "!=": "NOTEQ",
    "<=": "LE", ">=": "GE", "<<": "LSHIFT", ">>": "RSHIFT", "||": "OROR", "&&": "ANDAND",
    "?:": "ELVIS", "?": "QMARK", ":": "COLON", "|": "BAR", "^": "CARET", "&": "AMP",
    "=": "EQUALS", "<": "LT", ">": "GT", "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH",
    "%": "PERCENT", "~": "TILDE", "!": "BANG", ".": "DOT", "..": "DOT", "[": "LSQB",
    "]": "RSQB", "(": "LPAR", ")": "RPAR", "{": "LBRACE", "}": "RBRACE", ",": "COMMA",
    ";": "SEMI",
}  # fmt: skip
_OPERATOR_PATTERN = (
    r"\?[ \t\r\n\f\v]*:|=\?=|=!=|>>>|==|!=|<=|>=|<<|>>|\|\||&&"
    r"|[-?:|^&=<>+*/%~!\[\](){},;]|\.\.?(?![0-9])"
)
# The kind of a token that is not an operator, by its first character.
_BY_FIRST: dict[str, str] = (
    dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", "NAME")
    | dict.fromkeys("0123456789.", "NUMBER")
    | {'"': "STRING", "'": "QNAME", "?": "ELVIS"}
)

#: Kind of every operator and of each name seen so far (a keyword is a name in any case:
#: ``True``); names are remembered up to a bound, as a pool repeats the same few hundred.
_KNOWN: dict[str, str] = dict(_PUNCT)
_KNOWN_LIMIT = 50_000

_KEYWORDS = {
    "true": "TRUE", "false": "FALSE", "undefined": "UNDEFINED", "error": "ERROR",
    "is": "IS", "isnt": "ISNT",
}  # fmt: skip

# After these a "-" is the minus operator; elsewhere "-digit" is a negative number.
_VALUE_TOKENS = frozenset(
    {"NUMBER", "STRING", "TRUE", "FALSE", "UNDEFINED", "ERROR", "NAME", "QNAME", "DOT",
     "RSQB", "RPAR", "RBRACE"}
)  # fmt: skip


def _master(string_pattern: str, qname_pattern: str, number: str = _NUMBER) -> re.Pattern[str]:
    """One pattern that ``findall`` runs over the whole text: (skipped, token, bad) triples.

    Every position matches, so the triples tile the text with no gap: the white space and
    comments before a token (an atomic group, so a comment is never re-read as ``/`` and
    ``*``), then the token, or else one character no token starts with (``bad``), or else
    the end of the text (both empty). The alternatives are tried in the order of HTCondor's
    lexer: a name, a number (``.5`` before the selection dot), an operator, a literal.
    One C call for the whole text is several times faster than a Python loop of matches.
    """
    return re.compile(
        rf"((?>(?:{_SKIP})?))"
        rf"(?:([A-Za-z_][A-Za-z0-9_]*|{number}|{_OPERATOR_PATTERN}"
        rf"|{string_pattern}|{qname_pattern})|(.)|\Z)",
        re.S,
    )


_MASTER = {
    ("new", False): _master(_NEW_STRING, _NEW_QNAME).findall,
    ("old", False): _master(_OLD_STRING, _OLD_QNAME).findall,
    ("new", True): _master(_NEW_STRING, _NEW_QNAME, _NUMBER_WITH_SUFFIX).findall,
    ("old", True): _master(_OLD_STRING, _OLD_QNAME, _NUMBER_WITH_SUFFIX).findall,
}

#: How a version's lexer reads ``?`` and ``:``: ``"spaced"`` (25.13.2 on) makes ``?``, white
#: space, ``:`` one elvis token; ``"tight"`` (23.10 to 25.13.1) only ``?:`` written together;
#: ``"none"`` (before 23.10) has no elvis token, ``?:`` is ``?`` then ``:``.
ElvisLexing = Literal["spaced", "tight", "none"]


def tokenize(
    text: str, strings: str, suffixes: bool = False, elvis: ElvisLexing = "spaced"
) -> list[Tok]:
    """The tokens of ``text`` as HTCondor's lexer.cpp reads them; :class:`NoParse` on a
    character no token can start with (``#``, an unclosed string, ``2.a``).

    A ``-`` directly before a number is part of it unless the token before was a value, a
    name, a selection dot or a closing bracket (then it is the minus operator): ``x-1`` is
    ``x - 1``, ``(-1)`` holds the number -1. ``-..5`` stays minus applied to ``..5``.
    ``suffixes`` and ``elvis`` give an older version's lexer: numbers with a unit letter
    (before 23.9), and which spellings of ``?:`` are one token (see :data:`ElvisLexing`).
    """
    tokens: list[Tok] = []
    push = tokens.append
    known = _KNOWN
    pos = 0
    split_elvis = elvis != "spaced"
    for skip, token, bad in _MASTER[strings, suffixes](text):
        if skip:
            pos += len(skip)
        if not token:
            if bad:
                raise NoParse
            break
        end = pos + len(token)
        kind = known.get(token)
        if kind is None:
            kind = _BY_FIRST[token[0]]
            if kind == "NAME":
                if len(token) < 10:  # keywords are at most 9 letters
                    kind = _KEYWORDS.get(token.lower(), "NAME")
                if len(known) < _KNOWN_LIMIT:
                    known[token] = kind
            elif (
                kind == "NUMBER"
                and tokens
                and tokens[-1][0] == "MINUS"
                and tokens[-1][3] == pos
                and token[:2] != ".."
                and (len(tokens) == 1 or tokens[-2][0] not in _VALUE_TOKENS)
            ):
                pos -= 1
                token = "-" + token
                tokens.pop()
        if split_elvis and kind == "ELVIS" and (elvis == "none" or len(token) > 2):
            # This version's lexer has no such token: `?` and `:` are read apart, and the
            # parser takes `? :` as a conditional with nothing between (source.cpp).
            push(_new_tok(Tok, ("QMARK", "?", pos, pos + 1)))
            push(_new_tok(Tok, ("COLON", ":", end - 1, end)))
            pos = end
            continue
        push(_new_tok(Tok, (kind, token, pos, end)))
        pos = end
    return tokens


@dataclass(frozen=True, slots=True)
class Tables:
    """Lark's LALR table reshaped for a tight loop.

    ``actions[state][terminal]`` is an int (shift to that state) or a tuple
    ``(size, nonterminal, callback)`` (reduce; callback None for a unit rule that passes its
    child through); ``gotos[state][nonterminal]`` is the state after a reduction.
    """

    actions: list[dict[str, Any]]
    gotos: list[dict[str, int]]
    start_states: dict[str, int]
    end_states: dict[str, int]
    #: (state below, top state, terminal) -> top state after every unit reduction in a row.
    #: A unit reduction replaces only the top state, so the result depends on these three.
    unit_chains: dict[tuple[int, int, str], int]


def build_tables(lark: Lark, builder: object) -> Tables:
    """Reshape a Lark LALR parser's table; reductions call ``builder``'s methods directly.

    Unit rules of ``?`` rules (``?unary: postfix``) pass their one child through, as Lark
    does; every other rule calls the method named by its alias or its origin.
    """
    table = lark.parser.parser.parser.parse_table  # lark's internal LALR table
    count = max(table.states) + 1
    actions: list[dict[str, Any]] = [{} for _ in range(count)]
    gotos: list[dict[str, int]] = [{} for _ in range(count)]
    for state, entries in table.states.items():
        for symbol, (action, arg) in entries.items():
            if action is Shift:
                if symbol.isupper() or symbol == "$END":
                    actions[state][symbol] = arg
                else:
                    gotos[state][symbol] = arg
            else:
                size = len(arg.expansion)
                unit = arg.options.expand1 and size == 1 and arg.alias is None
                method = None if unit else getattr(builder, arg.alias or arg.origin.name)
                actions[state][symbol] = (size, arg.origin.name, method)
    return Tables(actions, gotos, dict(table.start_states), dict(table.end_states), {})


def run(tables: Tables, tokens: list[Tok], start: str) -> Any:
    """Parse ``tokens``; raises :class:`NoParse` where the table has no action."""
    actions = tables.actions
    gotos = tables.gotos
    unit_chains = tables.unit_chains
    states = [tables.start_states[start]]
    values: list[Any] = []
    push_state = states.append
    push_value = values.append
    for tok in tokens:
        kind = tok[0]
        while True:
            act = actions[states[-1]].get(kind)
            if act.__class__ is int:
                push_state(act)
                push_value(tok)
                break
            if act is None:
                raise NoParse
            size, origin, callback = act
            if callback is None:
                key = (states[-2], states[-1], kind)
                top = unit_chains.get(key)
                if top is None:
                    top = unit_chains[key] = _follow_units(tables, key)
                states[-1] = top
                continue
            if size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
                push_value(callback(children))
            else:
                push_value(callback([]))
            push_state(gotos[states[-1]][origin])
    end_state = tables.end_states[start]
    while True:
        act = actions[states[-1]].get("$END")
        if act is None or act.__class__ is int:
            raise NoParse
        size, origin, callback = act
        if callback is None:
            states.pop()
        else:
            children = values[-size:] if size else []
            if size:
                del states[-size:]
                del values[-size:]
            push_value(callback(children))
        push_state(gotos[states[-1]][origin])
        if states[-1] == end_state:
            return values[-1]


def _follow_units(tables: Tables, key: tuple[int, int, str]) -> int:
    below, top, kind = key
    while True:
        act = tables.actions[top].get(kind)
        if act is None or act.__class__ is int or act[2] is not None:
            return top
        top = tables.gotos[below][act[1]]
