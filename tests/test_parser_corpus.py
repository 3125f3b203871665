"""Every knob value of the real corpus: our parser agrees with classad2 on each one.

The values are HTCondor's own expansion of each file (see tests/condor_values.py). Not
every value is meant as an expression, which makes the test stronger: on every string,
expression or not, accept/reject and the resulting tree must agree with classad2.
"""

from __future__ import annotations

from pathlib import Path

import classad2

from classadlint.classad import ClassAdSyntaxError, parse
from classadlint.classad.unparse import unparse
from tests.condor_values import knob_values
from tests.oracle import classad2_accepts, classad2_unparse


def test_every_corpus_knob_value_parses_as_classad2_parses(shared_dir: Path) -> None:
    values = knob_values(shared_dir)
    assert len(values) >= 100
    checked = accepted = 0
    problems = []
    for path, knobs in values.items():
        for name, value in knobs.items():
            if not isinstance(value, str):
                continue  # unset, or a typed knob htcondor2 hands back as int/bool/float
            checked += 1
            wrapped = "(" + value + "\n)"
            expected = classad2_accepts(value)
            try:
                tree = parse(wrapped)
                ok = True
            except ClassAdSyntaxError:
                ok = False
            if ok != expected:
                problems.append(f"{path}: {name} = {value!r}: classad2 {expected}, we {ok}")
                continue
            if ok:
                accepted += 1
                if str(classad2.ExprTree(unparse(tree))) != classad2_unparse(value):
                    problems.append(f"{path}: {name}: different tree for {value!r}")
    assert not problems, "\n".join(problems[:20])
    assert checked > 1000 and accepted > 500, (checked, accepted)
