"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the pull
request (``::error file=...,line=...,col=...::message``)."""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic

_KIND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: Iterable[Diagnostic]) -> str:
    out = []
    for d in diagnostics:
        props = [f"file={_prop(d.file)}", f"line={d.line}", f"col={d.col}"]
        if d.end_line != d.line or d.end_col != d.col:
            props += [f"endLine={d.end_line}", f"endColumn={d.end_col}"]
        props.append(f"title={_prop(f'{d.code} {d.name}')}")
        out.append(f"::{_KIND[d.severity]} {','.join(props)}::{_data(d.message)}")
    return "\n".join(out)
