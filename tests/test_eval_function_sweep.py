"""Every function HTCondor has, with every pairing of one or two arguments from a pool of
values of each type, evaluated by us and by classad2: the same value each time.

Functions that read the clock, the random generator, the user database or the user maps
are left out (they are tested where those are controlled); a classad2 evaluation failure
counts as ERROR, as a daemon reads it.
"""

from __future__ import annotations

import itertools

from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import evaluate
from classadlint.classad.functions import FUNCTIONS
from tests.eval_oracle import normalise_ours, normalise_theirs, theirs
from tests.oracle import classad2

POOL = ["1", "-2", "2.5", '"abc"', '"a,b"', "true", "undefined", "error", '{1, "a"}',
        "[a = 1]", "0", '""', '" a  b ,c"']  # fmt: skip
NOT_PURE = {
    "time", "random", "currenttime", "daytime", "timezoneoffset", "userhome", "usermap",
    "eval", "getcommandsofrole", "debug", "sharedlib", "trace", "unparse", "unresolved",
    "evalineachcontext", "countmatches", "ifthenelse", "formattime", "splittime",
}  # fmt: skip


def test_every_function_over_a_pool_of_values() -> None:
    wrong = []
    count = 0
    for name, info in sorted(FUNCTIONS.items()):
        if name in NOT_PURE:
            continue
        top = min(info.max_args if info.max_args is not None else 2, 2)
        for n in range(info.min_args, top + 1):
            for args in itertools.product(POOL, repeat=n):
                expr = f"{name}({', '.join(args)})"
                count += 1
                try:
                    classad2.ExprTree(expr)
                except Exception:
                    want: object = "REFUSED"  # does not parse (absTime("abc"))
                else:
                    try:
                        want = normalise_theirs(theirs(expr))
                    except Exception:
                        want = "ERROR"
                try:
                    got: object = normalise_ours(evaluate(expr))
                except ClassAdSyntaxError:
                    got = "REFUSED"
                if got != want:
                    wrong.append((expr, want, got))
    assert count > 5000
    assert not wrong, wrong[:20]


POOL3 = ["1", "2.5", '"abc"', '"a,b"', "true", "undefined", "error", '{1, "a"}', '""', "-1"]


def _disagreements(exprs: list[str]) -> list[tuple[str, object, object]]:
    wrong = []
    for expr in exprs:
        try:
            want: object = normalise_theirs(theirs(expr))
        except Exception:
            want = "ERROR"
        got = normalise_ours(evaluate(expr))
        if got != want:
            wrong.append((expr, want, got))
    return wrong


def test_functions_of_three_arguments_over_a_pool_of_values() -> None:
    exprs = [
        f"{name}({', '.join(args)})"
        for name, info in sorted(FUNCTIONS.items())
        if name not in NOT_PURE and name not in ("abstime", "reltime")
        and info.min_args <= 3 and (info.max_args is None or info.max_args >= 3)
        for args in itertools.product(POOL3, repeat=3)
    ]  # fmt: skip
    assert len(exprs) > 10000
    assert not _disagreements(exprs)[:20]


def test_regex_substitution_loops_like_pcre2() -> None:
    """Empty matches, groups that did not take part, backslashes, f/g/i options."""
    patterns = ['"a"', '"a*"', '"(a)(b)?"', '""', '"x"', '"(b|c)"', '"^"', '"$"', '"a|"']
    targets = ['"abcab"', '""', '"bbb"', '"aaa"']
    replacements = ['"X"', '"[\\\\1]"', '"\\\\2"', '"\\\\"', '"\\\\x"', '""', '"\\\\0\\\\0"']
    exprs = [
        f"{fn}({p}, {t}, {r}{opt})"
        for fn in ("regexps", "replace", "replaceAll")
        for p in patterns
        for t in targets
        for r in replacements
        for opt in ("", ', "g"', ', "f"', ', "i"')
    ]
    assert not _disagreements(exprs)[:20]
