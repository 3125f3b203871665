"""The ClassAd language of older HTCondor versions (reference section 10).

classad2 from PyPI is 25.x only, so what an older HTCondor does cannot be asked of it: the
expected values below come from reading the C++ at the release tags (each test cites the
tag, file and lines; the mirror is htcondor/htcondor, read with ``git show TAG:FILE``).
Where the current version is involved the value is also checked against classad2, so that
the two ends of each change are pinned. Versions: 23.0 LTS (still deployed at sites), 23.7
and 23.8 (unit suffixes read but dropped), 23.9 (suffixes gone), 23.10 to 25.12 (postfix
``?:`` next to the old ``? :``), 25.13.2 on (the default).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from classadlint.classad import ClassAdSyntaxError, ParseOptions, ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import EvaluationFailed, evaluate
from classadlint.classad.parser import parse_expr, parse_record
from classadlint.classad.unparse import unparse
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.lint.engine import lint_expression, lint_files
from classadlint.lint.settings import Settings
from tests.classad_strategies import expressions
from tests.oracle import classad2
from tests.test_parser import CASES

V23_0 = (23, 0, 20)
V23_2 = (23, 2, 0)
V23_8 = (23, 8, 1)
V23_9 = (23, 9, 6)
V24_0 = (24, 0, 10)
V25_12 = (25, 12, 2)
V25_14 = (25, 14, 1)
ALL = (V23_0, V23_2, V23_8, V23_9, V24_0, V25_12, V25_14)

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def parse(text: str, version: tuple[int, int, int], **kw: Any) -> ast.Expr:
    return parse_expr(text, ParseOptions(version=version, **kw))


def value(text: str, version: tuple[int, int, int], **kw: Any) -> object:
    """The value of a literal as parsed."""
    tree = parse(text, version, **kw)
    assert isinstance(tree, ast.Literal)
    return tree.value


def shape(tree: ast.Expr) -> str:
    """The tree as nested parentheses: ``a || (b ?: c)``."""
    match tree:
        case ast.AttrRef(name=n):
            return n
        case ast.Literal(value=v):
            return repr(v)
        case ast.Binary(op=op, left=left, right=right):
            return f"({shape(left)} {op} {shape(right)})"
        case ast.Elvis(left=left, right=right):
            return f"({shape(left)} ?: {shape(right)})"
        case ast.Conditional(cond=c, then=t, otherwise=o):
            return f"({shape(c)} ? {shape(t)} : {shape(o)})"
        case ast.Unary(op=op, operand=o):
            return f"({op}{shape(o)})"
        case ast.Select(base=b, name=n):
            return f"{shape(b)}.{n}"
    raise TypeError(tree)


# --- the elvis operator ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("a || b ?: c", "((a || b) ?: c)", "(a || (b ?: c))"),
        ("x ?: 1 + 1", "(x ?: (1 + 1))", "((x ?: 1) + 1)"),
        ("a ?: b ?: c", "(a ?: (b ?: c))", "((a ?: b) ?: c)"),
        ("a ? b : c ?: d", "(a ? b : (c ?: d))", "(a ? b : (c ?: d))"),
        ("a ? b ?: c : d", "(a ? (b ?: c) : d)", "(a ? (b ?: c) : d)"),
        ("x ?: y ? 1 : 2", "(x ?: (y ? 1 : 2))", "((x ?: y) ? 1 : 2)"),
        ("-x ?: 3", "((-x) ?: 3)", "(-(x ?: 3))"),
        ("x ?: - 1", "(x ?: (-1))", None),
    ],
)
def test_elvis_precedence_before_and_after_23_10(text: str, old: str, new: str | None) -> None:
    """Before 23.10 the lexer has no elvis token (v23.0.0 src/classad/lexer.cpp:753-755,
    ``?`` is LEX_QMARK alone) and ``x ?: y`` is a conditional whose middle is empty:
    parseExpression reads a LogicalORExpression, then ``?``, sees ``:`` and reads the
    right side with parseExpression again (source.cpp:374-397): loosest precedence,
    right-associative, any expression on the right. 23.10.1 made ``?:`` a token
    (lexer.cpp:714-719) read in parsePostfixExpression with a postfix right operand
    (source.cpp:868-913, HTCONDOR-2530); the new shapes agree with classad2."""
    assert shape(parse(text, V23_0)) == old
    assert shape(parse(text, V23_9)) == old
    for version in (V24_0, V25_14):
        if new is None:
            with pytest.raises(ClassAdSyntaxError):
                parse(text, version)
        else:
            assert shape(parse(text, version)) == new
    if new is not None:
        assert str(classad2.ExprTree(unparse(parse(text, V25_14)))) == str(classad2.ExprTree(text))


def test_spaced_elvis_is_the_old_conditional_until_25_13_2() -> None:
    """``? :`` with white space (or a comment) between: until 25.13.2 the lexer makes
    ``?`` and ``:`` of it (v25.12.2 src/classad/lexer.cpp:720-727) and the parser the
    conditional without a middle (source.cpp:337-341), which MakeOperation turns into the
    elvis operator (operators.cpp:1791-1796): valid, loosest precedence. 25.13.2 lexes
    ``?``, white space, ``:`` as the elvis token (lexer.cpp:720-726) and drops the empty
    middle (source.cpp:346-356), so a comment there is an error (classad2 agrees)."""
    for version in (V23_0, V24_0, V25_12):
        assert shape(parse("a || x ? : 3", version)) == "((a || x) ?: 3)"
        assert shape(parse("a || x ? /*c*/ : 3", version)) == "((a || x) ?: 3)"
        # written together it is the postfix operator from 23.10 on
        assert shape(parse("a || x ?: 3", version)) == (
            "((a || x) ?: 3)" if version < (23, 10, 0) else "(a || (x ?: 3))"
        )
    assert shape(parse("a || x ? : 3", V25_14)) == "(a || (x ?: 3))"
    assert str(classad2.ExprTree("a || x ? : 3")) == str(classad2.ExprTree("a || x ?: 3"))
    with pytest.raises(ClassAdSyntaxError, match="between `\\?` and `:`"):
        parse("x ? /*c*/ : 3", V25_14)
    with pytest.raises(Exception):  # noqa: B017 - classad2 raises its own type
        classad2.ExprTree("x ? /*c*/ : 3")


def test_ternary_still_needs_its_colon() -> None:
    for version in ALL:
        with pytest.raises(ClassAdSyntaxError):
            parse("a ? b", version)
        with pytest.raises(ClassAdSyntaxError):
            parse("x ?:", version)


# --- unit suffixes ---------------------------------------------------------------------

K, M, G, T = 1024.0, 1024.0**2, 1024.0**3, 1024.0**4


@pytest.mark.parametrize(
    ("text", "v23_0", "v23_8"),
    [
        ("2K", 2 * K, 2),
        ("2k", 2 * K, 2),
        ("1B", 1.0, 1),
        ("1.5m", 1.5 * M, 1.5),
        ("-2G", -2 * G, -2),
        ("3T", 3 * T, 3),
        ("1e3G", 1e3 * G, 1e3),
        ("0K", 0.0, 0),
        (".5K", 0.5 * K, 0.5),
    ],
)
def test_unit_suffix_values(text: str, v23_0: float, v23_8: float) -> None:
    """Before 23.9 the lexer reads one letter B K M G T (any case, no space) after any
    number as its unit (v23.0.0 src/classad/lexer.cpp:463-476). Up to 23.6 the literal
    keeps it and its value is ``(double)value * factor``, a real even for ``1B``
    (value.cpp:34-63 ScaleFactor 1, 1024, 1024**2, 1024**3, 1024**4 and ApplyFactor,
    called by literals.cpp:437; from 23.2 at parse time, literals.cpp MakeLiteral). 23.7
    made literals typed and MakeLiteral ignores the factor (v23.7.2
    src/classad/classad/literals.h:439, HTCONDOR-2374; v23.8.1 source.cpp builds
    ``MakeInteger(i)``): the bare number. 23.9.6 removed the suffix from the lexer
    (HTCONDOR-2455): an error, as classad2 says."""
    for version, expected in ((V23_0, v23_0), (V23_2, v23_0), (V23_8, v23_8)):
        tree = parse(text, version)
        assert isinstance(tree, ast.Literal)
        assert tree.value == expected and type(tree.value) is type(expected), (version, text)
        assert evaluate(text, options=ParseOptions(version=version)) == expected
    for version in (V23_9, V24_0, V25_14):
        with pytest.raises(ClassAdSyntaxError, match="unit suffix"):
            parse(text, version)
    with pytest.raises(Exception):  # noqa: B017
        classad2.ExprTree(f"[x = {text}; y = 1]")


@pytest.mark.parametrize("text", ["2KB", "2 K", "2.K", "00K", "10MB", "2Kx"])
def test_unit_suffix_is_one_letter_right_after_the_number(text: str) -> None:
    """lexer.cpp:463-476 (v23.0.0) winds past exactly one letter: in ``2KB`` the ``B`` is
    a name after the number (two operands side by side), ``2 K`` has a space, ``2.K`` no
    digit after the point (lexer.cpp:399-412), ``00K`` a leading zero (lexer.cpp:437-442)."""
    for version in (V23_0, V23_8):
        with pytest.raises(ClassAdSyntaxError) as info:
            parse(text, version)
        if text.endswith("B"):
            assert "one unit letter" in info.value.message


def test_unit_suffix_after_hexadecimal_in_the_bare_library() -> None:
    """Before 23.3 the bare library reads hex (below); the hex digits take a ``B``
    (lexer.cpp:354-365 winds over isxdigit), so ``0x1B`` is 27 and ``0x1BK`` 27 * 1024."""
    strict = {"semantics": "strict"}
    assert parse("0x1B", V23_0, **strict) == ast.Literal(27, parse("1", V23_0).span)
    assert value("0x1BK", V23_0, **strict) == 27 * K
    # from 23.3 the integer is read base 10 (below): 0x10 is 0, with or without a unit
    assert value("0x10K", (23, 3, 0), **strict) == 0.0


@pytest.mark.parametrize(
    ("text", "v23_0", "v25_14"),
    [
        ('int("1.5K")', 1024, 1),
        ('int("  -2k")', -2048, -2),
        ('real("2K")', 2 * K, 2.0),
        ('real("1e3k")', 1e3 * K, 1e3),
        ('floor("2.5K")', 2560, 2),
        ('round("1.5B")', 2, 2),
        ('pow("2K", 1)', 2 * K, 2.0),
        ('interval("1K")', "17:04", "1"),
        ('real("0x10")', 16.0, 16.0),
        ('int("0x1BK")', 27 * 1024, 27),
        ('real("K")', ERROR, ERROR),
    ],
)
def test_string_conversions_read_unit_suffixes_before_23_9(
    text: str, v23_0: object, v25_14: object
) -> None:
    """``convertValueToRealValue``/``IntegerValue`` (value.cpp) used by int, real, floor,
    ceiling, round, pow, quantize and interval scaled a string's number by the letter right
    after it until 23.9 (v23.8.1 src/classad/value.cpp:515-528 and 604-618; the integer is
    truncated first, ``(long long)(ivalue * factor)``); v23.9.6 value.cpp:515 and 595 set
    NO_FACTOR. The current values are classad2's."""
    assert evaluate(text, options=ParseOptions(version=V23_0)) == v23_0
    assert evaluate(text, options=ParseOptions(version=V23_8)) == v23_0
    assert evaluate(text, options=ParseOptions(version=V25_14)) == v25_14
    expected = classad2.ExprTree(text).eval()
    if v25_14 is ERROR:
        assert isinstance(expected, classad2.Value) and expected == classad2.Value.Error
    else:
        assert expected == v25_14


