"""SARIF 2.1.0, for GitHub code scanning and other CI dashboards."""

from __future__ import annotations

import json
from collections.abc import Iterable

from classadlint import __version__
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.engine import load_rules

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_HELP = "https://github.com/classadlint/classadlint/blob/main/rules/{}.py"


def render(diagnostics: Iterable[Diagnostic]) -> str:
    rules = [
        {
            "id": r.rule.code,
            "name": r.rule.name,
            "shortDescription": {"text": r.rule.summary},
            "fullDescription": {"text": r.doc.strip().splitlines()[0] if r.doc else r.rule.summary},
            "helpUri": _HELP.format(r.path.rsplit("/", 1)[-1][:-3]),
            "defaultConfiguration": {"level": _LEVEL[r.rule.severity]},
        }
        for r in load_rules()
    ]
    results = [
        {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file},
                        "region": {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)},
                    }
                }
            ],
        }
        for d in diagnostics
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "classadlint", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=1)
