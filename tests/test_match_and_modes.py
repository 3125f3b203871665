"""Matchmaking against classad2's symmetric match, and the strict mode of the bare library."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from classadlint.classad import ParseOptions, evaluate, parse_ad_text
from classadlint.classad.functions import FUNCTIONS
from classadlint.classad.match import match
from tests.oracle import classad2

JOB = """[ Requirements = TARGET.Memory >= RequestMemory && TARGET.Arch == "X86_64";
  RequestMemory = 2048; Rank = TARGET.Memory; Owner = "alice" ]"""
SLOTS = [
    '[ Requirements = TARGET.Owner != "bob"; Memory = 4096; Arch = "X86_64"; Rank = 1 ]',
    '[ Requirements = TARGET.Owner != "alice"; Memory = 4096; Arch = "X86_64" ]',
    '[ Requirements = true; Memory = 1024; Arch = "X86_64" ]',
    '[ Requirements = Undefined; Memory = 8192; Arch = "X86_64" ]',
    '[ Memory = 8192; Arch = "X86_64" ]',
]


def _their_side(requirements_of: str, me: str, other: str) -> bool:
    mine = classad2.parseOne(me, classad2.ParserType.New)
    theirs = classad2.parseOne(other, classad2.ParserType.New)
    value = mine.get("Requirements")
    if value is None:
        return False
    if isinstance(value, classad2.ExprTree):
        value = value.eval(mine, theirs)
    return value is True or (type(value) in (int, float) and value != 0)


@pytest.mark.parametrize("slot", SLOTS)
def test_match_agrees_with_classad2(slot: str) -> None:
    result = match(parse_ad_text(JOB), parse_ad_text(slot))
    assert result.left_accepts == _their_side("job", JOB, slot)
    assert result.right_accepts == _their_side("slot", slot, JOB)


def test_rank_of_a_non_number_is_zero() -> None:
    result = match(parse_ad_text(JOB), parse_ad_text(SLOTS[0]))
    assert result.left_rank == 4096.0 and result.right_rank == 1.0
    odd = parse_ad_text('[ Rank = "high"; Requirements = true ]')
    assert match(odd, parse_ad_text(SLOTS[2])).left_rank == 0.0


_BARE = r"""
import json, sys
import classad2
out = {}
for name in json.load(sys.stdin):
    try:
        v = classad2.ExprTree(f'isError({name}("a", "b"))').eval()
        out[name] = bool(v)
    except Exception:
        out[name] = None
json.dump(out, sys.stdout)
"""


def test_htcondor_layer_functions_exist_only_in_daemon_mode() -> None:
    """Bare classad2 (no htcondor2 import, a fresh process) lacks the HTCondor layer."""
    htcondor_layer = sorted(f.name for f in FUNCTIONS.values() if f.layer == "htcondor")
    env = {k: v for k, v in os.environ.items() if k != "CONDOR_CONFIG"}
    proc = subprocess.run(
        [sys.executable, "-c", _BARE], input=json.dumps(htcondor_layer), capture_output=True,
        text=True, env=env, timeout=60, check=True,
    )  # fmt: skip
    bare = json.loads(proc.stdout)
    strict = ParseOptions(semantics="strict")
    for name in htcondor_layer:
        text = f'isError({name}("a", "b"))'
        assert bare[name] is True, name  # unknown there: calling it gives ERROR
        assert evaluate(text, options=strict) is True, name
    # and in daemon mode a two-argument call of, e.g., stringListMember is not an error
    assert evaluate('isError(stringListMember("a", "b"))') is False
