"""The plain-data record every rule file declares, and the rule module's shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from classadlint.lint.diagnostic import Diagnostic, Severity

if TYPE_CHECKING:
    from classadlint.project import Project


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    fix: Literal["safe", "unsafe", "none"] = "none"


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    doc: str
    check: Callable[[Project], Iterable[Diagnostic]]
    path: str
