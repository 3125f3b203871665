"""A rule's page, as ``classadlint rule CODE`` prints it and ``docs/rules/`` holds it.

One rendering for both, so the pages in the repository are exactly what the command
shows (a test regenerates them and compares). The page is the rule file's docstring —
the single place a rule is documented — under a header with the facts the engine uses.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.rule import LoadedRule

#: Where the rule pages live in the repository (the language server links diagnostics there).
DOCS_URL = "https://github.com/classadlint/classadlint/blob/main/docs/rules/{code}.md"


def _fix_text(loaded: LoadedRule) -> str:
    return {
        "safe": "safe fix (`--fix`)",
        "unsafe": "unsafe fix (`--fix --unsafe-fixes`)",
        "display-only": "suggestion only",
        "none": "no fix",
    }[loaded.rule.fix]


def page(loaded: LoadedRule) -> str:
    """The Markdown page of one rule."""
    rule = loaded.rule
    first, _, rest = loaded.doc.strip().partition("\n")
    summary = first.split(":", 1)[1].strip() if ":" in first else rule.message
    applies = "each ClassAd expression" if rule.scope == "expression" else "the configuration"
    header = [
        f"# {rule.code} {rule.name}",
        "",
        summary,
        "",
        f"- Severity: {rule.severity}"
        + ("" if rule.default else " (opt-in: `--extend-select " + rule.code + "`)"),
        f"- Fix: {_fix_text(loaded)}",
        f"- Applies to: {applies}"
        + (f" ({', '.join(f'`{k}`' for k in rule.knobs)})" if rule.knobs else ""),
    ]
    if rule.aliases:
        header.append(f"- Also known as: {', '.join(rule.aliases)}")
    return "\n".join(header) + "\n\n" + rest.strip() + "\n"


def summary(loaded: LoadedRule) -> str:
    first = loaded.doc.strip().partition("\n")[0]
    return first.split(":", 1)[1].strip() if ":" in first else loaded.rule.message


def index(rules: Iterable[LoadedRule]) -> str:
    """``docs/rules/README.md``: every rule with a link to its page."""
    lines = [
        "# Rules",
        "",
        "Generated from the rule files (`rules/`) by `python tools/gen_rule_docs.py`;",
        "`classadlint rule CODE` prints the same pages, `classadlint rules` this list.",
        "",
        "| code | name | severity | fix | what it finds |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        sev = r.rule.severity + ("" if r.rule.default else " (opt-in)")
        what = summary(r).replace("|", "\\|")
        lines.append(f"| [{r.code}]({r.code}.md) | {r.rule.name} | {sev} | {r.rule.fix} | {what} |")
    return "\n".join(lines) + "\n"
