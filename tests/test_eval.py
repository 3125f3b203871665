"""The evaluator agrees with classad2 on every operator and function edge case.

Each case is evaluated by both, in the same test, in HTCondor's daemon mode; values must
agree in type and value (UNDEFINED and ERROR alike).
"""

from __future__ import annotations

import pytest

from classadlint.classad.evaluate import evaluate
from tests.eval_oracle import normalise_ours, normalise_theirs, theirs

OPERATORS = [
    # arithmetic, promotion, wraparound, division
    "1+2*3", "7/2", "-7/2", "-7%2", "7%-2", "1/0", "5%0", "1.0/0", "-1.0/0", "0.0/0",
    "5.0%2", "-9223372036854775808/-1", "-9223372036854775808%-1", "9223372036854775807+1",
    "true+true", "true*2.5", "\"x\"+\"y\"", "\"s\"+undefined", "undefined+error", "1-undefined",
    # bitwise and shifts
    "6&3", "6|3", "6^3", "~5", "~true", "1<<64", "1<<63", "1<<-1", "-8>>1", "-8>>>1",
    "-8>>>60", "1>>64", "true&1", "1.5|1", "2 & 3 == 3",
    # unary
    "-true", "+\"a\"", "!\"a\"", "!2.5", "!0", "-undefined", "!error", "- -2", "+1.5",
    # comparison
    "1 == 1.0", "true == 1", "0 == false", "2.5 == true", "\"abc\" == \"ABC\"",
    "\"abc\" < \"ABD\"", "true == \"true\"", "{1,2} == {1,2}", "undefined == error",
    "1 != undefined", "\"a\" != \"A\"", "1 < 2 == true",
    # meta-equality
    "1 =?= 1.0", "true =?= 1", "undefined =?= undefined", "error =?= error", "\"a\" =?= \"A\"",
    "\"a\" =!= \"A\"", "{1,2} =?= {1,2}", "[a=1] =?= [a=1]", "1 is 1", "1 isnt 2", "x =?= undefined",
    # logic
    "true && false", "5 && true", "0 && error", "undefined && false", "undefined && true",
    "undefined && undefined", "error && false", "\"s\" && true", "true && \"s\"", "true && 2",
    "false || undefined", "0.0 || undefined", "undefined || true", "true || error",
    "undefined || 0", "\"s\" || true", "1 || \"s\"", "false || \"s\"",
    # conditional and elvis
    "true ? 1 : 2", "0 ? 1 : 2", "2.5 ? 1 : 2", "undefined ? 1 : 2", "error ? 1 : 2",
    "\"s\" ? 1 : 2", "{1} ? 1 : 2", "undefined ?: 3", "error ?: 3", "false ?: 3", "x ?: 1 + 1",
    # lists, ads, selection, subscripts
    "{1,2}[1]", "{1,2}[2]", "{0}[-9223372036854775808]", "{0,1}[4294967297]", "{1,2}[-1]", "{1,2}[1.0]", "{1,2}[true]", "{1,2}[undefined]",
    "[a=1][\"A\"]", "[a=1][\"b\"]", "[a=1].b", "[a=1].A", "{[a=1],[a=2]}.a", "{[a=1],3}.a",
    "(1).a", "\"x\".a", "undefined.a", "error.a", "[a = 1; b = a + 1].b", "[A = 1; a = 2].a",
    "[a = b; b = a].a", "{1, undefined, error}",
    # time
    "abstime(0) + 60", "reltime(60) * 2", "reltime(60) + reltime(1)",
    "abstime(60) - abstime(0)", "1 + reltime(5)", "reltime(5) == 5", "abstime(0) == abstime(0)",
    "reltime(\"1d2h\")", "absTime(\"2020-01-01T00:00:00Z\")", "-reltime(5)",
]  # fmt: skip

