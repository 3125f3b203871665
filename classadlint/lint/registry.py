"""Rule discovery: every ``rules/ca[0-9][0-9][0-9]_*.py`` is a rule (no central list), found
in the checkout or, in an installed wheel, inside the package (pyproject's force-include),
plus the site's TOML rules from ``rule-dirs``.

Loading validates what the engine and the documentation rely on and fails naming the
file: unique codes and names, a file name made of the code and the name, a kebab-case
name, the documentation headings, examples, and either patterns or a ``check``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from classadlint.lint.examples import from_docstring, sections
from classadlint.lint.pattern import CompiledPattern, PatternError, compile_pattern
from classadlint.lint.rule import CODE, NAME, LoadedRule, Rule

_PACKAGE = Path(__file__).resolve().parents[1]
REQUIRED_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead")


class RuleLoadError(ValueError):
    """A rule file the engine cannot use; the message names the file and the problem."""


def rules_dir() -> Path:
    for candidate in (_PACKAGE / "rules", _PACKAGE.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("classadlint's rules directory is missing from this installation")


def _load_module_rule(path: Path) -> LoadedRule:
    spec = importlib.util.spec_from_file_location(f"classadlint_rules.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise RuleLoadError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    # registered before it runs, as a normal import would: dataclasses and typing look
    # their module up in sys.modules while the rule file executes
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    rule = getattr(module, "RULE", None)
    if not isinstance(rule, Rule):
        raise RuleLoadError(f"{path}: has no `RULE = Rule(...)` record")
    doc = module.__doc__ or ""
    check = getattr(module, "check", None)
    loaded = LoadedRule(
        rule,
        doc,
        check,
        str(path),
        "builtin",
        compile_patterns(rule, str(path)),
        from_docstring(doc),
    )
    validate(loaded, expected_stem=path.stem)
    return loaded


def compile_patterns(rule: Rule, where: str) -> tuple[CompiledPattern, ...]:
    try:
        return tuple(
            compile_pattern(p.match, p.replace, p.where, message=p.message, parens=p.parens)
            for p in rule.patterns
        )
    except PatternError as exc:
        raise RuleLoadError(f"{where}: {rule.code}: {exc}") from None


def validate(loaded: LoadedRule, expected_stem: str | None = None) -> None:
    rule, where = loaded.rule, loaded.path
    if not CODE.match(rule.code):
        raise RuleLoadError(f"{where}: code `{rule.code}` is not letters and three digits")
    if loaded.origin == "builtin" and not rule.code.startswith("CA"):
        raise RuleLoadError(f"{where}: built-in codes start with CA")
    if not NAME.match(rule.name):
        raise RuleLoadError(f"{where}: name `{rule.name}` is not kebab-case")
    if expected_stem is not None:
        want = f"{rule.code.lower()}_{rule.name.replace('-', '_')}"
        if expected_stem != want:
            raise RuleLoadError(f"{where}: file name must be {want}.py")
    if loaded.check is None and not loaded.compiled and rule.code != "CA001":
        raise RuleLoadError(f"{where}: {rule.code} has neither patterns nor a check()")
    if loaded.origin == "builtin":
        secs = sections(loaded.doc)
        missing = [h for h in REQUIRED_HEADINGS if h not in secs]
        if missing:
            raise RuleLoadError(f"{where}: docstring lacks the heading `## {missing[0]}`")
        order = [h for h in secs if h in REQUIRED_HEADINGS]
        if order != list(REQUIRED_HEADINGS):
            raise RuleLoadError(f"{where}: headings must come in the order {REQUIRED_HEADINGS}")
    kinds = {e.kind for e in loaded.examples}
    if rule.code != "CA001" and kinds != {"bad", "good"}:
        raise RuleLoadError(f"{where}: {rule.code} needs at least one bad and one good example")


def check_unique(rules: Iterable[LoadedRule]) -> None:
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for r in rules:
        for table, key in ((codes, r.rule.code), (names, r.rule.name)):
            if key in table:
                raise RuleLoadError(f"{r.path}: `{key}` is already used by {table[key]}")
            table[key] = r.path


@cache
def builtin_rules() -> tuple[LoadedRule, ...]:
    """The built-in rules, in code order."""
    out = [_load_module_rule(p) for p in sorted(rules_dir().glob("ca[0-9][0-9][0-9]_*.py"))]
    check_unique(out)
    return tuple(out)


def all_rules(rule_dirs: tuple[Path, ...] = ()) -> tuple[LoadedRule, ...]:
    """Built-in rules plus the site rules of ``rule_dirs``."""
    if not rule_dirs:
        return builtin_rules()
    return _with_site(rule_dirs)


@cache
def _with_site(rule_dirs: tuple[Path, ...]) -> tuple[LoadedRule, ...]:
    from classadlint.lint.siterules import load_site_rules

    out = [*builtin_rules(), *load_site_rules(rule_dirs)]
    check_unique(out)
    return tuple(out)
