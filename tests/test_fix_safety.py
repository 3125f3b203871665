"""A fix marked safe never changes what HTCondor makes of the configuration.

``--fix`` applies safe fixes without asking, so "safe" is a promise: for every ad, the
fixed expression evaluates as the original did (when the original parsed at all — text
HTCondor refuses has no meaning to keep), and every knob HTCondor's config reader builds
keeps its value. Checked here with HTCondor itself (``classad2`` on generated ads,
``htcondor2`` for whole files) over every rule's documented bad examples and over
generated expressions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.lint.engine import lint_expression, lint_files
from classadlint.lint.fix import apply_edits, select_fixes
from classadlint.lint.registry import builtin_rules
from classadlint.lint.settings import Settings
from tests.classad_strategies import expressions
from tests.eval_oracle import normalise_theirs, theirs
from tests.oracle import classad2_accepts

ALL = Settings(select=("ALL",))

# ad pairs every compared expression is evaluated against (MY = slot, TARGET = job)
_VALUES = ["1", "0", "-3", "2.5", '"bob"', '"Bob"', "true", "false", "undefined", "error"]
_NAMES = ["x", "y", "Memory", "RequestMemory", "Owner", "a", "b", "RequestGPU", "Cpus"]
ADS = [
    ({n: _VALUES[(i + k) % len(_VALUES)] for k, n in enumerate(_NAMES)},
     {n: _VALUES[(2 * i + k) % len(_VALUES)] for k, n in enumerate(_NAMES)})
    for i in range(len(_VALUES))
] + [({}, {})]  # fmt: skip


def _values(expr: str) -> list[Any]:
    out = []
    for my, target in ADS:
        try:
            out.append(normalise_theirs(theirs(expr, my, target)))
        except Exception as exc:  # classad2 raising is itself a behaviour to keep
            out.append(("raises", type(exc).__name__))
    return out


def _same_meaning(old: str, new: str) -> bool:
    if not classad2_accepts(old):
        return True  # HTCondor refuses the original: nothing to preserve
    return classad2_accepts(new) and _values(old) == _values(new)


def _safe_fixed(text: str, diags: list[Any]) -> str:
    fixed, _ = apply_edits(text, select_fixes(diags, unsafe=False))
    return fixed


_CHILD = r"""
import json, os, sys
os.environ["CONDOR_CONFIG"] = "/dev/null"
import htcondor2
out = []
for path in json.load(sys.stdin):
    os.environ["CONDOR_CONFIG"] = path
    try:
        htcondor2.reload_config()
        out.append({k: htcondor2.param.get(k) for k in htcondor2.param.keys()})
    except Exception as exc:
        out.append({"<error>": str(exc)})
json.dump(out, sys.stdout)
"""


def _condor_tables(paths: list[Path]) -> list[dict[str, str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps([str(p) for p in paths]),
        capture_output=True,
        text=True,
        env={**os.environ, "CONDOR_CONFIG": "/dev/null"},
        timeout=300,
        check=True,
    )
    tables: list[dict[str, str]] = json.loads(proc.stdout)
    return tables


def test_safe_fixes_of_documented_examples_keep_htcondor_meaning(tmp_path: Path) -> None:
    pairs: list[tuple[str, str, str]] = []  # (where, old, new) config texts
    expr_pairs: list[tuple[str, str, str]] = []
    for rule in builtin_rules():
        for k, ex in enumerate(rule.examples):
            if ex.kind != "bad":
                continue
            where = f"{rule.code} example {k + 1}"
            if ex.language == "classad":
                text = ex.text.rstrip("\n")
                new = _safe_fixed(text, lint_expression(text, ex.context, settings=ALL))
                if new != text:
                    expr_pairs.append((where, text, new))
            else:
                path = tmp_path / f"{rule.code}-{k}.config"
                path.write_text(ex.text)
                new = _safe_fixed(ex.text, lint_files([path], settings=ALL))
                if new != ex.text:
                    pairs.append((where, ex.text, new))
    assert pairs or expr_pairs  # some rule offers safe fixes: the promise is exercised
    broken = [w for w, old, new in expr_pairs if not _same_meaning(old, new)]
    files = []
    for i, (_, old, new) in enumerate(pairs):
        for tag, text in (("old", old), ("new", new)):
            p = tmp_path / f"pair{i}-{tag}.config"
            p.write_text(text)
            files.append(p)
    tables = _condor_tables(files)
    for i, (where, _, _) in enumerate(pairs):
        before, after = tables[2 * i], tables[2 * i + 1]
        for knob in set(before) | set(after):
            if before.get(knob) != after.get(knob) and not _same_meaning(
                str(before.get(knob) or ""), str(after.get(knob) or "")
            ):
                broken.append(f"{where}: {knob} {before.get(knob)!r} -> {after.get(knob)!r}")
    assert not broken


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expressions(), context=st.sampled_from(["START", "RANK", "PREEMPT", None]))
def test_safe_fixes_of_generated_expressions_keep_their_value(
    expr: str, context: str | None
) -> None:
    diags = lint_expression(expr, context, settings=ALL)
    new = _safe_fixed(expr, diags)
    if new != expr:
        assert _same_meaning(expr, new), (expr, new)
