"""Hypothesis strategies that write ClassAd expression text over the whole grammar.

They deliberately produce near-misses too (leading zeros, `1.`, foreign operators, bad
escapes, odd spacing around `?` and `:`), so that differential tests exercise the places
where HTCondor's lexer is peculiar, not only well-formed input.
"""

from __future__ import annotations

from hypothesis import strategies as st

_WS = st.sampled_from(["", " ", "  ", "\n", "\t", " /* c */ ", " // c\n"])

_INTEGERS = st.one_of(
    st.integers(min_value=0, max_value=2**70).map(str),
    st.sampled_from(["0", "00", "007", "010", "08", "0x1F", "-0", "-007", "9223372036854775808"]),
)
_REALS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: repr(abs(f))),
    st.sampled_from(
        ["1.5", ".5", "00.5", "09.5", "1e3", "1E+3", ".5e-2", "1e400", "1.", "1.e5", "1e", "2G"]
    ),
)
_STRING_CHARS = st.sampled_from(
    [*"abcXYZ 09_-+*/.,;:'!?", "\\n", "\\t", '\\"', "\\\\", "\\101", "\\0", "\\q", "é"]
)
_STRINGS = st.lists(_STRING_CHARS, max_size=6).map(lambda cs: '"' + "".join(cs) + '"')
_NAMES = st.one_of(
    st.sampled_from(
        ["x", "Memory", "RequestMemory", "my", "MY", "target", "TARGET", "parent", "Owner",
         "_a1", "true", "IS", "isnt", "Undefined", "error", "and", "not"]
    ),
    st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,6}\Z"),
)  # fmt: skip
_QNAMES = st.sampled_from(["'a b'", "'x'", "''", "'it\\'s'", "'true'"])
_KEYWORDS = st.sampled_from(["true", "FALSE", "Undefined", "error", "True"])
_BINOPS = st.sampled_from(
    ["||", "&&", "|", "^", "&", "==", "!=", "=?=", "=!=", "is", "isnt", "<", "<=", ">", ">=",
     "<<", ">>", ">>>", "+", "-", "*", "/", "%", "IS", "Isnt"]
)  # fmt: skip
_FOREIGN = st.sampled_from(["!==", "===", "<>", "=<", "**", "and", "or", "= ="])
_UNOPS = st.sampled_from(["-", "+", "~", "!", "- ", "!!"])
_FUNCS = st.sampled_from(
    ["strcat", "ifThenElse", "isUndefined", "member", "size", "regexp", "f", "absTime",
     "relTime", "STRCAT", "stringListMember"]
)  # fmt: skip
_TIME_STRINGS = st.sampled_from(
    ['"2020-01-01T00:00:00Z"', '"garbage"', '"1:00"', '"1d2h"', '""', '"2020"']
)


def _atoms() -> st.SearchStrategy[str]:
    return st.one_of(_INTEGERS, _REALS, _STRINGS, _NAMES, _QNAMES, _KEYWORDS,
                     _NAMES.map(lambda n: "." + n))  # fmt: skip


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def binary(t: tuple[str, str, str, str, str]) -> str:
        a, w1, op, w2, b = t
        return f"{a}{w1}{op}{w2}{b}"

    return st.one_of(
        st.tuples(inner, _WS, _BINOPS, _WS, inner).map(binary),
        st.tuples(_UNOPS, inner).map("".join),
        st.tuples(inner, _WS, inner, inner).map(lambda t: f"{t[0]} ?{t[1]}{t[2]} : {t[3]}"),
        st.tuples(inner, st.sampled_from(["?:", "? :", " ?: ", "?\n:"]), inner).map("".join),
        inner.map(lambda s: f"({s})"),
        st.tuples(_FUNCS, st.lists(inner, max_size=3), st.sampled_from([",", ", ", ";"])).map(
            lambda t: f"{t[0]}({t[2].join(t[1])})"
        ),
        st.tuples(st.sampled_from(["absTime", "relTime"]), _TIME_STRINGS).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.lists(inner, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"),
        st.lists(st.tuples(_NAMES | _QNAMES, inner), max_size=3).map(
            lambda kv: "[" + "; ".join(f"{k} = {v}" for k, v in kv) + "]"
        ),
        st.tuples(inner, _NAMES | _QNAMES).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(inner, _FOREIGN, inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
    )


_EXPRESSIONS = st.deferred(lambda: st.one_of(_atoms(), _atoms(), _extend(_EXPRESSIONS)))


def expressions() -> st.SearchStrategy[str]:
    """Expression text, mostly valid, sometimes deliberately not.

    ``st.deferred`` rather than ``st.recursive``: the latter's repr grows exponentially
    with nesting and hypothesis builds it for reports (hundreds of MB, seen here).
    """
    return _EXPRESSIONS


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """A generated expression with one character deleted, inserted or replaced."""
    text = draw(expressions())
    if not text:
        return text
    i = draw(st.integers(min_value=0, max_value=len(text) - 1))
    how = draw(st.sampled_from(["delete", "insert", "replace"]))
    ch = draw(st.sampled_from(list("()[]{}.,;:?!=<>&|+-*/%~^\"' 0aZ_#$\\\n")))
    if how == "delete":
        return text[:i] + text[i + 1 :]
    if how == "insert":
        return text[:i] + ch + text[i:]
    return text[:i] + ch + text[i + 1 :]
