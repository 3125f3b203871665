"""CA412 unread-prefix: `SUBSYS.LOCALNAME.KNOB` is a name HTCondor never looks up.

## What it does
Reports an assignment whose name has two prefixes, one of them a subsystem name
(`STARTD.SLOT_A.START`, `SLOT_A.STARTD.START`), unless the knob itself legitimately
contains a dot (`NEGOTIATOR.GROUP_QUOTA_group_a.b`) or some `$(...)` names it in full.

## Why is this bad?
A daemon with subsystem S and local name L looks up a knob K as `L.K`, then `S.K`, then
`K` (and each in HTCondor's defaults); it never tries `S.L.K`, whatever the manual's list
says. The value is silently ignored and the daemon runs with another one. HTCondor
before 25.8 printed "appear to be obsolete SUBSYS.LOCALNAME.* overrides"; the warning was
removed, the lookup never came. See the reference, section 1.3.

## Example
```condor-config
STARTD.SLOT_A.START = False
```
```text
1:1 CA412 `STARTD.SLOT_A.START` is never read: HTCondor looks up `SLOT_A.START`, `STARTD.START` and `START` only; write `SLOT_A.START`
```
```condor-config fixed
SLOT_A.START = False
```

## Use instead
```condor-config
SLOT_A.START = False
STARTD.START = True
```

## Fix safety
Unsafe: the value starts to take effect, for every daemon with that local name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.config.model import find_macro
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema.knob_names import is_htcondor_name
from classadlint.source import Span

RULE = Rule(
    "CA412",
    "unread-prefix",
    "warning",
    "a knob with two prefixes is never read",
    fix="unsafe",
    scope="config",
)

#: Subsystem names daemons and tools run as (subsystem_info.cpp, the manual's table).
SUBSYSTEMS = frozenset(
    {
        "MASTER", "COLLECTOR", "NEGOTIATOR", "SCHEDD", "SHADOW", "STARTD", "STARTER",
        "CREDD", "KBDD", "GRIDMANAGER", "HAD", "REPLICATION", "TRANSFERER", "TRANSFERD",
        "ROOSTER", "SHARED_PORT", "JOB_ROUTER", "DEFRAG", "GANGLIAD", "DAGMAN", "SUBMIT",
        "TOOL", "GAHP", "C_GAHP", "C_GAHP_WORKER_THREAD", "EC2_GAHP", "GCE_GAHP",
        "ANNEXD", "LEASEMANAGER", "HDFS",
    }
)  # fmt: skip

_PART = re.compile(r"[A-Za-z0-9_/]+\Z")


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    explicit: set[str] = set()  # names some `$(A.B.C)` reads in full
    for _file, stmt in model.assignments:
        pos = 0
        while (macro := find_macro(stmt.value, pos)) is not None:
            pos = macro.end
            if macro.fn == "" and macro.name.count(".") >= 2:
                explicit.add(macro.name.upper())
    for file, stmt in model.assignments:
        src = project.sources.get(file)
        parts = stmt.name.split(".")
        if src is None or len(parts) < 3 or not all(_PART.match(p) for p in parts):
            continue
        first, second = parts[0].upper(), parts[1].upper()
        if first not in SUBSYSTEMS and second not in SUBSYSTEMS:
            continue
        rest = ".".join(parts[1:])
        if is_htcondor_name(rest, prefixes=False) or stmt.name.upper() in explicit:
            continue  # a knob whose own name has a dot, under one prefix
        subsys, local = (parts[0], parts[1]) if first in SUBSYSTEMS else (parts[1], parts[0])
        knob = ".".join(parts[2:])
        instead = f"{local}.{knob}"
        start = stmt.line.file_offset(stmt.name_start)
        end = stmt.line.file_offset(stmt.name_start + len(stmt.name) - 1) + 1
        fix = None
        if end - start == len(stmt.name):
            fix = Fix(f"Rename to `{instead}`", (Edit(file, start, end, instead),), "unsafe")
        yield at(
            RULE,
            src,
            Span(start, end),
            f"`{stmt.name}` is never read: HTCondor looks up `{local}.{knob}`, "
            f"`{subsys}.{knob}` and `{knob}` only; write `{instead}`",
            fixes=[fix],
        )