def test_eval_function_parses_as_the_target_version() -> None:
    """``eval()`` parses its text at run time (fnCall.cpp), so in the target's language."""
    assert evaluate('eval("2K")', options=ParseOptions(version=V23_0)) == 2 * K
    assert evaluate('eval("2K")', options=ParseOptions(version=V25_14)) is ERROR


# --- integer literals before 23.3 --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "strict_old", "daemon_old", "strict_new"),
    [
        ("0x10", 16, None, 0),
        ("010", 8, None, 10),
        ("-010", -8, -10, -10),
        ("-0x1F", -31, 0, 0),
        ("007", 7, None, 7),
        ("0", 0, 0, 0),
        ("9223372036854775808", INT64_MAX, INT64_MAX, 0),
        ("-9223372036854775809", INT64_MIN, INT64_MIN, 0),
        ("0xFFFFFFFFFFFFFFFFFF", INT64_MAX, None, 0),
    ],
)
def test_integer_literals_before_23_3(
    text: str, strict_old: int, daemon_old: int | None, strict_new: int
) -> None:
    """Before 23.3 an integer lexeme went through ``strtoll(lexeme, NULL, base)`` with base
    0 in the bare library (hex, octal) and 10 in old-semantics mode, where a lexeme that
    starts with 0 is refused (v23.0.0 src/classad/lexer.cpp:433-449); strtoll saturates
    out of range. 23.3 reads base 10 with std::from_chars, leaving 0 on overflow (v23.3.0
    lexer.cpp:433-445, HTCONDOR-2140), which classad2 (strict without htcondor2) shows."""
    assert value(text, V23_0, semantics="strict") == strict_old
    if daemon_old is None:
        with pytest.raises(ClassAdSyntaxError):
            parse(text, V23_0)
    else:
        assert value(text, V23_0) == daemon_old
    for version in (V23_9, V25_14):
        assert value(text, version, semantics="strict") == strict_new
    script = f"import classad2; print(classad2.ExprTree({text!r}).eval())"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stdout.strip() == str(strict_new), proc.stderr


