"""The parser accepts exactly what HTCondor accepts, and builds the tree HTCondor builds.

Every case is checked against classad2 in the same test: accept/reject must agree, and for
accepted text classad2's canonical print of our unparsed tree must equal its print of the
original (so precedence, associativity and literal values agree).
"""

from __future__ import annotations

import classad2
import pytest

from classadlint.classad import ClassAdSyntaxError, ParseOptions, ast, parse
from classadlint.classad.unparse import unparse
from tests.oracle import classad2_accepts, classad2_unparse

CASES = [
    # literals
    "0", "7", "-3", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "99999999999999999999", "- 9223372036854775808", "1.5", ".5", "00.5", "09.5", "1e3",
    "1E+3", ".5e-2", "1e400", "-1e400", "1.", "1.e5", "1e", "1.5e", "0x10", "010", "007", "08",
    "00", "-0", "-007", "2G", "5K", "1.5.a", "1.5 .a", "2.a", "2 .a", "0is\"\"", "1isnt 2",
    "1.5is 2", "..5", "..5e3", "-..5", "x..5", "..5.a", ".. 5",
    "0x1Fg", "-0x1F", "-0x", "- 0x1F", "0e", "0e1", "1.5e", "1e5x", "1x",
    '"abc"', '"a\\"b"', '"\\101"', '"\\400"', '"\\q"', '"\\x41"', '"a\\0b"', '"\\08"',
    '"\\377"', '"\\303\\251"', '"a" "b"', '"a"\n"b"', '"a"/*c*/"b"', '"unterminated',
    '"é"', "'a b'", "'a\\'b'", "''", "x.''", "'true'", "x.'is'",
    "'it''s'", "'a' 'b'", "'a'\n'b'", "x.'a' 'b'", "'a' /*c*/ 'b'", "\"a\"'b'", "'a'\"b\"",
    '"\\1" "23"', "'\\1' '23'",
    "true", "TRUE", "False", "undefined", "Undefined", "ERROR", "error",
    # references
    "x", "MY.x", "my . x", "TARGET.Memory", ".x", "..x", "a.b.c", "a.true", "a.is", "true.x",
    "parent.x", "x . 'y z'", "a.'b'", "[a=1].a", "[a=1]['a']", "x[y][z]", "a.1", 'x."y"',
    "_x1", "x_", "1x",
    # operators
    "1+2*3", "1-2-3", "1 - -1", "3--1", "x-1", "x -1", "x - 1", "2 & 3 == 3", "1 < 2 == true",
    "a || b && c", "a | b ^ c & d", "a << 1 + 2", "5 >>> 1", "a >> b >>> c", "!!x", "~-1", "+x",
    "1 + +1", "- - 2", "-x", "!x.y", "- 2 . a", "a =?= b", "a =!= b", "a is b", "a isnt b",
    "a IS b", "a Isnt b", "a=?=b", "a === b", "a !== b", "a <> b", "a =< b", "a => b", "a ** b",
    "a &&& b", "a ||| b", "a ?? b", "a and b", "a or b", "not a", "a is not b", "a = = b",
    "a ! = b", "a = b", "a =?b", "a && && b", "a b", "x +", "* x", "1 2",
    # conditional and elvis
    "a ? b : c", "1 ? 2 : 3 ? 4 : 5", "1 ? 2 ? 3 : 4 : 5", "a || b ? 1 : 2", "a ? b", "a ? : b",
    "x ?: y", "x ?: y.z", "x ?: -1", "x ?: - 1", "x ?: -y", "x ?: !y", "x ?: y[0]",
    "a ?: b ?: c", "x ?: 1 + 1", "x.a ?: 2", "-x ?: 3", "x ?\n: 3", "x ? /*c*/ : 3",
    "x ?: (1)", "x ?: f(1)", "x ?: {1}", "x ?: [a=1]", "x ?: y ? 1 : 2", "x[1]?:2", "-1[0]",
    # calls, lists, records
    "'x' (0)", "'strcat'(1, 2)", "'a b'()",
    "is(0)", "isnt(1)", "true(1)", "error()", "f()", "f(1)", "f(1, 2)",
    "f(a;b)", "f(a,)", "f(,a)", "f(x)(y)", "(a)(b)", "F(1)",
    "strcat(\"a\";\"b\")", "{}", "{1}", "{1,2}", "{1,2,}", "{,}", "{{1},{2}}", "[]", "[a=1]",
    "[a=1;b=2]", "[;a=1;;b=2;]", "[;]", "[;;]", "[a=1;]", "[;a=1]",
    "[a=1;;]", "[ ; ]", "[a=1,b=2]", "[a=1 b=2]", "[a]", "[a=]", "['x y'=1]",
    "[true=1]", "[A=1; a=2].a", "()", "(1)", "((1))",
    # time literals
    'absTime("2020-01-01T00:00:00Z")', 'absTime("garbage")', 'absTime("")',
    'absTime("2020-01-01T00:00:00.5Z")', 'absTime("1577836800")', 'absTime(0)', 'absTime()',
    'relTime("1:00")', 'relTime("1d2h3m4s")', 'relTime("1:00:00:00")', 'relTime("")',
    'relTime(5)', 'relTime("abc")', 'reltime("1:00")', 'ABSTIME("2020")',
    # comments and white space
    "x // c\n", "/* c */ x", "x /* unterminated", "x /* a */ + /* b */ y", "\tx\n+\ny\n",
    # foreign characters
    "$x", "#x", "@x", "`x`", "x\\y", "a.b.", "a[", "a[]", "{1", "f(1",
]  # fmt: skip


