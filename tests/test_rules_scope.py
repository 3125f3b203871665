"""The scope rules CA301-CA304 and the site rules CA404-CA407: the HTCondor facts their
messages claim, asked of classad2 (matchmaking) and htcondor2 (config, user maps), and
their site-wide behaviour (every file checked together is one site)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.engine import lint_files
from classadlint.lint.settings import Settings
from tests.oracle import classad2

UNDEF = classad2.Value.Undefined
SCOPE_CODES = ("CA301", "CA302", "CA303", "CA304", "CA404", "CA405", "CA406", "CA407")


def _ad(**attrs: Any) -> Any:
    ad = classad2.ClassAd()
    for name, value in attrs.items():
        ad[name] = classad2.ExprTree(value) if isinstance(value, str) else value
    return ad


def _lint(tmp_path: Path, *texts: str, settings: Settings | None = None) -> list[Diagnostic]:
    """Lint files written together (one site); only the rules of this module."""
    paths = []
    for k, text in enumerate(texts):
        path = tmp_path / f"{k:02d}.config"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    settings = dataclasses.replace(settings or Settings(), extend_select=("CA301",))  # opt-in
    diags = lint_files(paths, settings=settings)
    return [d for d in diags if d.code in SCOPE_CODES]


def _codes(diags: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in diags]


# --- the facts, asked of HTCondor ------------------------------------------------------


def test_unqualified_names_are_looked_up_in_my_first_then_target() -> None:
    """CA302's message: in a match, MY's attribute wins; TARGET's only when MY lacks it."""
    job = _ad(MaxJobRetirementTime=5, Requirements="MaxJobRetirementTime == 5")
    slot = _ad(MaxJobRetirementTime=100, Requirements="MaxJobRetirementTime == 100")
    assert slot.symmetricMatch(job) is True  # each side reads its own value
    wrong = _ad(MaxJobRetirementTime=100, Requirements="MaxJobRetirementTime == 5")
    assert wrong.symmetricMatch(job) is False
    fallback = _ad(Requirements="MaxJobRetirementTime == 5")  # no slot value: the job's
    assert fallback.symmetricMatch(job) is True
    expr = classad2.ExprTree("MaxJobRetirementTime")
    assert expr.eval(slot, job) == 100 and expr.eval(job, slot) == 5
    assert classad2.ExprTree("TARGET.MaxJobRetirementTime").eval(slot, job) == 5


def test_target_against_one_ad_and_the_root_in_a_match_are_undefined() -> None:
    """CA303's claims: TARGET.x against a single ad, `.x`/root.x in a match."""
    job = _ad(MemoryUsage=5000)
    assert classad2.ExprTree("TARGET.MemoryUsage").eval(job) == UNDEF
    assert classad2.ExprTree('strcat("job used ", TARGET.MemoryUsage, " MiB")').eval(job) == UNDEF
    assert classad2.ExprTree('strcat("job used ", MemoryUsage, " MiB")').eval(job) == (
        "job used 5000 MiB"
    )
    other = _ad(Requirements="true")
    for text in (".Memory > 1024", "root.Memory > 1024", "toplevel.Memory > 1024"):
        slot = _ad(Memory=4096, Requirements=text)
        assert slot.symmetricMatch(other) is False, text
        assert classad2.ExprTree(text).eval(slot) is True, text  # fine on a single ad
    assert _ad(Memory=4096, Requirements="MY.Memory > 1024").symmetricMatch(other) is True


def test_an_unquoted_advertised_word_is_an_undefined_reference() -> None:
    """CA405: `GenomeDBName = FruitFlies` puts a reference into the ad."""
    ad = _ad(GenomeDBName="FruitFlies")
    assert ad.eval("GenomeDBName") == UNDEF
    assert _ad(GenomeDBName='"FruitFlies"').eval("GenomeDBName") == "FruitFlies"


_CHILD = r"""
import json, os, sys
import htcondor2, classad2
out = {"START": htcondor2.param.get("START")}
for text in json.loads(sys.argv[1]):
    value = classad2.ExprTree(text).eval(classad2.ClassAd())
    out[text] = value if isinstance(value, str) else repr(value)
json.dump(out, sys.stdout)
"""


