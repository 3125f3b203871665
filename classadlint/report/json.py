"""Diagnostics as a JSON list, one object each, with stable field names for CI tooling:
positions 1-based (line, col, end_line, end_col) plus 0-based character offsets."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from classadlint.lint.diagnostic import Diagnostic, Location


def _where(loc: Location) -> dict[str, Any]:
    return {
        "file": loc.file,
        "line": loc.start.line,
        "col": loc.start.col,
        "end_line": loc.end.line,
        "end_col": loc.end.col,
        "start": loc.span.start,
        "end": loc.span.end,
    }


def to_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity,
        "message": d.message,
        **_where(d.location),
        "related": [{**_where(r.location), "note": r.note} for r in d.related],
        "fixes": [
            {
                "title": f.title,
                "safety": f.safety,
                "edits": [
                    {"file": e.file, "start": e.start, "end": e.end, "text": e.text}
                    for e in f.edits
                ],
            }
            for f in d.fixes
        ],
        "args": dict(d.args),
    }


def render(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([to_dict(d) for d in diagnostics], indent=1, ensure_ascii=False)