@pytest.mark.parametrize("text", CASES)
def test_accepts_what_htcondor_accepts(text: str) -> None:
    wrapped = "(" + text + "\n)"
    expected = classad2_accepts(text)
    try:
        tree = parse(wrapped)
    except ClassAdSyntaxError:
        assert not expected, f"we reject what HTCondor accepts: {text!r}"
        return
    assert expected, f"we accept what HTCondor rejects: {text!r}"
    again = unparse(tree)
    assert str(classad2.ExprTree(again)) == classad2_unparse(text)
    assert parse(again) == tree


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a !== b", "`=!=`"),
        ("a === b", "`=?=`"),
        ("a <> b", "`!=`"),
        ("a and b", "`&&`"),
        ("a or b", "`||`"),
        ("not a", "`!`"),
        ("a is not b", "`isnt`"),
        ("a = b", "`==`"),
        ("010", "leading zero"),
        ("2G", "unit suffixes"),
        ("1.", "followed by a digit"),
        ('absTime("garbage")', "not a valid time"),
        ("a.true", "reserved word"),
        ('"abc', "never closed"),
    ],
)
def test_error_says_what_to_write(text: str, fragment: str) -> None:
    assert not classad2_accepts(text)
    with pytest.raises(ClassAdSyntaxError) as info:
        parse(text)
    assert fragment in info.value.message


def test_error_points_at_the_offending_operator() -> None:
    with pytest.raises(ClassAdSyntaxError) as info:
        parse('Memory > 10 && Arch !== "X86_64"')
    assert info.value.span.start == len("Memory > 10 && Arch ")
    assert info.value.span.end == info.value.span.start + 3
    assert info.value.position() == (1, 21)


def test_error_position_on_later_line() -> None:
    with pytest.raises(ClassAdSyntaxError) as info:
        parse("a &&\n  b +\n  ) ")
    assert info.value.position() == (3, 3)
    assert "expected" in info.value.message


