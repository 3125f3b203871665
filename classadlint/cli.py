"""Command-line entry point (typer app); kept thin: parse arguments, call the library."""

from __future__ import annotations

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Static analysis and policy tests for HTCondor config and ClassAds.",
)


@app.callback()
def _root() -> None:
    """classadlint: lint HTCondor configuration and ClassAd expressions."""


def main() -> None:
    app()
