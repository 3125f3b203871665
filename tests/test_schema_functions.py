"""The function catalog against the real ClassAd library.

A function "exists" where a call with well-kinded arguments (built from the catalog's own
argument kinds) evaluates to something other than ERROR; an unknown name evaluates to
ERROR. Core functions must exist in bare classad2 (a child process that never imports
htcondor2, i.e. strict mode); HTCondor-layer ones only after htcondor2 is imported;
daemon-specific ones in neither. Arity: one argument too many or too few is ERROR.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from typing import Any

from classadlint.schema import functions_catalog as fc

SAMPLE = {
    "any": "1",
    "bool": "true",
    "int": "2",
    "number": "3",
    "string": '"a,b"',
    "list": "{1, 2}",
    "classad": "[a = 1]",
    "abstime": "absTime(0)",
    "reltime": "relTime(5)",
    "time": "absTime(0)",
    "attr-ref": "x",
    "expr": "true",
    "regex": '"a"',
    "regex-options": '"i"',
    "compare-op": '"=="',
    "version": '"8.1.2"',
    "list-of-ads": "{[a = 1]}",
}

# per-function arguments where the generic sample of a kind is not a meaningful call
SPECIAL = {
    "size": ['"abc"'],
    "getDays": ["relTime(5)"],
    "regexpMember": ['"a"', '{"a", "b"}', '"i"'],
    "eval": ['"1 + 1"'],
    "splitUserName": ['"user@domain"'],
    "splitSlotName": ['"slot1@host"'],
    "userMap": ['"m"', '"u"', '"p"', '"dflt"'],
    "userHome": ['"nobody"', '"/tmp"'],
    "envV1ToV2": ['"A=1"'],
    "argsToList": ['"a b"'],
    "listToArgs": ['{"a", "b"}'],
    "SlotEval": ['"slot1"', "true"],
    "ResourcesInUseByUser": ['"u"'],
    "ResourcesInUseByUsersGroup": ['"u"'],
}

_CHILD = r"""
import json, os, sys
if os.environ.get("WITH_HTCONDOR") == "1":
    import htcondor2
import classad2
calls = json.load(sys.stdin)
ad = classad2.ClassAd("[x = 1]")
out = []
for text in calls:
    # isError(...) keeps the result a bool: handing a ClassAd value back to Python makes
    # classad2 import htcondor2, which registers the HTCondor layer in this process
    try:
        out.append("ERROR" if classad2.ExprTree(f"isError({text})").eval(ad) else "ok")
    except Exception as e:
        out.append("raise:" + type(e).__name__)
out.append("htcondor2 loaded" if "htcondor2" in sys.modules else "bare")
json.dump(out, sys.stdout)
"""


def _args(f: fc.FunctionInfo, n: int) -> list[str]:
    special = SPECIAL.get(f.name)
    if special is not None and n <= len(special):
        return special[:n]
    return [SAMPLE[f.arg_kind(i)] for i in range(n)]


def _call(f: fc.FunctionInfo, n: int) -> str:
    return f"{f.name}({', '.join(_args(f, n))})"


@cache
def _evaluate(calls: tuple[str, ...], with_htcondor: bool) -> dict[str, str]:
    env = dict(os.environ, CONDOR_CONFIG="/dev/null", WITH_HTCONDOR="1" if with_htcondor else "0")
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(list(calls)),
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    *results, mode = json.loads(proc.stdout)
    assert mode == ("htcondor2 loaded" if with_htcondor else "bare")
    return dict(zip(calls, results, strict=True))


def _valid_calls(f: fc.FunctionInfo) -> list[str]:
    hi = f.max_args if f.max_args is not None else f.min_args + 2
    return [_call(f, n) for n in range(f.min_args, hi + 1)]


def _all_calls() -> tuple[str, ...]:
    calls: list[str] = []
    for f in fc.all_functions():
        calls += _valid_calls(f)
        if f.min_args > 0:
            calls.append(_call(f, f.min_args - 1))
        if f.max_args is not None:
            calls.append(_call(f, f.max_args + 1))
    calls.append("noSuchFunctionAtAll(1)")
    return tuple(dict.fromkeys(calls))


def _exists(f: fc.FunctionInfo, results: dict[str, str]) -> bool:
    return any(results[c] == "ok" for c in _valid_calls(f))


def test_unknown_names_evaluate_to_error() -> None:
    """The premise of the other tests."""
    assert _evaluate(_all_calls(), False)["noSuchFunctionAtAll(1)"] == "ERROR"
    assert _evaluate(_all_calls(), True)["noSuchFunctionAtAll(1)"] == "ERROR"


def test_core_functions_exist_in_bare_classad2() -> None:
    bare = _evaluate(_all_calls(), False)
    missing = [f.name for f in fc.all_functions() if f.layer == "core" and not _exists(f, bare)]
    assert not missing, missing


def test_htcondor_layer_exists_only_with_htcondor2() -> None:
    bare = _evaluate(_all_calls(), False)
    full = _evaluate(_all_calls(), True)
    layer = [f for f in fc.all_functions() if f.layer == "htcondor"]
    assert layer
    assert [f.name for f in layer if _exists(f, bare)] == []
    assert [f.name for f in layer if not _exists(f, full)] == []


def test_daemon_functions_exist_in_neither() -> None:
    full = _evaluate(_all_calls(), True)
    daemon = [f for f in fc.all_functions() if f.layer == "daemon"]
    assert daemon and all(f.daemons for f in daemon)
    assert [f.name for f in daemon if _exists(f, full)] == []


def test_arity_bounds_are_htcondors() -> None:
    """One argument fewer than min or more than max is ERROR; min..max is not, for
    every function that exists in the htcondor2 process."""
    full = _evaluate(_all_calls(), True)
    wrong: list[Any] = []
    for f in fc.all_functions():
        if f.layer == "daemon":
            continue
        if f.min_args > 0 and full[_call(f, f.min_args - 1)] == "ok":
            wrong.append((f.name, "accepts", f.min_args - 1))
        if f.max_args is not None and full[_call(f, f.max_args + 1)] == "ok":
            wrong.append((f.name, "accepts", f.max_args + 1))
    assert not wrong, wrong


def test_lookup_api() -> None:
    ite = fc.function("IFTHENELSE")
    assert ite is not None and ite.name == "ifThenElse"
    assert ite.accepts(3) and not ite.accepts(2) and ite.arity_text() == "3"
    strcat = fc.function("strcat")
    assert strcat is not None and strcat.max_args is None and strcat.accepts(7)
    slot_eval = fc.function("sloteval")
    assert slot_eval is not None
    assert slot_eval.available_in("startd") and not slot_eval.available_in("schedd")
    split = fc.function("split")
    assert split is not None and not split.available_in(None, htcondor=False)
    assert fc.function("nosuch") is None
    assert "regexp" in fc.names("core")
