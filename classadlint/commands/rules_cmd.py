"""``classadlint rules`` lists the rules; ``classadlint rule CODE`` prints one rule's page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from classadlint.commands import usage_error

if TYPE_CHECKING:
    from classadlint.lint.rule import LoadedRule


def _rules(config: Path | None, command: str) -> tuple[LoadedRule, ...]:
    from classadlint.lint.registry import RuleLoadError, all_rules
    from classadlint.lint.settings import SettingsError, discover, load_settings

    try:
        settings = load_settings(config) if config is not None else discover(Path.cwd())
        return all_rules(settings.rule_dirs)
    except (SettingsError, RuleLoadError) as exc:
        raise usage_error(command, str(exc)) from None
    except OSError as exc:
        raise usage_error(command, f"{exc.filename or ''}: {exc.strerror}") from None


def rules_command(
    output: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (adds its site rules).")
    ] = None,
) -> None:
    """List every rule: code, name, default severity, fix, what it finds."""
    import json

    from classadlint.lint.ruledoc import summary

    if output not in ("text", "json"):
        raise usage_error("rules", f"--format must be text or json, not {output!r}")
    rules = _rules(config, "rules")
    if output == "json":
        rows = [
            {
                "code": r.code,
                "name": r.rule.name,
                "severity": r.rule.severity,
                "default": r.rule.default,
                "fix": r.rule.fix,
                "origin": r.origin,
                "summary": summary(r),
            }
            for r in rules
        ]
        typer.echo(json.dumps(rows, indent=1))
        return
    width = max(len(r.rule.name) for r in rules)
    for r in rules:
        flags = ("" if r.rule.default else " opt-in") + ("" if r.rule.fix == "none" else " fix")
        typer.echo(
            f"{r.code}  {r.rule.name:<{width}}  {r.rule.severity:<7}  {summary(r)}"
            + (f"  [{flags.strip()}]" if flags else "")
        )


def rule_command(
    code: Annotated[str, typer.Argument(help="A rule code (CA201) or name.")],
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (adds its site rules).")
    ] = None,
) -> None:
    """Print a rule's page: what it finds, why it is wrong, what to write instead."""
    import difflib

    from classadlint.lint.ruledoc import page

    rules = _rules(config, "rule")
    wanted = code.strip()
    for r in rules:
        if wanted.upper() == r.code or wanted.lower() == r.rule.name or wanted in r.rule.aliases:
            if r.origin == "site":
                typer.echo(f"# {r.code} {r.rule.name}\n\n{r.rule.message}\n\n(site rule, {r.path})")
            else:
                typer.echo(page(r), nl=False)
            return
    names = [r.code for r in rules] + [r.rule.name for r in rules]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see `classadlint rules`)"
    raise usage_error("rule", f"no rule {wanted!r}{hint}")
