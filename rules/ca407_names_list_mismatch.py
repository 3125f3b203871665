"""CA407 names-list-mismatch: a `*_NAMES` list and the definitions it names disagree.

## What it does
Checks each list of names against the knobs the names select, in both directions:

| list | definition of a member X |
|---|---|
| `SUBMIT_REQUIREMENT_NAMES` | `SUBMIT_REQUIREMENT_X` |
| `JOB_TRANSFORM_NAMES` | `JOB_TRANSFORM_X` |
| `JOB_ROUTER_ROUTE_NAMES` | `JOB_ROUTER_ROUTE_X` |
| `JOB_ROUTER_PRE_ROUTE_TRANSFORM_NAMES`, `..._POST_ROUTE_...` | `JOB_ROUTER_TRANSFORM_X` |
| `FORWARD_AD_TRANSFORM_NAMES` | `FORWARD_AD_TRANSFORM_X` |
| `SYSTEM_PERIODIC_HOLD_NAMES` (and RELEASE, REMOVE, VACATE) | `SYSTEM_PERIODIC_HOLD_X` |
| `STARTD_CRON_JOBLIST`, `SCHEDD_CRON_JOBLIST`, `BENCHMARKS_JOBLIST` | `..._X_EXECUTABLE` |
| `<SUBSYS>_CLASSAD_USER_MAP_NAMES` | `CLASSAD_USER_MAPFILE_X` or `CLASSAD_USER_MAPDATA_X` |
| `MACHINE_RESOURCE_NAMES` (when set) | `MACHINE_RESOURCE_X` or `MACHINE_RESOURCE_INVENTORY_X` |

A listed name without its definition is reported at the name in the list; a definition
whose name the list does not hold, at the definition (only when the site sets the list
at all: a checked file may be one of several, and the list in another). Knob names are case-insensitive, as HTCondor
compares them; a close name on the other side is suggested (a typo usually shows up at
both ends). Every file checked together counts, and built-in defaults and metaknobs
define names too.

## Why is this bad?
HTCondor reads the list and then looks up each member's knob: a listed name without a
definition is skipped with only a log line ("JOB_TRANSFORM_X not defined, ignoring",
"Submit requirement X not defined, ignoring" in job_transforms.cpp and schedd.cpp), and a
definition that no list names is never read at all -- the transform, requirement, cron job
or map you wrote does nothing. A custom resource missing from a `MACHINE_RESOURCE_NAMES`
that is set "will have no effect" (ResAttributes.cpp).

## Example
```condor-config
JOB_TRANSFORM_NAMES = SetGroup
JOB_TRANSFORM_SetGrp @=end
DEFAULT AcctGroup "physics"
@end
```
```text
1:23 CA407 `SetGroup` is listed in JOB_TRANSFORM_NAMES but JOB_TRANSFORM_SetGroup is defined nowhere: HTCondor logs that it is not defined and skips it; did you mean `SetGrp` (JOB_TRANSFORM_SetGrp)?
2:1 CA407 JOB_TRANSFORM_SetGrp is defined but `SetGrp` is not listed in JOB_TRANSFORM_NAMES, so it is never used; did you mean the listed `SetGroup`?
```

## Use instead
```condor-config
JOB_TRANSFORM_NAMES = SetGroup
JOB_TRANSFORM_SetGroup @=end
DEFAULT AcctGroup "physics"
@end
```
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import NamedTuple

from classadlint.analysis.site import (
    ListItem,
    base_name,
    expanded,
    list_items,
    split_list,
)
from classadlint.config.model import ConfigModel
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema import knobs as knob_catalog
from classadlint.source import Span

RULE = Rule(
    "CA407",
    "names-list-mismatch",
    "warning",
    "a names list and its definitions disagree",
    scope="config",
)


class Family(NamedTuple):
    """A list knob (regex over base names) and how its members' knobs are named.

    ``define``: regex over knob base names with a group ``name``; ``exclude``: names the
    ``define`` regex also matches that are no member definition (``X_REASON``);
    ``reverse``: report definitions no list names (false for MACHINE_RESOURCE_NAMES, which
    filters only when set, and for lists HTCondor fills by default)."""

    lists: re.Pattern[str]
    define: re.Pattern[str]
    show: str  # how a definition is written, with {} for the name
    exclude: re.Pattern[str] | None = None
    reverse: bool = True
    group: bool = False  # per-subsystem lists all count for one definition


def _family(lists: str, define: str, show: str, exclude: str | None = None, **kw: bool) -> Family:
    return Family(
        re.compile(lists, re.I),
        re.compile(define, re.I),
        show,
        re.compile(exclude, re.I) if exclude else None,
        **kw,
    )


_N = r"(?P<name>[A-Za-z0-9_.]+)"
FAMILIES = (
    _family(
        "SUBMIT_REQUIREMENT_NAMES", rf"SUBMIT_REQUIREMENT_{_N}", "SUBMIT_REQUIREMENT_{}",
        r".*_(?:REASON|IS_WARNING)|NAMES",
    ),
    _family("JOB_TRANSFORM_NAMES", rf"JOB_TRANSFORM_{_N}", "JOB_TRANSFORM_{}", "NAMES"),
    _family("JOB_ROUTER_ROUTE_NAMES", rf"JOB_ROUTER_ROUTE_{_N}", "JOB_ROUTER_ROUTE_{}", "NAMES"),
    _family(
        "JOB_ROUTER_(?:PRE|POST)_ROUTE_TRANSFORM_NAMES", rf"JOB_ROUTER_TRANSFORM_{_N}",
        "JOB_ROUTER_TRANSFORM_{}", "NAMES", group=True,
    ),
    _family(
        "FORWARD_AD_TRANSFORM_NAMES", rf"FORWARD_AD_TRANSFORM_{_N}", "FORWARD_AD_TRANSFORM_{}",
        "NAMES",
    ),
    *(
        _family(
            f"SYSTEM_PERIODIC_{k}_NAMES", rf"SYSTEM_PERIODIC_{k}_{_N}",
            f"SYSTEM_PERIODIC_{k}_{{}}", r".*_(?:REASON|SUBCODE)|NAMES|REASON|SUBCODE",
        )
        for k in ("HOLD", "RELEASE", "REMOVE", "VACATE")
    ),
    *(
        _family(
            f"{d}_JOBLIST", rf"{d}_{_N}_EXECUTABLE", f"{d}_{{}}_EXECUTABLE",
        )
        for d in ("STARTD_CRON", "SCHEDD_CRON", "BENCHMARKS")
    ),
    _family(
        r"[A-Za-z0-9_]+_CLASSAD_USER_MAP_NAMES", rf"CLASSAD_USER_MAP(?:FILE|DATA)_{_N}",
        "CLASSAD_USER_MAPFILE_{}", group=True,
    ),
    _family(
        "MACHINE_RESOURCE_NAMES", rf"MACHINE_RESOURCE_(?:INVENTORY_)?{_N}",
        "MACHINE_RESOURCE_{}", r"NAMES|INVENTORY_.*", reverse=False,
    ),
)  # fmt: skip

_GPUS_DETECTED = frozenset({"gpus"})  # condor_gpu_discovery provides GPUs without a knob


class Definition(NamedTuple):
    name: str  # the member name (X)
    knob: str  # the knob as written
    file: str | None
    line: int | None
    start: int | None  # file offsets of the knob name where written
    end: int | None


def _definitions(model: ConfigModel, family: Family) -> dict[str, Definition]:
    """lower member name -> its definition (written ones first, then built-in defaults)."""
    out: dict[str, Definition] = {}
    for file, stmt in model.assignments:
        base = base_name(stmt.name)
        m = family.define.fullmatch(base)
        if m is None or not stmt.value.strip():
            continue
        name = m.group("name")
        if family.exclude is not None and family.exclude.fullmatch(name):
            continue
        info = knob_catalog.knob(base)
        if info is not None and info.in_param_table:
            continue  # an HTCondor knob of its own (JOB_ROUTER_ROUTE_NAMES, ...)
        start = stmt.line.file_offset(stmt.name_start)
        out.setdefault(
            name.lower(),
            Definition(name, stmt.name, file, stmt.lineno, start, start + len(stmt.name)),
        )
    return out


def _defined_by_default(model: ConfigModel, family: Family, name: str) -> bool:
    knob = family.show.format(name)
    return model.lookup(knob) is not None or (
        "MAPFILE" in knob and model.lookup(knob.replace("MAPFILE", "MAPDATA")) is not None
    )


def _listed(model: ConfigModel, family: Family) -> tuple[list[ListItem], dict[str, str]]:
    """Members written in lists (with places), and every listed lower name -> the list knob
    (final values too: defaults and metaknobs list names)."""
    items: list[ListItem] = []
    names: dict[str, str] = {}
    for file, stmt in model.assignments:
        if not family.lists.fullmatch(base_name(stmt.name)):
            continue
        for item in list_items(model, file, stmt):
            items.append(item)
            names.setdefault(item.name.lower(), base_name(stmt.name))
        for name in split_list(expanded(model, stmt.value)):
            names.setdefault(name.lower(), base_name(stmt.name))
    return items, names


def _close(name: str, pool: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(name.lower(), list(pool), n=1, cutoff=0.75)
    return found[0] if found else None


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    for family in FAMILIES:
        items, listed = _listed(model, family)
        if not items and not listed and family.reverse is False:
            continue
        defined = _definitions(model, family)
        missing = {
            i.name.lower()
            for i in items
            if i.name.lower() not in defined and not _defined_by_default(model, family, i.name)
        }
        seen: set[str] = set()
        for item in items:
            low = item.name.lower()
            if low in seen or low not in missing or item.start is None or item.end is None:
                continue
            if low == "names" or (family.lists.pattern == "MACHINE_RESOURCE_NAMES"
                                  and low in _GPUS_DETECTED):  # fmt: skip
                continue
            seen.add(low)
            src = project.sources.get(item.file)
            if src is None:
                continue
            knob = family.show.format(item.name)
            unlisted = [n for n in defined if n not in listed]
            close = _close(low, unlisted)
            hint = (
                f"did you mean `{defined[close].name}` ({defined[close].knob})?"
                if close
                else f"define {knob} or remove the name"
            )
            yield at(
                RULE,
                src,
                Span(item.start, item.end),
                f"`{item.name}` is listed in {base_name(item.knob)} but {knob} is defined "
                f"nowhere: HTCondor logs that it is not defined and skips it; {hint}",
            )
        if not family.reverse or not listed:
            continue  # no list anywhere: it may be set in a file not checked with these
        list_knob = family.lists.pattern.replace("(?:PRE|POST)", "PRE")
        if family.group:
            list_knob = (
                "JOB_ROUTER_PRE_ROUTE_TRANSFORM_NAMES"
                if "ROUTER" in list_knob
                else "SCHEDD_CLASSAD_USER_MAP_NAMES (or another daemon's)"
            )
        for low, d in defined.items():
            if low in listed or d.file is None or d.start is None or d.end is None:
                continue
            src = project.sources.get(d.file)
            if src is None:
                continue
            close = _close(low, missing)
            if close is not None:
                original = next(i.name for i in items if i.name.lower() == close)
                hint = f"did you mean the listed `{original}`?"
            else:
                hint = (
                    f"add it: `{list_knob.split(' ')[0]} = $({list_knob.split(' ')[0]}) {d.name}`"
                )
            yield at(
                RULE,
                src,
                Span(d.start, d.end),
                f"{d.knob} is defined but `{d.name}` is not listed in {list_knob}, so it is "
                f"never used; {hint}",
            )
