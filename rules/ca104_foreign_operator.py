"""CA104 foreign-operator: ``!==``, ``===``, ``<>``, ``and``/``or``/``not`` in a ClassAd
expression.

They come from other languages and are syntax errors in ClassAds, so the whole expression
is rejected. Write ``=!=`` (or ``isnt``), ``=?=`` (or ``is``), ``!=``, ``&&``, ``||``, ``!``.

Bad::

    START = RequestGPU !== undefined

Good::

    START = RequestGPU =!= undefined

Fix: safe (the replacement operator is the one the author meant).
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic, Fix
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule("CA104", "foreign-operator", "error", "operator from another language", "safe")

_REPLACEMENT = {"!==": "=!=", "===": "=?=", "<>": "!=", "and": "&&", "or": "||", "not": "!"}


def check(project: Project) -> Iterable[Diagnostic]:
    for knob in project.expression_knobs:
        err = knob.error
        if err is None or "is not a ClassAd operator" not in err.message:
            continue
        file, line, col, offset = project.locate(knob, err.span.start)
        written = knob.expanded.text[err.span.start : err.span.end]
        fixes = ()
        replacement = _REPLACEMENT.get(written.lower())
        if offset is not None and replacement is not None:
            fixes = (
                Fix(
                    file,
                    offset,
                    offset + len(written),
                    replacement,
                    f"replace `{written}` with `{replacement}`",
                ),
            )
        yield Diagnostic(
            RULE.code,
            RULE.name,
            RULE.severity,
            f"{knob.entry.name}: {err.message}",
            file,
            line,
            col,
            offset,
            fixes=fixes,
        )