FUNCTIONS = [
    "isUndefined(x)", "isError(1/0)", "isString(\"\")", "isInteger(true)", "isReal(1.0)",
    "isBoolean(1)", "isList({})", "isClassAd([])", "isAbsTime(absTime(0))", "isRelTime(1)",
    "ifThenElse(true, 1, 2)", "ifThenElse(undefined, 1, 2)", "ifThenElse(\"s\", 1, 2)",
    "ifThenElse(0, 1/0, 2)", "ifThenElse(1, 2)", "IFTHENELSE(false, 1, 2)",
    "member(1, {1,2})", "member(\"A\", {\"a\"})", "member(x, {1})", "member(1, x)",
    "member({1}, {1})", "member(1, 1)", "identicalMember(\"A\", {\"a\"})",
    "identicalMember(undefined, {undefined})", "anyCompare(\"<\", {1,2,3}, 2)",
    "allCompare(\"<\", {1,2,3}, 4)", "anyCompare(\"IS\", {1}, 1)", "anyCompare(\"==\", {x,1}, 1)",
    "anyCompare(\"==\", {1,x}, 1)", "allCompare(\"is\", {undefined}, undefined)",
    "size(\"abc\")", "size({1,2})", "size([a=1;b=2])", "size(1)", "size(undefined)",
    "sum({1,2,3})", "sum({true})", "sum({true,true})", "sum({undefined,true})", "min({true})", "max({false,true})", "max({true,2})", "min({true,0.5})", "sum({1,2.5})", "sum({})", "sum({1,undefined})", "sum({1,\"a\"})",
    "avg({1,2})", "avg({})", "avg({undefined})", "min({3,1,2})", "max({1,2.5})", "min({})",
    "max({undefined})", "strcat()", "strcat(\"a\", 1, 2.5, true)", "strcat(\"a\", undefined)",
    "strcat(\"a\", error)", "strcat({1,2})", "join(\",\", \"a\", \"b\")", "join(\",\", {1,2})",
    "join({\"a\",\"b\"})", "join(\",\", undefined, \"a\")", "join(\",\", undefined)",
    "toUpper(\"aB\")", "toLower(1)", "toUpper(undefined)", "substr(\"abcdef\", 2)",
    "substr(\"abcdef\", -2)", "substr(\"abcdef\", 1, 2)", "substr(\"abcdef\", 1, -2)",
    "substr(\"abc\", 5)", "substr(\"abc\", 1.5)", "substr(undefined, 1)", "strcmp(\"a\", \"b\")",
    "strcmp(\"b\", \"a\")", "stricmp(\"A\", \"a\")", "strcmp(1, \"1\")", "strcmp(undefined, \"a\")",
    "versioncmp(\"7.9\", \"7.10\")", "versionGT(\"8.10\", \"8.9\")", "versionEQ(\"8.010\", \"8.10\")",
    "version_in_range(\"8.5\", \"8.0\", \"9.0\")", "regexp(\"^a.c$\", \"abc\")",
    "regexp(\"A\", \"a\", \"i\")", "regexp(\"A\", \"a\", \"I\")", "regexp(\"(\", \"a\")",
    "regexp(1, \"a\")", "regexp(\"a\", undefined)", "regexpMember(\"b\", {\"a\", \"b\"})",
    "regexpMember(\"z\", {\"a\", undefined})", "regexps(\"(a)(b)\", \"xaby\", \"\\\\2\\\\1\")",
    "replace(\"a\", \"banana\", \"o\")", "replaceAll(\"a\", \"banana\", \"o\")",
    "int(\"12abc\")", "int(1e300)", "int(-1e300)", "int(real(\"inf\"))", "int(real(\"nan\"))", "int(\"1e300\")", "floor(1e300)", "int(9.3e18)", "int(\"abc\")", "int(undefined)", "int(3.9)", "int(-3.9)", "int(\"0x10\")",
    "int(true)", "int(\" 7\")", "real(\"1e3x\")", "real(\"inf\")", "real(true)", "real(\"x\")",
    "string(undefined)", "string(1.0)", "string(1.5)", "string(1e20)", "string(true)",
    "string({1,2})", "string(\"a\")", "string(reltime(65))", "string(0.0)",
    "bool(\"TRUE\")", "bool(\"yes\")", "bool(\"\")", "bool(2)", "bool(0.0)",
    "floor(2.5)", "ceiling(2.1)", "ceil(-2.1)", "round(2.5)", "round(3.5)", "floor(\"2.7\")",
    "floor(5)", "floor(\"x\")", "pow(2, 10)", "pow(2, -1)", "pow(0, -2.25)", "pow(-8, 0.5)", "pow(10, 400)", "pow(0, 0)", "pow(2.0, 0.5)",
    "quantize(7, 0)", "quantize(0, -9223372036854775808)", "quantize(9223372036854775807, 2)", "quantize(3, {1, 4, 8})", "quantize(9, {1, 4, 8})", "quantize(7, 4)",
    "interval(67)", "interval(3600)", "interval(90061)", "eval(\"1 + 2\")", "eval(\"1 +\")",
    "eval(undefined)", "debug(5)", "unknownfunction(1)", "strcat(\"a\";\"b\")",
    "stringListsIntersect(\"a,b\", \"b,c\")", "stringListsIntersect(\"a\", \"b\")",
    "stringListSize(\"a, b ,, c\")", "stringListSum(\"1,2,3\")", "stringListSum(\"1,2.5\")",
    "stringListAvg(\"\")", "stringListMax(\"\")", "stringListMin(\"3,1\")", "stringListSum(\"a\")",
    "stringListMember(\"b\", \"a,b\")", "stringListMember(\"B\", \"a,b\")",
    "stringListIMember(\"B\", \"a,b\")", "stringListMember(undefined, \"a,b\")",
    "stringListMember(undefined, undefined)", "stringListSubsetMatch(\"a\", \"a,b\")",
    "stringListSubsetMatch(undefined, \"a\")", "stringListSubsetMatch(\"a\", undefined)",
    "stringListISubsetMatch(\"A,b\", \"a,B\")", "stringList_regexpMember(\"^b\", \"a,bc\")",
    "split(\"a b,c\")", "split(\"a,,b\")", "split(\"a\\nb\")", "split(\"a;b\", \";\")",
    "splitUserName(\"user@domain\")", "splitUserName(\"user\")", "splitSlotName(\"slot1@host\")",
    "splitSlotName(\"host\")", "envV1ToV2(\"A=1;B=2\")", "envV1ToV2(undefined)",
    "mergeEnvironment(\"A=1 B=2\", \"A=3\")", "mergeEnvironment(undefined, \"A=1\")",
]  # fmt: skip

