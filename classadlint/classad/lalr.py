"""The fast path of the ClassAd parser: HTCondor's own lexing rule and a lean LALR loop.

Lark builds the LALR table from ``grammar/classad.lark``; this module drives that same
table with a tokenizer that works like HTCondor's lexer.cpp (one master regular
expression; a ``-`` before a digit starts a negative number unless the previous token was
a value, a name, a selection dot or a closing bracket). That runs several times faster than
Lark's generic lexer and parser loop, which matters because the linter parses every
expression of every file on each keystroke in the editor. Valid input never leaves this
path; on the first token the table rejects it gives up (:class:`NoParse`) and the caller
re-parses with Lark's own machinery to build a precise error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

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
_PUNCT = [
    ("ELVIS", r"\?[ \t\r\n\f\v]*:"), ("METAEQ", r"=\?="), ("METANE", r"=!="),
    ("URSHIFT", r">>>"), ("EQEQ", r"=="), ("NOTEQ", r"!="), ("LE", r"<="), ("GE", r">="),
    ("LSHIFT", r"<<"), ("RSHIFT", r">>"), ("OROR", r"\|\|"), ("ANDAND", r"&&"),
    ("QMARK", r"\?"), ("COLON", r":"), ("BAR", r"\|"), ("CARET", r"\^"), ("AMP", r"&"),
    ("EQUALS", r"="), ("LT", r"<"), ("GT", r">"), ("PLUS", r"\+"), ("MINUS", r"-"),
    ("STAR", r"\*"), ("SLASH", r"/"), ("PERCENT", r"%"), ("TILDE", r"~"), ("BANG", r"!"),
    ("DOT", r"\.\.?(?![0-9])"), ("LSQB", r"\["), ("RSQB", r"\]"), ("LPAR", r"\("),
    ("RPAR", r"\)"), ("LBRACE", r"\{"), ("RBRACE", r"\}"), ("COMMA", r","), ("SEMI", r";"),
]  # fmt: skip
_SKIP = r"(?:[ \t\r\n\f\v]+|//[^\n]*\n|/\*.*?\*/)+"
_SKIP_START = frozenset(" \t\r\n\f\v/")
_SKIP_OPTIONAL = re.compile(r"(?:[ \t\r\n\f\v]+|//[^\n]*\n|/\*.*?\*/)*", re.S)

_KEYWORDS = {
    "true": "TRUE", "false": "FALSE", "undefined": "UNDEFINED", "error": "ERROR",
    "is": "IS", "isnt": "ISNT",
}  # fmt: skip

# After these a "-" is the minus operator; elsewhere "-digit" is a negative number.
_VALUE_TOKENS = frozenset(
    {"NUMBER", "STRING", "TRUE", "FALSE", "UNDEFINED", "ERROR", "NAME", "QNAME", "DOT",
     "RSQB", "RPAR", "RBRACE"}
)  # fmt: skip


def _compile_lexer(string_pattern: str, qname_pattern: str) -> dict[str, Any]:
    """First-character dispatch: char -> token name, or -> (regex, name or None for groups).

    Trying one small pattern chosen by the first character is several times faster than one
    big alternation, which the regex engine would walk alternative by alternative.
    """
    table: dict[str, Any] = {}
    single = {"(": "LPAR", ")": "RPAR", "[": "LSQB", "]": "RSQB", "{": "LBRACE",
              "}": "RBRACE", ",": "COMMA", ";": "SEMI", "~": "TILDE", "^": "CARET",
              "%": "PERCENT", "*": "STAR", "+": "PLUS", "-": "MINUS", ":": "COLON"}  # fmt: skip
    table.update(single)
    ident = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
    for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_":
        table[c] = (ident, "NAME")
    number = re.compile(_NUMBER)
    for c in "0123456789":
        table[c] = (number, "NUMBER")
    dot = re.compile(rf"(?P<NUMBER>{_NUMBER})|(?P<DOT>\.\.?(?![0-9]))")
    table["."] = (dot, None)
    table['"'] = (re.compile(string_pattern, re.S), "STRING")
    table["'"] = (re.compile(qname_pattern, re.S), "QNAME")
    skip = re.compile(_SKIP, re.S)
    for c in " \t\r\n\f\v":
        table[c] = (skip, "SKIP")
    by_first: dict[str, list[tuple[str, str]]] = {}
    for name, pattern in _PUNCT:
        first = pattern[1] if pattern.startswith("\\") else pattern[0]
        if name not in single.values() and name != "DOT":
            by_first.setdefault(first, []).append((name, pattern))
    for first, group in by_first.items():
        table[first] = (re.compile("|".join(f"(?P<{n}>{p})" for n, p in group)), None)
    # "/" is division unless it starts a comment.
    table["/"] = (re.compile(rf"(?P<SKIP>{_SKIP})|(?P<SLASH>/)", re.S), None)
    return table


_LEXERS = {
    "new": _compile_lexer(_NEW_STRING, _NEW_QNAME),
    "old": _compile_lexer(_OLD_STRING, _OLD_QNAME),
}
_SIGNED_NUMBER = re.compile(rf"-(?!\.\.)(?:{_NUMBER})")


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


def run(tables: Tables, text: str, strings: str, start: str) -> Any:
    """Tokenize and parse ``text``; raises :class:`NoParse` where the table has no action."""
    actions = tables.actions
    gotos = tables.gotos
    unit_chains = tables.unit_chains
    states = [tables.start_states[start]]
    values: list[Any] = []
    push_state = states.append
    push_value = values.append
    lexer = _LEXERS[strings]
    skip_after = _SKIP_OPTIONAL.match
    keywords = _KEYWORDS
    pos = 0
    n = len(text)
    prev = ""
    while pos < n:
        entry = lexer.get(text[pos])
        if entry is None:
            raise NoParse
        if entry.__class__ is str:
            kind = entry
            end = pos + 1
        else:
            m = entry[0].match(text, pos)
            if m is None:
                raise NoParse
            kind = entry[1] or m.lastgroup
            end = m.end()
            if kind == "SKIP":
                pos = end
                continue
        if kind == "MINUS" and prev not in _VALUE_TOKENS:
            sm = _SIGNED_NUMBER.match(text, pos)
            if sm is not None:
                kind = "NUMBER"
                end = sm.end()
        value = text[pos:end]
        if kind == "NAME" and len(value) < 10:  # keywords are at most 9 letters
            kind = keywords.get(value.lower(), "NAME")
        tok = _new_tok(Tok, (kind, value, pos, end))
        prev = kind
        # Skip the white space and comments after the token here, in one C call, rather
        # than as a loop iteration of their own.
        pos = (
            skip_after(text, end).end()  # type: ignore[union-attr]  # `*` always matches
            if end < n and text[end] in _SKIP_START
            else end
        )
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
