"""Suppression comments.

HTCondor config has no inline comments (``#`` after a value is part of it), so a
suppression is always a comment LINE of its own:

``# classadlint: disable=CA201 -- reason`` (or ``disable-next-line=``)
    the next statement: the next line that is not blank or a comment, with its ``\\``
    continuation lines or its whole ``@=tag`` block;
``# classadlint: disable-start=CA2`` ... ``# classadlint: enable=CA2``
    every line between (to the end of the file when never enabled again); inside an
    ``@=`` block too, where HTCondor drops comment lines;
``# classadlint: disable-file=CA401``
    the whole file.

Selectors are codes, prefixes (``CA2``), rule names or ``all``, separated by commas. The
reason is what follows ``--`` (or the first space); ``require-reason`` makes it mandatory.
A suppression that silences nothing, names no rule or lacks a required reason is itself
reported (CA001), with a fix that removes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from classadlint.lint.diagnostic import Diagnostic, Edit, Fix, Location
from classadlint.source import SourceFile, Span

_DIRECTIVE = re.compile(
    r"^[ \t]*#[ \t]*classadlint:[ \t]*(?P<kind>disable-next-line|disable-start|disable-file"
    r"|disable|enable)[ \t]*=[ \t]*(?P<codes>[\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)"
    r"(?:[ \t]+(?:--[ \t]*)?(?P<reason>.*?))?[ \t]*$",
    re.I,
)
_HEREDOC = re.compile(r"^[ \t]*[^\s#=@]+[ \t]*@=(?P<tag>\S+)[ \t]*$")

UNUSED_CODE = "CA001"
UNUSED_NAME = "unused-suppression"


@dataclass
class Suppression:
    file: str
    line: int  # the comment's own line (1-based)
    span: Span  # the comment line, with its newline
    first: int  # first suppressed line (1-based)
    last: int  # last suppressed line
    selectors: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)


def selector_matches(selector: str, code: str, name: str) -> bool:
    """``ALL``, a code, a code prefix or a rule name."""
    s = selector.upper()
    return s == "ALL" or code.startswith(s) or selector.lower() == name


def find_suppressions(src: SourceFile) -> list[Suppression]:
    lines = src.text.split("\n")
    out: list[Suppression] = []
    open_ranges: list[Suppression] = []
    for i, text in enumerate(lines, start=1):
        if "classadlint" not in text:
            continue
        m = _DIRECTIVE.match(text)
        if m is None:
            continue
        kind = m.group("kind").lower()
        selectors = tuple(c.strip() for c in m.group("codes").split(","))
        start = src.offset(i, 1)
        end = start + len(text) + (1 if i < len(lines) else 0)
        reason = (m.group("reason") or "").strip()
        if kind == "enable":
            closing = {x.upper() for x in selectors}
            still = []
            for s in open_ranges:
                if "ALL" in closing or closing & {x.upper() for x in s.selectors}:
                    s.last = i - 1
                else:
                    still.append(s)
            open_ranges = still
            continue
        if kind == "disable-file":
            first, last = 1, len(lines)
        elif kind == "disable-start":
            first, last = i + 1, len(lines) + 1
        else:
            first, last = _next_statement(lines, i)
        sup = Suppression(src.path, i, Span(start, end), first, last, selectors, reason)
        out.append(sup)
        if kind == "disable-start":
            open_ranges.append(sup)
    return out


def _next_statement(lines: list[str], i: int) -> tuple[int, int]:
    """1-based first and last line of the statement after comment line ``i``."""
    j = i  # 0-based index of the line after the comment
    while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
        j += 1
    if j >= len(lines):
        return i + 1, i + 1
    first = j + 1
    heredoc = _HEREDOC.match(lines[j])
    if heredoc is not None:
        tag = heredoc.group("tag")
        k = j + 1
        while k < len(lines) and lines[k].strip() != f"@{tag}":
            k += 1
        return first, min(k + 1, len(lines))
    k = j
    while k < len(lines) - 1 and lines[k].rstrip("\r").endswith("\\"):
        k += 1
    return first, k + 1


def apply_suppressions(
    diagnostics: Iterable[Diagnostic],
    sources: dict[str, SourceFile],
    *,
    checked: Callable[[str], bool] = lambda selector: True,
    known: Callable[[str], bool] = lambda selector: True,
    require_reason: bool = False,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add CA001 for suppressions that silence nothing.

    ``aliases``: code -> the rule's former names (a renamed rule's old suppressions
    keep working).

    ``checked(selector)``: whether a rule the selector names ran (a suppression of a rule
    that was not selected is not "unused"); ``known(selector)``: whether it names a rule.
    """
    by_file: dict[str, list[Suppression]] = {
        path: sups for path, src in sources.items() if (sups := find_suppressions(src))
    }
    kept = []
    for d in diagnostics:
        hit = None
        for s in by_file.get(d.file, ()):
            if s.first <= d.line <= s.last:
                old = aliases.get(d.code, ()) if aliases else ()
                sel = next(
                    (
                        x
                        for x in s.selectors
                        if selector_matches(x, d.code, d.name) or x.lower() in old
                    ),
                    None,
                )
                if sel is not None:
                    hit = (s, sel)
                    break
        if hit is None:
            kept.append(d)
        else:
            hit[0].used.add(hit[1])
    for path, sups in by_file.items():
        src = sources[path]
        for s in sups:
            kept.extend(_report(s, src, checked, known, require_reason))
    return kept


def _report(
    s: Suppression,
    src: SourceFile,
    checked: Callable[[str], bool],
    known: Callable[[str], bool],
    require_reason: bool,
) -> Iterable[Diagnostic]:
    line_text = src.line_text(s.line)
    where = Location.of(src, Span(s.span.start, s.span.start + len(line_text.rstrip("\r"))))
    remove = Fix("Remove the suppression", (Edit(s.file, s.span.start, s.span.end, ""),))
    unknown = [x for x in s.selectors if not known(x)]
    if unknown:
        yield Diagnostic(
            UNUSED_CODE,
            UNUSED_NAME,
            "warning",
            f"`{unknown[0]}` names no rule; write a code (CA201), a prefix (CA2) or a rule name",
            where,
            fixes=(remove,) if len(unknown) == len(s.selectors) else (),
        )
    unused = [x for x in s.selectors if x not in s.used and known(x) and checked(x)]
    if unused:
        keep = [x for x in s.selectors if x not in unused]
        if keep:
            m = _DIRECTIVE.match(line_text)
            assert m is not None
            a, b = m.span("codes")
            fix = Fix(
                f"Remove {', '.join(unused)} from the suppression",
                (Edit(s.file, s.span.start + a, s.span.start + b, ",".join(keep)),),
            )
        else:
            fix = remove
        yield Diagnostic(
            UNUSED_CODE,
            UNUSED_NAME,
            "warning",
            f"suppression of {', '.join(unused)} silences nothing; remove it",
            where,
            fixes=(fix,),
        )
    elif require_reason and not s.reason:
        yield Diagnostic(
            UNUSED_CODE,
            UNUSED_NAME,
            "warning",
            "suppression without a reason; add one after `--` "
            f"(`# classadlint: disable={','.join(s.selectors)} -- why`)",
            where,
        )
