"""HTCondor itself, in a child process, on the corrected DESY configuration (corpus/desy).

Run as ``python -m tests.desy_oracle``: it reads a JSON list of requests on stdin and
writes a JSON list of answers on stdout. Requests:

* ``{"op": "load", "config": PATH}``: point CONDOR_CONFIG at PATH and reload HTCondor's
  configuration (a fatal config error exits the process with HTCondor's message).
* ``{"op": "param", "names": [...]}``: ``htcondor2.param`` values (typed as HTCondor types
  them; None when undefined).
* ``{"op": "transform", "job": AD}``: the job ad (new ClassAd syntax) after the schedd's
  job transforms (JOB_TRANSFORM_NAMES, in order), as ``{attribute: value}``; see below.
* ``{"op": "eval", "knob": NAME, "my": AD, "target": AD}`` or ``"expr": TEXT`` instead of
  ``knob``: the value of a knob's expression (old ClassAd syntax, as daemons parse config)
  or of a text, evaluated with MY = ``my`` and TARGET = ``target`` (both optional).

Values come back as JSON: booleans, numbers and strings as themselves, UNDEFINED and
ERROR as the strings ``"UNDEFINED"`` and ``"ERROR"``, lists and ads unparsed.

The transforms are applied by a minimal re-implementation of the five statements the
corpus uses, following HTCondor's ``xform_utils.cpp`` (25.14): the REQUIREMENTS line is
evaluated against the job alone, the transform applies when it is true or a non-zero
number; SET and DEFAULT store the expression (old syntax), DEFAULT only for an absent
attribute; EVALSET evaluates (new syntax) and stores the value; COPY copies the
expression. Every expression is parsed and evaluated by classad2, with the loaded
configuration's user maps (``TOOL_CLASSAD_USER_MAP_NAMES`` set by the caller), so
``userMap`` reads the corpus's map file. Statements the corpus does not use are refused.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

# A caller's ONLY_ENV (the test suite's) would stay in force across reload_config().
os.environ["CONDOR_CONFIG"] = "/dev/null"

# isort: off
import htcondor2  # (must precede classad2)
import classad2

# isort: on

_STATEMENT = re.compile(r"(?P<kw>[A-Za-z]+)\s+(?P<rest>.*)\Z", re.S)
_TWO_ARGS = re.compile(r"(?P<attr>[A-Za-z_][A-Za-z0-9_]*)\s*[=,]?\s*(?P<expr>.*)\Z", re.S)


def _json(value: Any) -> Any:
    if value is None:
        return None
    if value is classad2.Value.Undefined:
        return "UNDEFINED"
    if value is classad2.Value.Error:
        return "ERROR"
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _old(text: str) -> classad2.ExprTree:
    """An expression in old ClassAd syntax (config values, SET, DEFAULT, REQUIREMENTS)."""
    ad = classad2.parseOne(f"X = {text}", classad2.ParserType.Old)
    if ad is None or "X" not in ad:
        raise ValueError(f"classad2 does not parse {text!r}")
    tree = ad.lookup("X")
    if not isinstance(tree, classad2.ExprTree):
        tree = classad2.ExprTree(str(tree))
    return tree


def _ad(text: str | None) -> classad2.ClassAd:
    return classad2.ClassAd(text) if text else classad2.ClassAd()


def _statements(body: str) -> tuple[str | None, list[tuple[str, str, str]]]:
    requirements = None
    out: list[tuple[str, str, str]] = []
    for raw in body.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _STATEMENT.match(line)
        if not m:
            raise ValueError(f"not a transform statement: {line!r}")
        kw, rest = m.group("kw").upper(), m.group("rest").strip()
        if kw == "REQUIREMENTS":
            requirements = rest
            continue
        if kw not in ("SET", "DEFAULT", "EVALSET", "COPY"):
            raise ValueError(f"statement {kw} is not simulated here: {line!r}")
        two = _TWO_ARGS.match(rest)
        if not two:
            raise ValueError(f"{kw} needs an attribute and a value: {line!r}")
        out.append((kw, two.group("attr"), two.group("expr").strip()))
    return requirements, out


def _transform(job_text: str) -> dict[str, Any]:
    job = classad2.ClassAd(job_text)
    names = re.split(r"[\s,]+", (htcondor2.param.get("JOB_TRANSFORM_NAMES") or "").strip())
    applied = []
    for name in filter(None, names):
        body = htcondor2.param.get(f"JOB_TRANSFORM_{name}")
        if body is None:
            raise ValueError(f"JOB_TRANSFORM_{name} is not defined")
        requirements, statements = _statements(body)
        if requirements is not None:
            value = _old(requirements).eval(job)
            if not (
                value is True or (isinstance(value, int | float) and not isinstance(value, bool)
                                  and value != 0)
            ):  # fmt: skip
                continue
        applied.append(name)
        for kw, attr, rhs in statements:
            if kw == "DEFAULT" and attr in job:
                continue
            if kw in ("SET", "DEFAULT"):
                job[attr] = _old(rhs)
            elif kw == "EVALSET":
                value = classad2.ExprTree(rhs).eval(job)
                job[attr] = classad2.ExprTree("undefined") if value is classad2.Value.Undefined \
                    else classad2.ExprTree("error") if value is classad2.Value.Error else value  # fmt: skip
            else:  # COPY
                job[rhs] = job.lookup(attr)
    result = {key: _json(job.eval(key)) for key in job}
    result["__applied__"] = applied
    result["__ad__"] = str(job)
    return result


def _eval(request: dict[str, Any]) -> Any:
    if "knob" in request:
        text = htcondor2.param.get(request["knob"])
        if text is None:
            raise ValueError(f"{request['knob']} is not defined")
        tree = _old(str(text))
    else:
        tree = _old(request["expr"])
    my, target = request.get("my"), request.get("target")
    if target is not None:
        return _json(tree.eval(_ad(my), _ad(target)))
    return _json(tree.eval(_ad(my)))


def answer(request: dict[str, Any]) -> Any:
    op = request["op"]
    if op == "load":
        os.environ["CONDOR_CONFIG"] = request["config"]
        htcondor2.reload_config()
        return True
    if op == "param":
        return {n: _json(htcondor2.param.get(n)) for n in request["names"]}
    if op == "transform":
        return _transform(request["job"])
    if op == "eval":
        return _eval(request)
    raise ValueError(f"unknown request {op!r}")


def main() -> int:
    requests = json.load(sys.stdin)
    answers = []
    for request in requests:
        try:
            answers.append({"ok": answer(request)})
        except Exception as exc:  # reported to the test, which fails with it
            answers.append({"error": f"{type(exc).__name__}: {exc}"})
    json.dump(answers, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
