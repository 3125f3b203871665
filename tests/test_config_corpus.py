"""Our macro table agrees with HTCondor's on every knob of the real corpus.

For every config file HTCondor 25.14 loads (MANIFEST.tsv), HTCondor's own value of every
knob the file sets (read in a child process, see tests/condor_values.py) must equal our
expanded value. htcondor2 hands typed knobs back as int/bool/float: those are compared
after the same conversion. For the files HTCondor rejects, we report an error on the line
HTCondor names.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from classadlint.config.model import build_model, default_values
from classadlint.schema import knobs as knob_catalog
from tests.condor_values import knob_values, machine_facts, same_value


def _symbolic(value: str) -> bool:
    computed = [k.name for k in knob_catalog.iter_knobs() if k.computed and not k.runtime_default]
    return any(f"$({k})" in value for k in computed)


def test_every_knob_of_every_accepted_file_matches_htcondor(shared_dir: Path) -> None:
    values = knob_values(shared_dir)
    machine = machine_facts(shared_dir)
    mismatches = []
    compared = symbolic = 0
    for path, knobs in values.items():
        model = build_model([Path(path)], machine=machine)
        for name, theirs in knobs.items():
            compared += 1
            ours = model.value(name)
            if ours is not None and ("$RANDOM_" in ours or _symbolic(ours)):
                symbolic += 1  # a run-time value (random, computed default): not comparable
                continue
            if not same_value(ours, theirs, default_values().get(name.lower())):
                mismatches.append(f"{Path(path).name}: {name}: ours {ours!r} theirs {theirs!r}")
    assert compared > 1500 and symbolic < 20, (compared, symbolic)
    assert not mismatches, f"{len(mismatches)} of {compared}:\n" + "\n".join(mismatches[:30])


def test_rejected_files_get_an_error_on_htcondors_line(shared_dir: Path) -> None:
    root = shared_dir / "realcorpus"
    with (root / "MANIFEST.tsv").open(newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t")
                if r["kind"] == "config" and r["htcondor_accepts"] == "no"]  # fmt: skip
    assert rows
    machine = machine_facts(shared_dir)
    for row in rows:
        model = build_model([root / row["local_file"]], root=root, machine=machine)
        m = re.search(r"Line (\d+)", row["error"])
        lines = {e.line for _f, e in model.errors} | {line for _f, line, _m in model.notes}
        if m is not None and "include" not in row["error"].lower():
            assert int(m.group(1)) in lines, (row["local_file"], row["error"], lines)
        else:  # includes HTCondor hanging (TIMEOUT): a `use` whose arguments never stop
            assert lines, (row["local_file"], row["error"])
