"""The HTCondor behaviour the config-hygiene rules (CA402, CA403, CA408-CA414) describe,
asked of HTCondor itself: each config experiment runs in a fresh child process with
``CONDOR_CONFIG`` pointing at a small file (HTCondor loads its configuration once per
process, and a macro cycle hangs the process that expands it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

_CHILD = r"""
import json, os, sys
spec = json.loads(sys.argv[1])
os.environ["CONDOR_CONFIG"] = spec["config"]
import htcondor2
if spec.get("debug"):
    htcondor2.enable_debug()
if spec.get("subsystem"):
    htcondor2.set_subsystem(spec["subsystem"])
htcondor2.reload_config()
out = {}
for name in spec["names"]:
    try:
        out[name] = htcondor2.param[name]
    except KeyError:
        out[name] = None
print(json.dumps(out))
"""


def condor_params(
    tmp_path: Path,
    config: str,
    names: list[str],
    *,
    subsystem: str | None = None,
    debug: bool = False,
    timeout: float = 60,
) -> tuple[dict[str, Any] | None, str]:
    """HTCondor's values of ``names`` with ``config`` loaded (None: not defined), and what
    it printed on stderr; (None, stderr) when the child did not finish within ``timeout``."""
    path = tmp_path / "condor_config"
    path.write_text(textwrap.dedent(config))
    spec = {"config": str(path), "names": names, "subsystem": subsystem, "debug": debug}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_CONDOR_", "_condor_"))}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return None, err
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


# --- CA402 unknown-knob -----------------------------------------------------------------


def test_ca402_a_misspelt_knob_is_accepted_silently_and_the_real_one_keeps_its_default(
    tmp_path: Path,
) -> None:
    values, err = condor_params(
        tmp_path, "STARTD_ATRS = HasDocker\n", ["STARTD_ATRS", "STARTD_ATTRS"], debug=True
    )
    assert values == {"STARTD_ATRS": "HasDocker", "STARTD_ATTRS": None}
    assert "STARTD_ATRS" not in err  # no warning of any kind


def test_ca402_name_list_knows_knobs_outside_the_param_table() -> None:
    from classadlint.schema.knob_names import is_htcondor_name
    from classadlint.schema.knobs import knob

    for name in ("CONDOR_HOST", "ALLOW_READ", "NUM_SLOTS", "USE_AFS", "GROUP_QUOTA_a.b"):
        assert is_htcondor_name(name), name
    assert knob("CONDOR_HOST") is None  # the reason the list exists
    assert is_htcondor_name("LeaseManager.PRUNE_INTERVAL")  # UPGRADE:DISCARD lists it
    for name in ("STARTD_ATRS", "NEGOTIATION_INTERVAL"):
        assert not is_htcondor_name(name), name


# --- CA408 recursive-macro --------------------------------------------------------------


def test_ca408_a_cycle_loads_but_hangs_whoever_expands_it(tmp_path: Path) -> None:
    config = "A = $(B)\nB = $(A)\nC = 1\n"
    values, _ = condor_params(tmp_path, config, ["C"])
    assert values == {"C": "1"}  # loading alone is fine
    values, _ = condor_params(tmp_path, config, ["A"], timeout=5)
    assert values is None  # expanding A never ends
    values, _ = condor_params(tmp_path, "A = 1\nA = $(A) more\n", ["A"])
    assert values == {"A": "1 more"}  # a self reference is not a cycle


# --- CA410 include-command --------------------------------------------------------------


def test_ca410_include_command_runs_the_program_and_reads_its_output(tmp_path: Path) -> None:
    config = "include command : echo FOO = 42\ninclude : echo BAR = 7 |\n"
    values, _ = condor_params(tmp_path, config, ["FOO", "BAR"])
    assert values == {"FOO": "42", "BAR": "7"}


def test_ca410_into_file_is_read_instead_of_running_when_it_exists(tmp_path: Path) -> None:
    cache = tmp_path / "cache.config"
    config = f"include command into {cache} : echo FOO = 42\n"
    values, _ = condor_params(tmp_path, config, ["FOO"])
    assert values == {"FOO": "42"} and cache.read_text().strip() == "FOO = 42"
    cache.write_text("FOO = 7\n")
    values, _ = condor_params(tmp_path, config, ["FOO"])
    assert values == {"FOO": "7"}


# --- CA412 unread-prefix ----------------------------------------------------------------


def test_ca412_subsys_localname_knob_is_never_looked_up(tmp_path: Path) -> None:
    """htcondor2 can set the subsystem but not a local name: it shows that `S.L.K` does not
    answer for K where `S.K` does; lookup_macro (config.cpp) tries only `L.K`, `S.K`, `K`."""
    config = "STARTD.SLOT_A.FOO = three\nFOO = plain\nBAR = plain\nSTARTD.BAR = sub\n"
    values, _ = condor_params(tmp_path, config, ["FOO", "BAR"], subsystem="STARTD")
    assert values == {"FOO": "plain", "BAR": "sub"}
    values, _ = condor_params(tmp_path, config, ["STARTD.SLOT_A.FOO"], subsystem="STARTD")
    assert values == {"STARTD.SLOT_A.FOO": "three"}  # only when asked for by its full name


# --- CA414 placeholder-value ------------------------------------------------------------

PLACEHOLDER = "YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE"
REFUSAL = "appear to contain default values that must be changed before Condor will run"


def test_ca414_the_placeholder_is_reported_by_name_and_only_in_final_raw_values(
    tmp_path: Path,
) -> None:
    config = f"""\
        CONDOR_HOST = {PLACEHOLDER}
        CONDOR_HOST = cm.example.org
        A = {PLACEHOLDER.lower()}
        B = x$(C)
        C = {PLACEHOLDER}
        """
    values, err = condor_params(tmp_path, config, ["CONDOR_HOST"], debug=True)
    assert values == {"CONDOR_HOST": "cm.example.org"}  # a tool carries on
    assert REFUSAL in err
    listed = err.split(REFUSAL, 1)[1]
    assert "   C at " in listed  # the knob that holds it, not B that expands it
    assert "CONDOR_HOST" not in listed and "   A at" not in listed and "   B at" not in listed


# --- CA409 overridden-assignment --------------------------------------------------------


def test_ca409_last_assignment_wins_and_a_list_overwritten_loses_its_members(
    tmp_path: Path,
) -> None:
    config = """\
        MAX_JOBS_RUNNING = 200
        MAX_JOBS_RUNNING = 500
        STARTD_ATTRS = HasDocker
        STARTD_ATTRS = HasGPU
        SUBMIT_ATTRS = A
        SUBMIT_ATTRS = $(SUBMIT_ATTRS) B
        SUBMIT_ATTRS += C
        """
    names = ["MAX_JOBS_RUNNING", "STARTD_ATTRS", "SUBMIT_ATTRS"]
    values, _ = condor_params(tmp_path, config, names)
    assert values == {"MAX_JOBS_RUNNING": 500, "STARTD_ATTRS": "HasGPU", "SUBMIT_ATTRS": "A B C"}


# --- CA411 obsolete-transform-syntax ----------------------------------------------------
# No schedd runs here: the claim is checked in HTCondor's source, release by release.

HTCONDOR_GIT = Path("/work/.mirror/htcondor+htcondor/repo")


def _source_at(tag: str, path: str) -> str:
    proc = subprocess.run(
        ["git", f"--git-dir={HTCONDOR_GIT}", "show", f"{tag}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.mark.skipif(not HTCONDOR_GIT.is_dir(), reason="no htcondor/htcondor git directory here")
def test_ca411_the_schedd_ignores_old_syntax_transforms_from_25_8() -> None:
    path = "src/condor_schedd.V6/job_transforms.cpp"
    ignoring = "appears to be in ClassAd format, which is no longer supported. Ignoring."
    assert ignoring not in _source_at("v25.7.2", path)
    new = _source_at("v25.8.2", path)
    assert ignoring in new
    # the test is on the raw (unexpanded) value's first non-blank character
    assert "param_unexpanded( attributeName.c_str() )" in new
    assert "raw_transform_text[0] == '['" in new


# --- CA413 transform-statement ----------------------------------------------------------
# No schedd runs here: what the transform code does is read in HTCondor's source; what the
# ClassAd library does with the text it is given is asked of classad2.


def test_ca413_requirements_with_a_macro_does_not_parse_unless_inside_a_string() -> None:
    from tests.oracle import classad2_accepts

    assert not classad2_accepts("$(IS_CMS_JOB)")
    assert not classad2_accepts("$(X) > 1")
    assert classad2_accepts('"$(X)" == Owner')  # parses: the macro is literal text


def test_ca413_an_unquoted_word_is_an_attribute_reference() -> None:
    from tests.oracle import classad2

    job = classad2.ClassAd({"Owner": "alice"})
    assert classad2.ExprTree("group_cms").eval(job) == classad2.Value.Undefined
    assert classad2.ExprTree('"group_cms"').eval(job) == "group_cms"


def test_ca413_the_classad_parser_stops_after_the_first_expression_when_not_full() -> None:
    from tests.oracle import classad2

    assert classad2.ExprTree('eval("1 2")').eval() == 1
    assert classad2.ExprTree('eval("1 + 2")').eval() == 3


@pytest.mark.skipif(not HTCONDOR_GIT.is_dir(), reason="no htcondor/htcondor git directory here")
def test_ca413_transform_code_as_the_rule_describes_it() -> None:
    xform = _source_at("HEAD", "src/condor_utils/xform_utils.cpp")
    # REQUIREMENTS is taken out of the raw lines in open(), before any macro expansion
    pre_pass = xform.index('is_xform_statement(line.c_str(), "requirements")')
    assert "setRequirements(p, err)" in xform[pre_pass : pre_pass + 200]
    assert 'formatstr(errmsg, "invalid REQUIREMENTS : %s", p);' in xform
    # DEFAULT only checks that the attribute exists
    default = xform.index("case kw_DEFAULT:")
    assert "if (ad.Lookup(attr) != NULL) {" in xform[default : default + 300]
    # EVALSET evaluates the text with EvaluateExpr(string), whose parse is not full
    evalset = xform.index("case kw_EVALSET:")
    assert "ad.EvaluateExpr(rhs.ptr(), val)" in xform[evalset : evalset + 500]
    classad_cpp = _source_at("HEAD", "src/classad/classad.cpp")
    body = classad_cpp[classad_cpp.index("EvaluateExpr( const std::string& buf, Value") :]
    assert "tree = parser.ParseExpression(buf);" in body[:400]


# --- CA403 macro-precedence -------------------------------------------------------------


def test_ca403_macros_are_spliced_as_text_and_the_grouping_changes_the_value(
    tmp_path: Path,
) -> None:
    from tests.oracle import classad2

    config = (
        "WORK_HOURS = ClockMin > 480 || ClockDay == 6\nX = $(WORK_HOURS) && KeyboardIdle > 300\n"
    )
    values, _ = condor_params(tmp_path, config, ["X"])
    assert values == {"X": "ClockMin > 480 || ClockDay == 6 && KeyboardIdle > 300"}
    slot = classad2.ClassAd({"ClockMin": 500, "ClockDay": 1, "KeyboardIdle": 0})
    assert classad2.ExprTree(values["X"]).eval(slot) is True  # as HTCondor reads it
    meant = "(ClockMin > 480 || ClockDay == 6) && KeyboardIdle > 300"
    assert classad2.ExprTree(meant).eval(slot) is False
    assert (
        classad2.ExprTree("Memory + Cpus * 10").eval(classad2.ClassAd({"Memory": 1, "Cpus": 2}))
        == 21
    )