def test_octal_digit_8_is_an_error_in_every_version() -> None:
    """lexer.cpp:367-383 (v23.0.0): a leading 0 then 8 or 9 without ``.``/``e`` is an
    illegal octal constant, in both modes and every version."""
    for version in ALL:
        for semantics in ("strict", "daemon"):
            with pytest.raises(ClassAdSyntaxError):
                parse("08", version, semantics=semantics)


# --- parser depth -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "limit"),
    [
        (lambda n: "(" * n + "1" + ")" * n, 999),
        (lambda n: "f(" * n + ")" * n, 1000),
        (lambda n: "{" * n + "}" * n, 1000),
        (lambda n: "a ? " * n + "1" + " : 2" * n, 999),
        (lambda n: "x ? : " * n + "y", 999),
        (lambda n: "x" + "[0]" * n, None),
        (lambda n: "!" * n + "x", None),
    ],
)
def test_depth_bound_before_25_13_2(make: Any, limit: int | None) -> None:
    """Before 25.13.2 only parseExpression counted toward the bound, and it gave up past
    1000 (v23.0.0 src/classad/source.cpp:368-372, the same at v25.12.2:326-330): the whole
    expression is 1, each parenthesis, argument list, list, subscript, conditional branch
    and right side of ``? :`` one more (each parses with parseExpression); a prefix
    operator nothing. 25.13.2 counts three functions and stops at 500 (source.cpp:307-325;
    tests/test_parser.py measures that against classad2). A subscript chain stays at 2;
    prefix operators have no bound (HTCondor recursed until its stack ran out)."""
    if limit is None:
        parse(make(5000), V24_0)
        return
    for n in (limit, limit + 1):
        text = make(n)
        try:
            parse(text, V24_0)
            accepted = True
        except ClassAdSyntaxError as exc:
            assert "nested too deeply" in exc.message
            accepted = False
        assert accepted == (n == limit), n
    with pytest.raises(ClassAdSyntaxError, match="nested too deeply"):
        parse(make(limit), V25_14)


