"""``classadlint test``: the user guide's example runs as documented, failures show the
expected/got pair and exit 1, known defects are expected failures until fixed, bad test
files exit 2 without a traceback, properties are proved or refuted with witnesses that
classad2 confirms (with the test's user maps loaded), JUnit is well-formed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "policy-tests.md").read_text(encoding="utf-8")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def guide_site(tmp: Path, policy: str | None = None, tests: str | None = None) -> Path:
    """The guide's first example: tests/accounting.toml and config.d/50-policy.config."""
    toml = re.findall(r"```toml\n(.*?)```", GUIDE, re.S)[0]
    conf = re.findall(r"```condor-config\n(.*?)```", GUIDE, re.S)[0]
    (tmp / "tests").mkdir()
    (tmp / "config.d").mkdir()
    (tmp / "tests" / "accounting.toml").write_text(tests if tests is not None else toml)
    (tmp / "config.d" / "50-policy.config").write_text(policy if policy is not None else conf)
    return tmp


def test_the_guides_example_passes_as_shown(tmp_path: Path) -> None:
    site = guide_site(tmp_path)
    proc = run("test", "tests/accounting.toml", cwd=site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = re.findall(r"```text\n(tests/accounting\.toml\n.*?)```", GUIDE, re.S)[0]
    assert proc.stdout == shown
    assert run("test", cwd=site).stdout == shown  # found from the current directory
    assert run("check", "config.d", cwd=site).returncode == 0  # the example is clean


def test_a_failing_expectation_shows_expected_and_got(tmp_path: Path) -> None:
    broken = re.findall(r"```condor-config\n(.*?)```", GUIDE, re.S)[0].replace(
        '&& Owner != "alice"', '&& Owner == "alice"'
    )
    site = guide_site(tmp_path, policy=broken)
    proc = run("test", "tests", cwd=site)
    assert proc.returncode == 1
    block = re.findall(r"```text\n(  FAIL .*?)```", GUIDE, re.S)[0]
    assert block in proc.stdout
    assert "property: every job gets an accounting group" in proc.stdout
    junit = ET.fromstring(run("test", "--format", "junit", "tests", cwd=site).stdout)
    failures = junit.findall(".//testcase/failure")
    assert failures and 'job.AcctGroup: expected "noop", got "physics"' in (failures[0].text or "")


def test_known_defects_are_expected_failures_until_fixed(tmp_path: Path) -> None:
    toml = re.findall(r"```toml\n(.*?)```", GUIDE, re.S)[0]
    marked = toml.replace(
        'name = "a GPU job of an unauthorised user gets no GPU group"',
        'name = "a GPU job of an unauthorised user gets no GPU group"\ndefect = "bob is let through"',
    )
    broken = re.findall(r"```condor-config\n(.*?)```", GUIDE, re.S)[0].replace(
        '&& Owner != "alice"', '&& Owner == "alice"'
    )
    site = guide_site(tmp_path, policy=broken, tests=marked)
    proc = run("test", cwd=site)
    assert proc.returncode == 0, proc.stdout
    assert (
        "XFAIL a GPU job of an unauthorised user gets no GPU group  (bob is let through)"
        in proc.stdout
    )
    junit = ET.fromstring(run("test", "--format", "junit", cwd=site).stdout)
    assert junit.find(".//testcase/skipped") is not None
    # the defect fixed: the marked case now passes, which fails the run
    (site / "config.d" / "50-policy.config").write_text(
        re.findall(r"```condor-config\n(.*?)```", GUIDE, re.S)[0]
    )
    fixed = run("test", cwd=site)
    assert fixed.returncode == 1
    assert "XPASS" in fixed.stdout and "remove `defect`" in fixed.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'config = ["../nowhere"]\n[[case]]\nname = "x"\n[case.expect]\nstart = true\n',
            "does not exist",
        ),
        (
            'config = ["../config.d"]\n[[case]]\nname = "x"\nrun = "rm"\n[case.expect]\nstart = true\n',
            "unknown key `run`",
        ),
        ('config = ["../config.d"]\n[[case]]\nname = "x"\n', "needs an [case.expect]"),
        (
            'config = ["../config.d"]\n[[case]]\nname = "x"\njob = "[ a = ]"\n[case.expect]\nstart = true\n',
            "not a ClassAd",
        ),
        (
            'config = ["../config.d"]\n[[case]]\nname = "x"\n[case.expect]\nsubmit = "maybe"\n',
            "expect.submit",
        ),
        ('config = ["../config.d"]\n[[property]]\nname = "p"\nknob = "START"\n', "exactly one of"),
        ('config = ["../config.d"]\n[[case]\n', "not valid TOML"),
    ],
)
def test_bad_test_files_exit_2_with_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    site = guide_site(tmp_path, tests=text)
    proc = run("test", "tests/accounting.toml", cwd=site)
    assert proc.returncode == 2, proc.stdout
    assert message in proc.stderr and "accounting.toml" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_test_files_and_bad_format_are_usage_errors(tmp_path: Path) -> None:
    assert run("test", cwd=tmp_path).returncode == 2
    site = guide_site(tmp_path)
    bad = run("test", "--format", "xml", cwd=site)
    assert bad.returncode == 2 and "--format" in bad.stderr