def _htcondor(config: str, tmp_path: Path, exprs: list[str]) -> dict[str, str | None]:
    """Load ``config`` in a fresh htcondor2 (as the TOOL subsystem) and evaluate ``exprs``."""
    path = tmp_path / "condor_config"
    path.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.lower().startswith("_condor_")}
    env["CONDOR_CONFIG"] = str(path)
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(exprs)],
        capture_output=True, text=True, env=env, timeout=60, check=True,
    )  # fmt: skip
    result: dict[str, str | None] = json.loads(proc.stdout)
    return result


def test_user_maps_load_only_when_listed_and_methods_are_separate(tmp_path: Path) -> None:
    """CA406's claims, with htcondor2 as the TOOL daemon: a map is loaded only when its
    subsystem's list names it (case-insensitively), methods need their own lines, and an
    unknown map gives UNDEFINED or the default argument."""
    data = "CLASSAD_USER_MAPDATA_Projects @=end\n* alice physics\nnoops bob x\n@end\n"
    calls = [
        'userMap("Projects", "alice")',
        'userMap("PROJECTS", "alice")',
        'userMap("Projects.NOOPS", "bob")',
        'userMap("Projects.gpu", "alice")',
        'userMap("Projects", "bob")',
        'userMap("Other", "alice")',
        'userMap("Other", "alice", undefined, "none")',
    ]
    listed = _htcondor("TOOL_CLASSAD_USER_MAP_NAMES = projects\n" + data, tmp_path, calls)
    assert listed['userMap("Projects", "alice")'] == "physics"
    assert listed['userMap("PROJECTS", "alice")'] == "physics"
    assert listed['userMap("Projects.NOOPS", "bob")'] == "x"
    assert listed['userMap("Projects.gpu", "alice")'] == repr(UNDEF)  # `*` lines do not answer
    assert listed['userMap("Projects", "bob")'] == repr(UNDEF)  # nor `noops` lines for `*`
    assert listed['userMap("Other", "alice")'] == repr(UNDEF)
    assert listed['userMap("Other", "alice", undefined, "none")'] == "none"
    unlisted = _htcondor(data, tmp_path, calls[:1])
    assert unlisted['userMap("Projects", "alice")'] == repr(UNDEF)


def test_a_macro_is_text_for_dollar_references_not_an_attribute(tmp_path: Path) -> None:
    """CA304's fix: `$(IgnoreMaintenance)` splices the macro's value; the bare name reads
    an attribute, and a slot ad without it gives UNDEFINED."""
    config = "IgnoreMaintenance = False\nSTART = ($(IgnoreMaintenance) =?= True)\n"
    assert _htcondor(config, tmp_path, [])["START"] == "(False =?= True)"
    slot = _ad(Memory=1)
    assert classad2.ExprTree("IgnoreMaintenance").eval(slot) == UNDEF


# --- one site, many files ------------------------------------------------------------------


def test_desy_drain_is_checked_although_start_does_not_parse(tmp_path: Path) -> None:
    """The seed's START does not parse (GROUP_NOT_DOWN lost its continuation); the DRAIN
    macro it splices in is checked on its own, at the line it is written, with a note."""
    text = (
        "ShutdownTime = 0\nInStageDrain = False\nSTARTD_ATTRS = ShutdownTime InStageDrain\n"
        "DRAIN = ((InStageDrain == True && (time() + MaxJobRetirementTime < ShutdownTime)) "
        "|| InStageDrain == False)\n"
        "BROKEN = (1 &&\n"
        "START = $(BROKEN) && $(DRAIN)\n"
    )
    [d] = _lint(tmp_path, text)
    assert (d.code, d.line, d.col) == ("CA302", 4, 45)
    assert any("spliced into START" in r.note and r.location.start.line == 6 for r in d.related)


