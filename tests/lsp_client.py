"""The test client for the language server tests: pytest-lsp's client (a real
``classadlint lsp`` subprocess spoken to over stdio), plus a record of every
``publishDiagnostics`` with its version so a test can wait for the diagnostics of exactly
the edit it made."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features


def server_command() -> list[str]:
    """The installed console script, as an editor would start it."""
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return [exe, "lsp"]


class Client(LanguageClient):
    """pytest-lsp's client with every published diagnostics notification kept in order,
    and the server's ``$/classadlint/linted`` status (which says when a lint is complete:
    the server publishes quickly without its slow rules, then again with them)."""

    published: list[types.PublishDiagnosticsParams]
    statuses: list[tuple[str, int | None, bool]]
    changed: asyncio.Event

    async def diagnostics_for(
        self,
        uri: str,
        version: int | None = None,
        where: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True,
        timeout: float = 30.0,
        complete: bool = True,
    ) -> list[types.Diagnostic]:
        """The diagnostics last published for ``uri`` once a lint of it (of that
        ``version``; ``complete``: with every rule) is done and they meet ``where``."""

        def found() -> list[types.Diagnostic] | None:
            done = any(
                u == uri and (version is None or v == version) and (c or not complete)
                for u, v, c in self.statuses
            )
            if not done:
                return None
            last = next((p for p in reversed(self.published) if p.uri == uri), None)
            diagnostics = list(last.diagnostics) if last is not None else []
            return diagnostics if where(diagnostics) else None

        async def wait() -> list[types.Diagnostic]:
            while (hit := found()) is None:
                self.changed.clear()
                await self.changed.wait()
            return hit

        return await asyncio.wait_for(wait(), timeout)


def _publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)
    client.changed.set()


def _status(client: Client, params: Any) -> None:
    client.statuses.append((params.uri, params.version, bool(params.complete)))
    client.changed.set()


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    client.published = []
    client.statuses = []
    client.changed = asyncio.Event()
    features: dict[str, Any] = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    features[types.WINDOW_SHOW_MESSAGE] = _show
    features["$/classadlint/linted"] = _status
    register_lsp_features(client, features)
    return client


def _show(client: Client, params: types.ShowMessageParams) -> None:
    client.messages.append(params)


CONFIG = ClientServerConfig(server_command=server_command(), client_factory=make_client)


def capabilities(encodings: list[str] | None = None) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=True, version_support=True, code_description_support=True
            ),
            document_symbol=types.DocumentSymbolClientCapabilities(
                hierarchical_document_symbol_support=True
            ),
        ),
    )


async def start(
    client: Client, root: Path, encodings: list[str] | None = None, **options: Any
) -> None:
    """Initialize a session with ``root`` as the workspace (as an editor opening it)."""
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(encodings),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"debounceMs": 20, **options},
        )
    )


def open_doc(client: Client, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.resolve().as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="htcondor-config",
                version=version,
                text=path.read_text() if text is None else text,
            )
        )
    )
    return uri


def replace_all(client: Client, uri: str, text: str, version: int) -> None:
    """A full-text change (as a client without incremental sync sends)."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def insert(client: Client, uri: str, line: int, character: int, text: str, version: int) -> None:
    """An incremental change: ``text`` typed at 0-based line:character."""
    at = types.Position(line=line, character=character)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=at, end=at), text=text
                )
            ],
        )
    )


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[tuple[int, str]]:
    """(0-based line, code) of each diagnostic, sorted."""
    return sorted((d.range.start.line, str(d.code)) for d in diagnostics)


#: The rules these tests are about; other rules come and go as the catalogue grows.
PINNED = ("CA1", "CA201", "CA401")


def pin_rules(root: Path, select: Sequence[str] = PINNED, extra: str = "") -> Path:
    """A ``.classadlint.toml`` at the workspace root selecting only ``select``."""
    path = root / ".classadlint.toml"
    listed = ", ".join(f'"{s}"' for s in select)
    path.write_text(f"select = [{listed}]\n{extra}")
    return path


async def close(client: Client) -> None:
    """End a session the test started itself: shutdown and exit, or, if the server does
    not answer (a failed test), kill it; never hang the test run."""
    try:
        await asyncio.wait_for(client.shutdown_session(), 10)
    except Exception:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
    await asyncio.wait_for(client.stop(), 10)
