"""CA111 numeric-literal: a number HTCondor does not read.

## What it does
Reports malformed numbers in ClassAd expressions (`010`, `1.`, `0x10`, `2G`) and values of
numeric knobs that HTCondor cannot read as a number (`NEGOTIATOR_INTERVAL = 2G`).

## Why is this bad?
In an expression, HTCondor's daemons refuse integer literals with a leading zero, a `.`
without a digit after it and hexadecimal, and unit suffixes (`2G`, `512M`) were removed
in 23.10: the whole expression fails to parse. A numeric knob is read as a plain integer
or, failing that, as a ClassAd expression; when neither works HTCondor does not complain,
it silently keeps the knob's default. See the reference, sections 2.2 and 10.

With `condor-version` before 23.9 a unit suffix is part of the language: before 23.7 it
scales the number (`2G` is 2147483648.0) and is not reported; in 23.7 and 23.8 HTCondor
still reads it but drops it (`2G` is 2), which is reported.

## Example
```condor-config
START = TARGET.RequestMemory < 2G
```
```text
1:32 CA111 START: `2G`: unit suffixes on numbers were removed in HTCondor 23.10; write the value in the knob's base unit
```

```condor-config
NEGOTIATOR_INTERVAL = 1.
MAX_JOBS_RUNNING = 10K
```
```text
1:23 CA111 HTCondor cannot read `1.` as a number: NEGOTIATOR_INTERVAL silently keeps its default (60); write `1`
2:20 CA111 HTCondor cannot read `10K` as a number: MAX_JOBS_RUNNING silently keeps its default; unit suffixes were removed in 23.10: write the value in the knob's base unit
```

## Use instead
```condor-config
START = TARGET.RequestMemory < 2048
NEGOTIATOR_INTERVAL = 010
MAX_JOBS_RUNNING = 10 * 1000
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.classad.ad import ClassAd
from classadlint.classad.errors import ClassAdSyntaxError, is_numeric_literal_error
from classadlint.classad.evaluate import evaluate
from classadlint.classad.parser import (
    DEFAULT_VERSION,
    SUFFIX_IGNORED,
    SUFFIX_REMOVED,
    ParseOptions,
    Version,
    parse_expr,
)
from classadlint.config.typed_values import read_number, typed_values
from classadlint.lint.ambient import current_settings
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.lint.settings import Settings
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule("CA111", "numeric-literal", "error", "a number HTCondor does not read", scope="config")

_NUMERIC = ("int", "double")
_SUFFIX = re.compile(r"\s*[0-9.]+\s*[KMGTPB]B?\s*\Z", re.I)


def _advice(value: str) -> str:
    v = value.strip()
    if _SUFFIX.match(v):
        return "unit suffixes were removed in 23.10: write the value in the knob's base unit"
    if re.fullmatch(r"[+-]?[0-9]+\.", v):
        return f"write `{v[:-1]}`"
    if re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", v):
        return f"write `{int(v, 16)}`"
    if re.fullmatch(r"(?i)(yes|on|true)", v):
        return "write `1`"
    if re.fullmatch(r"(?i)(no|off|false)", v):
        return "write `0`"
    return "write a number or an expression that evaluates to one"


def check(project: Project) -> Iterable[Diagnostic]:
    from classadlint.lint.engine import expression_contexts

    version = current_settings().condor_version or DEFAULT_VERSION
    for ctx in expression_contexts(project, Settings()):
        err = ctx.error
        if err is not None and is_numeric_literal_error(ctx.text, err.span):
            span = _token(ctx.text, err.span)
            message = f"{ctx.knob}: {err.message}"
            if version < SUFFIX_REMOVED and _SUFFIX.match(ctx.text[span.start : span.end]):
                # the target version reads unit suffixes (the expression was parsed as the
                # current version reads it)
                try:
                    parse_expr(ctx.text, ParseOptions(strings=ctx.strings, version=version))
                except ClassAdSyntaxError as exc:  # something else is wrong for that version
                    span, message = exc.span, f"{ctx.knob}: {exc.message}"
                else:
                    if version < SUFFIX_IGNORED:
                        continue
                    message = f"{ctx.knob}: {_ignored(ctx.text[span.start : span.end], version)}"
            ctx.rule = RULE
            yield ctx.report(span, message)
            ctx.rule = None
    yield from _numeric_knobs(project, version)


def _ignored(number: str, version: Version) -> str:
    """23.7 and 23.8 read a unit suffix and drop it (literals.h MakeLiteral, HTCONDOR-2374)."""
    bare = number.strip().rstrip("BKMGTbkmgt")
    return (
        f"HTCondor {'.'.join(map(str, version[:2]))} reads `{number.strip()}` as {bare}: it "
        "ignores the unit suffix (23.7 and 23.8; an error from 23.9); write the value in the "
        "knob's base unit"
    )


def _number_in(text: str, version: Version) -> bool | int | float | None:
    """The number a numeric knob's text is in HTCondor ``version`` when it reads it as a
    ClassAd expression (typed_values reads it as the current version does)."""
    options = ParseOptions(strings="old", version=version)
    try:
        value = evaluate(parse_expr(text, options), ClassAd(), options=options)
    except (ClassAdSyntaxError, RecursionError):
        return None
    return value if isinstance(value, bool | int | float) else None


def _token(text: str, span: Span) -> Span:
    """The whole malformed number: a unit-suffix error points at the letter after it."""
    start, end = span.start, max(span.end, span.start)
    if 0 < start < len(text) and text[start].isalpha() and text[start - 1].isdigit():
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
            start -= 1
        end = span.start
        while end < len(text) and text[end].isalnum():
            end += 1
    return Span(start, end)


def _numeric_knobs(project: Project, version: Version) -> Iterable[Diagnostic]:
    for knob in typed_values(project, _NUMERIC):
        if read_number(knob.value, knob.info.type) is not None:
            continue
        info = knob.info
        if version < SUFFIX_REMOVED and _number_in(knob.value, version) is not None:
            if version < SUFFIX_IGNORED:
                continue  # the target version reads the unit suffix
            yield at(RULE, knob.src, knob.span, f"{knob.name}: {_ignored(knob.value, version)}")
            continue
        default = (
            f" ({info.default})" if info.default and re.fullmatch(r"[0-9.]+", info.default) else ""
        )
        via = "" if knob.value == knob.written else f" (from `{knob.written}`)"
        yield at(
            RULE,
            knob.src,
            knob.span,
            f"HTCondor cannot read `{knob.value}`{via} as a number: {knob.name} silently keeps "
            f"its default{default}; {_advice(knob.value)}",
        )