def test_attributes_advertised_or_set_anywhere_in_the_site_are_defined(tmp_path: Path) -> None:
    execute = "HasScratch = True\nSTARTD_ATTRS = $(STARTD_ATTRS) HasScratch\n"
    access = (
        "JOB_TRANSFORM_NAMES = Tag Old\n"
        'JOB_TRANSFORM_Tag @=end\nSET ProjectTag "x"\nCOPY Owner OrigOwner\n@end\n'
        'JOB_TRANSFORM_Old @=end\n[ copy_Requirements = "Base4Requirements"; ]\n@end\n'
    )
    policy = (
        "START = (HasScratch && TARGET.ProjectTag =!= undefined && "
        "TARGET.OrigOwner =!= undefined && TARGET.Base4Requirements =!= undefined) =?= true\n"
    )
    assert _lint(tmp_path, execute, access, policy) == []
    alone = tmp_path / "alone"
    alone.mkdir()
    found = _lint(alone, policy)
    assert sorted(d.args_dict()["attribute"] for d in found) == [
        "Base4Requirements", "HasScratch", "OrigOwner", "ProjectTag",
    ]  # fmt: skip


def test_site_attributes_from_the_settings_and_submit_files(tmp_path: Path) -> None:
    policy = 'START = (TARGET.Project == "support") =?= true\n'
    [d] = _lint(tmp_path, policy)
    assert d.code == "CA301" and "`attributes` setting" in d.message
    declared = Settings(attributes={"job": {"Project": "string"}})
    assert _lint(tmp_path, policy, settings=declared) == []
    assert _lint(tmp_path, policy, '+Project = "support"\n') == []


def test_dynamic_attributes_htcondor_adds(tmp_path: Path) -> None:
    """Custom resources (Request/Total/Assigned/Child forms), latches, cross-slot copies and
    the negotiator's priorities are no CA301; a typo of a custom resource is."""
    config = (
        "MACHINE_RESOURCE_FPGA = 2\n"
        "CpuBusy = (LoadAvg - CondorLoadAvg) > 0.5\n"
        "STARTD_LATCH_EXPRS = $(STARTD_LATCH_EXPRS) CpuBusy\n"
        "START = (TARGET.RequestFPGA <= FPGA && TotalFPGA > 0 && AssignedFPGA =!= undefined"
        " && ChildCpus =!= undefined && CpuBusyValue =!= 1 && slot1_Activity =!= undefined"
        " && TARGET.ImageSize_RAW > 0) =?= true\n"
        "PREEMPTION_REQUIREMENTS = (RemoteUserPrio > SubmitterUserPrio * 1.2) =?= true\n"
    )
    assert _lint(tmp_path, config) == []
    typo = tmp_path / "typo"
    typo.mkdir()
    [d] = _lint(typo, config + "RANK = TARGET.RequestFPGAs\n")
    assert d.code == "CA301" and "did you mean `RequestFPGA`?" in d.message


def test_a_cron_job_may_publish_any_name_but_typos_are_still_found(tmp_path: Path) -> None:
    config = (
        "STARTD_CRON_JOBLIST = probe\nSTARTD_CRON_probe_EXECUTABLE = /bin/probe\n"
        "START = (HasProbe && Memroy > 1) =?= true\n"
    )
    [d] = _lint(tmp_path, config)
    assert d.code == "CA301" and d.args_dict()["attribute"] == "Memroy"


def test_copied_job_attributes_are_not_ambiguous(tmp_path: Path) -> None:
    """The startd copies JobUniverse, MemoryUsage, ... of the running job into the slot
    (SYSTEM_STARTD_JOB_ATTRS): both ads hold the same value, nothing to choose."""
    assert _lint(tmp_path, "PREEMPT = (MemoryUsage > 2 * Memory) =?= true\n") == []
    [d] = _lint(tmp_path, "PREEMPT = (Rank > 0) =?= true\n")  # the slot's RANK, or the job's?
    assert d.code == "CA302" and "`MY.Rank` for the slot's" in d.message


def test_target_in_is_owner_but_not_in_start_or_old_transforms(tmp_path: Path) -> None:
    config = (
        'IS_OWNER = (TARGET.Owner == "root") =?= true\n'
        'START = (TARGET.Owner == "root") =?= false\n'
        "JOB_TRANSFORM_NAMES = Old\n"
        'JOB_TRANSFORM_Old @=end\n[ Requirements = TARGET.Owner =?= "root"; ]\n@end\n'
    )
    found = _lint(tmp_path, config)
    assert _codes(found) == [("CA303", 1, 13)]
    assert "while the slot is unclaimed" in found[0].message


