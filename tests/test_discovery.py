"""Which files ``classadlint check DIR`` reads: HTCondor's own LOCAL_CONFIG_DIR choice
(asked of htcondor2) minus what is plainly not configuration in a policy repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from classadlint.discovery import config_files, is_config_name

NAMES = {
    "00-base": True,
    "10-site.conf": True,
    "20-policy.config": True,
    "30-old~": False,
    "#40-edit#": False,
    ".50-hidden": False,
    "60-x.rpmsave": False,
    "61-x.rpmnew": False,
    "62-x.dpkg-old": False,
    "70-hook.sh": False,
    "71-hook.py": False,
    "72-hook.pl": False,
    "80-local.local": True,
}


def test_config_dir_files_are_the_ones_htcondor_reads(tmp_path: Path) -> None:
    confd = tmp_path / "config.d"
    confd.mkdir()
    for i, name in enumerate(NAMES):
        (confd / name).write_text(f"KNOB_{i} = {i}\n")
    root = tmp_path / "condor_config"
    root.write_text(f"LOCAL_CONFIG_DIR = {confd}\n")
    child = (
        "import os, json; os.environ['CONDOR_CONFIG'] = os.environ['ROOT'];"
        "import htcondor2;"
        f"print(json.dumps([htcondor2.param.get('KNOB_{{}}'.format(i)) for i in range({len(NAMES)})]))"
    )
    env = {**os.environ, "ROOT": str(root)}
    proc = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=120
    )
    read_by_condor = [v is not None for v in json.loads(proc.stdout)]
    assert read_by_condor == list(NAMES.values())
    assert [is_config_name(n) for n in NAMES] == read_by_condor
    ours = config_files([confd])
    assert [p.name for p in ours] == [n for n, read in NAMES.items() if read]


def test_repository_files_that_are_not_config_are_skipped(tmp_path: Path) -> None:
    for rel in [
        "README.md", "pyproject.toml", ".classadlint.toml", "policy/10-start.config",
        "policy/job.ad", "policy/test.sub", "templates/condor.erb", ".git/config",
        "node_modules/x/y.conf", "config.d/99-site", "docs/notes.txt", "ci.yml",
        "policy/20-b.config.expected",
    ]:  # fmt: skip
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("X = 1\n")
    found = [p.relative_to(tmp_path).as_posix() for p in config_files([tmp_path])]
    assert found == ["config.d/99-site", "policy/10-start.config"]
    # a file named on the command line is checked whatever its name
    assert config_files([tmp_path / "policy" / "job.ad"]) == [tmp_path / "policy" / "job.ad"]


def test_list_knobs_are_not_linted_as_expressions_and_named_periodic_knobs_are(
    tmp_path: Path,
) -> None:
    from classadlint.lint.engine import lint_files

    p = tmp_path / "schedd.config"
    p.write_text(
        "SUBMIT_REQUIREMENT_NAMES = Cpus Memory\n"
        "SUBMIT_REQUIREMENT_Cpus = RequestCpus <= 64\n"
        "SUBMIT_REQUIREMENT_Memory = RequestMemory <= 512000\n"
        "SYSTEM_PERIODIC_HOLD_NAMES = Mem\n"
        "SYSTEM_PERIODIC_HOLD_Mem = MemoryUsage == undefined\n"
    )
    found = [(d.code, d.line) for d in lint_files([p])]
    assert ("CA103", 1) not in found and ("CA103", 4) not in found
    assert ("CA201", 5) in found  # the named periodic expression is checked
