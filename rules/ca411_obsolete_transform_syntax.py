"""CA411 obsolete-transform-syntax: a job transform written as an old `[ ... ]` ClassAd.

## What it does
Reports a `JOB_TRANSFORM_<name>` whose value, as written, starts with `[`: the old
ClassAd form (`[ set_X = ...; eval_set_Y = ...; copy_Z = "W"; ]`) instead of the native
transform language. An error when the target HTCondor version (the `condor-version`
setting, by default the version of classadlint's catalog) is 25.8 or later, a warning
before.

## Why is this bad?
From HTCondor 25.8 on the schedd skips such a transform with only a log line
("JOB_TRANSFORM_<name> macro appears to be in ClassAd format, which is no longer
supported. Ignoring."): jobs are submitted untransformed, so accounting groups, holds or
requirements the transform set silently stop being applied. 24.10 to 25.7 still converted
it on the fly. Only the raw text counts: a value that starts with a macro reference is
not recognised as old syntax. See the reference, sections 5.1, 5.4 and 10.

## Example
```condor-config
JOB_TRANSFORM_NAMES = SetGroup
JOB_TRANSFORM_SetGroup @=end
[
  Requirements = Owner == "alice";
  set_AccountingGroup = "group_a.alice";
]
@end
```
```text
2:1 CA411 `JOB_TRANSFORM_SetGroup` is an old-style `[ ... ]` transform, which the schedd ignores from HTCondor 25.8 on (target 25.14.0): rewrite it in the native transform language (`REQUIREMENTS ...`, then COPY, DELETE, SET, EVALSET lines in that order)
```
```condor-config fixed
JOB_TRANSFORM_NAMES = SetGroup
JOB_TRANSFORM_SetGroup @=end
NAME SetGroup
REQUIREMENTS Owner == "alice"

# set_* rules
SET AccountingGroup "group_a.alice"
@end
```

## Use instead
```condor-config
JOB_TRANSFORM_NAMES = SetGroup
JOB_TRANSFORM_SetGroup @=end
REQUIREMENTS Owner == "alice"
SET AccountingGroup "group_a.alice"
@end
```

## Options
`condor-version`: below 25.8 the finding is a warning (the schedd still converts).

## Fix safety
Unsafe: the fix writes the native transform HTCondor's own converter
(`condor_transform_ads -convertoldroutes`, which 24.10-25.7 schedds applied on the fly)
produces — copy, delete, set, eval_set groups in that order — as an `@=end` block in place
of the old one. It is what the schedd ran before 25.8, but review it: macros in the old
text are kept as written, and a transform that started applying again changes jobs.
No fix when the old text does not convert (HTCondor's converter refuses it too).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from classadlint.config.parser import Assignment
from classadlint.lint.ambient import current_settings
from classadlint.lint.context import at, line_span
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema.knobs import catalog_provenance
from classadlint.source import SourceFile, Span

RULE = Rule(
    "CA411",
    "obsolete-transform-syntax",
    "error",
    "an old-style [ ... ] job transform, ignored by the schedd from 25.8 on",
    fix="unsafe",
    scope="config",
)

#: The first release whose schedd ignores old-syntax JOB_TRANSFORM_* (HTCONDOR-3538).
IGNORED_FROM = (25, 8, 0)
_TRANSFORM = re.compile(r"JOB_TRANSFORM_(?!NAMES\Z)[A-Za-z0-9_]+\Z", re.I)


def target_version() -> tuple[int, int, int]:
    """The HTCondor version findings are judged for: the setting, else the catalog's."""
    setting = current_settings().condor_version
    if setting is not None:
        return setting
    parts = [*(int(p) for p in re.findall(r"\d+", catalog_provenance().htcondor_version)), 0, 0, 0]
    return parts[0], parts[1], parts[2]


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    version = target_version()
    shown = ".".join(map(str, version))
    statements = {(f, a.lineno): a for f, a in model.assignments if isinstance(a, Assignment)}
    # a heredoc never closed runs to the end of the file: CA102 says so, its value is noise
    unterminated = {(f, e.line) for f, e in model.errors if e.code == "CA102"}
    for entry in model.entries.values():
        base = entry.name.split(".")[-1]
        src = project.sources.get(entry.file or "")
        if src is None or not _TRANSFORM.match(base) or not entry.value.lstrip().startswith("["):
            continue
        if (entry.file, entry.line) in unterminated:
            continue
        stmt = statements.get((entry.file or "", entry.line or 0))
        if stmt is not None:
            start = stmt.line.file_offset(stmt.name_start)
            span = Span(start, start + len(stmt.name))
        else:
            span = line_span(src, src.offset(max(entry.line or 1, 1), 1))
        if version >= IGNORED_FROM:
            verdict = f"which the schedd ignores from HTCondor 25.8 on (target {shown})"
        else:
            verdict = (
                f"which the schedd still converts in {shown} but ignores from HTCondor 25.8 on"
            )
        diag = at(
            RULE,
            src,
            span,
            f"`{entry.name}` is an old-style `[ ... ]` transform, {verdict}: rewrite it in the "
            "native transform language (`REQUIREMENTS ...`, then COPY, DELETE, SET, EVALSET "
            "lines in that order)",
        )
        if version < IGNORED_FROM:
            diag = dataclasses.replace(diag, severity="warning")
        fix = _native_fix(src, stmt, base) if stmt is not None else None
        if fix is not None:
            diag = dataclasses.replace(diag, fixes=(fix,))
        yield diag


def _native_fix(src: SourceFile, stmt: Assignment, name: str) -> Fix | None:
    """The whole statement (through its closing `@tag` line) rewritten as a native
    transform by HTCondor's conversion, or None when it does not convert."""
    from classadlint.config.transform.oldstyle import convert_old_transform

    if stmt.heredoc_tag is not None:
        text = "\n".join(line.text for line in stmt.body)
        last = stmt.body[-1].end_line + 1 if stmt.body else stmt.line.end_line + 1
    else:
        text = stmt.value
        last = stmt.line.end_line
    if last > src.line_count or "$(" in text:
        return None
    try:
        routes = convert_old_transform(text, name[len("JOB_TRANSFORM_") :])
    except ValueError:
        return None
    if len(routes) != 1:
        return None
    lines = [ln for ln in routes[0].splitlines() if not ln.startswith("# autoconversion")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip("\n"))
    if "\n@end\n" in f"\n{body}\n":
        return None
    start = src.offset(stmt.line.line, 1)
    end = src.offset(last, 1) + len(src.line_text(last).rstrip("\r"))
    replacement = f"{stmt.name} @=end\n{body}\n@end"
    return Fix(
        "Rewrite in the native transform language",
        (Edit(src.path, start, end, replacement),),
        "unsafe",
    )
