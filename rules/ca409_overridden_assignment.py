"""CA409 overridden-assignment: a knob set again, its earlier value thrown away.

## What it does
Reports an assignment to a knob that this configuration already set, pointing at the
earlier one ("first set here"). An informational finding, except for a list knob
(`STARTD_ATTRS`, `SUBMIT_ATTRS`, `JOB_TRANSFORM_NAMES`, `STARTD_CRON_JOBLIST`, any
`*_ATTRS`, `*_NAMES`, `*_EXPRS` list, `SETTABLE_ATTRS_*`): overwriting one that already
had members is a warning, because the members set earlier (often by another file or by a
`use` template) are dropped. Appending is not reported: `X = $(X) y`, `X += y`. Overriding
what a `use` template set is how templates are meant to be used and is not reported
either, except for list knobs.

## Why is this bad?
The last assignment wins; HTCondor keeps no trace of the earlier value
(`condor_config_val -v` shows only the last place). A knob set twice in one file is
usually a leftover that confuses the next reader. A list knob overwritten drops the names
listed before: `STARTD_ATTRS = GPUs` after `STARTD_ATTRS = HasDocker` stops advertising
`HasDocker`, and a `JOB_TRANSFORM_NAMES` overwritten in a later file silently disables
the transforms named earlier. See the reference, sections 1.3 and 1.4.

## Example
```condor-config
MAX_JOBS_RUNNING = 200
MAX_JOBS_RUNNING = 500
```
```text
2:1 CA409 `MAX_JOBS_RUNNING` was already set at line 1; only this value counts: remove the assignment you do not mean
```

```condor-config
STARTD_ATTRS = HasDocker
HasDocker = True
STARTD_ATTRS = HasGPU
HasGPU = False
```
```text
3:1 CA409 `STARTD_ATTRS = HasGPU` replaces the list set at line 1, dropping its members; append instead: `STARTD_ATTRS = $(STARTD_ATTRS) HasGPU`
```
```condor-config fixed
STARTD_ATTRS = HasDocker
HasDocker = True
STARTD_ATTRS = $(STARTD_ATTRS) HasGPU
HasGPU = False
```

## Use instead
```condor-config
MAX_JOBS_RUNNING = 500
STARTD_ATTRS = HasDocker
HasDocker = True
STARTD_ATTRS = $(STARTD_ATTRS) HasGPU
STARTD_ATTRS += IsJupyterSlot
HasGPU = False
IsJupyterSlot = False
```

## Fix safety
The list fix is unsafe: the members dropped until now start to be used again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from classadlint.config.parser import Assignment, Conditional, ConfigFile
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix, Location, Related
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema import knobs as knob_catalog
from classadlint.source import Span

RULE = Rule(
    "CA409",
    "overridden-assignment",
    "info",
    "a knob is assigned again and its earlier value is lost",
    fix="unsafe",
    scope="config",
)

#: Lists of daemons: a site routinely replaces them whole (`DAEMON_LIST = MASTER, STARTD`).
_REPLACED_WHOLE = frozenset({"DAEMON_LIST", "DC_DAEMON_LIST", "MASTER_HA_LIST", "STARTER_LIST"})


def is_list_knob(name: str) -> bool:
    """A knob whose value is a list of names that configurations build up piece by piece."""
    base = name.split(".")[-1].upper()
    if base in _REPLACED_WHOLE:
        return False
    if base.startswith("SETTABLE_ATTRS_") or base.endswith("_JOBLIST"):
        return True
    info = knob_catalog.knob(base)
    return info is not None and info.type == "list"


def _branches(parsed: ConfigFile) -> dict[int, tuple[tuple[int, int], ...]]:
    """For each statement (by id): the (if-block, branch) pairs it sits in, so that two
    statements in different branches of one `if` are known never to run both."""
    out: dict[int, tuple[tuple[int, int], ...]] = {}
    stack: list[tuple[int, int]] = []
    block = 0
    for stmt in parsed.statements:
        if isinstance(stmt, Conditional):
            if stmt.keyword == "if":
                block += 1
                stack.append((block, 0))
            elif stmt.keyword in ("elif", "else") and stack:
                b, n = stack.pop()
                stack.append((b, n + 1))
            elif stmt.keyword == "endif" and stack:
                stack.pop()
            continue
        out[id(stmt)] = tuple(stack)
    return out


def _exclusive(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    branch_of = dict(a)
    return any(blk in branch_of and branch_of[blk] != n for blk, n in b)


def _appends(stmt: Assignment, key: str) -> bool:
    if stmt.op.startswith("+"):
        return True
    plain = key.split(".")[-1]
    names = "|".join(re.escape(n) for n in {key, plain})
    return re.search(rf"\$\((?:{names})(?::[^)]*)?\)", stmt.value, re.I) is not None


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    branches: dict[int, tuple[tuple[int, int], ...]] = {}
    for parsed in model.files.values():
        branches.update(_branches(parsed))
    last: dict[str, tuple[str, Assignment]] = {}
    first: dict[str, Assignment] = {}
    for _f, a in model.assignments:
        first.setdefault(a.name.lower(), a)
    # a file HTCondor refuses (CA101/CA102) is not configuration; its other findings are noise
    refused = {f for f, _e in model.errors}
    for file, stmt in model.assignments:
        if not isinstance(stmt, Assignment) or "$(" in stmt.name or file in refused:
            continue
        key = stmt.name.lower()
        prev = last.get(key)
        last[key] = (file, stmt)
        src = project.sources.get(file)
        if prev is None or src is None or _appends(stmt, key):
            continue
        prev_file, prev_stmt = prev
        if prev_file == file and _exclusive(
            branches.get(id(prev_stmt), ()), branches.get(id(stmt), ())
        ):
            continue  # if/else branches HTCondor never runs both of
        # emptying a list on purpose (`STARTD_ATTRS =`) or restating it is not dropping
        listed = (
            is_list_knob(stmt.name)
            and stmt.value != ""
            and bool(_members(prev_stmt.value) - _members(stmt.value))
        )
        prev_src = project.sources.get(prev_file)
        if not listed and prev_file != file:
            # a later file overriding an earlier one is how config.d layers are meant to
            # work, and so is overriding what a `use` template set
            continue
        where = (
            f"at line {prev_stmt.lineno}"
            if prev_file == file
            else f"at {prev_file}:{prev_stmt.lineno}"
        )
        if prev_src is None:
            where = f"by `{prev_file.strip('<>')}`"
        related = []
        if prev_src is not None:
            start = prev_stmt.line.file_offset(prev_stmt.name_start)
            related.append(
                Related(
                    Location.of(prev_src, Span(start, start + len(prev_stmt.name))),
                    f"`{prev_stmt.name}` first set here"
                    if first.get(key) is prev_stmt
                    else f"`{prev_stmt.name}` previously set here",
                )
            )
        start = stmt.line.file_offset(stmt.name_start)
        name_span = Span(start, start + len(stmt.name))
        if not listed:
            yield at(
                RULE,
                src,
                name_span,
                f"`{stmt.name}` was already set {where}; only this value counts: remove "
                "the assignment you do not mean",
                related=related,
            )
            continue
        value = " ".join(stmt.value.split())
        fix = None
        if stmt.heredoc_tag is None and stmt.value:
            at_value = stmt.line.file_offset(stmt.value_start)
            fix = Fix(
                f"Append: `{stmt.name} = $({stmt.name}) ...`",
                (Edit(file, at_value, at_value, f"$({stmt.name}) "),),
                "unsafe",
            )
        diag = at(
            RULE,
            src,
            name_span,
            f"`{stmt.name} = {_short(value)}` replaces the list set {where}, dropping its "
            f"members; append instead: `{stmt.name} = $({stmt.name}) {_short(value)}`",
            fixes=[fix],
            related=related,
        )
        yield dataclasses.replace(diag, severity="warning")


def _members(value: str) -> set[str]:
    return {m.lower() for m in re.split(r"[\s,]+", value) if m}


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
