"""The ads a policy test runs against: realistic defaults, what the configuration makes
the daemons advertise, the file's defaults and the case's own attributes, in that order
(later wins); and the ``userMap`` data a test declares.

A case names only what matters to it (``RequestGPUs = 1``); the rest of the job is what
condor_submit would give any job, and the slot is an idle 8-core slot whose ad also holds
the configuration's ``START`` (as ``Start`` and ``Requirements``, as the startd publishes
it) and every ``STARTD_ATTRS`` member the configuration defines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.classad.values import ERROR
from classadlint.config.model import ConfigModel
from classadlint.policytest.spec import SpecError
from classadlint.source import Span


def default_job(clock: int) -> dict[str, object]:
    """What condor_submit gives a plain vanilla job (the catalog's always-set attributes)."""
    return {
        "MyType": "Job",
        "Owner": "user",
        "User": "user@example.org",
        "ClusterId": 1,
        "ProcId": 0,
        "JobUniverse": 5,
        "JobStatus": 1,
        "QDate": clock - 60,
        "EnteredCurrentStatus": clock - 60,
        "Cmd": "/home/user/job.sh",
        "Iwd": "/home/user",
        "RequestCpus": 1,
        "RequestMemory": 2048,
        "RequestDisk": 1048576,
        "JobPrio": 0,
        "ImageSize": 1024,
        "DiskUsage": 1024,
        "NumJobStarts": 0,
        "Rank": 0.0,
        "Requirements": _parse(
            'TARGET.Arch == "X86_64" && TARGET.OpSys == "LINUX" && '
            "TARGET.Memory >= RequestMemory && TARGET.Cpus >= RequestCpus && "
            "TARGET.Disk >= RequestDisk"
        ),
    }


def default_slot(clock: int) -> dict[str, object]:
    """An idle 8-core Linux slot (the catalog's always-set machine attributes)."""
    return {
        "MyType": "Machine",
        "Name": "slot1@node1.example.org",
        "Machine": "node1.example.org",
        "SlotID": 1,
        "Activity": "Idle",
        "State": "Unclaimed",
        "Arch": "X86_64",
        "OpSys": "LINUX",
        "OpSysAndVer": "AlmaLinux9",
        "OpSysMajorVer": 9,
        "CondorVersion": "$CondorVersion: 25.14.1 2026-01-01 BuildID: 0 $",
        "Cpus": 8,
        "TotalCpus": 8,
        "Memory": 32768,
        "TotalMemory": 32768,
        "Disk": 100_000_000,
        "TotalDisk": 100_000_000,
        "LoadAvg": 0.0,
        "CondorLoadAvg": 0.0,
        "KeyboardIdle": 3600,
        "EnteredCurrentActivity": clock - 3600,
        "EnteredCurrentState": clock - 3600,
        "CurrentRank": 0.0,
        "Rank": 0.0,
        "FileSystemDomain": "example.org",
        "UidDomain": "example.org",
        "MyAddress": "<10.0.0.1:9618>",
    }


def default_schedd() -> dict[str, object]:
    return {
        "MyType": "Scheduler",
        "Name": "ap1.example.org",
        "TotalRunningJobs": 0,
        "TotalIdleJobs": 0,
        "TotalHeldJobs": 0,
        "TotalLocalJobsRunning": 0,
        "TotalSchedulerJobsRunning": 0,
    }


def _parse(text: str) -> ast.Expr:
    return parse_expr(text, ParseOptions(strings="old"))


_LIST = re.compile(r"[\s,]+")
_NOWHERE = Span(0, 0)


def advertised(model: ConfigModel, knob: str) -> dict[str, ast.Expr]:
    """Members of ``<SUBSYS>_ATTRS`` the configuration defines, as the expressions the
    daemon inserts into its ad (members without a definition are skipped, as HTCondor
    skips them; members that do not parse likewise)."""
    out: dict[str, ast.Expr] = {}
    for name in _LIST.split(model.value(knob) or ""):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            continue
        text = model.value(name)
        if text is None:
            continue
        try:
            out[name] = _parse(text)
        except ClassAdSyntaxError:
            continue
    return out


def knob_expr(model: ConfigModel, knob: str) -> ast.Expr | None:
    """A knob's final value as an expression: None when unset; the literal ERROR when it
    does not parse (the daemon then has ``error`` in its place: a START that does not
    parse never matches)."""
    text = model.value(knob)
    if text is None:
        return None
    try:
        return _parse(text)
    except ClassAdSyntaxError:
        return ast.Literal(ERROR, _NOWHERE)


def build(
    kind: str,
    clock: int,
    model: ConfigModel,
    defaults: Mapping[str, ClassAd],
    own: Mapping[str, ClassAd],
) -> ClassAd:
    """The ad of one kind for one case."""
    base: dict[str, object]
    if kind == "job":
        base = default_job(clock)
    elif kind == "slot":
        base = default_slot(clock)
        base.update(advertised(model, "STARTD_ATTRS"))
    else:
        base = default_schedd()
        base.update(advertised(model, "SCHEDD_ATTRS"))
    ad = ClassAd(base)
    for layer in (defaults.get(kind), own.get(kind)):
        if layer is not None:
            for name in layer:
                ad[name] = layer[name]
    if kind == "slot":
        start = start_expr(model, ad)
        for name in ("Start", "Requirements"):
            if start is not None and not any(name in (layer or {}) for layer in
                                             (defaults.get(kind), own.get(kind))):  # fmt: skip
                ad[name] = start
    return ad


def start_expr(model: ConfigModel, slot: ClassAd) -> ast.Expr | None:
    """The START of this slot: ``SLOT_TYPE_<N>_START`` when its SlotTypeID is N and the
    configuration sets that knob, else ``SLOT<N>_START`` by its SlotID, else START."""
    from classadlint.classad.evaluate import evaluate

    for attr, prefix in (("SlotTypeID", "SLOT_TYPE_"), ("SlotID", "SLOT")):
        expr = slot.lookup(attr)
        n = evaluate(expr, slot) if expr is not None else None
        if isinstance(n, int) and not isinstance(n, bool):
            found = knob_expr(model, f"{prefix}{n}_START")
            if found is not None:
                return found
    return knob_expr(model, "START")


def parse_maps(maps: Mapping[str, str], where: str) -> dict[str, dict[str, str]]:
    """Map file text (``* key result`` and ``submap key result`` lines, as HTCondor's
    CLASSAD_USER_MAPDATA) as the evaluator's maps: ``Name`` and ``Name.submap``."""
    out: dict[str, dict[str, str]] = {}
    for name, text in maps.items():
        for k, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) != 3:
                raise SpecError(f"{where}: maps.{name} line {k}: expected `method key result`")
            method, key, result = parts
            if key.startswith("/"):
                raise SpecError(
                    f"{where}: maps.{name} line {k}: regular-expression keys are not supported"
                )
            table = name if method == "*" else f"{name}.{method}"
            out.setdefault(table, {})[key.strip('"')] = result.strip()
    return out


__all__ = [
    "advertised",
    "build",
    "default_job",
    "default_schedd",
    "default_slot",
    "parse_maps",
    "start_expr",
]
