"""Site rules: declarative TOML files in the site's own repository (``rule-dirs``).

Never executed code: a pull request, a pre-commit run or an editor opening a repository
must not run anything from it, so a site rule is data only — the same metadata as a
built-in rule, its examples, and either patterns for the one pattern engine
(:mod:`classadlint.lint.pattern`) or a policy assertion (``[rule.assert]``) that
classadlint's own code proves or refutes (:mod:`classadlint.lint.assertions`). The format
is documented for users in ``docs/site-rules.md``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from classadlint.lint.assertions import AssertionFormatError, checker, parse_assertion
from classadlint.lint.diagnostic import SEVERITIES
from classadlint.lint.examples import Example
from classadlint.lint.registry import RuleLoadError, compile_patterns, validate
from classadlint.lint.rule import LoadedRule, Pattern, Rule

_RULE_KEYS = {
    "code", "name", "severity", "message", "description", "fix", "knobs", "default",
    "aliases", "pattern", "replace", "where", "bad", "good", "assert",
}  # fmt: skip
_PATTERN_KEYS = {"match", "replace", "where", "message"}
_EXAMPLE_KEYS = {"config", "expression", "context", "expect", "fixed"}
_FIX = ("safe", "unsafe", "display-only", "none")


def load_site_rules(dirs: Iterable[Path]) -> list[LoadedRule]:
    """Every ``[[rule]]`` of every ``*.toml`` in the directories, in file-name order."""
    out: list[LoadedRule] = []
    for d in dirs:
        if not d.is_dir():
            raise RuleLoadError(f"{d}: rule-dirs names a directory that does not exist")
        for path in sorted(d.glob("*.toml")):
            out.extend(load_site_file(path))
    return out


def load_site_file(path: Path) -> list[LoadedRule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleLoadError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleLoadError(f"{path}: not valid TOML: {exc}") from None
    extra = set(data) - {"rule"}
    if extra:
        raise RuleLoadError(f"{path}: unknown top-level key `{sorted(extra)[0]}`; use [[rule]]")
    rules = data.get("rule", [])
    if not isinstance(rules, list) or not rules:
        raise RuleLoadError(f"{path}: no [[rule]] tables")
    return [_rule(path, k, d) for k, d in enumerate(rules, start=1)]


def _rule(path: Path, index: int, d: Mapping[str, Any]) -> LoadedRule:
    where = f"{path}: rule {index}"
    if not isinstance(d, dict):
        raise RuleLoadError(f"{where}: must be a table")
    where = f"{path}: rule {d.get('code', index)}"
    unknown = set(d) - _RULE_KEYS
    if unknown:
        raise RuleLoadError(
            f"{where}: unknown key `{sorted(unknown)[0]}`; known: {', '.join(sorted(_RULE_KEYS))}"
        )
    for key in ("code", "name", "message"):
        if not isinstance(d.get(key), str) or not d[key]:
            raise RuleLoadError(f"{where}: `{key}` is required (a string)")
    if d["code"].upper().startswith("CA"):
        raise RuleLoadError(f"{where}: codes starting with CA belong to classadlint; pick your own")
    severity = d.get("severity", "warning")
    if severity not in SEVERITIES:
        raise RuleLoadError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    fix = d.get("fix", "none" if "replace" not in d else "unsafe")
    if fix not in _FIX:
        raise RuleLoadError(f"{where}: fix must be one of {', '.join(_FIX)}")
    assertion = None
    if "assert" in d:
        if "pattern" in d or "replace" in d or "where" in d:
            raise RuleLoadError(
                f"{where}: a rule has either `pattern` or `[rule.assert]`, not both"
            )
        try:
            assertion = parse_assertion(where, d["assert"])
        except AssertionFormatError as exc:
            raise RuleLoadError(str(exc)) from None
        patterns: tuple[Pattern, ...] = ()
    else:
        patterns = _patterns(where, d)
    if fix == "none" and any(p.replace is not None for p in patterns):
        fix = "unsafe"
    rule = Rule(
        code=d["code"],
        name=d["name"],
        severity=severity,
        message=d["message"],
        fix=fix,
        scope="config" if assertion is not None else "expression",
        patterns=patterns,
        knobs=tuple(_strings(where, d, "knobs")),
        default=bool(d.get("default", True)),
        aliases=tuple(_strings(where, d, "aliases")),
    )
    examples = tuple(
        _example(where, kind, e) for kind in ("bad", "good") for e in _tables(where, d, kind)
    )
    doc = f"{d['code']} {d['name']}: {d['message']}\n\n{d.get('description', '')}".rstrip() + "\n"
    check = checker(assertion, rule) if assertion is not None else None
    loaded = LoadedRule(
        rule, doc, check, str(path), "site", compile_patterns(rule, where), examples
    )
    validate(loaded)
    return loaded


def _patterns(where: str, d: Mapping[str, Any]) -> tuple[Pattern, ...]:
    raw = d.get("pattern")
    if isinstance(raw, str):
        return (Pattern(raw, _opt_str(where, d, "replace"), _where(where, d.get("where", {}))),)
    if "replace" in d or "where" in d:
        raise RuleLoadError(f'{where}: `replace`/`where` at rule level go with `pattern = "..."`')
    if not isinstance(raw, list) or not raw:
        raise RuleLoadError(f"{where}: `pattern` is required: a string or [[rule.pattern]] tables")
    out = []
    for p in raw:
        if not isinstance(p, dict) or not isinstance(p.get("match"), str):
            raise RuleLoadError(f'{where}: each [[rule.pattern]] needs `match = "..."`')
        unknown = set(p) - _PATTERN_KEYS
        if unknown:
            raise RuleLoadError(f"{where}: [[rule.pattern]] has unknown key `{sorted(unknown)[0]}`")
        out.append(
            Pattern(
                p["match"],
                _opt_str(where, p, "replace"),
                _where(where, p.get("where", {})),
                _opt_str(where, p, "message"),
            )
        )
    return tuple(out)


def _where(where: str, w: Any) -> dict[str, dict[str, str]]:
    if not isinstance(w, dict) or not all(isinstance(v, dict) for v in w.values()):
        raise RuleLoadError(f"{where}: `where` must map metavariables to tables")
    return {k: {kk: str(vv) for kk, vv in v.items()} for k, v in w.items()}


def _opt_str(where: str, d: Mapping[str, Any], key: str) -> str | None:
    v = d.get(key)
    if v is not None and not isinstance(v, str):
        raise RuleLoadError(f"{where}: `{key}` must be a string")
    return v


def _strings(where: str, d: Mapping[str, Any], key: str) -> list[str]:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise RuleLoadError(f"{where}: `{key}` must be a list of strings")
    return v


def _tables(where: str, d: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise RuleLoadError(f"{where}: `{key}` must be [[rule.{key}]] tables")
    return v


def _example(where: str, kind: str, e: Mapping[str, Any]) -> Example:
    unknown = set(e) - _EXAMPLE_KEYS
    if unknown:
        raise RuleLoadError(f"{where}: [[rule.{kind}]] has unknown key `{sorted(unknown)[0]}`")
    if ("config" in e) == ("expression" in e):
        raise RuleLoadError(f"{where}: [[rule.{kind}]] needs exactly one of `config`, `expression`")
    language = "condor-config" if "config" in e else "classad"
    text = e.get("config", e.get("expression"))
    if not isinstance(text, str):
        raise RuleLoadError(f"{where}: [[rule.{kind}]] text must be a string")
    expect = e.get("expect", [])
    if not isinstance(expect, list) or not all(isinstance(x, str) for x in expect):
        raise RuleLoadError(f'{where}: `expect` must be a list of "LINE:COL CODE message"')
    return Example(
        kind,  # type: ignore[arg-type]
        language,  # type: ignore[arg-type]
        text,
        tuple(expect),
        _opt_str(where, e, "fixed"),
        _opt_str(where, e, "context"),
    )
