"""``classadlint eval`` run as a user runs it: the installed console script, a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_bundled_example_agrees_with_htcondor() -> None:
    proc = run("eval", "--file", "examples/desy-start.classad", "--my", "examples/slot.ad",
               "--target", "examples/job.ad")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    slot = classad2.parseOne((EXAMPLES / "slot.ad").read_text(), classad2.ParserType.Old)
    job = classad2.parseOne((EXAMPLES / "job.ad").read_text(), classad2.ParserType.New)
    expected = classad2.ExprTree((EXAMPLES / "desy-start.classad").read_text()).eval(slot, job)
    assert proc.stdout.strip() == str(expected).lower()


def test_json_output() -> None:
    proc = run("eval", "--format", "json", '{1, x, "a", 2.5, 1/0}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "type": "list",
        "value": [
            {"type": "integer", "value": 1},
            {"type": "undefined", "value": None},
            {"type": "string", "value": "a"},
            {"type": "real", "value": 2.5},
            {"type": "error", "value": None},
        ],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["RequestGPU !== undefined"], "<expression>:1:12: `!==` is not a ClassAd operator"),
        (["A", "--my", "BAD"], "BAD:2:8: B: unexpected end of input"),
        (["A", "--my", "missing.ad"], "missing.ad: cannot read"),
        (["A", "--format", "xml"], "--format must be text or json"),
        ([], "give the expression as an argument or with --file"),
    ],
)
def test_bad_input_gets_a_located_message_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "BAD").write_text("A = 1\nB = 2 +\n")
    proc = run("eval", *args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_binary_ad_file(tmp_path: Path) -> None:
    (tmp_path / "bin.ad").write_bytes(b"A = 1\0\n")
    proc = run("eval", "A", "--my", "bin.ad", cwd=tmp_path)
    assert proc.returncode == 2 and "bin.ad:1:1: binary file" in proc.stderr


def test_strict_mode_changes_what_parses() -> None:
    assert run("eval", "010").returncode == 2
    strict = run("eval", "--strict", "010")
    assert strict.returncode == 0 and strict.stdout.strip() == "10"
