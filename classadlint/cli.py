"""Command-line entry point (typer app); kept thin: each command lives in
``classadlint/commands/<name>_cmd.py`` and is only registered here."""

from __future__ import annotations

import typer

from classadlint.commands.analyze_cmd import analyze_command
from classadlint.commands.check_cmd import check_command
from classadlint.commands.convert_cmd import convert_command
from classadlint.commands.eval_cmd import eval_command
from classadlint.commands.expand_cmd import expand_command
from classadlint.commands.impact_cmd import impact_command
from classadlint.commands.lsp_cmd import lsp_command
from classadlint.commands.rules_cmd import rule_command, rules_command
from classadlint.commands.test_cmd import test_command

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Static analysis and policy tests for HTCondor config and ClassAds.",
)
app.command("analyze")(analyze_command)
app.command("check")(check_command)
app.command("convert-transform")(convert_command)
app.command("eval")(eval_command)
app.command("expand")(expand_command)
app.command("impact")(impact_command)
app.command("lsp")(lsp_command)
app.command("rules")(rules_command)
app.command("rule")(rule_command)
app.command("test")(test_command)


@app.callback()
def _root() -> None:
    """classadlint: lint HTCondor configuration and ClassAd expressions."""


def main() -> None:
    app()
