"""CA413 transform-statement: a native transform statement that does not do what it reads.

## What it does
Reports four traps in native job transforms (`JOB_TRANSFORM_<name>`,
`JOB_ROUTER_TRANSFORM_<name>`):

* `REQUIREMENTS` with a `$(...)` macro: the line is never macro-expanded;
* `SET`/`DEFAULT` of a bare word that is no attribute (`SET AcctGroup group_cms`): it
  stores a reference to an attribute of that name, not the text;
* `DEFAULT X` after the transform set `X` to `undefined`: DEFAULT never applies;
* `EVALSET`/`EVALMACRO` with text after a complete expression (`EVALSET X 1 2`).

## Why is this bad?
HTCondor takes the `REQUIREMENTS` line out of the transform before anything is expanded
and parses it as it is: `REQUIREMENTS $(X) > 1` does not parse, so the schedd drops the
whole transform ("invalid REQUIREMENTS"), and inside a string (`"$(X)"`) the macro is
compared as literal text. `SET` stores an expression: an unquoted word is an attribute
reference, UNDEFINED unless the job has that attribute. `DEFAULT` checks only whether the
attribute exists, so one set to `undefined` is kept (the manual says "undefined or
missing"; the code checks existence). `EVALSET` evaluates the text with a parser that
stops after the first complete expression and silently drops the rest. See the
reference, sections 5.2 and 5.3.

## Example
```condor-config
JOB_TRANSFORM_NAMES = Group
JOB_TRANSFORM_Group @=end
REQUIREMENTS $(IS_CMS_JOB)
SET AcctGroup group_cms
SET Site undefined
DEFAULT Site "DESY"
EVALSET Weight 1 2
@end
```
```text
3:14 CA413 `REQUIREMENTS` is never macro-expanded: `$(IS_CMS_JOB)` makes it unparsable and the schedd drops the whole transform; write the expression itself
4:15 CA413 `SET AcctGroup group_cms` stores a reference to an attribute `group_cms`, which is UNDEFINED: to store the text, quote it: `SET AcctGroup "group_cms"`
6:1 CA413 `DEFAULT Site` never applies: line 5 set `Site` to `undefined` and DEFAULT only fills in a missing attribute; write `DELETE Site` there instead of setting it to undefined
7:18 CA413 `EVALSET Weight` evaluates `1` and silently ignores `2`: remove it or join it with an operator
```
```condor-config fixed
JOB_TRANSFORM_NAMES = Group
JOB_TRANSFORM_Group @=end
REQUIREMENTS $(IS_CMS_JOB)
SET AcctGroup "group_cms"
SET Site undefined
DEFAULT Site "DESY"
EVALSET Weight 1 2
@end
```

## Use instead
```condor-config
JOB_TRANSFORM_NAMES = Group
JOB_TRANSFORM_Group @=end
REQUIREMENTS AcctGroup =?= undefined
SET AcctGroup "group_cms"
DELETE Site
DEFAULT Site "DESY"
EVALSET Weight 1 + 2
SET Wanted RequestMemory
@end
```

## Fix safety
Quoting the word is unsafe: the stored value changes from an attribute reference to a
string, which is what the line meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import Entry
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema.attributes import catalog
from classadlint.source import SourceFile, Span

RULE = Rule(
    "CA413",
    "transform-statement",
    "warning",
    "a transform statement that does not do what it reads",
    fix="unsafe",
    scope="config",
)

_TRANSFORM = re.compile(r"(JOB_TRANSFORM_(?!NAMES\Z)|JOB_ROUTER_TRANSFORM_)[A-Za-z0-9_]+\Z", re.I)
_KEYWORD = re.compile(r"(?P<kw>[A-Za-z]+)\s+(?P<rest>\S.*)?\Z", re.S)
_ATTR = re.compile(r"(?P<attr>[^\s,=]+)[\s,=]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
_LITERAL_WORDS = {"true", "false", "undefined", "error"}


class _Line(NamedTuple):
    """One statement line of a transform: its text and where it starts in the value."""

    text: str
    start: int  # index into the entry's value
    number: int  # 1-based file line


class _Statement(NamedTuple):
    keyword: str  # upper case
    attr: str
    attr_start: int  # index into the entry's value
    rest: str
    rest_start: int
    line: _Line


def _lines(entry: Entry, src: SourceFile) -> Iterator[_Line]:
    """The value's lines with their positions; `@=` variables inside are skipped."""
    pos = 0
    tag: str | None = None
    for raw in entry.value.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        text = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        if tag is not None:
            tag = None if text == tag else tag
            continue
        here = re.match(r"[A-Za-z0-9_.]+\s*@=\s*(\S+)", text)
        if here:
            tag = "@" + here.group(1)
            continue
        if not text or text.startswith("#"):
            continue
        o = entry.origins[start + lead] if start + lead < len(entry.origins) else None
        number = src.position(o.offset).line if o is not None and o.offset is not None else 0
        yield _Line(text, start + lead, number)


def _statements(entry: Entry, src: SourceFile) -> Iterator[_Statement]:
    for line in _lines(entry, src):
        m = _KEYWORD.match(line.text)
        if m is None or m.group("rest") is None:
            continue
        rest = m.group("rest")
        if rest[:1] in ("=", ":"):
            continue  # `SET = x` assigns a temporary variable named SET
        kw = m.group("kw").upper()
        rest_at = line.start + m.start("rest")
        if kw in ("REQUIREMENTS", "NAME", "UNIVERSE", "TRANSFORM"):
            yield _Statement(kw, "", rest_at, rest, rest_at, line)
            continue
        a = _ATTR.match(rest)
        if a is None:
            continue
        yield _Statement(
            kw, a.group("attr"), rest_at, rest[a.end() :].rstrip(), rest_at + a.end(), line
        )


