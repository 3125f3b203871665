"""CA405 advertised-without-value: a `*_ATTRS` member with no value, or an unquoted word.

## What it does
For every name in a list whose members a daemon inserts into its ad (`STARTD_ATTRS`,
`SLOT<N>_STARTD_ATTRS`, `SUBMIT_ATTRS`, `SCHEDD_ATTRS`, `<SUBSYS>_ATTRS`, their `_EXPRS`
forms, `STARTD_LATCH_EXPRS`), reports:

* a name defined nowhere (no `NAME = ...` under any prefix, no built-in default), or
  defined empty; when the name is run-time settable (`SETTABLE_ATTRS_*`) the message asks
  for a default instead. A list that itself splices in a macro defined nowhere is taken
  to be completed at deployment (a template), and its undefined members are not reported;
* a definition whose value is a single unquoted word that is no attribute of that ad
  (`GenomeDBName = FruitFlies`): an attribute reference, not a string;
* a definition whose value is not a ClassAd expression at all (`Site = DESY Hamburg`).

## Why is this bad?
The daemon looks each member up as a knob and inserts its value as an expression
(config_fill_ad in condor_config.cpp, Resource.cpp for the startd). A member without a
value is silently left out of the ad (pitfall 18); a bare word is inserted as a reference
to an attribute of that name, which is UNDEFINED (pitfall 17: the manual's own warning
"you forgot to quote a string value"); a value that does not parse is logged as a
CONFIGURATION PROBLEM and left out. Policies reading the attribute then see UNDEFINED.

## Example
```condor-config
GenomeDBName = FruitFlies
STARTD_ATTRS = $(STARTD_ATTRS) GenomeDBName HasScratch
```
```text
1:16 CA405 `GenomeDBName = FruitFlies` advertises an attribute reference: `FruitFlies` is no attribute of the slot ad, so GenomeDBName is UNDEFINED there; quote it: `GenomeDBName = "FruitFlies"`
2:45 CA405 `HasScratch` is listed in STARTD_ATTRS but defined nowhere: the daemon silently leaves it out of the ad; define it (`HasScratch = ...`) or remove it from the list
```
```condor-config fixed
GenomeDBName = "FruitFlies"
STARTD_ATTRS = $(STARTD_ATTRS) GenomeDBName HasScratch
```

## Use instead
```condor-config
GenomeDBName = "FruitFlies"
HasScratch = True
STARTD_ATTRS = $(STARTD_ATTRS) GenomeDBName HasScratch
```

## Fix safety
Unsafe: quoting the word turns an UNDEFINED reference into a string, which is what the
list evidently meant but changes what policies see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from classadlint.analysis.site import (
    SiteFacts,
    assignments,
    base_name,
    expanded,
    find_attribute,
    list_items,
    split_list,
    value_list_ad,
)
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import ConfigModel, find_macro
from classadlint.config.parser import Assignment
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix
from classadlint.lint.fragments import project_facts
from classadlint.lint.rule import Rule
from classadlint.project import RUN_TIME_MACRO, Project
from classadlint.schema.attributes import Ad
from classadlint.source import SourceFile, Span

RULE = Rule(
    "CA405",
    "advertised-without-value",
    "warning",
    "an advertised name with no usable value",
    fix="unsafe",
    scope="config",
)

_LISTS = re.compile(r"[A-Za-z0-9_]+_(?:ATTRS|EXPRS)", re.I)
_SETTABLE = re.compile(r"(?:[A-Za-z0-9]+_)?SETTABLE_ATTRS_[A-Za-z0-9_]+", re.I)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEYWORDS = frozenset({"true", "false", "undefined", "error"})
_AD_WORD = {"machine": "slot", "job": "job", "schedd": "schedd"}


def _definitions(model: ConfigModel, name: str) -> list[tuple[str, Assignment]]:
    """Every written assignment that defines ``name`` for some daemon: ``NAME``,
    ``SUBSYS.NAME``, ``SLOT<N>_NAME`` (a per-slot value, Resource.cpp)."""
    low = name.lower()
    per_slot = re.compile(rf"slot(?:_type_)?\d+_{re.escape(low)}")
    out = []
    for file, stmt in model.assignments:
        base = base_name(stmt.name).lower()
        if base == low or per_slot.fullmatch(base):
            out.append((file, stmt))
    return out


def _settable(model: ConfigModel) -> dict[str, str]:
    """lower name -> the SETTABLE_ATTRS knob that lists it."""
    out: dict[str, str] = {}
    for _file, stmt in assignments(model, _SETTABLE):
        for name in split_list(expanded(model, stmt.value)):
            out.setdefault(name.lower(), stmt.name)
    return out


def check(project: Project) -> Iterable[Diagnostic]:
    model = project.model
    facts = project_facts(project)
    settable = _settable(model)
    judged: set[tuple[str, int]] = set()  # definitions already looked at
    for file, stmt in assignments(model, _LISTS):
        is_value_list, ad = value_list_ad(base_name(stmt.name))
        src = project.sources.get(file)
        if not is_value_list or src is None:
            continue
        system = base_name(stmt.name).upper().startswith("SYSTEM_")
        # a list that splices in a macro defined nowhere is completed when the file is
        # deployed (glideinWMS's $(GLIDEIN_VARIABLES)); its members' values come from there
        templated = _unresolved(model, stmt.value)
        for item in list_items(model, file, stmt):
            if not _WORD.match(item.name):
                continue
            defs = _definitions(model, item.name)
            if not defs:
                # HTCondor's own SYSTEM_* lists name optional attributes on purpose
                # (DedicatedScheduler has a value only with dedicated scheduling)
                if item.start is None or item.end is None or system or templated:
                    continue
                if model.lookup(item.name) is not None:  # a built-in default
                    continue
                yield _undefined(src, item.name, item.start, item.end, stmt, settable)
                continue
            for dfile, dstmt in defs:
                key = (dfile, dstmt.lineno)
                if key in judged:
                    continue
                judged.add(key)
                yield from _judge_value(project, facts, ad, item.name, dfile, dstmt, stmt)


def _undefined(
    src: SourceFile, name: str, start: int, end: int, lst: Assignment, settable: dict[str, str]
) -> Diagnostic:
    knob = settable.get(name.lower())
    if knob is not None:
        message = (
            f"`{name}` is listed in {lst.name} but has no value: it may be set at run time "
            f"({knob}), but until someone does the ad lacks it and policies see UNDEFINED; "
            f"give it a default (`{name} = ...`)"
        )
    else:
        message = (
            f"`{name}` is listed in {lst.name} but defined nowhere: the daemon silently "
            f"leaves it out of the ad; define it (`{name} = ...`) or remove it from the list"
        )
    return at(RULE, src, Span(start, end), message)


def _judge_value(
    project: Project,
    facts: SiteFacts,
    ad: Ad | None,
    name: str,
    file: str,
    stmt: Assignment,
    lst: Assignment,
) -> Iterator[Diagnostic]:
    """The value of one definition of a listed name, as the daemon will insert it."""
    src = project.sources.get(file)
    if src is None or stmt.heredoc_tag is not None:
        return
    value = expanded(project.model, stmt.value).strip()
    raw = stmt.value.strip()
    if not value:
        name_start = stmt.line.file_offset(stmt.name_start)
        yield at(
            RULE,
            src,
            Span(name_start, name_start + len(stmt.name)),
            f"`{name}` is listed in {lst.name} but its value is empty: the daemon leaves it "
            f"out of the ad; give it a value or remove it from the list",
        )
        return
    lead = len(stmt.value) - len(stmt.value.lstrip())
    vstart = stmt.line.file_offset(stmt.value_start + lead)
    vend = stmt.line.file_offset(stmt.value_start + lead + len(raw) - 1) + 1
    span = Span(vstart, vend)
    if _WORD.match(value):
        if value.lower() in _KEYWORDS or ad is None:
            return
        if find_attribute(ad, value, facts) is not None:
            return  # a reference to another attribute of the same ad, on purpose
        fix = None
        if raw == value:  # written as is, not through macros: quote it where it is
            fix = Fix(f'Quote it: "{value}"', (Edit(file, vstart, vend, f'"{value}"'),), "unsafe")
        yield at(
            RULE,
            src,
            span,
            f"`{stmt.name} = {value}` advertises an attribute reference: `{value}` is no "
            f"attribute of the {_AD_WORD.get(ad, ad)} ad, so {name} is UNDEFINED there; "
            f'quote it: `{stmt.name} = "{value}"`',
            fixes=[fix],
        )
        return
    if _unresolved(project.model, stmt.value) or RUN_TIME_MACRO.search(value):
        return  # its text is only known at run time (CA401 reports undefined macros)
    try:
        parse_expr(value, ParseOptions(strings="old"))
    except ClassAdSyntaxError:
        yield at(
            RULE,
            src,
            span,
            f"`{name}` is listed in {lst.name} but its value `{value}` is no ClassAd "
            f"expression: the daemon logs a CONFIGURATION PROBLEM and leaves it out; quote a "
            f'string (`{stmt.name} = "{value}"`)',
        )


def _unresolved(model: ConfigModel, text: str, seen: frozenset[str] = frozenset()) -> bool:
    """Some ``$(X)`` in ``text``, or in the values it splices in, has no definition and no
    default: it expands to nothing, and the text is not what the author wrote."""
    pos = 0
    while (macro := find_macro(text, pos)) is not None:
        pos = macro.end
        if macro.fn or macro.default is not None or macro.name.lower() in seen:
            continue
        entry = model.lookup(macro.name)
        if entry is None:
            return True
        if len(seen) < 16 and _unresolved(model, entry.value, seen | {macro.name.lower()}):
            return True
    return False
