"""The parser's recursive descent builds exactly the tree of the LALR table, spans included.

``parse_expr`` tries the hand-written descent first and falls back to the table-driven loop
(and from there to Lark, for the error message) on anything the descent does not accept.
So the descent may refuse valid input (only slower), but when it accepts, its tree must be
the table's tree, node for node and span for span (compared through ``repr``, which shows
every field), and it must never accept what the table refuses. It should also accept all
valid input short of its nesting limit, or the fast path is not the common path.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.classad import ClassAdSyntaxError, ParseOptions, ast
from classadlint.classad import parser as P
from classadlint.classad.lalr import NoParse, run, tokenize
from classadlint.source import Span
from tests.classad_strategies import damaged, expressions
from tests.test_parser import CASES

_trees: list[Any] = []
_OPTIONS = [
    ParseOptions(),
    ParseOptions(strings="old"),
    ParseOptions(semantics="strict"),
    ParseOptions(version=(25, 13, 1)),
    # older languages: `?:` as a conditional without a middle, numbers with unit suffixes,
    # hex and octal integers in the bare library (tests/test_versions.py)
    ParseOptions(version=(23, 0, 0)),
    ParseOptions(version=(23, 0, 0), semantics="strict"),
    ParseOptions(version=(23, 7, 2), strings="old"),
    ParseOptions(version=(24, 0, 0)),
]


def _dump(tree: ast.Expr) -> str:
    """Every node's type and fields, spans included, children by position: ``repr`` without
    its recursion (deep trees are tested too)."""

    def shallow(v: Any) -> Any:
        if isinstance(v, ast.RecordAttr):
            return ("attr", v.name, v.span, v.name_span)
        if dataclasses.is_dataclass(v):
            return type(v).__name__
        if isinstance(v, tuple) and not isinstance(v, Span):
            return tuple(shallow(x) for x in v)
        return (type(v).__name__, v)

    return repr(
        [
            (
                type(n).__name__,
                [(f.name, shallow(getattr(n, f.name))) for f in dataclasses.fields(n)],
            )
            for n in ast.walk(tree)
        ]
    )


def _outcome(fn: Any, *args: Any) -> str:
    try:
        tree = fn(*args)
        _trees.append(tree)
        return "tree " + _dump(tree)
    except NoParse:
        return "no parse"
    except ClassAdSyntaxError as exc:
        return f"error {exc} at {exc.span}"


def check_paths(text: str, start: str = "start") -> None:
    for options in _OPTIONS:
        P._state.options = options
        P._state.text = text
        try:
            tokens = tokenize(text, options.strings, options.suffixes, options.elvis_lexing)
        except NoParse:
            continue
        table = _outcome(run, P._tables(options.strings), list(tokens), start)
        descent = _outcome(P._descend, list(tokens), start)
        if descent.startswith("tree"):
            assert descent == table, (text, options)
        elif table.startswith("tree"):
            # The descent counts one level per bracket or branch, HTCondor's measure 3 or 1.
            deep = P.parse_depth(_trees[-1]) > P._DESCENT_LIMIT
            assert deep, f"the descent refuses valid input: {text!r} {options} {descent}"


def test_cases_take_the_same_tree_on_both_paths() -> None:
    for text in CASES:
        check_paths(text)
        check_paths("(" + text + "\n)")
        check_paths("[a = " + text + "\n]", "record_start")


def test_desy_start_takes_the_same_tree_on_both_paths() -> None:
    from bench.desy import START

    check_paths(START)


def test_deep_input_falls_back_to_the_table() -> None:
    # Past the descent's nesting limit the table parses (and the depth check still runs).
    for d in (P._DESCENT_LIMIT - 1, P._DESCENT_LIMIT + 1, 160, 170):
        for text in (
            "(" * d + "1" + ")" * d,
            "f(" * d + ")" * d,
            "{" * d + "}" * d,
            "[a=" * d + "1" + "]" * d,
            "x" + "[0]" * d,
            "1 ? " * d + "1" + " : 2" * d,
            "a ? b : " * d + "c",
            "- " * d + "x",
            "x ?: " * d + "y",
        ):
            check_paths(text)
            ours = _outcome(P.parse_expr.__wrapped__, text)
            P._state.options = ParseOptions()
            P._state.text = text
            tokens = tokenize(text, "new")
            table = _outcome(run, P._tables("new"), tokens, "start")
            if table.startswith("tree"):
                assert ours.startswith("tree") or "nested too deeply" in ours, text
            else:
                assert not ours.startswith("tree"), text


_SETTINGS = settings(
    max_examples=600, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
_SOUP = st.lists(
    st.sampled_from(
        [*"ab1 0.-+()[]{};,:?=!<>|&^~*/%'\"\\\n#eE_xKb", "is", "true", "/*", "*/", "//", "..", "?:"]
    ),
    max_size=25,
).map("".join)


@_SETTINGS
@given(expressions())
def test_generated_expressions_take_the_same_tree(text: str) -> None:
    check_paths(text)


@_SETTINGS
@given(damaged())
def test_damaged_expressions_take_the_same_tree(text: str) -> None:
    check_paths(text)


@_SETTINGS
@given(_SOUP)
def test_token_soup_takes_the_same_tree(text: str) -> None:
    check_paths(text)
    check_paths("[" + text + "]", "record_start")
    check_paths("{" + text + "}", "list_start")


def test_corpus_knob_values_take_the_same_tree() -> None:
    from bench.bench_parse import corpus_expressions

    for text in corpus_expressions():
        check_paths(text)
