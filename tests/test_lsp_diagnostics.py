"""Diagnostics from ``classadlint lsp`` through a real client: on open, on change (debounced,
includers re-modelled from unsaved buffers), on save; related information and rule links;
half-typed and hostile text never takes the server down."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from classadlint.report.sarif import HELP_URI
from tests.lsp_client import (
    CONFIG,
    Client,
    close,
    codes,
    insert,
    open_doc,
    pin_rules,
    replace_all,
    start,
)

pytestmark = pytest.mark.asyncio(loop_scope="function")

BAD = """\
# a comparison with undefined reached through a macro, and a foreign operator
GPU_CHECK = RequestMemory != undefined
START = $(GPU_CHECK) && Memory > 0
RANK = Memory !== 0
"""


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: Client, tmp_path: Path):  # type: ignore[no-untyped-def]
    pin_rules(tmp_path)
    await start(lsp_client, tmp_path)
    yield
    await lsp_client.shutdown_session()


async def test_open_publishes_rule_diagnostics_with_links_and_macro_notes(
    client: Client, tmp_path: Path
) -> None:
    path = tmp_path / "condor_config"
    path.write_text(BAD)
    uri = open_doc(client, path)
    found = await client.diagnostics_for(uri, version=1)
    assert codes(found) == [(1, "CA201"), (3, "CA104")]
    ca201 = next(d for d in found if d.code == "CA201")
    # the text the user wrote: line 2, `RequestMemory != undefined` (0-based line 1)
    assert ca201.range == types.Range(
        start=types.Position(line=1, character=12), end=types.Position(line=1, character=38)
    )
    assert ca201.severity == types.DiagnosticSeverity.Warning
    assert ca201.source == "classadlint"
    assert ca201.code_description is not None
    assert ca201.code_description.href == HELP_URI.format(code="CA201")
    # it reached START through $(GPU_CHECK): the note points at that reference
    assert ca201.related_information is not None
    (note,) = ca201.related_information
    assert "$(GPU_CHECK)" in note.message
    assert note.location.uri == uri
    assert note.location.range.start == types.Position(line=2, character=8)
    assert note.location.range.end == types.Position(line=2, character=20)
    ca104 = next(d for d in found if d.code == "CA104")
    assert ca104.severity == types.DiagnosticSeverity.Error


async def test_change_relints_the_buffer_not_the_file(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "condor_config"
    path.write_text(BAD)
    uri = open_doc(client, path)
    await client.diagnostics_for(uri, version=1)
    # fix the foreign operator in the buffer only (the file on disk keeps it)
    replace_all(client, uri, BAD.replace("!==", "=!="), version=2)
    found = await client.diagnostics_for(uri, version=2)
    assert codes(found) == [(1, "CA201")]
    assert "!==" in path.read_text()
    # an incremental edit: a new bad line typed at the end
    insert(client, uri, 4, 0, "PREEMPT = x == undefined\n", version=3)
    found = await client.diagnostics_for(uri, version=3)
    assert codes(found) == [(1, "CA201"), (4, "CA201")]


async def test_edit_of_included_buffer_remodels_its_includer(
    client: Client, tmp_path: Path
) -> None:
    main = tmp_path / "condor_config"
    part = tmp_path / "policy.config"
    main.write_text("include : policy.config\nSTART = $(MY_POLICY)\n")
    part.write_text("MY_POLICY = Memory > 1024\n")
    main_uri = open_doc(client, main)
    part_uri = open_doc(client, part)
    assert await client.diagnostics_for(main_uri, version=1) == []
    assert await client.diagnostics_for(part_uri, version=1) == []
    # rename the macro in the (unsaved) included buffer: START now expands to nothing
    replace_all(client, part_uri, "MY_POLICY_V2 = Memory > 1024\n", version=2)
    found = await client.diagnostics_for(main_uri, where=lambda d: bool(d))
    assert ("CA401", 1) in {(str(d.code), d.range.start.line) for d in found}
    assert "MY_POLICY = Memory" in part.read_text()  # nothing was written


async def test_included_file_is_shown_in_its_includers_context(
    client: Client, tmp_path: Path
) -> None:
    """A macro defined above the include is visible in the included file, as in HTCondor:
    no CA401 for it while the includer is open; alone, the file does report it."""
    main = tmp_path / "condor_config"
    part = tmp_path / "part.config"
    main.write_text("POOL_POLICY = Memory > 1\ninclude : part.config\n")
    part.write_text("START = $(POOL_POLICY)\n")
    part_uri = open_doc(client, part)
    alone = await client.diagnostics_for(part_uri, version=1)
    assert sorted(str(d.code) for d in alone) == ["CA103", "CA401"]  # START is empty
    open_doc(client, main)
    found = await client.diagnostics_for(part_uri, where=lambda d: not d)
    assert found == []


async def test_close_clears_the_diagnostics(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "condor_config"
    path.write_text(BAD)
    uri = open_doc(client, path)
    assert await client.diagnostics_for(uri, version=1)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await client.diagnostics_for(uri, where=lambda d: not d) == []


HALF_TYPED = """\
include : missing.config
START = (Memory > 1024) && (TARGET.RequestCpus <= Cpus
RANK = $(UNDEFINED_MACRO
X @=end
  unterminated block
"""


async def test_half_typed_file_is_linted_keystroke_by_keystroke(
    client: Client, tmp_path: Path
) -> None:
    """Every prefix of a broken file, typed one character at a time: the server keeps up,
    publishes for the last version, and that file's errors are the syntax errors."""
    path = tmp_path / "condor_config"
    path.write_text("")
    uri = open_doc(client, path, "")
    await client.diagnostics_for(uri, version=1)
    for k, ch in enumerate(HALF_TYPED, start=2):
        line = HALF_TYPED[: k - 2].count("\n")
        col = k - 2 - (HALF_TYPED[: k - 2].rfind("\n") + 1)
        insert(client, uri, line, col, ch, version=k)
    last = len(HALF_TYPED) + 1
    found = await client.diagnostics_for(uri, version=last)
    assert {str(d.code) for d in found} >= {"CA101", "CA102", "CA103"}
    # the server is alive and answering requests
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None and [s.name for s in symbols][:2] == [
        "include : missing.config",
        "START",
    ]


HOSTILE = [
    "START = " + "(" * 3000 + "1" + ")" * 3000 + "\n",
    "START = $($($($(\n",
    "include : /dev/zero\n",
    "include : ../../../../etc/passwd\n",
    "\ufeffSTART = \U0001f600 == undefined\n",
    "A = $(B)\nB = $(A)\nSTART = $(A)\n",
    "use ROLE : NoSuchRole\nuse FEATURE : GPUs(\n",
    "if version >\nelse if\nendif endif\n",
    "\x00\x01\x02 = \x7f\n",
    "JOB_TRANSFORM_X @=end\n[ set_Foo = ; ]\n@end\n",
]


async def test_hostile_text_never_crashes_the_server(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "condor_config"
    path.write_text("")
    uri = open_doc(client, path, "")
    await client.diagnostics_for(uri, version=1)
    for version, text in enumerate(HOSTILE, start=2):
        replace_all(client, uri, text, version)
        await client.diagnostics_for(uri, version=version)
    # a CA201 after an emoji: its range is counted in UTF-16 units (the emoji is 2, in
    # code points `x` is at column 22)
    replace_all(client, uri, 'START = "\U0001f600" != "x" || x == undefined\n', 99)
    found = await client.diagnostics_for(uri, version=99)
    ranges = [(d.range.start.character, d.range.end.character) for d in found if d.code == "CA201"]
    assert ranges == [(23, 37)]
    assert not [m for m in client.log_messages if m.type == types.MessageType.Error]


async def test_save_lints_at_once_without_waiting_for_the_debounce(tmp_path: Path) -> None:
    """With a 30 s debounce an edit alone publishes nothing; saving publishes it."""
    lsp = await CONFIG.start()
    assert isinstance(lsp, Client)
    try:
        pin_rules(tmp_path)
        await start(lsp, tmp_path, debounceMs=30_000)
        path = tmp_path / "condor_config"
        path.write_text("START = true\n")
        uri = open_doc(lsp, path)
        assert await lsp.diagnostics_for(uri, version=1) == []
        replace_all(lsp, uri, "START = x == undefined\n", version=2)
        with pytest.raises(TimeoutError):
            await lsp.diagnostics_for(uri, version=2, timeout=1.0)
        path.write_text("START = x == undefined\n")
        lsp.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        found = await lsp.diagnostics_for(uri, version=2, timeout=10)
        assert codes(found) == [(0, "CA201")]
    finally:
        await close(lsp)


async def test_debounce_lints_once_for_a_burst_of_edits(tmp_path: Path) -> None:
    lsp = await CONFIG.start()
    assert isinstance(lsp, Client)
    try:
        pin_rules(tmp_path)
        await start(lsp, tmp_path, debounceMs=400)
        path = tmp_path / "condor_config"
        path.write_text("")
        uri = open_doc(lsp, path, "")
        await lsp.diagnostics_for(uri, version=1)
        text = "START = x == undefined\n"
        for k in range(1, len(text) + 1):
            replace_all(lsp, uri, text[:k], version=k + 1)
        found = await lsp.diagnostics_for(uri, version=len(text) + 1)
        assert codes(found) == [(0, "CA201")]
        # no version in between was linted (a version may be published twice: quickly,
        # then complete)
        versions = {p.version for p in lsp.published if p.uri == uri}
        versions |= {v for u, v, _ in lsp.statuses if u == uri}
        assert versions == {1, len(text) + 1}
    finally:
        await close(lsp)


def _lint_children(pid: int) -> list[int]:
    """Process ids of the multiprocessing children of ``pid`` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"spawn_main" in cmdline:
            out.append(int(stat.parent.name))
    return out


async def _wait_for_children(pid: int, but: int | None = None) -> list[int]:
    for _ in range(200):
        found = [c for c in _lint_children(pid) if c != but]
        if found:
            return found
        await asyncio.sleep(0.05)
    return []


async def test_full_lint_survives_its_process_being_killed(client: Client, tmp_path: Path) -> None:
    """The full lint runs in a child process (started with the server); if it dies, the
    next lint that needs it starts another, and the complete result still arrives."""
    assert client._server is not None
    children = await _wait_for_children(client._server.pid)
    assert len(children) == 1, "the full lint runs in a child process"
    os.kill(children[0], signal.SIGKILL)
    path = tmp_path / "condor_config"
    path.write_text("START = x == undefined\n")
    uri = open_doc(client, path)
    # the first lint of a session checks only the syntax at once: CA201 comes from the child
    assert codes(await client.diagnostics_for(uri, version=1)) == [(0, "CA201")]
    assert any("full-lint process died" in m.message for m in client.log_messages)
    assert await _wait_for_children(client._server.pid, but=children[0])


async def test_positions_follow_the_negotiated_encoding(tmp_path: Path) -> None:
    """A client that prefers UTF-8 gets columns in bytes (the emoji is 4, `x` at 25)."""
    lsp = await CONFIG.start()
    assert isinstance(lsp, Client)
    try:
        pin_rules(tmp_path)
        await start(lsp, tmp_path, encodings=["utf-8", "utf-16"])
        path = tmp_path / "condor_config"
        path.write_text('START = "\U0001f600" != "x" || x == undefined\n')
        uri = open_doc(lsp, path)
        found = await lsp.diagnostics_for(uri, version=1)
        assert [(d.range.start.character, d.range.end.character) for d in found] == [(25, 39)]
    finally:
        await close(lsp)
