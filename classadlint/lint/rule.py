"""The plain-data record every rule declares, built-in (``rules/caNNN_*.py``) or site
(``*.toml`` in a ``rule-dirs`` directory), and the loaded form the engine runs.

A rule is data plus at most one function: its metadata, its patterns (ClassAd syntax with
metavariables, see :mod:`classadlint.lint.pattern`) and, for what a pattern cannot say, a
``check`` function in the rule file. Site rules can only be data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from classadlint.lint.diagnostic import Diagnostic, Safety, Severity

if TYPE_CHECKING:
    from classadlint.lint.pattern import CompiledPattern

#: ``expression``: run on every parsed ClassAd expression (a knob's expanded value, a
#: transform, a standalone expression), ``check(ctx: ExpressionContext)``;
#: ``config``: run once per project, ``check(project: Project)``.
Scope = Literal["expression", "config"]
FixAvailability = Literal["safe", "unsafe", "display-only", "none"]

CODE = re.compile(r"[A-Z]{2,8}[0-9]{3}\Z")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class Pattern:
    """``match`` (ClassAd with ``$X`` metavariables) and an optional ``replace`` template.

    ``where`` constrains metavariables: ``{"X": {"kind": "string", "text": "^\\"[A-Z]"}}``
    (see :data:`classadlint.lint.pattern.KINDS`). ``message`` overrides the rule's.
    """

    match: str
    replace: str | None = None
    where: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    message: str | None = None
    parens: Literal["ignore", "exact"] = "ignore"


@dataclass(frozen=True)
class Rule:
    """What a rule is, as data.

    ``message`` is the diagnostic text; for pattern rules a template where ``{match}``,
    ``{replacement}`` and ``{X}`` (a metavariable's text as written) are filled in.
    ``fix`` is the safety of the fixes the rule offers (``none``: it offers none).
    ``knobs``: glob patterns of knob names the rule applies to (expression rules; empty:
    every expression). ``default``: selected without ``--select``/``extend-select``.
    """

    code: str
    name: str
    severity: Severity
    message: str
    fix: FixAvailability = "none"
    scope: Scope = "expression"
    patterns: tuple[Pattern, ...] = ()
    knobs: tuple[str, ...] = ()
    default: bool = True
    aliases: tuple[str, ...] = ()

    @property
    def fix_safety(self) -> Safety:
        return "safe" if self.fix == "none" else self.fix


ExpressionCheck = Callable[[Any], Iterable[Diagnostic]]


@dataclass(frozen=True)
class LoadedRule:
    """A rule ready to run: its record, its documentation and how to check it.

    ``check`` takes an ExpressionContext for expression rules, a Project for config rules;
    ``compiled`` are the rule's patterns, compiled once at load time.
    """

    rule: Rule
    doc: str
    check: Callable[[Any], Iterable[Diagnostic]] | None
    path: str
    origin: Literal["builtin", "site"] = "builtin"
    compiled: tuple[CompiledPattern, ...] = ()
    examples: tuple[Any, ...] = ()  # Example records (classadlint.lint.examples)

    @property
    def code(self) -> str:
        return self.rule.code
