"""``classadlint lsp``: the language server on stdin/stdout, for editors (see the README's
"Editors" section). pygls is imported only here, so ``check`` never loads it."""

from __future__ import annotations

import typer


def lsp_command() -> None:
    """Run the language server (LSP over stdio) for HTCondor config files."""
    try:
        from classadlint.lsp.server import serve
    except ImportError as exc:  # pygls missing from a broken installation
        typer.echo(f"classadlint lsp: {exc}; reinstall classadlint", err=True)
        raise typer.Exit(2) from None
    serve()