def test_depth_bound_of_an_ad_starts_below_the_expression() -> None:
    """parseClassAd reads each value with parseExpression (v23.0.0 source.cpp:1210), so a
    value of an ad is at depth 1, not 2."""
    options = ParseOptions(version=V24_0)
    parse_record("[a = " + "(" * 999 + "1" + ")" * 999 + "]", options)
    with pytest.raises(ClassAdSyntaxError):
        parse_record("[a = " + "(" * 1000 + "1" + ")" * 1000 + "]", options)


def test_tight_elvis_chain_costs_no_depth_from_23_10_to_25_12() -> None:
    """The postfix ``?:`` of 23.10 loops in parsePostfixExpression (v23.10.1 source.cpp:
    868-913) without re-entering parseExpression; before 23.10 it is the conditional
    without a middle, one level for each right side (right-associative)."""
    text = "?:".join(["x"] * 3000)
    assert isinstance(parse(text, V24_0), ast.Elvis)
    with pytest.raises(ClassAdSyntaxError, match="nested too deeply"):
        parse(text, V23_0)
    with pytest.raises(ClassAdSyntaxError, match="nested too deeply"):
        parse(text, V25_14)


# --- unparse round trip ------------------------------------------------------------------


def _roundtrip(text: str, version: tuple[int, int, int]) -> None:
    options = ParseOptions(version=version)
    try:
        tree = parse_expr("(" + text + "\n)", options)
    except ClassAdSyntaxError:
        return
    again = unparse(tree, version=version)
    assert parse_expr(again, options) == tree, (version, text, again)


