"""CA406 undefined-user-map: `userMap("Name", ...)` of a map the daemon never loads.

## What it does
Reports a `userMap("Name[.method]", ...)` call whose map `Name` is not configured for the
daemon that evaluates the expression: no `CLASSAD_USER_MAPFILE_Name` or
`CLASSAD_USER_MAPDATA_Name` defines it, or `Name` is not listed in
`<SUBSYS>_CLASSAD_USER_MAP_NAMES` for that daemon (`SCHEDD_` for transforms,
`SYSTEM_PERIODIC_*` and submit requirements, `STARTD_` for START, ...). Map names are
case-insensitive, as in HTCondor. For a map written inline (`CLASSAD_USER_MAPDATA_Name`),
a method (`userMap("Name.gpu", ...)`, or `*` without one) that none of its lines has is
reported too. The `ScheddUsermapFile`, `SetJobAttrFromUsermap`,
`AssignAccountingGroup` metaknobs count as configuring their maps.

## Why is this bad?
A daemon loads only the maps its `<SUBSYS>_CLASSAD_USER_MAP_NAMES` lists, each from
`CLASSAD_USER_MAPFILE_<name>` (a file, which wins) or `CLASSAD_USER_MAPDATA_<name>`
(reconfig_user_maps in classad_usermap.cpp). A map that is not loaded makes every
`userMap()` call UNDEFINED, or its fourth argument (reference 6.5, pitfall 58) -- an
accounting-group transform then silently assigns nobody, and no log line says why. A
method only finds the lines written for it: `*` lines do not answer `Name.gpu`, and
`userMap("Name", ...)` reads only the `*` lines. (All checked with htcondor2 in
tests/test_rules_scope.py; map and method names are case-insensitive.)

## Example
```condor-config
SUBMIT_REQUIREMENT_NAMES = KnownProject
SUBMIT_REQUIREMENT_KnownProject = userMap("Projects", TARGET.Owner) isnt undefined
```
```text
2:43 CA406 no user map `Projects` is configured: userMap() gives UNDEFINED (or its default argument); define CLASSAD_USER_MAPFILE_Projects (a file) or CLASSAD_USER_MAPDATA_Projects, and list it: `SCHEDD_CLASSAD_USER_MAP_NAMES = $(SCHEDD_CLASSAD_USER_MAP_NAMES) Projects`
```

## Use instead
```condor-config
SCHEDD_CLASSAD_USER_MAP_NAMES = $(SCHEDD_CLASSAD_USER_MAP_NAMES) Projects
CLASSAD_USER_MAPDATA_Projects @=end
* alice physics
* bob chemistry
@end
SUBMIT_REQUIREMENT_NAMES = KnownProject
SUBMIT_REQUIREMENT_KnownProject = userMap("Projects", TARGET.Owner) isnt undefined
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.analysis.site import (
    SUBSYSTEM_OF_DAEMON,
    assignments,
    base_name,
    expanded,
    split_list,
)
from classadlint.classad import ast
from classadlint.config.model import ConfigModel
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fragments import project_contexts
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA406",
    "undefined-user-map",
    "warning",
    "a user map the evaluating daemon never loads",
    scope="config",
)

_NAMES = re.compile(r"(?P<subsys>[A-Za-z0-9_]+)_CLASSAD_USER_MAP_NAMES", re.I)
_DEFINES = re.compile(r"CLASSAD_USER_MAP(?:FILE|DATA)_(?P<name>[A-Za-z0-9_.]+)", re.I)


def _maps(model: ConfigModel) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(lower map name -> the knob defining it, SUBSYS -> lower names it lists). Every
    assignment counts (files of several daemons are one site), and the values of the
    final macro table (defaults, metaknobs)."""
    defined: dict[str, str] = {}
    for _file, stmt in assignments(model, _DEFINES):
        m = _DEFINES.fullmatch(base_name(stmt.name))
        if m is not None and stmt.value.strip():
            defined.setdefault(m.group("name").lower(), base_name(stmt.name))
    listed: dict[str, set[str]] = {}
    for _file, stmt in assignments(model, _NAMES):
        m = _NAMES.fullmatch(base_name(stmt.name))
        if m is None:
            continue
        names = {n.lower() for n in split_list(expanded(model, stmt.value))}
        listed.setdefault(m.group("subsys").upper(), set()).update(names)
    return defined, listed


