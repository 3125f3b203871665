"""``classadlint impact`` (what a policy change does: witnesses confirmed by classad2,
proofs of no change, git revisions) and ``classadlint analyze`` (offline better-analyze:
clause counts, the config line of each START clause, the verdict per slot)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]

OLD = """\
START = TARGET.RequestMemory <= Memory && MY.StartJobs =?= true
SUBMIT_REQUIREMENT_NAMES = Mem
SUBMIT_REQUIREMENT_Mem = JOB.RequestMemory <= 65536
PREEMPT = false
JOB_TRANSFORM_NAMES = Group
JOB_TRANSFORM_Group @=end
EVALSET AcctGroup ifThenElse(RequestGPUs > 0, "gpu", "cpu")
@end
"""

NEW = """\
START = (TARGET.RequestMemory <= Memory) && MY.StartJobs =?= true && TARGET.RequestCpus <= Cpus
SUBMIT_REQUIREMENT_NAMES = Mem
SUBMIT_REQUIREMENT_Mem = (JOB.RequestMemory <= 65536)
PREEMPT = false
JOB_TRANSFORM_NAMES = Group
JOB_TRANSFORM_Group @=end
EVALSET AcctGroup ifThenElse((RequestGPUs ?: 0) > 0, "gpu", "cpu")
@end
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def _versions(tmp: Path) -> tuple[Path, Path]:
    for name, text in (("old", OLD), ("new", NEW)):
        (tmp / name).mkdir()
        (tmp / name / "50-policy.config").write_text(text)
    return tmp / "old", tmp / "new"


def _ad(text: str) -> object:
    return classad2.ClassAd(text)


def test_impact_finds_each_change_with_a_pair_classad2_confirms(tmp_path: Path) -> None:
    old, new = _versions(tmp_path)
    proc = run("impact", str(old), str(new), "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = {d["item"]: d for d in json.loads(proc.stdout)}
    # a reformatted knob is proved to behave the same
    assert found["SUBMIT_REQUIREMENT_Mem"]["status"] == "unchanged"
    assert "proved" in found["SUBMIT_REQUIREMENT_Mem"]["note"]
    assert "PREEMPT" not in found  # the same text: not even asked
    # START: the new RequestCpus clause turns some pair away
    start = found["START"]
    assert start["status"] == "changed"
    m = re.fullmatch(r"slot (\[.*?\]), job (\[.*?\])", start["witness"])
    assert m is not None, start["witness"]
    slot, job = _ad(m.group(1)), _ad(m.group(2))
    olds = classad2.ExprTree("TARGET.RequestMemory <= Memory && MY.StartJobs =?= true")
    news = classad2.ExprTree(
        "(TARGET.RequestMemory <= Memory) && MY.StartJobs =?= true && TARGET.RequestCpus <= Cpus"
    )
    assert (olds.eval(slot, job) is True) != (news.eval(slot, job) is True)
    # the transform: a job without RequestGPUs gets a group now
    group = found["AcctGroup"]
    assert group["status"] == "changed" and group["values"] == ["UNDEFINED", '"cpu"']
    text = run("impact", str(old), str(new), cwd=tmp_path).stdout
    assert "START: changed" in text and "AcctGroup (after the job transforms): changed" in text


def test_impact_of_no_change_exits_0(tmp_path: Path) -> None:
    old, _ = _versions(tmp_path)
    proc = run("impact", str(old), str(old), cwd=tmp_path)
    assert proc.returncode == 0 and "No policy knob or transform result differs." in proc.stdout


def test_impact_between_git_revisions(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    (repo / "config.d").mkdir(parents=True)
    (repo / "config.d" / "50-policy.config").write_text(OLD)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "old"], cwd=repo, check=True)
    (repo / "config.d" / "50-policy.config").write_text(NEW)
    proc = run("impact", "HEAD:config.d", "config.d", cwd=repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "START: changed" in proc.stdout
    bad = run("impact", "nosuchrev:config.d", "config.d", cwd=repo)
    assert bad.returncode == 2 and "not a git revision" in bad.stderr
    assert "Traceback" not in bad.stderr


JOB = """\
Owner = "bob"
RequestCpus = 2
RequestMemory = 4096
RequestRuntime = 10800
Requirements = TARGET.Memory >= RequestMemory && TARGET.Cpus >= RequestCpus
"""

SLOTS = """\
Name = "slot1@a"
Cpus = 8
Memory = 16000
StartJobs = true
InStageDrain = false
ShutdownTime = 0
GroupsDown = ""
GroupsDisabled = ""

Name = "slot1@b"
Cpus = 1
Memory = 16000
StartJobs = true
InStageDrain = true
ShutdownTime = 1700005000
GroupsDown = ""
GroupsDisabled = ""
"""


def test_analyze_counts_clauses_and_points_at_the_config(tmp_path: Path) -> None:
    (tmp_path / "job.ad").write_text(JOB)
    (tmp_path / "slots.ad").write_text(SLOTS)
    proc = run(
        "analyze", str(REPO / "corpus" / "desy"), "--job", "job.ad", "--slots", "slots.ad",
        "--transform", "--time", "1700000000", cwd=tmp_path,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert re.search(r"\[1\]\s+1 of 2\s+TARGET\.Cpus >= RequestCpus", out)
    assert "30-startd-node-control.config:" in out  # START's clauses where they were written
    assert re.search(r"MY\.StartJobs =\?= true\s+at .*30-startd-node-control\.config:\d+:\d+", out)
    assert "slot1@a: matches" in out
    assert (
        "slot1@b: does not match: the job's Requirements is false (step 1); START is false" in out
    )
    assert "1 of 2 slots match the job." in out
    data = json.loads(
        run(
            "analyze",
            str(REPO / "corpus" / "desy"),
            "--job",
            "job.ad",
            "--slots",
            "slots.ad",
            "--format",
            "json",
            "--time",
            "1700000000",
            cwd=tmp_path,
        ).stdout
    )
    assert data["matched"] == [True, False]


def test_analyze_without_slots_uses_a_synthetic_one_and_no_match_exits_1(tmp_path: Path) -> None:
    (tmp_path / "p.config").write_text("START = TARGET.RequestCpus <= 4\n")
    (tmp_path / "job.ad").write_text("RequestCpus = 16\nRequirements = true\n")
    proc = run("analyze", "p.config", "--job", "job.ad", cwd=tmp_path)
    assert proc.returncode == 1
    assert "does not match: START is false (step 0)" in proc.stdout
    assert "p.config:1:9" in proc.stdout
    missing = run("analyze", "p.config", "--job", "nope.ad", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
