"""Every ``use CATEGORY : Template`` of HTCondor's catalog gives HTCondor's values.

One config file per template (those that need no arguments); HTCondor reports every knob
the template body assigns (nested ``use`` and ``if`` included); templates HTCondor refuses
alone must get an error or note from us too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from classadlint.config.model import build_model, default_values
from classadlint.schema import metaknobs as metaknob_catalog
from tests.condor_values import machine_facts, same_value

_CHILD = r"""
import json, sys
import htcondor2
print(json.dumps({n: htcondor2.param.get(n) for n in json.load(sys.stdin)}))
"""


def _htcondor(path: str, names: list[str]) -> dict[str, object] | str:
    """HTCondor's values, or its error text when it refuses the file (a fresh child per
    file: a fatal config error ends the process)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, CONDOR_CONFIG=path),
    )
    return json.loads(proc.stdout) if proc.returncode == 0 else proc.stderr


def test_every_metaknob_matches_htcondor(tmp_path: Path, shared_dir: Path) -> None:
    jobs = []
    for category in metaknob_catalog.categories():
        for meta in metaknob_catalog.templates(category):
            template, body = meta.name, meta.body
            if re.search(r"^\s*error\b", body, re.M | re.I):
                continue  # needs arguments; HTCondor aborts without them
            names = sorted(
                set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*[+]?[,;|&*]*=", body, re.M))
            )
            path = tmp_path / f"{category}.{template}.config"
            path.write_text(f"use {category} : {template}\n")
            jobs.append((str(path), names))
    assert len(jobs) > 50
    with ThreadPoolExecutor(4) as pool:
        theirs = list(pool.map(lambda job: _htcondor(*job), jobs))
    machine = machine_facts(shared_dir)
    mismatches = []
    compared = 0
    refused = 0
    for (path, names), values in zip(jobs, theirs, strict=True):
        model = build_model([Path(path)], machine=machine)
        if isinstance(values, str):
            refused += 1
            if "Internal Configuration Error" in values:
                continue  # a defect of HTCondor's own template table (HADReplication), not ours
            assert model.errors or model.notes, f"HTCondor refuses {Path(path).name}: {values}"
            continue
        for name in names:
            want = values[name]
            got = model.value(name)
            if got is not None and "$RANDOM_" in got:
                continue  # a random choice HTCondor makes at load time
            compared += 1
            if not same_value(got, want, default_values().get(name.lower())):
                mismatches.append(f"{Path(path).name}: {name}: ours {got!r} theirs {want!r}")
    assert compared > 200
    assert not mismatches, f"{len(mismatches)} of {compared}:\n" + "\n".join(mismatches[:20])
