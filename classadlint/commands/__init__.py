"""One module per CLI command; ``classadlint/cli.py`` only registers them."""

from __future__ import annotations

import typer


def usage_error(command: str, message: str, code: int = 2) -> typer.Exit:
    """Print ``classadlint COMMAND: message`` on stderr and return the exit to raise:
    every command reports bad input in one line, never with a traceback."""
    typer.echo(f"classadlint {command}: {message}", err=True)
    return typer.Exit(code)
