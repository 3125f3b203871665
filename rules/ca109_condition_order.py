"""CA109 condition-order: an `if` that cannot see what it tests.

## What it does
Reports an `if`/`elif` condition that tests a knob first assigned after it (later in the
file or in a later file), and `if defined X` where X has a built-in default, which makes
the condition true on every machine.

## Why is this bad?
HTCondor decides a condition at the moment it reads the line, with the values known so
far: it does not look ahead. `if $(ENABLE_GPU)` above `ENABLE_GPU = true` sees an undefined
knob, which is false, and the block is silently skipped. `if defined` looks through
HTCondor's table of built-in defaults too, so `if defined SPOOL` is true on a blank
configuration: it cannot tell whether your configuration set SPOOL. See the reference,
section 1.9 and pitfalls 7 and 8.

## Example
```condor-config
if $(ENABLE_GPU)
  START = (TARGET.RequestGPUs ?: 0) > 0
endif
ENABLE_GPU = true
```
```text
1:6 CA109 `ENABLE_GPU` is first set after this condition (at line 4): HTCondor decides `if` when it reads the line, so here ENABLE_GPU is undefined and the condition is false; move the assignment above the `if`
```

```condor-config
if defined SPOOL
  SITE_HAS_SPOOL = true
endif
```
```text
1:12 CA109 `if defined SPOOL` is always true: SPOOL has a built-in default (`$(LOCAL_DIR)/spool`); test a knob of your own that only your configuration sets
```

## Use instead
```condor-config
ENABLE_GPU = true
if $(ENABLE_GPU)
  START = (TARGET.RequestGPUs ?: 0) > 0
endif
```
```condor-config
if defined SITE_SPOOL_ON_SCRATCH
  SPOOL = /scratch/spool
endif
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.config.model import PREDEFINED, default_values, find_macro
from classadlint.config.parser import Assignment, Conditional
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Location, Related
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA109",
    "condition-order",
    "warning",
    "an `if` that cannot see what it tests",
    scope="config",
)

_DEFINED = re.compile(r"(?P<neg>(?:!\s*)*)defined\s+(?P<name>[A-Za-z0-9_./]+)\s*\Z", re.I)


def _names(cond: Conditional) -> Iterable[tuple[str, int, bool]]:
    """(name, offset in the condition, tested with `defined`) for each knob it tests."""
    text = cond.condition
    m = _DEFINED.search(text)
    if m is not None and not text[: m.start()].strip("! \t"):
        yield m.group("name"), m.start("name"), True
        return
    pos = 0
    while (macro := find_macro(text, pos)) is not None:
        pos = macro.end
        if not macro.fn:
            yield macro.name, macro.start + 2, False


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    defaults = default_values()
    first: dict[str, tuple[int, str, Assignment]] = {}
    emptied: set[str] = set()
    for index, (file, stmt) in enumerate(model.assignments):
        key = stmt.name.lower()
        first.setdefault(key, (index, file, stmt))
        if not stmt.value.strip() and stmt.heredoc_tag is None:
            emptied.add(key)
    for file, cond, seen in model.conditions:
        src = project.sources.get(file)
        if src is None:
            continue
        for name, offset, is_defined in _names(cond):
            key = name.lower()
            start = cond.line.file_offset(cond.condition_start + offset)
            span = Span(start, start + len(name))
            default = defaults.get(key)
            if is_defined and key not in emptied and (default or name.upper() in PREDEFINED):
                shown = f" (`{default}`)" if default else ""
                yield at(
                    RULE,
                    src,
                    span,
                    f"`if defined {name}` is always true: {name} has a built-in default{shown}; "
                    "test a knob of your own that only your configuration sets",
                )
                continue
            later = first.get(key)
            if later is None or later[0] < seen:
                continue
            _, where, stmt = later
            later_src = project.sources.get(where)
            place = f"line {stmt.lineno}" if where == file else f"{where}:{stmt.lineno}"
            state = (
                f"it still has HTCondor's default (`{default}`)"
                if default is not None
                else f"{name} is undefined" + ("" if is_defined else " and the condition is false")
            )
            related = []
            if later_src is not None:
                s = stmt.line.file_offset(stmt.name_start)
                related.append(
                    Related(Location.of(later_src, Span(s, s + len(stmt.name))), "first set here")
                )
            yield at(
                RULE,
                src,
                span,
                f"`{name}` is first set after this condition (at {place}): HTCondor decides "
                f"`{cond.keyword}` when it reads the line, so here {state}; move the assignment "
                f"above the `{cond.keyword}`",
                related=related,
            )
