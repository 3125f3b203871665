"""CA402 unknown-knob: a knob HTCondor does not know, used nowhere, spelled like one it does.

## What it does
Reports an assignment to a name that is not an HTCondor knob (not in HTCondor's
parameter table, not one of the families it builds names for such as
`SUBMIT_REQUIREMENT_<Name>` or `SLOT<N>_<KNOB>`, not documented in its manual now or in an
earlier release), that nothing in the configuration refers
to (no `$(NAME)`, no `*_ATTRS` list, no expression naming it), and that is one or two
letters away from a real knob. It suggests that knob.

Until the catalogue was settled this code belonged to the macro-cycle rule, now CA408
recursive-macro.

## Why is this bad?
HTCondor accepts any name as a macro and never warns about one it does not use:
`STARTD_ATRS = GPUs` defines a macro nobody reads, while `STARTD_ATTRS` keeps its
default and the attribute is never advertised. The typo is silent until a job fails to
match. See the reference, sections 1.2 and 1.3.

## Example
```condor-config
STARTD_ATRS = HasDocker
HasDocker = True
```
```text
1:1 CA402 `STARTD_ATRS` is not an HTCondor knob and nothing uses it; did you mean `STARTD_ATTRS`?
```
```condor-config fixed
STARTD_ATTRS = HasDocker
HasDocker = True
```

## Use instead
```condor-config
STARTD_ATTRS = HasDocker
HasDocker = True
MY_SITE_POLICY = Memory > 1024
START = $(MY_SITE_POLICY)
```

## Fix safety
Unsafe: renaming the knob makes HTCondor use a value it ignored until now.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

from classadlint.config.parser import Assignment, Conditional, Keyword
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.knob_names import is_htcondor_name
from classadlint.source import Span

RULE = Rule(
    "CA402",
    "unknown-knob",
    "warning",
    "not an HTCondor knob, used nowhere, close to one",
    fix="unsafe",
    scope="config",
)

_WORD = re.compile(r"[A-Za-z0-9_]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _words(text: str) -> Counter[str]:
    return Counter(w.upper() for w in _WORD.findall(text))


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts once), capped at
    ``limit + 1``. Only the band ``|i - j| <= limit`` of the table is computed: outside it
    the distance already exceeds the limit, and a name is compared with hundreds of knobs."""
    big = limit + 1
    n, m = len(a), len(b)
    if abs(n - m) > limit:
        return big
    prev2: list[int] = []
    prev = [j if j <= limit else big for j in range(m + 1)]
    for i in range(1, n + 1):
        cur = [big] * (m + 1)
        if i <= limit:
            cur[0] = i
        lo, hi = max(1, i - limit), min(m, i + limit)
        for j in range(lo, hi + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = min(v, big)
        if min(cur) > limit:
            return big
        prev2, prev = prev, cur
    return prev[m]


@cache
def _names_by_length() -> dict[int, list[str]]:
    """The param table's names by length: a name further away in length than the distance
    allowed cannot be the one meant, so only a few lengths are compared."""
    out: dict[int, list[str]] = {}
    for known in knob_catalog.known_names():
        out.setdefault(len(known), []).append(known)
    return out


@cache
def suggestion(name: str) -> str | None:
    """The one param-table knob a letter or two away from ``name`` (upper case), if any.

    A difference in digits only (``SCHEDD2_LOG``) is a per-daemon or per-slot name HTCondor
    builds from a local name or a number, not a typo.
    """
    if len(name) < 6:
        return None
    limit = 1 if len(name) < 10 else 2
    best: list[tuple[int, str]] = []
    by_length = _names_by_length()
    nearby = (
        k for n in range(len(name) - limit, len(name) + limit + 1) for k in by_length.get(n, ())
    )
    for known in nearby:
        d = _distance(name, known, limit)
        if d <= limit:
            best.append((d, known))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # ambiguous: stay silent rather than guess
    known = best[0][1]
    if re.sub(r"\d", "", name) == re.sub(r"\d", "", known):
        return None
    return knob_catalog.param_table()[known].name


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    used: Counter[str] = Counter()
    own: dict[str, Counter[str]] = {}
    for _file, stmt in model.assignments:
        counted = _words(stmt.value)
        used.update(counted)
        own.setdefault(stmt.name.upper(), Counter()).update(counted)
    for parsed in model.files.values():
        for s in parsed.statements:
            if isinstance(s, Keyword):
                used.update(_words(f"{s.options} {s.argument}"))
            elif isinstance(s, Conditional):
                used.update(_words(s.condition))
    defined = {a.name.split(".")[0].upper() for _f, a in model.assignments}
    seen: set[str] = set()
    for file, stmt in model.assignments:
        src = project.sources.get(file)
        if src is None or not isinstance(stmt, Assignment) or "$(" in stmt.name:
            continue
        base = stmt.name.split(".")[-1]
        upper = base.upper()
        if upper in seen or not _NAME.match(base) or is_htcondor_name(base):
            continue
        seen.add(upper)
        # used: named in some other statement (a `$(X)`, a list, an expression)
        if used[upper] - own.get(stmt.name.upper(), Counter())[upper] > 0:
            continue
        # `SCHEDD2_LOG` with `SCHEDD2 = $(SCHEDD)`: a knob family of a daemon defined here
        if "_" in upper and upper.split("_")[0] in defined:
            continue
        known = suggestion(upper)
        if known is None:
            continue
        offset = len(stmt.name) - len(base)
        start = stmt.line.file_offset(stmt.name_start + offset)
        end = stmt.line.file_offset(stmt.name_start + len(stmt.name) - 1) + 1
        fix = None
        if end - start == len(base):
            fix = Fix(f"Rename to `{known}`", (Edit(file, start, end, known),), "unsafe")
        yield at(
            RULE,
            src,
            Span(start, end),
            f"`{base}` is not an HTCondor knob and nothing uses it; did you mean `{known}`?",
            fixes=[fix],
        )