@pytest.mark.parametrize("version", ALL)
def test_unparse_round_trips_in_every_version(version: tuple[int, int, int]) -> None:
    """``parse(unparse(tree)) == tree`` read as the same version: before 23.10 an elvis is
    written ``?:`` with the conditional's precedence; from 23.10 to 25.12 as the postfix
    ``?:`` where that needs no parentheses, else as ``? :``."""
    for text in CASES:
        _roundtrip(text, version)
    for text in (
        "a || b ? : c ?: d",
        "a ?: b ? : c",
        "(a ? : b) ?: c",
        "x ? : y ? : z",
        "-(a ? : b).c",
        "a ? b ? : c : d ? : e",
        "f(a ? : b, c ?: d)",
        "2K + 1.5m",
    ):
        _roundtrip(text, version)


def test_unparse_of_the_same_tree_depends_on_the_version() -> None:
    tree = parse("a || b ?: c", V23_0)
    assert isinstance(tree, ast.Elvis)
    assert unparse(tree, version=V23_0) == "a || b ?: c"
    assert unparse(tree, version=V24_0) == "a || b ? : c"
    assert unparse(tree) == "(a || b) ?: c"
    with_parens = ast.Elvis(ast.Paren(tree.left, tree.left.span), tree.right, tree.span)
    for version in ALL:
        again = parse(unparse(tree, version=version), version)
        assert again == (tree if version < (25, 13, 2) else with_parens), version


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_generated_expressions_round_trip_in_old_versions(text: str) -> None:
    for version in (V23_0, V24_0):
        _roundtrip(text, version)


# --- evaluation: circular references and short-circuits ------------------------------------


def _value(expr: str, attrs: dict[str, str], version: tuple[int, int, int]) -> object:
    options = ParseOptions(version=version)
    ad = ClassAd({k: parse_expr(v, options) for k, v in attrs.items()})
    try:
        return evaluate(expr, ad, options=options, on_failure="raise")
    except EvaluationFailed:
        return "fails"