def test_macros_used_as_attributes(tmp_path: Path) -> None:
    config = (
        "IgnoreMaintenance = False\nAdvertised = True\n"
        "STARTD_ATTRS = $(STARTD_ATTRS) Advertised\n"
        "START = (IgnoreMaintenance || Advertised || Memory > 1) =?= true\n"
    )
    [d] = _lint(tmp_path, config)
    assert (d.code, d.line, d.col) == ("CA304", 4, 10)
    [edit] = d.fixes[0].edits
    assert edit.text == "$(IgnoreMaintenance)" and d.fixes[0].safety == "unsafe"


def test_settable_lists(tmp_path: Path) -> None:
    config = (
        "Flag = True\nSTARTD_ATTRS = Flag\nMY_LIMIT = 4\nSTART = Cpus <= $(MY_LIMIT)\n"
        "SETTABLE_ATTRS_ADMINISTRATOR = Flag, MY_LIMIT, START, Flg*, MAX_JOBS_RUNNING, Nothing\n"
    )
    found = _lint(tmp_path, config)
    assert [d.message.split("`")[1] for d in found] == ["Flg*", "Nothing"]


def test_names_lists_are_case_insensitive_and_skip_reasons(tmp_path: Path) -> None:
    config = (
        "SUBMIT_REQUIREMENT_NAMES = minmemory\n"
        "SUBMIT_REQUIREMENT_MinMemory = TARGET.RequestMemory >= 1\n"
        'SUBMIT_REQUIREMENT_MinMemory_REASON = "ask for memory"\n'
        "SUBMIT_REQUIREMENT_MaxCpus = TARGET.RequestCpus <= 64\n"
        "SYSTEM_PERIODIC_HOLD_NAMES = TooLong\n"
        'SYSTEM_PERIODIC_HOLD_TooLong_REASON = "ran too long"\n'
    )
    found = _lint(tmp_path, config)
    assert _codes(found) == [("CA407", 4, 1), ("CA407", 5, 30)]
    assert "SUBMIT_REQUIREMENT_MaxCpus is defined" in found[0].message
    assert "`TooLong` is listed" in found[1].message


def test_advertised_names_with_settable_defaults_and_empty_values(tmp_path: Path) -> None:
    config = (
        "STARTD_ATTRS = StartJobs, Empty, Ref, Broken\n"
        "STARTD.SETTABLE_ATTRS_ADMINISTRATOR = StartJobs\n"
        "Empty =\nRef = Memory\nBroken = DESY Hamburg\n"
    )
    found = _lint(tmp_path, config)
    assert _codes(found) == [("CA405", 1, 16), ("CA405", 3, 1), ("CA405", 5, 10)]
    assert "give it a default" in found[0].message
    assert "value is empty" in found[1].message and "no ClassAd expression" in found[2].message


def test_did_you_mean_suggests_typos_not_longer_names(tmp_path: Path) -> None:
    """`RequestGPU` is a typo of `RequestGPUs` (HTCondor's condor_submit says the same of
    request_gpu); `Project` is not one of a declared `MyProject`."""
    declared = Settings(attributes={"job": {"MyProject": "string"}})
    found = _lint(tmp_path, "START = (TARGET.Project =?= \"x\" || RequestGPU > 0) =?= true\n",
                  settings=declared)  # fmt: skip
    messages = {d.args_dict()["attribute"]: d.message for d in found}
    assert "did you mean" not in messages["Project"]
    assert messages["RequestGPU"].endswith("did you mean `RequestGPUs`?")


def test_a_templated_list_leaves_its_members_to_the_deployment(tmp_path: Path) -> None:
    """glideinWMS: `STARTD_ATTRS = ..., GLIDEIN_ToDie, $(GLIDEIN_VARIABLES)` where the
    startup script writes both the variables and the members' values."""
    templated = "STARTD_ATTRS = $(STARTD_ATTRS), GLIDEIN_ToDie, $(GLIDEIN_VARIABLES)\n"
    assert [d.code for d in _lint(tmp_path, templated)] == []
    [d] = _lint(tmp_path, "STARTD_ATTRS = $(STARTD_ATTRS), GLIDEIN_ToDie\n")
    assert d.code == "CA405" and "defined nowhere" in d.message