POLICY = """\
StartJobs = True
STARTD_ATTRS = StartJobs
START = MY.StartJobs && (TARGET.RequestMemory <= Memory || TARGET.NiceUser == true)
RANK = TARGET.RequestCpus
SUBMIT_REQUIREMENT_NAMES = Memory Gpu
SUBMIT_REQUIREMENT_Memory = JOB.RequestMemory <= 65536
SUBMIT_REQUIREMENT_Memory_REASON = strcat("at most 64 GB, not ", JOB.RequestMemory)
SUBMIT_REQUIREMENT_Gpu = JOB.RequestGPUs <= 4
SYSTEM_PERIODIC_HOLD = JobStatus == 2 && MemoryUsage > 2 * RequestMemory
SCHEDD_CLASSAD_USER_MAP_NAMES = Groups
CLASSAD_USER_MAPDATA_Groups @=end
* alice physics
* bob chemistry
@end
JOB_TRANSFORM_NAMES = Group Big
JOB_TRANSFORM_Group @=end
EVALSET AcctGroup userMap("Groups", Owner)
@end
JOB_TRANSFORM_Big @=end
REQUIREMENTS RequestMemory > 32768
SET WantBigNode true
@end
"""

CASES = """\
config = ["../config.d"]

[maps]
Groups = "* carol biology"

[[case]]
name = "big job of carol"
job = { Owner = "carol", RequestMemory = 40000, RequestCpus = 4, RequestGPUs = 0 }
[case.expect]
transforms = ["Group", "Big"]
job = { AcctGroup = "biology", WantBigNode = true }
start = false
match = false
rank = 4
submit = "accepted"
knobs = { SYSTEM_PERIODIC_HOLD = false }

[[case]]
name = "too much memory is rejected with the reason"
job = { RequestMemory = 70000, RequestGPUs = 0 }
[case.expect]
submit = "rejected"
reason = "at most 64 GB, not 70000"

[[case]]
name = "no RequestGPUs: the Gpu requirement is UNDEFINED"
job = { Owner = "alice" }
[case.expect]
job = { AcctGroup = "physics" }
undefined = ["WantBigNode"]
submit = "rejected"
reason = "Gpu evaluated to non-boolean"
start = true
match = true

[[case]]
name = "a held-looking running job"
job = '[ JobStatus = 2; MemoryUsage = 5000; RequestMemory = 2048 ]'
[case.expect]
knobs = { SYSTEM_PERIODIC_HOLD = true }
"""


