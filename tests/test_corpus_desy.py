"""corpus/desy, the corrected DESY setup, is what it claims to be — asked of HTCondor.

HTCondor 25.14.1 (``htcondor2``, in a child process: tests/desy_oracle.py) loads every file
alone and the directory as a LOCAL_CONFIG_DIR on a worker node and on a GPU node; the key
knobs have the values the README states; every expression (knob values and transform
statements) parses in classad2; the schedd transforms, START, the submit requirements and
the periodic policies give the intended results on sample ads, evaluated by classad2 with
the directory's own user map loaded.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.oracle import classad2_accepts

REPO = Path(__file__).resolve().parents[1]
DESY = REPO / "corpus" / "desy"
CONFIGS = sorted(DESY.glob("*.config"))
TRANSFORMS = ["T02JobClass", "T05Project", "T06AccountingGroup", "T07AccountingStatusHold",
              "T09MapSL7", "T18Jupyter"]  # fmt: skip
SUBMIT_REQUIREMENTS = ["RuntimeRange", "FaasOneJob", "FaasOneCore", "FaasMemory"]
SHARES = {"atlas": 1600, "cms": 1200, "belle": 800, "faas": 200, "support": 200}
POOL = 4000


def _root(tmp: Path, name: str, first: str = "") -> Path:
    """A root condor_config reading corpus/desy as LOCAL_CONFIG_DIR, as a host would.

    ``first`` is the host's own settings (read before the directory). The tool's user
    maps are the schedd's, so that userMap() in a tool evaluates what the schedd would.
    """
    path = tmp / name
    path.write_text(
        f"{first}\n"
        f"LOCAL_CONFIG_DIR = {DESY}\n"
        # HTCondor's default exclusions plus the repository's documentation and goldens
        "LOCAL_CONFIG_DIR_EXCLUDE_REGEXP = ^((\\..*)|(.*~)|(.*\\.md)|(.*\\.expected))$\n"
        "TOOL_CLASSAD_USER_MAP_NAMES = $(SCHEDD_CLASSAD_USER_MAP_NAMES)\n"
    )
    return path


def _ask(requests: list[dict[str, Any]]) -> list[Any]:
    env = {k: v for k, v in os.environ.items() if not k.lower().startswith("_condor_")}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.desy_oracle"],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ERROR" not in proc.stderr and "Error" not in proc.stderr, proc.stderr
    answers = json.loads(proc.stdout)
    errors = [(r, a["error"]) for r, a in zip(requests, answers, strict=True) if "error" in a]
    assert not errors, errors
    return [a["ok"] for a in answers]


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _root(tmp_path_factory.mktemp("desy"), "condor_config")


def _names(value: str | None) -> list[str]:
    return [n for n in re.split(r"[\s,]+", value or "") if n]


def _old_to_new(text: str) -> str:
    """Old ClassAd syntax (config values) as new syntax: inside a string literal, a
    backslash is an escape only before `"` in old syntax, so every other one is doubled."""
    out, in_string, i = [], False, 0
    while i < len(text):
        c = text[i]
        if in_string and c == "\\":
            if text[i + 1 : i + 2] == '"':
                out.append('\\"')
                i += 2
                continue
            out.append("\\\\")
        else:
            if c == '"':
                in_string = not in_string
            out.append(c)
        i += 1
    return "".join(out)


# --- loading -------------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_each_file_loads_alone(config: Path) -> None:
    _ask([{"op": "load", "config": str(config)}])


def test_the_directory_loads_on_worker_and_gpu_nodes(tmp_path: Path) -> None:
    gpu = _root(tmp_path, "gpu_config", first="BIRD_GPU_NODE = True")
    names = ["SLOT_TYPE_1_PARTITIONABLE", "SLOT_TYPE_2", "BIRD_RESOURCE",
             "MACHINE_RESOURCE_INVENTORY_GPUs"]  # fmt: skip
    _, plain, _, on_gpu = _ask([
        {"op": "load", "config": str(_root(tmp_path, "condor_config"))},
        {"op": "param", "names": names},
        {"op": "load", "config": str(gpu)},
        {"op": "param", "names": names},
    ])  # fmt: skip
    assert plain["SLOT_TYPE_1_PARTITIONABLE"] == "True"
    assert plain["SLOT_TYPE_2"] == "cpus=1, mem=2048, disk=5%"
    assert plain["BIRD_RESOURCE"] == '"BIRD"'
    assert plain["MACHINE_RESOURCE_INVENTORY_GPUs"] is None
    assert on_gpu["SLOT_TYPE_1_PARTITIONABLE"] == "False"
    assert on_gpu["SLOT_TYPE_2"] == "cpus=1, mem=2048, disk=5%, GPUs=0"
    assert on_gpu["BIRD_RESOURCE"] == '"BIRD-GPU"'
    assert "condor_gpu_discovery" in on_gpu["MACHINE_RESOURCE_INVENTORY_GPUs"]


# --- knob values ---------------------------------------------------------------------------


def test_key_knob_values(worker: Path) -> None:
    lists = ["JOB_TRANSFORM_NAMES", "SUBMIT_REQUIREMENT_NAMES", "SYSTEM_PERIODIC_REMOVE_NAMES",
             "SYSTEM_PERIODIC_HOLD_NAMES", "STARTD_ATTRS", "STARTD.SETTABLE_ATTRS_ADMINISTRATOR",
             "SCHEDD_CLASSAD_USER_MAP_NAMES", "GROUP_NAMES"]  # fmt: skip
    scalars = ["MachineMaxVacateTime", "NUM_CPUS", "DETECTED_CPUS_LIMIT", "MAXJOBRETIREMENTTIME",
               "NEGOTIATOR_ALLOW_QUOTA_OVERSUBSCRIPTION", "GROUP_ACCEPT_SURPLUS",
               "GROUP_ACCEPT_SURPLUS_BIRD_noop", "GROUP_QUOTA_BIRD_noop", "GROUP_QUOTA_BIRD_jupyter",
               "ENABLE_PERSISTENT_CONFIG", "CLASSAD_USER_MAPFILE_Projects", "GroupsDown",
               "DOCKER_MOUNT_VOLUMES"]  # fmt: skip
    _, v = _ask([{"op": "load", "config": str(worker)}, {"op": "param", "names": lists + scalars}])
    assert _names(v["JOB_TRANSFORM_NAMES"]) == TRANSFORMS
    assert _names(v["SUBMIT_REQUIREMENT_NAMES"]) == SUBMIT_REQUIREMENTS
    assert _names(v["SYSTEM_PERIODIC_REMOVE_NAMES"]) == ["RuntimeExceeded"]
    assert _names(v["SYSTEM_PERIODIC_HOLD_NAMES"]) == ["GpuUnauthorised"]
    assert _names(v["STARTD_ATTRS"]) == ["StartJobs", "GroupsDisabled", "InStageDrain",
                                         "ShutdownTime", "GroupsDown", "BIRD_RESOURCE",
                                         "IsJupyterSlot"]  # fmt: skip
    assert _names(v["STARTD.SETTABLE_ATTRS_ADMINISTRATOR"]) == [
        "StartJobs", "GroupsDisabled", "InStageDrain", "ShutdownTime"]  # fmt: skip
    assert _names(v["SCHEDD_CLASSAD_USER_MAP_NAMES"]) == ["Projects"]
    groups = [f"BIRD_{p}{s}" for p in SHARES for s in ("", ".lite", ".bide")]
    assert _names(v["GROUP_NAMES"]) == [*groups, "BIRD_jupyter", "BIRD_noop"]
    assert v["MachineMaxVacateTime"] == 300
    assert v["NUM_CPUS"] == v["DETECTED_CPUS_LIMIT"] + 1  # the oversubscribed Jupyter core
    assert v["MAXJOBRETIREMENTTIME"] == "TARGET.RequestRuntime ?: (3 * 3600)"
    assert v["NEGOTIATOR_ALLOW_QUOTA_OVERSUBSCRIPTION"] is True
    assert v["GROUP_ACCEPT_SURPLUS"] is True
    assert (v["GROUP_ACCEPT_SURPLUS_BIRD_noop"], v["GROUP_QUOTA_BIRD_noop"]) == ("False", "0")
    assert v["GROUP_QUOTA_BIRD_jupyter"] == "200"
    assert v["ENABLE_PERSISTENT_CONFIG"] is True
    assert Path(v["CLASSAD_USER_MAPFILE_Projects"]) == DESY / "mapfiles" / "bird-projects.map"
    assert Path(v["CLASSAD_USER_MAPFILE_Projects"]).is_file()
    assert v["GroupsDown"] == '""'
    assert v["DOCKER_MOUNT_VOLUMES"] == "AFS, CVMFS"


def test_quotas_oversubscribe_the_pool_as_the_talk_says(worker: Path) -> None:
    """Project quotas add up to 133 % of the pool; a project's lite jobs get 300 % of its
    share, its bide jobs 100 %. Each quota is a ClassAd expression the negotiator's
    param_double evaluates; classad2 evaluates it the same way here."""
    knobs = [f"GROUP_QUOTA_BIRD_{p}{s}" for p in SHARES for s in ("", ".lite", ".bide")]
    answers = _ask([{"op": "load", "config": str(worker)},
                    *({"op": "eval", "knob": k} for k in knobs)])[1:]  # fmt: skip
    quota = dict(zip(knobs, answers, strict=True))
    assert sum(quota[f"GROUP_QUOTA_BIRD_{p}"] for p in SHARES) == pytest.approx(1.33 * POOL)
    assert sum(SHARES.values()) == POOL
    for project, share in SHARES.items():
        assert quota[f"GROUP_QUOTA_BIRD_{project}.lite"] == pytest.approx(3.0 * share)
        assert quota[f"GROUP_QUOTA_BIRD_{project}.bide"] == share


# --- every expression parses ---------------------------------------------------------------

_EXPRESSION_KNOB = re.compile(
    r"START|SLOT_TYPE_2_START|MAXJOBRETIREMENTTIME|IsJupyterSlot|GROUP_QUOTA_\S+"
    r"|SUBMIT_REQUIREMENT_(?!NAMES)\S+|SYSTEM_PERIODIC_(HOLD|REMOVE)_(?!NAMES)\S+|BIRD_[A-Z_]*RUNTIME"
    r"|StartJobs|GroupsDisabled|InStageDrain|ShutdownTime|GroupsDown|BIRD_RESOURCE",
)


def _assigned_names() -> list[str]:
    names = []
    for config in CONFIGS:
        for m in re.finditer(r"^(\S+)\s*(?:=|@=)", config.read_text(), re.M):
            names.append(m.group(1))
    return names


def test_every_expression_parses_in_classad2(worker: Path) -> None:
    knobs = [n for n in _assigned_names() if _EXPRESSION_KNOB.fullmatch(n)]
    assert len(knobs) > 40
    _, values, transforms = _ask([
        {"op": "load", "config": str(worker)},
        {"op": "param", "names": knobs},
        {"op": "param", "names": [f"JOB_TRANSFORM_{t}" for t in TRANSFORMS]},
    ])  # fmt: skip
    texts = {k: v for k, v in values.items() if v is not None}
    assert set(texts) == set(knobs)
    statements = 0
    for name, body in transforms.items():
        for line in body.split("\n"):
            kw, _, rest = line.strip().partition(" ")
            if kw in ("REQUIREMENTS", "SET", "DEFAULT"):  # old syntax, like config values
                expr = rest if kw == "REQUIREMENTS" else rest.strip().split(None, 1)[1]
                texts[f"{name}: {line.strip()}"] = expr
            elif kw == "EVALSET":  # new syntax
                texts[f"{name}: {line.strip()}"] = rest.strip().split(None, 1)[1]
            elif kw != "COPY":
                raise AssertionError(f"{name}: unexpected statement {line!r}")
            statements += 1
    assert statements == 25
    for where, text in texts.items():
        new = text if ": EVALSET" in where else _old_to_new(str(text))
        assert classad2_accepts(new), (where, text)


# --- the policy on sample ads --------------------------------------------------------------


class Expr(str):
    """An attribute value written as an expression (other strings become string literals)."""


def _literal(value: object) -> str:
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(value) if isinstance(value, str) else str(value)


def _with(ad: str, **attrs: object) -> str:
    """The new-syntax ad ``ad`` with ``attrs`` added (a later duplicate wins in classad2)."""
    extra = "".join(f"; {k} = {_literal(v)}" for k, v in attrs.items())
    return ad.rstrip().removesuffix("]") + extra + "]"


ALICE = '[Owner = "alice"; JobUniverse = 5; RequestCpus = 1; RequestMemory = 2048; Requirements = (TARGET.Arch == "X86_64")]'
SL6_REQUIREMENTS = Expr('(OpSysAndVer == "SL6on7") && (TARGET.Arch == "X86_64")')
SLOT = ('[SlotTypeID = 1; Cpus = 8; Memory = 16384; Arch = "X86_64"; OpSysAndVer = "CentOS7"; '
        'HasDocker = true; StartJobs = true; GroupsDisabled = ""; InStageDrain = false; '
        'ShutdownTime = 0; GroupsDown = ""; IsJupyterSlot = (MY.SlotTypeID == 2)]')  # fmt: skip


def _job(**attrs: object) -> str:
    return _with(ALICE, **attrs)


def _slot(**attrs: object) -> str:
    return _with(SLOT, **attrs)


@pytest.fixture(scope="module")
def transformed(worker: Path) -> dict[str, dict[str, Any]]:
    jobs = {
        "alice": _job(),
        "alice-support-long": _job(MyProject="support", RequestRuntime=2 * 86400, RequestCpus=8,
                                   TotalSubmitProcs=10),
        "carol-not-in-cms": _job(Owner="carol", MyProject="cms"),
        "bob-gpu": _job(Owner="bob", RequestGPUs=1),
        "carol-gpu": _job(Owner="carol", RequestGPUs=1),
        "mallory": _job(Owner="mallory"),
        "eve-unregistered": _job(Owner="eve"),
        "bob-notebook": _job(Owner="bob", IsJupyterJob=True),
        "alice-sl6": _job(Requirements=SL6_REQUIREMENTS),
        "faas": _job(Owner="faas", ProcId=0),
    }  # fmt: skip
    answers = _ask([{"op": "load", "config": str(worker)},
                    *({"op": "transform", "job": j} for j in jobs.values())])[1:]  # fmt: skip
    return dict(zip(jobs, answers, strict=True))


def _subset(ad: dict[str, Any], **want: object) -> dict[str, Any]:
    return {k: ad.get(k, "absent") for k in want}


def test_transforms_set_runtime_class_project_and_group(transformed: dict[str, Any]) -> None:
    alice = transformed["alice"]
    assert alice["__applied__"] == ["T02JobClass", "T05Project", "T06AccountingGroup"]
    want = dict(RequestRuntime=3 * 3600, BIRDJobClass="lite", BIRDQuotaClass="lite",
                BIRDJobType="single", DefProject="atlas", Project="atlas",
                DESYAcctGroup="BIRD_atlas", AcctGroup="BIRD_atlas.lite", AcctGroupUser="alice",
                AccountingGroup="BIRD_atlas.lite.alice")  # fmt: skip
    assert _subset(alice, **want) == want
    want = dict(BIRDJobClass="long", BIRDQuotaClass="bide", BIRDJobType="multiarray",
                Project="support", AccountingGroup="BIRD_support.bide.alice")  # fmt: skip
    assert _subset(transformed["alice-support-long"], **want) == want
    # a project the registry does not list for the user: the default project instead
    want = dict(DefProject="belle", Project="belle", AccountingGroup="BIRD_belle.lite.carol")
    assert _subset(transformed["carol-not-in-cms"], **want) == want


def test_no_project_blocked_users_and_unauthorised_gpus_go_to_noop(transformed: dict) -> None:
    for job, owner in (("bob-gpu", "bob"), ("mallory", "mallory"), ("eve-unregistered", "eve")):
        want = dict(DESYAcctGroup="BIRD_noop", AcctGroup="BIRD_noop",
                    AccountingGroup=f"BIRD_noop.{owner}")  # fmt: skip
        assert _subset(transformed[job], **want) == want, job
    assert transformed["eve-unregistered"]["Project"] == "UNDEFINED"
    assert transformed["bob-gpu"]["BIRDGpuAuthorised"] is False
    carol = transformed["carol-gpu"]
    assert (carol["BIRDGpuAuthorised"], carol["DESYAcctGroup"]) == (True, "BIRD_belle")
    assert "BIRDGpuAuthorised" not in transformed["alice"]  # T07 only for GPU requests


def test_gpu_requests_without_bird_gpu_are_held(worker: Path, transformed: dict) -> None:
    def hold(job: str, status: int) -> list[Any]:
        ad = _with(transformed[job]["__ad__"], JobStatus=status)
        return [
            {"op": "eval", "knob": "SYSTEM_PERIODIC_HOLD_GpuUnauthorised", "my": ad},
            {"op": "eval", "knob": "SYSTEM_PERIODIC_HOLD_GpuUnauthorised_REASON", "my": ad},
        ]

    _, bob, reason, bob_running, _, carol, _, alice, _ = _ask([
        {"op": "load", "config": str(worker)},
        *hold("bob-gpu", 1), *hold("bob-gpu", 2), *hold("carol-gpu", 1), *hold("alice", 1)])  # fmt: skip
    assert (bob, bob_running, carol, alice) == (True, False, False, False)
    assert reason.startswith("Unauthorized GPU request")


def test_jupyter_notebooks_run_on_jupyter_slots_only(worker: Path, transformed: dict) -> None:
    nb = transformed["bob-notebook"]
    assert nb["__applied__"] == ["T05Project", "T06AccountingGroup", "T18Jupyter"]
    want = dict(RequestRuntime=20 * 3600, BIRDJobClass="jupyter", DESYAcctGroup="BIRD_jupyter",
                AcctGroup="BIRD_jupyter", AccountingGroup="BIRD_jupyter.bob", JobHistory=False)  # fmt: skip
    assert _subset(nb, **want) == want
    batch, jupyter = _slot(), _slot(SlotTypeID=2)
    answers = _ask([
        {"op": "load", "config": str(worker)},
        {"op": "eval", "expr": "MY.Requirements", "my": nb["__ad__"], "target": jupyter},
        {"op": "eval", "expr": "MY.Requirements", "my": nb["__ad__"], "target": batch},
        {"op": "eval", "knob": "SLOT_TYPE_2_START", "my": jupyter, "target": nb["__ad__"]},
        {"op": "eval", "knob": "SLOT_TYPE_2_START", "my": jupyter,
         "target": transformed["alice"]["__ad__"]},
        {"op": "eval", "knob": "IsJupyterSlot", "my": jupyter},
        {"op": "eval", "knob": "IsJupyterSlot", "my": batch},
    ])[1:]  # fmt: skip
    assert answers == [True, False, True, False, True, False]


def test_sl6_jobs_are_mapped_to_docker_on_el7(worker: Path, transformed: dict) -> None:
    sl6 = transformed["alice-sl6"]
    assert (
        "T09MapSL7" in sl6["__applied__"] and "T09MapSL7" not in transformed["alice"]["__applied__"]
    )
    want = dict(WantDocker=True, DockerImage="sl6krbafs:latest", OpSysAndVer="SL6on7")
    assert _subset(sl6, **want) == want
    docker, no_docker = _slot(), _slot(HasDocker=False)
    original = _job(Requirements=SL6_REQUIREMENTS)
    answers = _ask([
        {"op": "load", "config": str(worker)},
        {"op": "eval", "expr": "MY.Requirements", "my": sl6["__ad__"], "target": docker},
        {"op": "eval", "expr": "MY.Requirements", "my": sl6["__ad__"], "target": no_docker},
        # untransformed, the job asks for an OS no node has
        {"op": "eval", "expr": "MY.Requirements", "my": original, "target": docker},
    ])[1:]  # fmt: skip
    assert answers == [True, False, False]


def test_start_drains_without_draining(worker: Path, transformed: dict) -> None:
    alice = transformed["alice"]["__ad__"]  # 3 hours, BIRD_atlas

    def job(**attrs: object) -> str:
        return _with(alice, **attrs)

    soon = Expr("time() + 2 * 3600")
    cases = {
        "enabled": (_slot(), alice, True),
        "StartJobs False": (_slot(StartJobs=False), alice, False),
        "support test job on a disabled node": (
            _slot(StartJobs=False), job(Project="support", IgnoreMaintenance=True), True),
        "other project ignoring maintenance": (
            _slot(StartJobs=False), job(IgnoreMaintenance=True), False),
        "draining, 3 h job, shutdown in 2 h": (
            _slot(InStageDrain=True, ShutdownTime=soon),
            alice, False),
        "draining, 1 h job, shutdown in 2 h": (
            _slot(InStageDrain=True, ShutdownTime=soon),
            job(RequestRuntime=3600), True),
        "draining, job without runtime": (
            _slot(InStageDrain=True, ShutdownTime=soon),
            '[Owner = "x"; DESYAcctGroup = "BIRD_cms"]', False),
        "group disabled on the node": (_slot(GroupsDisabled="BIRD_cms,BIRD_atlas"), alice, False),
        "other group disabled": (_slot(GroupsDisabled="BIRD_cms"), alice, True),
        "group down pool-wide": (_slot(GroupsDown="BIRD_atlas"), alice, False),
    }  # fmt: skip
    answers = _ask([{"op": "load", "config": str(worker)},
                    *({"op": "eval", "knob": "START", "my": s, "target": j}
                      for s, j, _ in cases.values())])[1:]  # fmt: skip
    got = dict(zip(cases, answers, strict=True))
    assert got == {name: want for name, (_, _, want) in cases.items()}


def test_retirement_and_runtime_limit(worker: Path, transformed: dict) -> None:
    alice = transformed["alice"]["__ad__"]

    def running(started: str, status: int = 2) -> str:
        return _with(alice, JobStatus=status, JobCurrentStartDate=Expr(started))

    answers = _ask([
        {"op": "load", "config": str(worker)},
        {"op": "eval", "knob": "MAXJOBRETIREMENTTIME", "my": _slot(), "target": alice},
        {"op": "eval", "knob": "MAXJOBRETIREMENTTIME", "my": _slot(), "target": '[Owner = "x"]'},
        {"op": "eval", "knob": "SYSTEM_PERIODIC_REMOVE_RuntimeExceeded",
         "my": running("time() - 3 * 3600")},
        # the vacate time is part of the runtime: removed 5 minutes before it is up
        {"op": "eval", "knob": "SYSTEM_PERIODIC_REMOVE_RuntimeExceeded",
         "my": running("time() - 3 * 3600 + 299")},
        {"op": "eval", "knob": "SYSTEM_PERIODIC_REMOVE_RuntimeExceeded",
         "my": running("time() - 3 * 3600 + 301")},
        {"op": "eval", "knob": "SYSTEM_PERIODIC_REMOVE_RuntimeExceeded",
         "my": running("time() - 3600")},
        {"op": "eval", "knob": "SYSTEM_PERIODIC_REMOVE_RuntimeExceeded",
         "my": running("time() - 5 * 3600", status=1)},
        {"op": "eval", "knob": "SYSTEM_PERIODIC_REMOVE_RuntimeExceeded_REASON", "my": alice},
    ])[1:]  # fmt: skip
    assert answers[:7] == [3 * 3600, 3 * 3600, True, True, False, False, False]
    assert answers[7] == "BIRD: the job ran longer than its RequestRuntime of 3:00:00"


def test_submit_requirements(worker: Path, transformed: dict) -> None:
    schedd = '[Name = "bird-ap01.desy.de"]'
    alice = transformed["alice"]["__ad__"]
    faas = transformed["faas"]["__ad__"]

    cases = [  # (job, requirement, expected)
        *((alice, r, True) for r in SUBMIT_REQUIREMENTS),
        *((faas, r, True) for r in SUBMIT_REQUIREMENTS),
        (_with(alice, RequestRuntime=14 * 86400), "RuntimeRange", False),
        (_with(alice, RequestRuntime=60), "RuntimeRange", False),
        (_with(alice, RequestRuntime="3h"), "RuntimeRange", False),
        (_with(alice, RequestRuntime=7 * 86400), "RuntimeRange", True),
        (_with(faas, ProcId=1), "FaasOneJob", False),
        (_with(faas, RequestCpus=2), "FaasOneCore", False),
        (_with(faas, RequestMemory=4096), "FaasMemory", False),
        (_with(alice, ProcId=1, RequestCpus=8, RequestMemory=65536), "FaasOneJob", True),
        (_with(alice, ProcId=1, RequestCpus=8, RequestMemory=65536), "FaasOneCore", True),
        (_with(alice, ProcId=1, RequestCpus=8, RequestMemory=65536), "FaasMemory", True),
    ]
    requests = [{"op": "load", "config": str(worker)}]
    requests += [{"op": "eval", "knob": f"SUBMIT_REQUIREMENT_{r}", "my": schedd, "target": j}
                 for j, r, _ in cases]  # fmt: skip
    requests += [{"op": "eval", "knob": f"SUBMIT_REQUIREMENT_{r}_REASON", "my": schedd,
                  "target": alice} for r in SUBMIT_REQUIREMENTS]  # fmt: skip
    answers = _ask(requests)[1:]
    assert answers[: len(cases)] == [want for _, _, want in cases]
    assert all(isinstance(r, str) and r for r in answers[len(cases) :])
