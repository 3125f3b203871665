"""Regenerate docs/rules/ (one page per built-in rule and an index) from the rule files.

Run after adding or editing a rule: ``python tools/gen_rule_docs.py``. The test suite
compares the committed pages with what this writes, so they cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

from classadlint.lint.registry import builtin_rules
from classadlint.lint.ruledoc import index, page

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def expected() -> dict[str, str]:
    """File name -> content of every page docs/rules/ should hold."""
    rules = builtin_rules()
    out = {f"{r.code}.md": page(r) for r in rules}
    out["README.md"] = index(rules)
    return out


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    want = expected()
    for stale in DOCS.glob("*.md"):
        if stale.name not in want:
            stale.unlink()
    for name, text in want.items():
        (DOCS / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(want)} pages to {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
