"""The pattern engine: structural matching with ClassAd's equivalences, replacements that keep
the user's text and parse to the intended tree (checked with classad2), and clear errors."""

from __future__ import annotations

import pytest

from classadlint.classad import parse_expr
from classadlint.classad.unparse import unparse
from classadlint.lint.pattern import PatternError, compile_pattern, minimal_edit
from tests.oracle import classad2, classad2_accepts


def _matches(pattern: str, text: str, **kw: object) -> list[str]:
    p = compile_pattern(pattern, **kw)  # type: ignore[arg-type]
    return [text[m.node.span.start : m.node.span.end] for m in p.matches(parse_expr(text), text)]


def _rewrite(pattern: str, replacement: str, text: str, **kw: object) -> str:
    """``text`` with every outermost match replaced (right to left)."""
    p = compile_pattern(pattern, replacement, **kw)  # type: ignore[arg-type]
    edits = []
    taken: list[tuple[int, int]] = []
    for m in p.matches(parse_expr(text), text):
        s = m.node.span
        if any(a <= s.start < b for a, b in taken):
            continue
        taken.append((s.start, s.end))
        rendered = p.render(m, text)
        assert rendered is not None
        edits.append((s.start, s.end, rendered))
    for a, b, r in sorted(edits, reverse=True):
        text = text[:a] + r + text[b:]
    return text


def test_names_match_in_any_case_and_is_equals_meta_operator() -> None:
    assert _matches("TARGET.Owner =?= $X", 'target.OWNER is "bob" && my.owner =?= 1') == [
        'target.OWNER is "bob"'
    ]
    assert _matches("regexp($P, $S)", 'REGEXP("a", b) || RegExp("c", d, "i")') == ['REGEXP("a", b)']


def test_parentheses_are_ignored_unless_exact() -> None:
    text = "((a) == (undefined)) || b == undefined"
    assert _matches("$X == undefined", text) == ["(a) == (undefined)", "b == undefined"]
    assert _matches("$X & $Y == $Z", "a & (b == c)", parens="exact") == []
    assert _matches("$X & $Y == $Z", "a & b == c", parens="exact") == ["a & b == c"]


def test_repeated_metavariable_needs_equal_expressions() -> None:
    assert _matches("$X && $X", "(A.b && a.B) || (x && y) || (f(1) && F( 1 ))") == [
        "A.b && a.B",
        "f(1) && F( 1 )",
    ]


def test_literals_keep_their_types() -> None:
    assert _matches("$X == 1", "a == 1 || a == 1.0 || a == true") == ["a == 1"]
    assert _matches('$X == "Bob"', 'a == "Bob" || a == "bob"') == ['a == "Bob"']


def test_sequences_and_function_name_metavariables() -> None:
    assert _matches("strcat($...A)", 'strcat() + strcat(a, "b")') == ["strcat()", 'strcat(a, "b")']
    assert _matches("$F($...A, 0)", "f(0) + g(1, 2, 0) + h(1)") == ["f(0)", "g(1, 2, 0)"]
    assert _matches("{$...A, 0}", "{1, 0} == {0} + {1}") == ["{1, 0}", "{0}"]
    assert _rewrite("$F($...A, 0)", "$F(0, $...A)", "g(a, /*k*/ b, 0) + f(0)") == (
        "g(0, a, /*k*/ b) + f(0)"
    )


def test_where_constraints() -> None:
    where = {"S": {"kind": "string", "text": "[A-Z]"}}
    assert _matches(
        "regexp($P, $T, $S)", 'regexp("a", x, "I") || regexp("a", x, "i")', where=where
    ) == ['regexp("a", x, "I")']
    attr = {"A": {"kind": "attribute", "name": "owner"}}
    assert _matches(
        "$A == $S", 'Owner == "x" || TARGET.owner == "y" || f(Owner) == "z"', where=attr
    ) == [
        'Owner == "x"',
        'TARGET.owner == "y"',
    ]


REWRITES = [
    # pattern, replacement, input, expected output
    ("$X == undefined", "$X =?= undefined", "x  ==  undefined", "x =?= undefined"),
    ("$X == undefined", "$X * 2 =?= undefined", "a + b == undefined", "(a + b) * 2 =?= undefined"),
    ("ifThenElse($C, true, false)", "$C", "ifThenElse(a || b, true, false) && c", "(a || b) && c"),
    ("ifThenElse($C, true, false)", "$C", "ifThenElse(a || b, true, false)", "a || b"),
    ("-$X", "$X * -1", "- (a - 1)", "(a - 1) * -1"),
    ("$X - $Y", "-$Y + $X", "a - -1", "-(-1) + a"),
    (
        '$X == "a"',
        'strcmp($X, "a") == 0',
        'f(y /* keep */) == "a"',
        'strcmp(f(y /* keep */), "a") == 0',
    ),
    ("$X ?: $Y", "$X ?: ($Y)", "x ?: y + 1", "x ?: (y) + 1"),
]


@pytest.mark.parametrize(("pattern", "replacement", "text", "expected"), REWRITES)
def test_replacements_keep_text_and_parse_as_intended(
    pattern: str, replacement: str, text: str, expected: str
) -> None:
    got = _rewrite(pattern, replacement, text)
    assert got == expected
    assert classad2_accepts(got)
    # the rewrite has the tree of the replacement applied to the input's tree
    assert unparse(parse_expr(got)) == unparse(parse_expr(expected))


def test_replacement_parenthesisation_agrees_with_htcondor() -> None:
    """The same rewrite of `x + y` under each binary operator evaluates, in classad2, like the
    tree we meant: ($X * 10) with X bound to a sum."""
    for op in ("*", "/", "-", "<", "==", "&&"):
        text = f"(a + b) {op} c" if op != "&&" else "(a + b > 1) && c"
        got = _rewrite("$X + $Y", "$Y + $X", text)
        ad = classad2.ClassAd({"a": 3, "b": 5, "c": 2})
        assert classad2.ExprTree(got).eval(ad) == classad2.ExprTree(text).eval(ad), got


def test_pattern_errors_are_clear() -> None:
    with pytest.raises(PatternError, match="not a ClassAd pattern"):
        compile_pattern("$X ==")
    with pytest.raises(PatternError, match="does not bind"):
        compile_pattern("$X == 1", "$Y == 1")
    with pytest.raises(PatternError, match="only a metavariable"):
        compile_pattern("$X")
    with pytest.raises(PatternError, match="must start a metavariable"):
        compile_pattern("$ == 1")
    with pytest.raises(PatternError, match="call arguments"):
        compile_pattern("$...A + 1")
    with pytest.raises(PatternError, match="kind"):
        compile_pattern("$X == 1", where={"X": {"kind": "float"}})
    assert _matches('"$X" == a', '"$X" == a || "y" == a') == ['"$X" == a']  # `$` in a string


def test_minimal_edit_changes_whole_tokens() -> None:
    assert minimal_edit("a != undefined", "a =!= undefined") == (2, 4, "=!=")
    assert minimal_edit('f("I")', 'f("i")') == (3, 4, "i")
    assert minimal_edit("same", "same") == (4, 4, "")
