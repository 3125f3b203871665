"""Discover the rules in ``rules/`` and run them over a Project.

There is no central list: every ``rules/caNNN_name.py`` is a rule (code, docs and check
together), found in the checkout or, in an installed wheel, inside the package.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import LoadedRule
from classadlint.project import Project

_PACKAGE = Path(__file__).resolve().parents[1]


def rules_dir() -> Path:
    for candidate in (_PACKAGE / "rules", _PACKAGE.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("classadlint's rules directory is missing from this installation")


@cache
def load_rules() -> tuple[LoadedRule, ...]:
    out = []
    for path in sorted(rules_dir().glob("ca[0-9][0-9][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(f"classadlint_rules.{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.append(LoadedRule(module.RULE, module.__doc__ or "", module.check, str(path)))
    return tuple(out)


def selected(code: str, select: list[str] | None, ignore: list[str] | None) -> bool:
    """``--select CA1 --ignore CA105``: prefixes of codes."""
    if select and not any(code.startswith(s.upper()) for s in select):
        return False
    return not (ignore and any(code.startswith(i.upper()) for i in ignore))


def lint_project(
    project: Project, select: list[str] | None = None, ignore: list[str] | None = None
) -> list[Diagnostic]:
    from classadlint.lint.suppress import apply_suppressions

    found: list[Diagnostic] = []
    for loaded in load_rules():
        if not selected(loaded.rule.code, select, ignore):
            continue
        found.extend(loaded.check(project))
    kept = apply_suppressions(sorted(set(found), key=Diagnostic.sort_key), project.sources)
    return [d for d in kept if selected(d.code, select, ignore)]
