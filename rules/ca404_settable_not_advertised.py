"""CA404 settable-not-advertised: a run-time settable name that nothing reads.

## What it does
Reports a name in a `SETTABLE_ATTRS_<PERM>` list (`STARTD.SETTABLE_ATTRS_ADMINISTRATOR`,
`SETTABLE_ATTRS_CONFIG`, ...) that no `*_ATTRS` list advertises, that is no HTCondor knob
and that no value reads with `$(NAME)`: setting it at run time changes nothing. A close
advertised name is suggested (knob names are case-insensitive, so only spelling counts).
Patterns with `*` are reported when they match none of those names.

## Why is this bad?
`SETTABLE_ATTRS_*` lists the knobs `condor_config_val -set`/`-rset` may change
(reference 6.1 and 6.4). The usual purpose is an attribute operators flip in the slot ad
(`StartJobs`, `InStageDrain`): that works only when `STARTD_ATTRS` advertises the same
name, so the new value reaches the ad. A misspelt or unadvertised entry makes the
`condor_config_val -rset` succeed while the policy never sees the change.

## Example
```condor-config
GroupsDisabled = "none"
STARTD_ATTRS = $(STARTD_ATTRS) GroupsDisabled
STARTD.SETTABLE_ATTRS_ADMINISTRATOR = GROUPS_DISABLED
```
```text
3:39 CA404 `GROUPS_DISABLED` may be set at run time (STARTD.SETTABLE_ATTRS_ADMINISTRATOR), but no *_ATTRS advertises it, it is no HTCondor knob and nothing reads $(GROUPS_DISABLED): setting it changes nothing; did you mean `GroupsDisabled` (advertised by STARTD_ATTRS)?
```

## Use instead
```condor-config
GroupsDisabled = "none"
STARTD_ATTRS = $(STARTD_ATTRS) GroupsDisabled
STARTD.SETTABLE_ATTRS_ADMINISTRATOR = GroupsDisabled
```
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Iterable

from classadlint.analysis.site import (
    SiteFacts,
    assignments,
    base_name,
    list_items,
)
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fragments import project_facts
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema import knobs as knob_catalog
from classadlint.source import Span

RULE = Rule(
    "CA404",
    "settable-not-advertised",
    "warning",
    "a settable name nothing advertises or reads",
    scope="config",
)

_SETTABLE = re.compile(r"(?:[A-Za-z0-9]+_)?SETTABLE_ATTRS_[A-Za-z0-9_]+", re.I)


def _advertised(facts: SiteFacts) -> dict[str, tuple[str, str]]:
    """lower name -> (name, list knob) of every name a *_ATTRS list advertises."""
    out: dict[str, tuple[str, str]] = {}
    for table in facts.definitions.values():
        for low, d in table.items():
            if d.kind == "advertised":
                out.setdefault(low, (d.name, base_name(d.knob)))
    return out


def _effective(name: str, advertised: dict[str, tuple[str, str]], facts: SiteFacts) -> bool:
    low = name.lower()
    if "*" in name or "?" in name:
        pool = [*advertised, *facts.macro_uses, *(k.lower() for k in knob_catalog.known_names())]
        return any(fnmatch.fnmatchcase(n, low) for n in pool)
    if low in advertised or low in facts.macro_uses:
        return True
    info = knob_catalog.knob(name)
    return info is not None and info.in_param_table


def check(project: Project) -> Iterable[Diagnostic]:
    facts = project_facts(project)
    advertised = _advertised(facts)
    model = project.model
    for file, stmt in assignments(model, _SETTABLE):
        src = project.sources.get(file)
        if src is None:
            continue
        for item in list_items(model, file, stmt):
            if item.start is None or item.end is None:
                continue
            if _effective(item.name, advertised, facts):
                continue
            close = difflib.get_close_matches(item.name.lower(), list(advertised), 1, 0.8)
            if close:
                name, knob = advertised[close[0]]
                hint = f"did you mean `{name}` (advertised by {knob})?"
            else:
                hint = f"advertise it (e.g. STARTD_ATTRS = $(STARTD_ATTRS) {item.name})"
            yield at(
                RULE,
                src,
                Span(item.start, item.end),
                f"`{item.name}` may be set at run time ({stmt.name}), but no *_ATTRS "
                f"advertises it, it is no HTCondor knob and nothing reads $({item.name}): "
                f"setting it changes nothing; {hint}",
            )
