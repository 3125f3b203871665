"""Hover and completion show what the HTCondor manual says about a knob or an attribute
(issue #6), through a real client talking to ``classadlint lsp``."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_client import CONFIG, Client, capabilities, open_doc, pin_rules, replace_all

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAIN = """\
NEGOTIATOR_INTERVAL = 30
START = TARGET.ActivationDuration < 3600 && TARGET.RequestMemory < 4096
SUBMIT_REQUIREMENT_Mem = RequestMemory < 100000
CONDOR_HOST = cm.example.org
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    (root / "condor_config").write_text(MAIN)
    pin_rules(root)
    return root


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def client(lsp_client: Client, workspace: Path):  # type: ignore[no-untyped-def]
    # an editor that renders Markdown in completion documentation too (as VS Code does)
    caps = capabilities()
    assert caps.text_document is not None
    caps.text_document.completion = types.CompletionClientCapabilities(
        completion_item=types.ClientCompletionItemOptions(
            documentation_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
        )
    )
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
            initialization_options={"debounceMs": 20},
        )
    )
    uri = open_doc(lsp_client, workspace / "condor_config")
    await lsp_client.diagnostics_for(uri, version=1)
    yield
    await lsp_client.shutdown_session()


def _doc(workspace: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=(workspace / "condor_config").resolve().as_uri())


def _at(text: str, needle: str, delta: int = 1) -> types.Position:
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


async def _hover(client: Client, workspace: Path, needle: str) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(workspace), position=_at(MAIN, needle))
    )
    assert result is not None, needle
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    return result.contents.value


async def test_hover_knob_shows_the_manuals_description_after_the_title(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "NEGOTIATOR_INTERVAL")
    title, about, *_ = text.split("\n\n")
    assert title.startswith("**NEGOTIATOR_INTERVAL** — HTCondor knob")
    assert about.startswith(
        "Sets the maximum time the *condor_negotiator* will wait before starting a new"
        " negotiation cycle"
    )
    assert "negotiator.html#NEGOTIATOR_INTERVAL)" in text  # a link to the rest
    # the facts follow, as before
    assert "Default: `60`" in text and "Value: `30`" in text and "Set at `condor_config:1`" in text
    assert text.index("Sets the maximum time") < text.index("Default:")


async def test_hover_knob_found_through_a_documented_template(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "SUBMIT_REQUIREMENT_Mem")
    assert "*The manual, on `SUBMIT_REQUIREMENT_<Name>`:*" in text
    assert "evaluated in the context of the *condor_schedd*" in text


async def test_hover_documented_knob_without_a_built_in_default(
    client: Client, workspace: Path
) -> None:
    """CONDOR_HOST is not in the param table, but the manual documents it."""
    text = await _hover(client, workspace, "CONDOR_HOST")
    assert text.startswith("**CONDOR_HOST** — HTCondor knob (documented; no built-in default)")
    assert "not an HTCondor knob" not in text
    assert "This macro is used to define the `$(COLLECTOR_HOST)` macro." in text
    assert "Value: `cm.example.org`" in text


async def test_hover_attribute_without_our_description_shows_the_manuals(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "ActivationDuration")
    assert "**TARGET.ActivationDuration**" in text and "*job ad*" in text
    assert (
        "The length of time in seconds from when the shadow sends a claim activation to"
        " when the shadow receives a claim deactivation." in text
    )
    assert "job-classad-attributes.html#ActivationDuration)" in text


async def test_hover_attribute_with_our_description_keeps_it(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "RequestMemory < 4096")
    assert "Memory in MiB the job asks for" in text
    assert "HTCondor manual" not in text


async def _complete(client: Client, workspace: Path, line_text: str) -> list[types.CompletionItem]:
    uri = _doc(workspace).uri
    replace_all(client, uri, MAIN + line_text, 2)
    at = types.Position(line=MAIN.count("\n"), character=len(line_text))
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=_doc(workspace), position=at)
    )
    replace_all(client, uri, MAIN, 3)
    assert isinstance(result, types.CompletionList)
    return list(result.items)


async def test_completion_items_carry_the_first_sentence_as_markdown(
    client: Client, workspace: Path
) -> None:
    knobs = {i.label: i for i in await _complete(client, workspace, "NEGOTIATOR_INT")}
    doc = knobs["NEGOTIATOR_INTERVAL"].documentation
    assert isinstance(doc, types.MarkupContent) and doc.kind == types.MarkupKind.Markdown
    assert doc.value == (
        "Sets the maximum time the *condor_negotiator* will wait before starting a new"
        " negotiation cycle, counting from the start of the previous cycle."
    )
    attrs = {i.label: i for i in await _complete(client, workspace, "START = TARGET.Activ")}
    adoc = attrs["ActivationDuration"].documentation
    assert isinstance(adoc, types.MarkupContent)
    assert adoc.value.startswith("The length of time in seconds from when the shadow")
    ours = attrs["RequestMemory"].documentation
    assert isinstance(ours, types.MarkupContent) and ours.value.startswith("Memory in MiB")
