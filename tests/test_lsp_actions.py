"""Code actions of ``classadlint lsp`` through a real client: a rule's fix, a suppression
line above the statement, fix all safe fixes; each applied to the buffer and linted again
to see that it did what it says."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_client import CONFIG, Client, codes, open_doc, pin_rules, replace_all, start

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: Client, tmp_path: Path):  # type: ignore[no-untyped-def]
    pin_rules(tmp_path)
    await start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (ASCII text: characters are columns)."""
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)

    def offset(p: types.Position) -> int:
        return starts[p.line] + p.character if p.line < len(starts) else len(text)

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def actions(
    client: Client, uri: str, line: int, only: list[str] | None = None
) -> list[types.CodeAction]:
    at = types.Range(
        start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)
    )
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=at,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def edits_for(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    assert list(action.edit.changes) == [uri]
    return list(action.edit.changes[uri])


async def test_quick_fix_replaces_the_foreign_operator(client: Client, tmp_path: Path) -> None:
    text = "START = true\nRANK = Memory !== 0\n"
    path = tmp_path / "condor_config"
    path.write_text(text)
    uri = open_doc(client, path)
    assert codes(await client.diagnostics_for(uri, version=1)) == [(1, "CA104")]
    found = await actions(client, uri, 1)
    fix = next(a for a in found if a.title.startswith("Replace with `=!=`"))
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.diagnostics is not None and fix.diagnostics[0].code == "CA104"
    fixed = apply(text, edits_for(fix, uri))
    assert fixed == "START = true\nRANK = Memory =!= 0\n"
    replace_all(client, uri, fixed, version=2)
    assert await client.diagnostics_for(uri, version=2) == []


async def test_suppression_line_goes_above_the_whole_statement(
    client: Client, tmp_path: Path
) -> None:
    """The finding is on the second line of a continued value: the comment goes above the
    statement's first line (a comment inside a continuation would be CA106), indented like
    it, with a reason to fill in; applied, the finding is gone."""
    text = "START = true\n  RANK = Memory + \\\n     (x == undefined)\n"
    path = tmp_path / "condor_config"
    path.write_text(text)
    uri = open_doc(client, path)
    assert codes(await client.diagnostics_for(uri, version=1)) == [(2, "CA201")]
    found = await actions(client, uri, 2)
    suppress = next(a for a in found if a.title.startswith("Suppress CA201"))
    (edit,) = edits_for(suppress, uri)
    assert edit.range.start == types.Position(line=1, character=0)
    assert edit.new_text == "  # classadlint: disable=CA201 -- reason: <why this is intended>\n"
    replace_all(client, uri, apply(text, [edit]), version=2)
    assert await client.diagnostics_for(uri, version=2) == []


async def test_unsafe_fix_is_offered_but_not_preferred(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "condor_config"
    path.write_text("START = RequestMemory != undefined\n")
    uri = open_doc(client, path)
    await client.diagnostics_for(uri, version=1)
    fix = next(a for a in await actions(client, uri, 0) if "unsafe" in a.title)
    assert fix.title == "Replace with `RequestMemory =!= undefined` (CA201, unsafe)"
    assert not fix.is_preferred


async def test_fix_all_applies_every_safe_fix_and_only_those(
    client: Client, tmp_path: Path
) -> None:
    text = (
        "START = Memory !== 0 && Cpus <> 1\n"
        "RANK = Memory === 1\n"
        "PREEMPT = x == undefined\n"  # unsafe fix only: left for review
    )
    path = tmp_path / "condor_config"
    path.write_text(text)
    uri = open_doc(client, path)
    # `<>` is found only once `!==` is fixed (the parse stops at the first): fix all
    # lints again after each round, as `check --fix` does
    assert codes(await client.diagnostics_for(uri, version=1)) == [
        (0, "CA104"),
        (1, "CA104"),
        (2, "CA201"),
    ]
    found = await actions(client, uri, 0, only=[types.CodeActionKind.SourceFixAll.value])
    (fix_all,) = found
    assert fix_all.kind == "source.fixAll.classadlint"
    assert fix_all.title == "Fix all safe classadlint problems in this file (3)"
    fixed = apply(text, edits_for(fix_all, uri))
    assert fixed == (
        "START = Memory =!= 0 && Cpus != 1\nRANK = Memory =?= 1\nPREEMPT = x == undefined\n"
    )
    replace_all(client, uri, fixed, version=2)
    assert codes(await client.diagnostics_for(uri, version=2)) == [(2, "CA201")]
    # nothing safe is left: no fix-all action any more
    assert await actions(client, uri, 0, only=[types.CodeActionKind.SourceFixAll.value]) == []


async def test_no_suppression_offered_for_an_unused_suppression(
    client: Client, tmp_path: Path
) -> None:
    """CA001 (a suppression that silences nothing) offers its removal, not a suppression."""
    text = "# classadlint: disable=CA201 -- nothing here\nSTART = true\n"
    path = tmp_path / "condor_config"
    path.write_text(text)
    (tmp_path / ".classadlint.toml").write_text('select = ["CA001", "CA201"]\n')
    # the settings were read at start-up: re-read them as a save of the file would
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(
                uri=(tmp_path / ".classadlint.toml").resolve().as_uri()
            )
        )
    )
    uri = open_doc(client, path)
    found = await client.diagnostics_for(uri, where=lambda d: bool(d))
    assert codes(found) == [(0, "CA001")]
    quick = await actions(client, uri, 0, only=[types.CodeActionKind.QuickFix.value])
    assert [a.title for a in quick] == ["Remove the suppression (CA001)"]
    fix = quick[0]
    assert apply(text, edits_for(fix, uri)) == "START = true\n"