def test_every_kind_of_expectation(tmp_path: Path) -> None:
    site = guide_site(tmp_path, policy=POLICY, tests=CASES)
    proc = run("test", "-v", cwd=site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 tests: 5 passed" in proc.stdout
    assert "ok submit reason" in proc.stdout


PROPERTIES = """\
config = ["../config.d"]

[[property]]
name = "START honours StartJobs"
knob = "START"
implies = 'MY.StartJobs =?= true'

[[property]]
name = "START is never UNDEFINED"
knob = "START"
never = "undefined"

[[property]]
name = "small jobs are accepted"
knob = "SUBMIT_REQUIREMENT_Memory"
when = 'JOB.RequestMemory <= 8192'
is = "true"

[[property]]
name = "every job gets a group"
transforms = "job"
expect = 'AcctGroup =!= undefined'
"""


def test_properties_proved_refuted_and_searched(tmp_path: Path) -> None:
    site = guide_site(tmp_path, policy=POLICY, tests=PROPERTIES)
    proc = run("test", cwd=site)
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "PASS  property: START honours StartJobs  (proved for every valid ad pair)" in out
    assert "PASS  property: small jobs are accepted  (proved for every valid ad pair)" in out
    # NiceUser absent and RequestMemory > Memory: UNDEFINED, refuted by the engine
    m = re.search(r"START is UNDEFINED for slot (\[.*?\]), job (\[.*?\])", out)
    assert m is not None, out
    slot = classad2.ClassAd(m.group(1))
    job = classad2.ClassAd(m.group(2))
    start = classad2.ExprTree(
        "MY.StartJobs && (TARGET.RequestMemory <= Memory || TARGET.NiceUser == true)"
    )
    assert start.eval(slot, job) == classad2.Value.Undefined
    # userMap with the configuration's map: hypothesis finds an owner the map lacks
    m = re.search(r"every job gets a group .*?for job (\[.*?\])", out, re.S)
    assert m is not None, out
    owner = classad2.ClassAd(m.group(1)).get("Owner")
    assert owner not in ("alice", "bob")


def test_property_with_the_tests_own_maps_searches_and_classad2_confirms(tmp_path: Path) -> None:
    tests = PROPERTIES.split("[[property]]")[0] + (
        '[maps]\nGroups = "* carol biology"\n\n'
        '[[property]]\nname = "carol gets biology"\ntransforms = "job"\n'
        "when = 'Owner =?= \"carol\"'\nexpect = 'AcctGroup == \"biology\"'\n\n"
        '[[property]]\nname = "carol in any case gets biology"\ntransforms = "job"\n'
        "when = 'Owner == \"carol\"'\nexpect = 'AcctGroup == \"biology\"'\n\n"
        '[[property]]\nname = "dave gets a group"\ntransforms = "job"\n'
        "when = 'Owner =?= \"dave\"'\nexpect = 'AcctGroup =!= undefined'\nsamples = 200\n"
    )
    site = guide_site(tmp_path, policy=POLICY, tests=tests)
    out = run("test", cwd=site).stdout
    assert "PASS  property: carol gets biology  (not proved" in out, out
    assert "no counterexample among 1000 generated ad pairs" in out
    # `==` ignores case, userMap's keys do not: hypothesis finds "CAROL", classad2 agrees
    m = re.search(r"carol in any case gets biology .*?for job \[ Owner = \"(\w+)\" \]", out, re.S)
    assert m is not None, out
    assert m.group(1).lower() == "carol" and m.group(1) != "carol"
    assert "FAIL  property: dave gets a group" in out
    assert 'for job [ Owner = "dave" ]' in out


def test_a_configuration_htcondor_refuses_fails_its_first_test(tmp_path: Path) -> None:
    site = guide_site(tmp_path, policy="START = true\nJOB_TRANSFORM_X @=end\nSET A 1\n")
    proc = run("test", cwd=site)
    assert proc.returncode == 1
    assert (
        "FAIL  configuration" in proc.stdout and "HTCondor loads the configuration" in proc.stdout
    )
    (site / "config.d" / "50-policy.config").write_bytes(b"\x00\x01 binary")
    binary = run("test", cwd=site)
    assert binary.returncode == 1 and "50-policy.config: " in binary.stdout
    assert "binary file" in binary.stdout and "Traceback" not in binary.stderr


def test_the_desy_corpora_state_the_talks_intent() -> None:
    """corpus/desy (the corrected reconstruction) passes every intent; the slides
    themselves (corpus/desy-seed) fail exactly where a defect is named, and each defect's
    codes are findings `classadlint check` reports on those files."""
    good = run("test", "corpus/desy/tests", cwd=REPO)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"\d+ tests: \d+ passed\n", good.stdout), good.stdout
    seed = run("test", "corpus/desy-seed/tests", cwd=REPO)
    assert seed.returncode == 0, seed.stdout + seed.stderr
    xfails = re.findall(r"XFAIL (.*?)  \((.*?)\)\n", seed.stdout)
    assert len(xfails) >= 5
    check = run("check", "--format", "concise", "corpus/desy-seed", cwd=REPO).stdout
    for name, why in xfails:
        codes = re.findall(r"CA\d{3}", why)
        assert codes, (name, why)
        for code in codes:
            assert f" {code} " in check, (name, code)
