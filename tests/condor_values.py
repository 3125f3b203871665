"""Knob values of the real corpus as HTCondor itself expands them (a child process).

Config loading is once per process in HTCondor and a broken file may exit the process, so
this runs in a subprocess; ``htcondor2.reload_config()`` lets one child load many files.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

_ASSIGN = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_.]*)[ \t]*(?:=|:|@=)", re.M)

_CHILD = r"""
import json, os, sys
PREDEFINED = json.loads(os.environ["CLASSADLINT_PREDEFINED"])
os.environ["CONDOR_CONFIG"] = "/dev/null"
import htcondor2
out = {}
for path, names in json.load(sys.stdin):
    os.environ["CONDOR_CONFIG"] = path
    htcondor2.reload_config()
    out[path] = {n: htcondor2.param.get(n) for n in names}
machine = {n: htcondor2.param.get(n) for n in PREDEFINED}
json.dump({"values": out, "machine": {k: "" if v is None else str(v) for k, v in machine.items()}}, sys.stdout)
"""


def accepted_config_files(shared: Path) -> list[Path]:
    """The corpus files of kind ``config`` that HTCondor 25.14.1 loads as they are."""
    root = shared / "realcorpus"
    with (root / "MANIFEST.tsv").open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        root / r["local_file"]
        for r in rows
        if r["kind"] == "config" and r["htcondor_accepts"] == "yes"
    ]


@cache
def knob_values(shared: Path) -> dict[str, dict[str, str | None]]:
    """For each accepted config file: every knob name it assigns -> HTCondor's value."""
    jobs = []
    for path in accepted_config_files(shared):
        text = path.read_text(encoding="utf-8", errors="replace")
        names = sorted({m.group(1) for m in _ASSIGN.finditer(text)})
        jobs.append((str(path), names))
    from classadlint.config.model import PREDEFINED

    env = dict(os.environ)
    env["CLASSADLINT_PREDEFINED"] = json.dumps(list(PREDEFINED))
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=True,
    )
    result = json.loads(proc.stdout)
    _MACHINE.update(result["machine"])
    return result["values"]  # type: ignore[no-any-return]


_MACHINE: dict[str, str] = {}


def machine_facts(shared: Path) -> dict[str, str]:
    """The host facts HTCondor detected in the same child (FULL_HOSTNAME, IP_ADDRESS...)."""
    knob_values(shared)
    return dict(_MACHINE)


def same_value(ours: str | None, theirs: object, default: str | None) -> bool:
    """Our raw expanded text against htcondor2.param's (typed) value.

    htcondor2 converts typed knobs: bools and numbers come back evaluated (an expression
    such as ``1024*1024`` as its value), an empty typed knob as its built-in default, and
    literal booleans re-spelled ``True``/``False``; a typed value HTCondor cannot read falls
    back to the default too.
    """
    from classadlint.classad import ClassAdSyntaxError, evaluate

    if theirs is None:
        return ours is None
    if ours is None:
        return (
            default is not None
            and not isinstance(theirs, str)
            and same_value(default, theirs, None)
        )
    if isinstance(theirs, str):
        if theirs in ("True", "False") and ours.strip().lower() == theirs.lower():
            return True
        return ours == theirs
    try:
        value = evaluate(ours)
    except ClassAdSyntaxError:
        # not a value HTCondor's typed reader accepts: it falls back to the default
        return default is not None and default != ours and same_value(default, theirs, None)
    if isinstance(theirs, bool):
        return value is theirs or (value.__class__ in (int, float) and bool(value) == theirs)
    if value.__class__ in (int, float, bool):
        return abs(float(value) - float(theirs)) < 1e-9  # type: ignore[arg-type]
    return True  # an expression htcondor2 evaluated against no ad; not comparable here
