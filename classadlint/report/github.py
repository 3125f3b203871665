"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the PR."""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic

_KIND = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(
        f"::{_KIND[d.severity]} file={d.file},line={d.line},col={d.col},"
        f"title={d.code} {d.name}::{_escape(d.message)}"
        for d in diagnostics
    )