ADS = [
    ("Memory > 1024", {"Memory": "2048"}, None),
    ("Memory > RequestMemory", {"Memory": "2048"}, {"RequestMemory": "1024"}),
    ("MY.Memory", {"Memory": "1"}, {"Memory": "2"}),
    ("TARGET.Memory", {"Memory": "1"}, {"Memory": "2"}),
    ("Memory", {"Memory": "1"}, {"Memory": "2"}),
    ("RequestMemory", {"Memory": "1"}, {"RequestMemory": "2"}),
    ("TARGET.Rank", {"Rank": "x"}, {"Rank": "x * 2", "x": "21"}),
    ("TARGET.x", {"x": "1"}, {"x": "y", "y": "7"}),
    ("a", {"a": "b", "b": "a"}, None),
    ("a", {"a": "a + 1"}, None),
    ("target.x", {"x": "1"}, None),
    ("my.x", {"x": "1"}, None),
    ("unparse(Requirements)", {"Requirements": "Memory  >  1 && x"}, None),
    ("unparse(Nothing)", {"x": "1"}, None),
    ("unparse(1)", {"x": "1"}, None),
    ("unresolved(Requirements)", {"Requirements": "TARGET.Cpus > 1 && OpSys == \"LINUX\" && x", "x": "1"}, None),
    (".x", {"x": "1"}, None),
    ("x.y", {"x": "[y = z]", "z": "5"}, None),
    ("parent.z", {"z": "5"}, None),
    ("[a = 1; b = parent.z].b", {"z": "5"}, None),
    ("eval(\"x + 1\")", {"x": "41"}, None),
    ("evalInEachContext(a, {[a=1],[a=2]})", {"x": "1"}, None),
    ("countMatches(a > 1, {[a=1],[a=2],[a=3]})", {"x": "1"}, None),
    ("other.x", {"x": "1"}, {"x": "2"}),
]  # fmt: skip


def _check(
    text: str, my: dict[str, str] | None = None, target: dict[str, str] | None = None
) -> None:
    expected = normalise_theirs(theirs(text, my, target))
    my_ad = {k: _parsed(v) for k, v in my.items()} if my is not None else None
    target_ad = {k: _parsed(v) for k, v in target.items()} if target is not None else None
    got = normalise_ours(evaluate(text, my_ad, target_ad))
    assert got == expected, (text, my, target)


def _parsed(text: str) -> object:
    from classadlint.classad import parse

    return parse(text)


@pytest.mark.parametrize("text", OPERATORS)
def test_operator_edge_cases_match_classad2(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("text", FUNCTIONS)
def test_function_edge_cases_match_classad2(text: str) -> None:
    _check(text)


@pytest.mark.parametrize(("text", "my", "target"), ADS)
def test_scoping_matches_classad2(
    text: str, my: dict[str, str], target: dict[str, str] | None
) -> None:
    _check(text, my, target)
