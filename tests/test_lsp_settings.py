"""Workspace settings for ``classadlint lsp``: ``[tool.classadlint]`` in pyproject.toml or
``.classadlint.toml`` at the workspace root, re-read when saved; a broken file is reported
and the defaults are used; editor options from ``initializationOptions``."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp_client import CONFIG, Client, close, codes, open_doc, start

pytestmark = pytest.mark.asyncio(loop_scope="function")

TEXT = "START = x == undefined\nRANK = Memory !== 0\n"


async def session(root: Path, **options: object) -> Client:
    client = await CONFIG.start()
    assert isinstance(client, Client)
    await start(client, root, **options)
    return client


async def finish(client: Client) -> None:
    await close(client)


def save(client: Client, path: Path) -> None:
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.resolve().as_uri())
        )
    )


async def test_pyproject_settings_of_the_workspace_apply(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "pool"\n\n[tool.classadlint]\nselect = ["CA1", "CA201"]\n'
        'ignore = ["CA201"]\n'
    )
    (tmp_path / "condor_config").write_text(TEXT)
    client = await session(tmp_path)
    try:
        uri = open_doc(client, tmp_path / "condor_config")
        assert codes(await client.diagnostics_for(uri, version=1)) == [(1, "CA104")]
    finally:
        await finish(client)


async def test_saving_the_settings_file_relints_with_the_new_selection(tmp_path: Path) -> None:
    settings = tmp_path / ".classadlint.toml"
    settings.write_text('select = ["CA1", "CA201"]\n')
    (tmp_path / "condor_config").write_text(TEXT)
    client = await session(tmp_path)
    try:
        uri = open_doc(client, tmp_path / "condor_config")
        assert codes(await client.diagnostics_for(uri, version=1)) == [(0, "CA201"), (1, "CA104")]
        settings.write_text('select = ["CA1", "CA201"]\n[severity]\nCA201 = "error"\n')
        save(client, settings)
        found = await client.diagnostics_for(
            uri,
            where=lambda ds: any(
                d.severity == types.DiagnosticSeverity.Error for d in ds if d.code == "CA201"
            ),
        )
        assert codes(found) == [(0, "CA201"), (1, "CA104")]
        settings.write_text('select = ["CA1"]\n')
        save(client, settings)
        found = await client.diagnostics_for(uri, where=lambda ds: len(ds) == 1)
        assert codes(found) == [(1, "CA104")]
    finally:
        await finish(client)


async def test_broken_settings_are_reported_and_the_defaults_used(tmp_path: Path) -> None:
    (tmp_path / ".classadlint.toml").write_text('select = ["CA1"\n')  # not TOML
    (tmp_path / "condor_config").write_text(TEXT)
    client = await session(tmp_path)
    try:
        uri = open_doc(client, tmp_path / "condor_config")
        found = await client.diagnostics_for(uri, version=1)
        assert (1, "CA104") in codes(found)  # linted with the default rules
        warnings = [m.message for m in client.messages if m.type == types.MessageType.Warning]
        assert any(".classadlint.toml" in m and "not valid TOML" in m for m in warnings)
    finally:
        await finish(client)


async def test_unknown_settings_key_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".classadlint.toml").write_text('selekt = ["CA1"]\n')
    (tmp_path / "condor_config").write_text(TEXT)
    client = await session(tmp_path)
    try:
        uri = open_doc(client, tmp_path / "condor_config")
        await client.diagnostics_for(uri, version=1)
        assert any("`selekt`: unknown setting" in m.message for m in client.messages)
    finally:
        await finish(client)


async def test_rule_docs_url_option_and_a_bad_option(tmp_path: Path) -> None:
    (tmp_path / ".classadlint.toml").write_text('select = ["CA1"]\n')
    (tmp_path / "condor_config").write_text(TEXT)
    client = await session(
        tmp_path, ruleDocsUrl="https://pool.example/lint/{code}.html", debounceMs="soon"
    )
    try:
        uri = open_doc(client, tmp_path / "condor_config")
        (d,) = await client.diagnostics_for(uri, version=1)
        assert d.code_description is not None
        assert d.code_description.href == "https://pool.example/lint/CA104.html"
        assert any("debounceMs" in m.message for m in client.messages)
    finally:
        await finish(client)
