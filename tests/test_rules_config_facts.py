"""The HTCondor behaviour CA109-CA112 rest on, asked of HTCondor's own config reader
(``htcondor2``, in a child process: config loading is per process), and the readers
CA111/CA112 use (:mod:`classadlint.config.typed_values`) compared with it value by value."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from classadlint.config.typed_values import read_bool, read_number
from classadlint.lint.engine import lint_files

_CHILD = r"""
import json, os, sys
os.environ["CONDOR_CONFIG"] = "/dev/null"
import htcondor2
out = []
for path, names in json.load(sys.stdin):
    os.environ["CONDOR_CONFIG"] = path
    htcondor2.reload_config()
    row = {}
    for n in names:
        try:
            row[n] = htcondor2.param[n]
        except KeyError:
            row[n] = None
    out.append(row)
json.dump(out, sys.stdout)
"""


def condor_params(tmp_path: Path, configs: list[tuple[str, list[str]]]) -> list[dict[str, object]]:
    """For each (config text, knob names): what htcondor2.param gives (typed), in one child."""
    jobs = []
    for i, (text, names) in enumerate(configs):
        p = tmp_path / f"c{i}.config"
        p.write_text(text)
        jobs.append((str(p), names))
    env = {**os.environ, "CONDOR_CONFIG": "/dev/null"}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    result: list[dict[str, object]] = json.loads(proc.stdout)
    return result


def codes(tmp_path: Path, text: str, name: str = "x.config") -> list[tuple[str, int]]:
    p = tmp_path / name
    p.write_text(text)
    return [(d.code, d.line) for d in lint_files([p])]


def test_ca109_conditions_see_only_earlier_definitions(tmp_path: Path) -> None:
    later = "if $(ENABLE_GPU)\nX = 1\nendif\nENABLE_GPU = true\n"
    earlier = "ENABLE_GPU = true\nif $(ENABLE_GPU)\nX = 1\nendif\n"
    spool = "if defined SPOOL\nX = 1\nendif\n"
    emptied = "SPOOL =\nif defined SPOOL\nX = 1\nendif\n"
    got = condor_params(tmp_path, [(t, ["X"]) for t in (later, earlier, spool, emptied)])
    assert [g["X"] for g in got] == [None, "1", "1", None]
    assert ("CA109", 1) in codes(tmp_path, later)
    assert "CA109" not in [c for c, _ in codes(tmp_path, earlier)]
    assert ("CA109", 1) in codes(tmp_path, spool)
    assert "CA109" not in [c for c, _ in codes(tmp_path, emptied, "e.config")]


def test_ca109_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.config").write_text("if defined SITE_GPU\nX = 1\nendif\n")
    (tmp_path / "b.config").write_text("SITE_GPU = true\n")
    found = lint_files([tmp_path / "a.config", tmp_path / "b.config"])
    hit = [d for d in found if d.code == "CA109"]
    assert len(hit) == 1 and "b.config:1" in hit[0].message
    assert hit[0].related and hit[0].related[0].location.file.endswith("b.config")


def test_ca110_forms_are_kept_verbatim_by_htcondor(tmp_path: Path) -> None:
    cases = {
        "Y = 2\nX = $( Y )\n": "$( Y )",
        "X = $(JobStatus != 3)\n": "$(JobStatus != 3)",
        "Y = 2\nX = $int(Y)\n": "$int(Y)",
        'X = $EVAL(strcat("a","b"))\n': ")",
    }
    got = condor_params(tmp_path, [(t, ["X"]) for t in cases])
    assert [g["X"] for g in got] == list(cases.values())
    for i, text in enumerate(cases):
        assert "CA110" in [c for c, _ in codes(tmp_path, text, f"f{i}.config")], text
    # the correct forms expand, and CA110 is quiet on them
    good = "Y = 2\nX = $(Y) $INT(Y) $(Z:a b) $$(Memory)\n"
    assert condor_params(tmp_path, [(good, ["X"])])[0]["X"] == "2 2 a b $$(Memory)"
    assert "CA110" not in [c for c, _ in codes(tmp_path, good, "g.config")]


NUMBERS = [
    "5", " 7 ", "-5", "+5", "010", "08", "1.9", "-1.9", "07.5", "1e3", "1.5e1", ".5", "0.0",
    "true", "TRUE", "false", "3 > 2", "2 * 3", "x ?: 4", 'int("5")', "ifThenElse(true, 3, 4)",
    "!0", "~1", "5 && 3", "--5",
    "2G", "1K", "512M", "1.", "2.", "0x10", "1_0", "7 # c", "7;", "abc", "undefined", "error",
    '"5"', "5 + x", "{1}", "[a=1]", "1/0", 'strcat("1")', "yes", "no", "on", "off", "T", "f",
]  # fmt: skip


def test_numeric_and_boolean_readers_match_htcondor(tmp_path: Path) -> None:
    """Two knobs of each type with different defaults: a value HTCondor cannot read gives
    each its own default; a value it reads gives both the same."""
    knobs = [
        "NEGOTIATOR_INTERVAL",
        "NEGOTIATOR_TIMEOUT",
        "ENABLE_SSH_TO_JOB",
        "ENABLE_RUNTIME_CONFIG",
    ]
    configs = [("".join(f"{k} = {v}\n" for k in knobs), knobs) for v in NUMBERS]
    got = condor_params(tmp_path, configs)
    assert got[0]["NEGOTIATOR_INTERVAL"] == 5
    wrong = []
    for v, g in zip(NUMBERS, got, strict=True):
        n1, n2 = g["NEGOTIATOR_INTERVAL"], g["NEGOTIATOR_TIMEOUT"]
        ours = read_number(v, "int")
        if (ours is None) != (n1 != n2) or (ours is not None and int(ours) != n1):
            wrong.append(("number", v, ours, n1, n2))
        for knob, default in (("ENABLE_SSH_TO_JOB", True), ("ENABLE_RUNTIME_CONFIG", False)):
            used, _ = read_bool(v, default)
            if used != g[knob]:
                wrong.append(("bool", v, knob, used, g[knob]))
        b1, b2 = g["ENABLE_SSH_TO_JOB"], g["ENABLE_RUNTIME_CONFIG"]
        valid = read_bool(v, True)[1]
        if b1 != b2 and valid:  # the defaults showed through: HTCondor did not read it
            wrong.append(("bool valid", v))
    assert not wrong


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NEGOTIATOR_INTERVAL = 2G\n", "CA111"),
        ("NEGOTIATOR_INTERVAL = 010\n", None),
        ("GROUP_QUOTA_ROUND_ROBIN_RATE = 1.\n", None),  # a double knob: strtod reads `1.`
        ("SIZE = 1.\nNEGOTIATOR_INTERVAL = $(SIZE)\n", "CA111"),
        ("ENABLE_SSH_TO_JOB = no\n", "CA112"),
        ("ENABLE_SSH_TO_JOB = 010\n", "CA112"),
        ("ENABLE_SSH_TO_JOB = 0\n", None),
        ("ENABLE_SSH_TO_JOB = 2 > 1\n", None),
        ("START = Memory > 010\n", "CA111"),
    ],
)
def test_ca111_ca112_fire_exactly_where_htcondor_does_not_read(
    tmp_path: Path, text: str, code: str | None
) -> None:
    found = [c for c, _ in codes(tmp_path, text)]
    if code is None:
        assert "CA111" not in found and "CA112" not in found, found
    else:
        assert code in found and "CA103" not in found, found