def _classad2_value(expr: str, attrs: dict[str, str]) -> object:
    ad = classad2.ClassAd("[" + "; ".join(f"{k} = {v}" for k, v in attrs.items()) + "]")
    try:
        value = classad2.ExprTree(expr).eval(ad)
    except Exception:
        return "fails"
    if isinstance(value, classad2.Value):
        return UNDEFINED if value == classad2.Value.Undefined else ERROR
    return value


@pytest.mark.parametrize(
    ("attrs", "v23_0", "v24_0", "v25_14"),
    [
        ({"a": "a + 1"}, "fails", "fails", UNDEFINED),
        ({"a": "b", "b": "a"}, "fails", "fails", UNDEFINED),
        ({"a": "error ? a : 1"}, "fails", "fails", ERROR),
        ({"a": "undefined ? a : 1"}, "fails", "fails", UNDEFINED),
        ({"a": '"s" ? a : 1'}, "fails", "fails", ERROR),
        ({"a": "true ? 1 : a"}, 1, 1, 1),
        ({"a": "error && a"}, "fails", "fails", ERROR),
        ({"a": "error || a"}, "fails", "fails", ERROR),
        ({"a": "undefined && a"}, "fails", "fails", UNDEFINED),
        ({"a": "false && a"}, False, False, False),
        ({"a": "true || a"}, True, True, True),
        ({"a": "ifThenElse(error, a, 1)"}, ERROR, ERROR, ERROR),
        ({"a": "b ?: a", "b": "1"}, "fails", 1, 1),
        ({"a": "b ?: a", "b": "0"}, 0, 0, 0),
        ({"a": "b ?: a", "b": "false"}, False, False, False),
        ({"a": "b ?: a", "b": '"s"'}, "fails", "s", "s"),
        ({"a": "b ? : a", "b": "1"}, "fails", 1, 1),
        ({"a": "b ?: a"}, "fails", "fails", UNDEFINED),
        ({"a": "{a}[0]"}, ERROR, ERROR, UNDEFINED),
    ],
)
def test_circular_references_and_short_circuits(
    attrs: dict[str, str], v23_0: object, v24_0: object, v25_14: object
) -> None:
    """Before 25.13.2 an attribute reference only spent a level of the bound (v25.12.2
    src/classad/attrrefs.cpp:184-196, the same at v23.0.0:198-211), so a cycle went round
    until ``Evaluate`` returned false: the evaluation fails; 25.13.2 finds the cycle and
    gives UNDEFINED (attrrefs.cpp:192-204, HTCONDOR-3814, as classad2 shows). The operators
    evaluated more then: shortCircuit (v25.12.2 operators.cpp:550-604) stops ``&&``/``||``
    only at a deciding boolean and ``c ? a : b`` only at a boolean or number condition, and
    ``_Evaluate`` (:505-547) then evaluates every remaining child, whose failure fails the
    whole; before 23.10 ``x ?: y`` is that conditional with no middle, short-circuited only
    when x is false (v23.0.0 operators.cpp:567-588), while 23.10's ELVIS_OP stops at any
    defined x (v25.12.2 operators.cpp:567-572). ``ifThenElse`` never evaluated a branch it
    does not take (fnCall.cpp ifThenElse, unchanged). A list element's failure is ERROR
    there (v23.0.0 operators.cpp:455-463)."""
    assert _value("a", attrs, V23_0) == v23_0
    assert _value("a", attrs, V24_0) == v24_0
    assert _value("a", attrs, V25_12) == v24_0
    assert _value("a", attrs, V25_14) == v25_14
    assert _classad2_value("a", attrs) == v25_14


def test_a_failure_is_error_without_raise() -> None:
    options = ParseOptions(version=V23_0)
    ad = ClassAd({"a": parse_expr("a + 1", options)})
    assert evaluate("a", ad, options=options) is ERROR
    assert evaluate("a =?= error", ad, options=options) is ERROR


# --- the command line and the linter -------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)