def _methods(model: ConfigModel, name: str) -> set[str] | None:
    """The methods (first fields, lower case) of an inline map, None when the map comes
    from a file (CLASSAD_USER_MAPFILE_ wins over MAPDATA_) or is not inline."""
    if model.lookup(f"CLASSAD_USER_MAPFILE_{name}") is not None:
        return None
    entry = model.lookup(f"CLASSAD_USER_MAPDATA_{name}")
    if entry is None:
        return None
    methods = set()
    for line in expanded(model, entry.value).splitlines():
        words = line.split()
        if words and not words[0].startswith("#"):
            methods.add(words[0].strip('"').lower())
    return methods


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    defined, listed = _maps(model)
    for item in project_contexts(project):
        ctx = item.ctx
        if ctx.tree is None:
            continue
        calls = [c for c in ctx.nodes(ast.Call) if c.name.lower() == "usermap" and c.args]
        if not calls:
            continue
        daemon = ctx.context.daemon if ctx.context is not None else None
        subsys = SUBSYSTEM_OF_DAEMON.get(daemon or "")
        ctx.rule = RULE
        for call in calls:
            arg = call.args[0]
            while isinstance(arg, ast.Paren):
                arg = arg.inner
            if not (isinstance(arg, ast.Literal) and isinstance(arg.value, str)):
                continue
            name = arg.value.split(".", 1)[0]
            low = name.lower()
            if subsys is None:  # a daemon we cannot name: any list will do
                in_list = any(low in names for names in listed.values())
                list_knob = "<SUBSYS>_CLASSAD_USER_MAP_NAMES"
            else:
                in_list = low in listed.get(subsys, set())
                list_knob = f"{subsys}_CLASSAD_USER_MAP_NAMES"
            who = f"the {daemon}" if subsys is not None else "the daemon"
            add = f"`{list_knob} = $({list_knob}) {name}`"
            if low in defined and in_list:
                method = arg.value.split(".", 1)[1] if "." in arg.value else "*"
                methods = _methods(model, name)
                if methods is None or method.lower() in methods:
                    continue
                shown = ", ".join(f"`{m}`" for m in sorted(methods)) or "none"
                yield ctx.report(
                    arg.span,
                    f"user map `{name}` has no lines for method `{method}` (its lines start "
                    f'with {shown}): `userMap("{arg.value}", ...)` is always UNDEFINED (or its '
                    f"default argument); add lines `{method} <key> <result>` to "
                    f"CLASSAD_USER_MAPDATA_{name}, or use one of its methods",
                    related=item.related,
                    args={"map": name, "method": method},
                )
                continue
            if low in defined:
                message = (
                    f"user map `{name}` is defined ({defined[low]}) but not listed in "
                    f"{list_knob}: {who} never loads it, so userMap() gives UNDEFINED (or its "
                    f"default argument); add it: {add}"
                )
            elif in_list:
                message = (
                    f"user map `{name}` is listed in {list_knob} but neither "
                    f"CLASSAD_USER_MAPFILE_{name} nor CLASSAD_USER_MAPDATA_{name} defines it: "
                    f"userMap() gives UNDEFINED (or its default argument); define one of them"
                )
            else:
                message = (
                    f"no user map `{name}` is configured: userMap() gives UNDEFINED (or its "
                    f"default argument); define CLASSAD_USER_MAPFILE_{name} (a file) or "
                    f"CLASSAD_USER_MAPDATA_{name}, and list it: {add}"
                )
            yield ctx.report(arg.span, message, related=item.related, args={"map": name})
