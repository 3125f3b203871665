"""The metaknob catalog is HTCondor's: for every template, a config that says
``use CATEGORY : Template(args)`` and a config holding our catalog body (with our
meta-argument substitution) inline must give HTCondor the same values for every knob the
body sets, and the same accept/reject verdict. Each config runs in its own child process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from classadlint.schema import metaknobs

# Arguments for the templates that refuse to work without them (their bodies hold an
# `error :` line), and for some that read them, including an empty argument (skipped by
# HTCondor's tokenizer, so $(3) of "7, , 17, 5" is 5).
ARGS: dict[tuple[str, str], str] = {
    ("FEATURE", "AssignAccountingGroup"): "/etc/condor/acct.map",
    ("FEATURE", "AssignProjectName"): "projmap, /etc/condor/proj.map",
    ("FEATURE", "SetJobAttrFromUsermap"): "AcctGroup, Owner, mymap, /etc/condor/m.map",
    ("FEATURE", "ScheddUsermapFile"): "mymap, /etc/condor/m.map",
    ("FEATURE", "Monitor"): "GPUs, GPU, 60, /bin/true, -x",
    ("FEATURE", "OneShotCronHook"): "STARTD_CRON, tag1, /bin/true, -a",
    ("FEATURE", "PeriodicCronHook"): "STARTD_CRON, tag1, 300, /bin/true, -a",
    ("FEATURE", "ContinuousCronHook"): "STARTD_CRON, tag1, /bin/true",
    ("FEATURE", "POLICY_HOURS_TO_START"): "7, , 17, 5",
    ("FEATURE", "PartitionableSlot"): "2, 50%",
    ("FEATURE", "StartdCronPeriodic"): "tag2, 60, /bin/date, -u",
    ("FEATURE", "ScheddCronPeriodic"): "tag4, 60, /bin/date",
    ("FEATURE", "StartdCronOneShot"): "tag3, /bin/date",
    ("FEATURE", "ScheddCronOneShot"): "tag5, /bin/date",
    ("FEATURE", "StartdCronContinuous"): "tag6, /bin/date",
    ("FEATURE", "ScheddCronContinuous"): "tag7, /bin/date",
    ("EXPERIMENTAL", "HADSharedPort"): "COLLECTOR, cm.example.org",
    ("POLICY", "PREEMPT_IF"): "MEMORY_EXCEEDED",
    ("POLICY", "WANT_HOLD_IF"): "MEMORY_EXCEEDED, 102, too much mem",
    ("POLICY", "LIMIT_JOB_RUNTIMES"): "3600",
    ("SECURITY", "recommended_v9_0"): "condor, admin@*, extra",
}

_ASSIGNED = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_.]*)[ \t]*(?:\+?=|@=)", re.M)

_CHILD = r"""
import json, sys
import htcondor2
names = json.load(sys.stdin)
json.dump({n: (None if (v := htcondor2.param.get(n)) is None else str(v)) for n in names},
          sys.stdout)
"""


def _run(config: str, names: list[str]) -> tuple[int, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".config", delete=False) as f:
        f.write(config)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(names),
            capture_output=True,
            text=True,
            timeout=30,
            env=dict(os.environ, CONDOR_CONFIG=f.name),
        )
    finally:
        os.unlink(f.name)
    return proc.returncode, json.loads(proc.stdout) if proc.returncode == 0 else None


def _line(text: str, m: re.Match[str]) -> str:
    end = text.find("\n", m.end())
    return text[m.start() : end if end >= 0 else len(text)]


def _compare(tpl: metaknobs.Metaknob) -> tuple[str, Any] | None:
    args = ARGS.get((tpl.category.upper(), tpl.name), "")
    use = f"use {tpl.category} : {tpl.name}" + (f"({args})" if args else "")
    inline = tpl.expand(args)
    # a value drawn by $RANDOM_INTEGER differs between any two loads (directly, or through
    # UWCS_PERIODIC_CHECKPOINT of the nested UWCS_DESKTOP_POLICY_VALUES)
    random = {m.group(1) for m in _ASSIGNED.finditer(inline) if "$RANDOM" in _line(inline, m)}
    random |= {"PERIODIC_CHECKPOINT", "UWCS_PERIODIC_CHECKPOINT"}
    names = sorted(set(_ASSIGNED.findall(inline)) - random)
    a = _run(use + "\n", names)
    b = _run(inline + "\n", names)
    return None if a == b else (use, {"use": a, "inline": b})


def _all() -> list[metaknobs.Metaknob]:
    return [t for c in metaknobs.categories() for t in metaknobs.templates(c)]


def test_every_template_body_is_what_htcondor_applies() -> None:
    templates = _all()
    assert len(templates) > 70
    with ThreadPoolExecutor(max_workers=2) as pool:
        diffs = [d for d in pool.map(_compare, templates) if d is not None]
    assert not diffs, diffs[:5]


def test_templates_with_required_arguments_do_set_knobs() -> None:
    """The comparison above is not vacuous: HTCondor accepts these and they set knobs."""
    tpl = metaknobs.metaknob("policy", "want_hold_if")
    assert tpl is not None
    code, values = _run(
        "use POLICY : WANT_HOLD_IF(MEMORY_EXCEEDED, 102, too much mem)\n", ["WANT_HOLD_REASON"]
    )
    assert code == 0
    assert '"too much mem"' in values["WANT_HOLD_REASON"]


@pytest.mark.parametrize(
    ("args", "body", "want"),
    [
        ("a, , c", "$(1)|$(2)|$(3)", "a|c|"),
        ("a, b, c", "$(0)|$(0#)|$(2+)|$(3?)|$(4?)|$(4:dflt)", "a, b, c|3|b, c|1|0|dflt"),
        ("", "$(0?)|$(1)|$(1:x)|$(0#)", "0||x|0"),
        ("X", "$($(1))", "$(X)"),
        ("", "$(2:$(LOCAL_DIR)/cache)", "$(LOCAL_DIR)/cache"),
    ],
)
def test_meta_argument_substitution(args: str, body: str, want: str) -> None:
    assert metaknobs.substitute_args(body, args) == want


def test_meta_argument_substitution_agrees_with_htcondor() -> None:
    """The same substitutions, applied by HTCondor to a template body (via a knob that
    reads them through POLICY_HOURS_TO_START's arguments)."""
    code, values = _run(
        "use FEATURE : POLICY_HOURS_TO_START(7, , 17, 5)\n", ["WorkdayBeginHour", "WorkdayEndHour"]
    )
    assert code == 0
    ours = metaknobs.metaknob("FEATURE", "POLICY_HOURS_TO_START")
    assert ours is not None
    text = ours.expand("7, , 17, 5")
    begin = re.search(r"WorkdayBeginHour=(.*)", text)
    end = re.search(r"WorkdayEndHour=(.*)", text)
    assert begin and end
    assert values == {"WorkdayBeginHour": begin.group(1), "WorkdayEndHour": end.group(1)}
    assert values["WorkdayEndHour"] == "17"  # the empty argument was skipped


def test_lookup_is_case_insensitive_and_stamped() -> None:
    assert metaknobs.metaknob("role", "PERSONAL") is metaknobs.metaknob("ROLE", "Personal")
    assert metaknobs.metaknob("ROLE", "NoSuch") is None
    assert set(metaknobs.categories()) >= {"ROLE", "POLICY", "FEATURE", "SECURITY"}
    assert metaknobs.catalog_provenance().htcondor_version.startswith("25.")
