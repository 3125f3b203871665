"""A rule's examples, which are its tests.

Built-in rules keep them in their Markdown docstring: fenced blocks tagged
``condor-config`` (a config file) or ``classad`` (a standalone expression; attributes such
as ``context=START`` after the tag). Blocks under ``## Example`` are bad, each followed by
a ``text`` block with the diagnostics it must produce, one ``LINE:COL CODE message`` per
line, and optionally a block tagged ``fixed`` with the text after applying every fix.
Blocks under ``## Use instead`` must be clean. Site rules give the same in TOML
(``[[rule.bad]]``/``[[rule.good]]`` tables, see docs/site-rules.md).

:func:`verify` runs one example through the real engine and returns what is wrong.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from classadlint.lint.diagnostic import Diagnostic
    from classadlint.lint.rule import LoadedRule

Language = Literal["condor-config", "classad"]
_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
_SECTION = re.compile(r"^## (?P<title>.+)$", re.M)


@dataclass(frozen=True)
class Example:
    kind: Literal["bad", "good"]
    language: Language
    text: str
    expect: tuple[str, ...] = ()  # "LINE:COL CODE message" lines (bad examples)
    fixed: str | None = None
    context: str | None = None  # knob whose evaluation context a classad example takes


def _attrs(info: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in info.split()[1:] if "=" in part)


def sections(doc: str) -> dict[str, str]:
    """``## Title`` -> body, in order."""
    out: dict[str, str] = {}
    marks = list(_SECTION.finditer(doc))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(doc)
        out[m.group("title").strip()] = doc[m.end() : end]
    return out


def from_docstring(doc: str) -> tuple[Example, ...]:
    """The examples of a rule docstring (see the module docstring for the format)."""
    out: list[Example] = []
    secs = sections(doc)
    for title, kind in (("Example", "bad"), ("Use instead", "good")):
        blocks = list(_FENCE.finditer(secs.get(title, "")))
        k = 0
        while k < len(blocks):
            info = blocks[k].group("info").strip()
            lang = info.split()[0] if info else ""
            if lang not in ("condor-config", "classad"):
                k += 1
                continue
            attrs = _attrs(info)
            text = blocks[k].group("body")
            expect: tuple[str, ...] = ()
            fixed = None
            k += 1
            if kind == "bad" and k < len(blocks) and blocks[k].group("info").strip() == "text":
                expect = tuple(x for x in blocks[k].group("body").splitlines() if x.strip())
                k += 1
            if k < len(blocks) and "fixed" in blocks[k].group("info").split():
                fixed = blocks[k].group("body")
                k += 1
            out.append(
                Example(kind, lang, text, expect, fixed, attrs.get("context"))  # type: ignore[arg-type]
            )
    return tuple(out)


def render_expected(diagnostics: list[Diagnostic]) -> list[str]:
    return [f"{d.line}:{d.col} {d.code} {d.message}" for d in diagnostics]


def lint_example(example: Example, rule: LoadedRule) -> tuple[list[Diagnostic], str]:
    """Lint an example with the default rules plus ``rule``; returns the diagnostics and
    the example's text with every fix (safe and unsafe) applied."""
    from classadlint.lint.engine import lint_expression, lint_files
    from classadlint.lint.fix import apply_edits, select_fixes
    from classadlint.lint.settings import Settings

    settings = Settings(extend_select=(rule.code,))
    extra = (rule,) if rule.origin == "site" else ()
    if example.language == "classad":
        diags = lint_expression(
            example.text.rstrip("\n"), context=example.context, settings=settings, extra=extra
        )
        fixed, _ = apply_edits(example.text.rstrip("\n"), select_fixes(diags, unsafe=True))
        return diags, fixed
    with tempfile.TemporaryDirectory(prefix="classadlint-example-") as tmp:
        path = Path(tmp) / "example.config"
        path.write_text(example.text, encoding="utf-8")
        diags = lint_files([path], settings=settings, extra=extra)
        fixed, _ = apply_edits(example.text, select_fixes(diags, unsafe=True))
    return diags, fixed


def verify(example: Example, rule: LoadedRule) -> list[str]:
    """What is wrong with an example (empty: it behaves as documented)."""
    diags, fixed = lint_example(example, rule)
    got = render_expected(diags)
    problems = []
    if example.kind == "good":
        if got:
            problems.append(f"good example is not clean: {got}")
    else:
        if not example.expect:
            problems.append("bad example has no expected diagnostics (a `text` block)")
        elif sorted(got) != sorted(example.expect):
            problems.append(f"expected {list(example.expect)}, got {got}")
        if not any(d.code == rule.code for d in diags):
            problems.append(f"bad example does not fire {rule.code}")
    if example.fixed is not None:
        want = example.fixed if example.language == "condor-config" else example.fixed.rstrip("\n")
        if fixed != want:
            problems.append(f"fixes give {fixed!r}, documented {want!r}")
    return problems