@pytest.mark.parametrize(
    ("make", "n_ok"),
    [
        (lambda n: "(" * n + "1" + ")" * n, 165),
        (lambda n: "!" * n + "x", 497),
        (lambda n: "{" * n + "1" + "}" * n, 165),
        (lambda n: "a?" * n + "1" + ":2" * n, 497),
        (lambda n: "?:".join(["1"] * (n + 1)), 497),
        (lambda n: "(!" * n + "1" + ")" * n, 124),
    ],
)
def test_depth_limit_matches_htcondor(make: object, n_ok: int) -> None:
    fn = make  # type: ignore[assignment]
    for n in (n_ok, n_ok + 1):
        text = fn(n)  # type: ignore[operator]
        try:
            classad2.ExprTree(text)
            expected = True
        except Exception:
            expected = False
        assert expected == (n == n_ok)
        try:
            parse(text)
            got = True
        except ClassAdSyntaxError:
            got = False
        assert got == expected, (n, text[:40])


def test_ten_thousand_parentheses_is_an_error_not_a_crash() -> None:
    with pytest.raises(ClassAdSyntaxError, match="nested too deeply"):
        parse("(" * 10_000 + "1" + ")" * 10_000)


def test_long_operator_chain_parses_and_unparses() -> None:
    text = " + ".join(["1"] * 20_000)
    tree = parse(text)
    assert unparse(tree) == text
    classad2.ExprTree(text)  # HTCondor accepts it too


def test_strict_mode_differences() -> None:
    strict = ParseOptions(semantics="strict")
    assert isinstance(parse("010", strict), ast.Literal)
    assert parse("010", strict) == ast.Literal(10, parse("1").span)
    with pytest.raises(ClassAdSyntaxError):
        parse("010")
    with pytest.raises(ClassAdSyntaxError, match="old-semantics"):
        parse("f(a;b)", strict)


def test_old_string_syntax() -> None:
    old = ParseOptions(strings="old")
    value = parse(r'"a\\b\"c"', old)
    assert isinstance(value, ast.Literal) and value.value == 'a\\\\b"c'
    trailing = parse('"C:\\dir\\"', old)
    assert isinstance(trailing, ast.Literal) and trailing.value == "C:\\dir\\"
    for text in (r'"a\"b"', '"C:\\dir\\"', r'"a\\b"', r'"a\nb"', r'"x\1"'):
        ours = parse(text, old)
        theirs = classad2.parseOne("A = " + text + "\n", classad2.ParserType.Old).eval("A")
        assert isinstance(ours, ast.Literal) and ours.value == theirs


def test_spans_cover_the_source_text() -> None:
    text = 'TARGET.Memory >= 2048 && regexp("^gpu", Name)'
    tree = parse(text)
    assert isinstance(tree, ast.Binary)
    assert text[tree.op_span.start : tree.op_span.end] == "&&"
    for node in ast.walk(tree):
        piece = text[node.span.start : node.span.end]
        assert piece.strip() == piece and piece
    call = tree.right
    assert isinstance(call, ast.Call)
    assert text[call.span.start : call.span.end] == 'regexp("^gpu", Name)'
    assert text[call.name_span.start : call.name_span.end] == "regexp"


def test_literal_equality_distinguishes_types() -> None:
    assert parse("true") != parse("1")
    assert parse("1") != parse("1.0")
    assert parse("a  +  b") == parse("a+b")
    assert parse("(a)") != parse("a")


def test_version_switch() -> None:
    """``x ? : 3`` is the elvis token from 25.13.2 on; before, the conditional without a
    middle, which builds the same elvis operator (v25.12.2 src/classad/source.cpp:337-341
    and operators.cpp:1791-1796) but binds loosest: ``a || x ? : 3`` groups differently.
    Older versions are accepted (tests/test_versions.py has their language)."""
    spaced = "x ? : 3"
    assert isinstance(parse(spaced), ast.Elvis)
    v25_12 = ParseOptions(version=(25, 12, 0))
    assert parse(spaced, v25_12) == parse("x ?: 3")
    assert isinstance(parse("a || x ? : 3", v25_12), ast.Elvis)
    assert isinstance(parse("a || x ? : 3"), ast.Binary)
    assert isinstance(parse("x ?: 3", ParseOptions(version=(24, 0, 0))), ast.Elvis)
    assert isinstance(parse("a || x ?: 3", ParseOptions(version=(23, 9, 0))), ast.Elvis)
