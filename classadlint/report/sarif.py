"""SARIF 2.1.0, for GitHub code scanning and other CI dashboards: the rules that ran with
their help text and a help URI to their page, results with regions (1-based, columns in
Unicode code points), related locations and fixes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from classadlint import __version__
from classadlint.lint.diagnostic import Diagnostic, Location
from classadlint.lint.rule import LoadedRule

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/classadlint/classadlint"
HELP_URI = INFORMATION_URI + "/blob/main/docs/rules/{code}.md"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str) -> str:
    p = Path(file)
    return p.as_uri() if p.is_absolute() else p.as_posix()


def _region(loc: Location) -> dict[str, Any]:
    return {
        "startLine": loc.start.line,
        "startColumn": loc.start.col,
        "endLine": loc.end.line,
        "endColumn": max(loc.end.col, loc.start.col)
        if loc.end.line == loc.start.line
        else loc.end.col,
        "charOffset": loc.span.start,
        "charLength": loc.span.end - loc.span.start,
    }


def _physical(loc: Location) -> dict[str, Any]:
    return {"artifactLocation": {"uri": _uri(loc.file)}, "region": _region(loc)}


def _rule(r: LoadedRule) -> dict[str, Any]:
    first = r.doc.strip().splitlines()[0] if r.doc.strip() else r.rule.message
    out: dict[str, Any] = {
        "id": r.rule.code,
        "name": r.rule.name,
        "shortDescription": {"text": first},
        "fullDescription": {"text": r.doc.strip() or first},
        "help": {"text": r.doc.strip() or first, "markdown": r.doc.strip() or first},
        "defaultConfiguration": {"level": _LEVEL[r.rule.severity]},
        "properties": {"fix": r.rule.fix},
    }
    if r.origin == "builtin":
        out["helpUri"] = HELP_URI.format(code=r.rule.code)
    return out


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.code,
        "level": _LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": _physical(d.location)}],
    }
    if d.code in index:
        out["ruleIndex"] = index[d.code]
    if d.related:
        out["relatedLocations"] = [
            {"id": k, "physicalLocation": _physical(r.location), "message": {"text": r.note}}
            for k, r in enumerate(d.related)
        ]
    if d.fixes:
        out["fixes"] = [
            {
                "description": {"text": f"{f.title} ({f.safety})"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": _uri(file)},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "charOffset": e.start,
                                    "charLength": e.end - e.start,
                                },
                                "insertedContent": {"text": e.text},
                            }
                            for e in f.edits
                            if e.file == file
                        ],
                    }
                    for file in sorted({e.file for e in f.edits})
                ],
            }
            for f in d.fixes
        ]
    return out


def render(diagnostics: Iterable[Diagnostic], rules: Sequence[LoadedRule]) -> str:
    index = {r.rule.code: k for k, r in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "classadlint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(r) for r in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index) for d in diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=1, ensure_ascii=False)
