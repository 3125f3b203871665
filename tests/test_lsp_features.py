"""Hover, completion, definition and references, document symbols and the evaluate command
of ``classadlint lsp``, through a real client on one workspace."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_client import CONFIG, Client, open_doc, pin_rules, replace_all, start

pytestmark = pytest.mark.asyncio(loop_scope="module")
REPO = Path(__file__).resolve().parents[1]

MAIN = """\
# classadlint: disable=CA201 -- the test needs one suppression
include : policy.config
MEMORY_MIN = 1024
MEMORY_MIN = 2048
BIG_JOB = TARGET.RequestMemory > $(MEMORY_MIN)
START = $(BIG_JOB) && regexp("^cms", TARGET.Owner) && Cpus >= 8
SYSTEM_PERIODIC_HOLD = MY.RequestMemory > 100000
JOB_TRANSFORM_Acct @=end
   [ set_AcctGroup = "cms"; ]
@end
"""
POLICY = "RANK = Memory\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    (root / "condor_config").write_text(MAIN)
    (root / "policy.config").write_text(POLICY)
    (root / "ads").mkdir()
    shutil.copy(REPO / "examples" / "job.ad", root / "ads" / "job.ad")
    shutil.copy(REPO / "examples" / "slot.ad", root / "ads" / "slot.ad")
    pin_rules(root, extra='sample-job = "ads/job.ad"\nsample-slot = "ads/slot.ad"\n')
    return root


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def client(lsp_client: Client, workspace: Path):  # type: ignore[no-untyped-def]
    await start(lsp_client, workspace)
    uri = open_doc(lsp_client, workspace / "condor_config")
    await lsp_client.diagnostics_for(uri, version=1)
    yield
    await lsp_client.shutdown_session()


def _doc(workspace: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=(workspace / "condor_config").resolve().as_uri())


def _at(text: str, needle: str, delta: int = 0) -> types.Position:
    """The position of ``needle`` (first occurrence) in ``text``, plus ``delta`` columns."""
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


async def _hover(client: Client, workspace: Path, needle: str, delta: int = 1) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(workspace), position=_at(MAIN, needle, delta))
    )
    assert result is not None, needle
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


# --- hover ---------------------------------------------------------------------------------


async def test_hover_knob_shows_final_value_where_set_and_what_it_overrides(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "MEMORY_MIN = 1024")
    assert "Value: `2048`" in text
    assert "Set at `condor_config:4`" in text
    assert "Overrides `condor_config:3`" in text
    assert "not an HTCondor knob" in text


async def test_hover_htcondor_knob_shows_catalog_context_default_and_expansion(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "START =")
    assert "HTCondor knob (expression)" in text
    assert "MY = slot" in text and "TARGET = job" in text
    assert "Default: `True`" in text
    # the final value with every macro expanded
    assert 'Value: `TARGET.RequestMemory > 2048 && regexp("^cms", TARGET.Owner)' in text
    assert "Set at `condor_config:6`" in text


async def test_hover_macro_reference_shows_its_expansion(client: Client, workspace: Path) -> None:
    text = await _hover(client, workspace, "$(MEMORY_MIN)", 3)
    assert text.startswith("`$(MEMORY_MIN)` → `2048`")
    assert "set at `condor_config:4`" in text


async def test_hover_attribute_in_a_helper_macro_takes_the_using_knobs_context(
    client: Client, workspace: Path
) -> None:
    """BIG_JOB is not an expression knob; START reads it, so TARGET there is the job."""
    text = await _hover(client, workspace, "RequestMemory >")
    assert "**TARGET.RequestMemory**" in text
    assert "in `START`" in text
    assert "*job ad*, `number`" in text
    assert "Memory in MiB the job asks for" in text


async def test_hover_bare_attribute_is_looked_up_in_my_then_target(
    client: Client, workspace: Path
) -> None:
    text = await _hover(client, workspace, "Cpus >=")
    assert "*machine ad*" in text and "Cores of this slot" in text
    assert "job ad" not in text


async def test_hover_function_shows_its_signature(client: Client, workspace: Path) -> None:
    text = await _hover(client, workspace, "regexp(")
    assert "`regexp(regex, string, [regex-options]) -> bool`" in text


async def test_hover_rule_code_in_a_suppression_comment(client: Client, workspace: Path) -> None:
    text = await _hover(client, workspace, "CA201")
    assert text.startswith("**CA201 compare-with-undefined** (warning)")
    assert "`==` and `!=` with the literal `undefined`" in text
    assert "docs/rules/CA201.md" in text


async def test_hover_include_names_the_file(client: Client, workspace: Path) -> None:
    text = await _hover(client, workspace, "include", 2)
    assert str((workspace / "policy.config").resolve()) in text


# --- completion ------------------------------------------------------------------------------


_VERSIONS = itertools.count(100)


async def _complete_in(
    client: Client, workspace: Path, typed: str, position: types.Position
) -> list[types.CompletionItem]:
    """Completion at ``position`` of the buffer changed to ``typed`` (then put back)."""
    uri = _doc(workspace).uri
    replace_all(client, uri, typed, next(_VERSIONS))
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=_doc(workspace), position=position)
    )
    replace_all(client, uri, MAIN, next(_VERSIONS))
    assert isinstance(result, types.CompletionList)
    return list(result.items)


async def _complete(client: Client, workspace: Path, line_text: str) -> list[types.CompletionItem]:
    """Type ``line_text`` as a new last line and ask for completion at its end."""
    at = types.Position(line=MAIN.count("\n"), character=len(line_text))
    return await _complete_in(client, workspace, MAIN + line_text, at)


async def test_completion_of_knob_names_at_line_start(client: Client, workspace: Path) -> None:
    items = await _complete(client, workspace, "STAR")
    by_label = {i.label: i for i in items}
    assert "START" in by_label and "STARTD_ATTRS" in by_label
    assert by_label["START"].detail is not None and "expression" in by_label["START"].detail
    assert "MEMORY_MIN" in by_label  # this configuration's own names too
    assert "include" in by_label
    # this client names no completion documentation format: plain text, not Markdown
    doc = by_label["START"].documentation
    assert isinstance(doc, str) and doc.startswith("A boolean expression that, when True")


async def test_completion_of_macro_names_after_dollar_paren(
    client: Client, workspace: Path
) -> None:
    items = await _complete(client, workspace, "X = $(MEM")
    ours = sorted((i for i in items if i.sort_text and i.sort_text.startswith("0")), key=str)
    assert "MEMORY_MIN" in [i.label for i in ours]
    mem = next(i for i in items if i.label == "MEMORY_MIN")
    assert mem.detail == "2048"
    assert any(i.label == "LOCAL_DIR" for i in items)  # HTCondor's knobs, after ours


async def test_completion_after_target_in_start_offers_job_attributes(
    client: Client, workspace: Path
) -> None:
    labels = {i.label for i in await _complete(client, workspace, "START = TARGET.Req")}
    assert "RequestMemory" in labels and "Owner" in labels
    assert "Activity" not in labels  # a slot attribute: TARGET in START is the job


async def test_completion_after_my_in_start_offers_slot_attributes(
    client: Client, workspace: Path
) -> None:
    labels = {i.label for i in await _complete(client, workspace, "START = MY.")}
    assert "Activity" in labels and "Cpus" in labels
    assert "RequestMemory" not in labels


async def test_completion_after_my_in_a_job_policy_offers_job_attributes(
    client: Client, workspace: Path
) -> None:
    labels = {i.label for i in await _complete(client, workspace, "SYSTEM_PERIODIC_REMOVE = MY.")}
    assert "RequestMemory" in labels and "Activity" not in labels


async def test_completion_in_a_helper_macro_takes_the_using_knobs_context(
    client: Client, workspace: Path
) -> None:
    """BIG_JOB is read by START (TARGET = the job), even while its text does not parse."""
    line = MAIN.splitlines().index("BIG_JOB = TARGET.RequestMemory > $(MEMORY_MIN)")
    typed = MAIN.replace("> $(MEMORY_MIN)\n", "> $(MEMORY_MIN) && TARGET.\n")
    end = types.Position(line=line, character=len(typed.splitlines()[line]))
    labels = {i.label for i in await _complete_in(client, workspace, typed, end)}
    assert "RequestMemory" in labels and "Activity" not in labels


async def test_completion_of_functions_with_signatures(client: Client, workspace: Path) -> None:
    items = await _complete(client, workspace, "START = strc")
    strcat = next(i for i in items if i.label == "strcat")
    assert strcat.kind == types.CompletionItemKind.Function
    assert strcat.detail == "strcat([any, ...]) -> string"
    regexp = next(i for i in items if i.label == "regexp")
    assert regexp.detail == "regexp(regex, string, [regex-options]) -> bool"


# --- definition, references, symbols -------------------------------------------------------


async def test_definition_of_a_macro_lists_every_assignment_winner_first(
    client: Client, workspace: Path
) -> None:
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=_doc(workspace), position=_at(MAIN, "$(MEMORY_MIN)", 4)
        )
    )
    assert isinstance(result, list)
    assert [(loc.range.start.line, loc.range.start.character) for loc in result] == [
        (3, 0),
        (2, 0),
    ]


async def test_references_of_a_macro(client: Client, workspace: Path) -> None:
    result = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=_doc(workspace),
            position=_at(MAIN, "MEMORY_MIN = 2048", 2),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert result is not None
    assert [
        (r.range.start.line, r.range.start.character, r.range.end.character) for r in result
    ] == [(4, 33, 46)]
    with_decl = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=_doc(workspace),
            position=_at(MAIN, "MEMORY_MIN = 2048", 2),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert with_decl is not None and [r.range.start.line for r in with_decl] == [3, 2, 4]


async def test_definition_of_an_include_opens_the_file(client: Client, workspace: Path) -> None:
    result = await client.text_document_definition_async(
        types.DefinitionParams(text_document=_doc(workspace), position=_at(MAIN, "policy.config"))
    )
    assert isinstance(result, list) and len(result) == 1
    assert result[0].uri == (workspace / "policy.config").resolve().as_uri()


async def test_document_symbols_outline_knobs_blocks_and_transforms(
    client: Client, workspace: Path
) -> None:
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=_doc(workspace))
    )
    assert result is not None
    outline = [(s.name, s.kind) for s in result if isinstance(s, types.DocumentSymbol)]
    assert outline == [
        ("include : policy.config", types.SymbolKind.File),
        ("MEMORY_MIN", types.SymbolKind.Variable),
        ("MEMORY_MIN", types.SymbolKind.Variable),
        ("BIG_JOB", types.SymbolKind.Variable),
        ("START", types.SymbolKind.Property),
        ("SYSTEM_PERIODIC_HOLD", types.SymbolKind.Property),
        ("JOB_TRANSFORM_Acct", types.SymbolKind.Function),
    ]
    block = result[-1]
    assert isinstance(block, types.DocumentSymbol)
    assert (block.range.start.line, block.range.end.line) == (7, 9)  # through `@end`
    assert block.children is not None
    assert [c.name for c in block.children] == ['[ set_AcctGroup = "cms"; ]']


# --- evaluate ------------------------------------------------------------------------------


async def _evaluate(client: Client, workspace: Path, needle: str) -> dict[str, object]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="classadlint.evaluate",
            arguments=[_doc(workspace).uri, _at(MAIN, needle)],
        )
    )
    assert isinstance(result, dict)
    return result


async def test_evaluate_start_against_the_sample_ads(client: Client, workspace: Path) -> None:
    """examples/job.ad: RequestMemory 2048, Owner alice; slot.ad: Cpus 8. 2048 > 2048 is
    false, so START is false (and Owner does not match ^cms anyway)."""
    result = await _evaluate(client, workspace, "START")
    assert result["value"] == "false"
    assert result["type"] == "boolean"
    assert result["my"] == "ads/slot.ad" and result["target"] == "ads/job.ad"
    assert result["expression"] == (
        'TARGET.RequestMemory > 2048 && regexp("^cms", TARGET.Owner) && Cpus >= 8'
    )


async def test_evaluate_a_helper_macro_in_the_context_of_the_knob_using_it(
    client: Client, workspace: Path
) -> None:
    result = await _evaluate(client, workspace, "MEMORY_MIN = 1024")
    assert result["value"] == "1024"  # the line's own value, not the final one
    result = await _evaluate(client, workspace, "BIG_JOB")
    assert (result["value"], result["target"]) == ("false", "ads/job.ad")


async def test_evaluate_a_job_policy_with_the_job_as_my(client: Client, workspace: Path) -> None:
    result = await _evaluate(client, workspace, "SYSTEM_PERIODIC_HOLD")
    assert (result["value"], result["my"], result["target"]) == ("false", "ads/job.ad", None)