def _span(entry: Entry, start: int, end: int) -> Span | None:
    """File span of value characters [start, end) when written contiguously in one file."""
    if end <= start or end > len(entry.origins):
        return None
    first, last = entry.origins[start], entry.origins[end - 1]
    if first.offset is None or last.offset is None or first.file != last.file:
        return None
    if last.offset - first.offset != end - 1 - start:
        return None
    return Span(first.offset, last.offset + 1)


def _outside_strings(text: str, needle: str) -> int:
    """Index of ``needle`` outside double-quoted strings, else -1."""
    in_string = False
    k = 0
    while k < len(text):
        c = text[k]
        if c == "\\" and in_string:
            k += 2
            continue
        if c == '"':
            in_string = not in_string
        elif not in_string and text.startswith(needle, k):
            return k
        k += 1
    return -1


def _trailing_junk(text: str) -> int | None:
    """Where the text after the first complete expression starts, if there is any."""
    try:
        parse_expr(text, ParseOptions())
        return None
    except ClassAdSyntaxError as exc:
        cut = exc.span.start
    if cut == 0:
        return None
    while cut > 0:
        head = text[:cut].rstrip()
        try:
            parse_expr(head, ParseOptions())
        except ClassAdSyntaxError:
            cut = len(head) - 1
            continue
        return len(head) + (len(text[len(head) :]) - len(text[len(head) :].lstrip()))
    return None


def check(project: Project) -> Iterable[Diagnostic]:
    for entry in project.model.entries.values():
        src = project.sources.get(entry.file or "")
        base = entry.name.split(".")[-1]
        if src is None or not _TRANSFORM.match(base) or entry.value.lstrip().startswith("["):
            continue
        file = entry.file or ""
        statements = list(_statements(entry, src))
        set_here = {s.attr.lower() for s in statements if s.keyword in _SETS}
        undefined_at: dict[str, _Statement] = {}
        for s in statements:
            yield from _check_one(s, entry, src, file, set_here, undefined_at)


_SETS = {"SET", "DEFAULT", "EVALSET", "COPY", "RENAME"}


def _check_one(
    s: _Statement,
    entry: Entry,
    src: SourceFile,
    file: str,
    set_here: set[str],
    undefined_at: dict[str, _Statement],
) -> Iterator[Diagnostic]:
    if s.keyword == "REQUIREMENTS":
        k = s.rest.find("$(")
        if k < 0:
            return
        macro_end = s.rest.find(")", k)
        macro = s.rest[k : macro_end + 1 if macro_end > 0 else len(s.rest)]
        span = _span(entry, s.rest_start + k, s.rest_start + k + len(macro))
        if span is None:
            return
        if _outside_strings(s.rest, "$(") >= 0:
            effect = "makes it unparsable and the schedd drops the whole transform"
        else:
            effect = "is compared as the literal text"
        yield at(
            RULE,
            src,
            span,
            f"`REQUIREMENTS` is never macro-expanded: `{macro}` {effect}; write the expression "
            "itself",
        )
        return
    if s.keyword in ("SET", "EVALSET") and s.rest.strip().lower() == "undefined":
        undefined_at[s.attr.lower()] = s
        return
    if s.keyword in ("DELETE",):
        undefined_at.pop(s.attr.lower(), None)
        return
    if s.keyword == "DEFAULT" and s.attr.lower() in undefined_at:
        earlier = undefined_at[s.attr.lower()]
        span = _span(entry, s.line.start, s.line.start + len(s.line.text))
        if span is not None:
            yield at(
                RULE,
                src,
                span,
                f"`DEFAULT {s.attr}` never applies: line {earlier.line.number} set `{s.attr}` "
                "to `undefined` and DEFAULT only fills in a missing attribute; write "
                f"`DELETE {s.attr}` there instead of setting it to undefined",
            )
    if s.keyword in ("SET", "DEFAULT"):
        word = s.rest.strip()
        if (
            _WORD.match(word)
            and "." not in word
            and word.lower() not in _LITERAL_WORDS
            and word.lower() not in set_here
            and not catalog().ads_with(word)
        ):
            span = _span(entry, s.rest_start, s.rest_start + len(word))
            if span is not None:
                quoted = f'"{word}"'
                yield at(
                    RULE,
                    src,
                    span,
                    f"`{s.keyword} {s.attr} {word}` stores a reference to an attribute `{word}`, "
                    f"which is UNDEFINED: to store the text, quote it: "
                    f"`{s.keyword} {s.attr} {quoted}`",
                    fixes=[
                        Fix(
                            f"Quote `{word}`",
                            (Edit(file, span.start, span.end, quoted),),
                            "unsafe",
                        )
                    ],
                )
    if s.keyword in ("EVALSET", "EVALMACRO") and s.rest and "$" not in s.rest:
        junk = _trailing_junk(s.rest)
        if junk is None:
            return
        span = _span(entry, s.rest_start + junk, s.rest_start + len(s.rest))
        if span is not None:
            head = s.rest[:junk].rstrip()
            yield at(
                RULE,
                src,
                span,
                f"`{s.keyword} {s.attr}` evaluates `{head}` and silently ignores "
                f"`{s.rest[junk:]}`: remove it or join it with an operator",
            )