def test_eval_follows_condor_version(tmp_path: Path) -> None:
    proc = _cli("eval", "--condor-version", "23.0", "RequestMemory ?: 2G")
    assert (proc.returncode, proc.stdout.strip()) == (0, "2.147483648000000E+09"), proc.stderr
    proc = _cli("eval", "--condor-version", "23.8.1", "--format", "json", "2G")
    assert json.loads(proc.stdout) == {"type": "integer", "value": 2}
    proc = _cli("eval", "2G")
    assert proc.returncode == 2 and "unit suffixes" in proc.stderr
    proc = _cli("eval", "--condor-version", "latest", "1")
    assert proc.returncode == 2 and "--condor-version must be a version" in proc.stderr
    ad = tmp_path / "cycle.ad"
    ad.write_text("Start = Start && Memory > 0\nMemory = 2G\n")
    proc = _cli("eval", "--condor-version", "23.0.20", "--my", str(ad), "Memory")
    assert proc.stdout.strip() == "2.147483648000000E+09", proc.stderr  # the ad is 23.0's
    proc = _cli("eval", "--condor-version", "23.0.20", "--my", str(ad), "Start")
    assert proc.returncode == 2
    assert "fails to evaluate" in proc.stderr and "`start` refers to itself" in proc.stderr
    proc = _cli("eval", "--condor-version", "24.0", "--my", str(ad), "Start")
    assert proc.returncode == 2 and "unit suffixes" in proc.stderr  # 2G in the ad
    ad.write_text("Start = Start && Memory > 0\nMemory = 2048\n")
    proc = _cli("eval", "--condor-version", "25.12", "--my", str(ad), "Start")
    assert proc.returncode == 2 and "`start` refers to itself" in proc.stderr
    proc = _cli("eval", "--my", str(ad), "Start")
    assert (proc.returncode, proc.stdout.strip()) == (0, "undefined")


def test_eval_says_when_htcondor_fails_to_evaluate(tmp_path: Path) -> None:
    """Past the depth bound classad2 raises "failed to evaluate expression"; ``eval``
    printed ERROR, which hid it. Now it says so and exits 2, as for any unusable input."""
    text = " - ".join(["1"] * 600)
    with pytest.raises(Exception, match="failed to evaluate"):
        classad2.ExprTree(text).eval()
    path = tmp_path / "deep.classad"
    path.write_text(text)
    proc = _cli("eval", "--file", str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"classadlint eval: {path}: HTCondor fails to evaluate")
    assert "depth bound (400 levels)" in proc.stderr
    proc = _cli("eval", " - ".join(["1"] * 300))
    assert (proc.returncode, proc.stdout.strip()) == (0, str(1 - 299))


def test_lint_follows_condor_version(tmp_path: Path) -> None:
    """With ``condor-version`` 23.0 the elvis binds loosest (``RequestCpus ?: 1 + 1`` is what
    it looks like, no CA208) and a unit suffix is a number (no CA111, no CA103); 23.8 reads
    the suffix but drops it, which CA111 reports."""
    text = "RequestCpus ?: 1 + 1"
    assert lint_expression(text, "START", settings=Settings(condor_version=V23_0)) == []
    for newer in (Settings(condor_version=V24_0), Settings()):
        assert [d.code for d in lint_expression(text, "START", settings=newer)] == ["CA208"]
    config = tmp_path / "t.config"
    config.write_text("START = TARGET.RequestMemory < 2G\nMAX_JOBS_RUNNING = 10K\n")
    selected = ("CA111", "CA103")
    assert lint_files([config], settings=Settings(select=selected, condor_version=V23_0)) == []
    found = lint_files([config], settings=Settings(select=selected, condor_version=V23_8))
    assert [(d.code, d.line) for d in found] == [("CA111", 1), ("CA111", 2)]
    assert all("ignores the unit suffix" in d.message for d in found)
    found = lint_files([config], settings=Settings(select=selected))
    assert [(d.code, d.line) for d in found] == [("CA111", 1), ("CA111", 2)]
    assert "removed" in found[0].message
