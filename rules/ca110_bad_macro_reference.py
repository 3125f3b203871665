"""CA110 bad-macro-reference: `$(...)` text that HTCondor does not expand.

## What it does
Reports `$(` and `$NAME(` forms that look like macro references but are not ones HTCondor
expands: spaces inside the parentheses (`$( X )`), characters a knob name cannot hold
(`$(JobStatus != 3)`), macro functions in the wrong case (`$int(X)`), and macro-function
bodies with parentheses (`$EVAL(strcat("a", "b"))`), which end at the first `)`.

## Why is this bad?
HTCondor expands only exact forms and keeps everything else as written, without a warning:
`START = $( MY_POLICY )` leaves the text `$( MY_POLICY )` in START, which then does not
parse, and the slot never starts a job. Macro function names are case-sensitive (`$INT`,
not `$int`), and a function's body is everything up to the first `)`, so
`$EVAL(strcat("a","b"))` evaluates `strcat("a","b"` and leaves `)` behind. See the
reference, section 1.6 and pitfalls 13-15.

## Example
```condor-config
MY_POLICY = Memory > 1024
START = $( MY_POLICY )
```
```text
2:9 CA103 START: `$` is not allowed outside a string in a ClassAd expression
2:9 CA110 `$( MY_POLICY )` is not expanded: HTCondor allows no spaces inside `$( )` and keeps the text as written; write `$(MY_POLICY)`
```
```condor-config fixed
MY_POLICY = Memory > 1024
START = $(MY_POLICY)
```

```condor-config
SLOTS = 4
NUM_CPUS = $int(SLOTS)
GREETING = $EVAL(strcat("a", "b"))
```
```text
2:12 CA110 `$int(` is not expanded: macro function names are case-sensitive; write `$INT(`
3:12 CA110 the body of `$EVAL(` ends at the first `)`: HTCondor evaluates `strcat("a", "b"` and leaves the rest as text; put the expression in a knob of its own and write `$EVAL(KNOB)`
```
```condor-config fixed
SLOTS = 4
NUM_CPUS = $INT(SLOTS)
GREETING = $EVAL(strcat("a", "b"))
```

## Use instead
```condor-config
MY_POLICY = Memory > 1024
START = $(MY_POLICY)
SUBMIT_NOTE = $$(Memory) is expanded by the job, not by config
GREETING_EXPR = strcat("a", "b")
GREETING = $EVAL(GREETING_EXPR)
NUM_CPUS = $INT(MY_POLICY:4)
WHICH = MY_POLICY
AGAIN = $($(WHICH))
```

## Fix safety
Unsafe: after the fix HTCondor expands the macro where it kept the text before, which is
what the author meant but changes the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from classadlint.config.model import MACRO_FUNCTIONS, Origin, _value_with_origins, find_macro
from classadlint.config.parser import Assignment
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix, Location
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import SourceFile, Span

RULE = Rule(
    "CA110",
    "bad-macro-reference",
    "warning",
    "`$(...)` text that HTCondor keeps as written",
    fix="unsafe",
    scope="config",
)

FUNCTIONS = tuple(sorted(MACRO_FUNCTIONS))
_EVALUATING = ("INT", "REAL", "STRING", "EVAL")
_OPEN = re.compile(r"\$(?P<fn>[A-Za-z][A-Za-z0-9_]*)?\(")
_NAME = re.compile(r"[A-Za-z0-9_./]+\Z")
_METAKNOB_ARG = re.compile(r"[0-9][?#+]?(:.*)?\Z", re.S)


def _problems(text: str) -> Iterator[tuple[int, int, str, str | None]]:
    """(start, end, message, replacement) for each bad form in a value."""
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        pos = m.end()
        start, fn = m.start(), m.group("fn")
        if start > 0 and text[start - 1] == "$":
            continue  # $$(...): expanded by submit, not by config
        macro = find_macro(text, start)
        close = text.find(")", m.end())
        if macro is not None and macro.start == start:
            if macro.fn in _EVALUATING and "(" in macro.body:
                yield (
                    start,
                    m.end(),
                    f"the body of `${macro.fn}(` ends at the first `)`: HTCondor evaluates "
                    f"`{macro.body}` and leaves the rest as text; put the expression in a "
                    f"knob of its own and write `${macro.fn}(KNOB)`",
                    None,
                )
            pos = macro.end
            continue
        if fn:
            want = next((f for f in FUNCTIONS if f == fn.upper()), None)
            if want is None and fn[:1] == "f" and re.fullmatch(r"f[A-Za-z]*", fn):
                want = "F" + fn[1:]
            if want is not None and want != fn:
                yield (
                    start,
                    m.end(),
                    f"`${fn}(` is not expanded: macro function names are case-sensitive; "
                    f"write `${want}(`",
                    f"${want}(",
                )
            continue
        if close < 0:
            continue
        body = text[m.end() : close]
        if _METAKNOB_ARG.match(body) or "\n" in body or "$" in body:
            continue  # metaknob arguments; `$($(1))` expands the inner macro first
        written = text[start : close + 1]
        if _NAME.match(body.strip()) and body != body.strip():
            yield (
                start,
                close + 1,
                f"`{written}` is not expanded: HTCondor allows no spaces inside `$( )` and keeps "
                f"the text as written; write `$({body.strip()})`",
                f"$({body.strip()})",
            )
        elif ":" not in body:
            yield (
                start,
                close + 1,
                f"`{written}` is not expanded: a knob name holds only letters, digits, `_`, "
                "`.` and `/`, so HTCondor keeps the text as written; in a ClassAd expression "
                "write it without `$( )`",
                None,
            )
        else:
            yield (
                start,
                close + 1,
                f"`{written}` is not expanded: a default after `:` may hold only letters, "
                "digits, `_ . / $ , : \\` and spaces, so HTCondor keeps the text as written",
                None,
            )


def _span(origins: list[Origin], start: int, end: int, file: str) -> Span | None:
    offsets = [o.offset for o in origins[start:end] if o.file == file and o.offset is not None]
    if len(offsets) != end - start or offsets != list(range(offsets[0], offsets[0] + len(offsets))):
        return None  # broken by a continuation: no single span in the file
    return Span(offsets[0], offsets[-1] + 1)


def check(project: Project) -> Iterable[Diagnostic]:
    for path, parsed in project.model.files.items():
        src: SourceFile | None = project.sources.get(path)
        if src is None:
            continue
        for stmt in parsed.statements:
            if not isinstance(stmt, Assignment) or "$" not in stmt.value:
                continue
            value, origins = _value_with_origins(stmt, path)
            for start, end, message, replacement in _problems(value):
                span = _span(origins, start, end, path)
                if span is None:
                    continue
                fixes: tuple[Fix, ...] = ()
                if replacement is not None:
                    fixes = (
                        Fix(
                            f"Write `{replacement}`",
                            (Edit(path, span.start, span.end, replacement),),
                            "unsafe",
                        ),
                    )
                yield Diagnostic(
                    RULE.code,
                    RULE.name,
                    RULE.severity,
                    message,
                    Location.of(src, span),
                    fixes=fixes,
                )
