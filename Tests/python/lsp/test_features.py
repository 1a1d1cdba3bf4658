"""The editor features of `tokenmin lsp` through pytest-lsp, which checks every response against the
LSP specification (lsprotocol types): diagnostics, inlay hints, hover, code actions, completion,
document symbols, and the token view command. Run for each recorded client (VS Code, Neovim, Emacs)."""

import asyncio
import pathlib

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

WORKSPACE = pathlib.Path(__file__).parent
URI = (WORKSPACE / "feature.prompt").as_uri()
TEXT = (
    "---\nmodel: openai/gpt-4o\nconfig:\n  temperature: 0.2\ninput:\n  schema:\n    question: string\n---\n"
    "{{role \"system\"}}\nYou are a helpful assistant. Please answer briefly.\n"
    "{{role \"user\"}}\n{{question}}\n"
)


def open_document(client: LanguageClient, text: str = TEXT) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="dotprompt", version=1, text=text)
        )
    )


def whole_range(text: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(lines), character=0))


async def diagnostics(client: LanguageClient):
    """Pulled when the server offers it (clients that pull and can be asked to re-pull), else waits for
    the pushed ones."""
    if client.tokenmin_initialize_result.capabilities.diagnostic_provider:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=URI))
        )
        return report.items
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[URI]


async def test_diagnostics_carry_rule_ids_and_links(client: LanguageClient):
    open_document(client)
    items = await diagnostics(client)
    codes = {item.code for item in items}
    assert {"scaffolding", "politeness", "missing-output-cap"} <= codes, codes
    for item in items:
        assert item.source == "tokenmin"
        assert item.code_description and "#rule-" in item.code_description.href
    scaffolding = next(item for item in items if item.code == "scaffolding")
    assert "saves" in scaffolding.message and "$" in scaffolding.message


async def test_inlay_hints_show_tokens_and_usd(client: LanguageClient):
    open_document(client)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=URI), range=whole_range(TEXT))
    )
    labels = [hint.label for hint in hints]
    assert any("tok in" in label and "$" in label and "/call" in label for label in labels), labels
    assert sum("tok" in label for label in labels) >= 3, labels
    resolved = await client.inlay_hint_resolve_async(hints[0])
    assert resolved.tooltip is not None and "input" in resolved.tooltip.value


async def test_hover_on_model_shows_the_price_sheet(client: LanguageClient):
    open_document(client)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=10))
    )
    assert hover is not None
    assert "$2.50/MTok" in hover.contents.value and "o200k_base" in hover.contents.value


async def test_code_actions_fix_and_suppress(client: LanguageClient):
    open_document(client)
    items = await diagnostics(client)
    politeness = next(item for item in items if item.code == "politeness")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), range=politeness.range,
            context=types.CodeActionContext(diagnostics=[politeness]),
        )
    )
    titles = [action.title for action in actions]
    assert "Remove “Please”" in titles, titles
    assert "Suppress politeness on this line" in titles and "Suppress politeness in this file" in titles
    fix_all = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), range=whole_range(TEXT),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.tokenmin"]),
        )
    )
    assert [action.kind for action in fix_all] == ["source.fixAll.tokenmin"]


async def test_completion_offers_variables_helpers_and_models(client: LanguageClient):
    text = TEXT + "{{"
    open_document(client, text)
    lines = text.split("\n")
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=len(lines) - 1, character=2),
        )
    )
    labels = [item.label for item in result.items]
    assert "question" in labels and "if" in labels and "role \"system\"" in labels, labels[:20]
    models = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=14))
    )
    assert any(item.label == "openai/gpt-4o" for item in models.items)


async def test_document_symbols_list_frontmatter_and_messages(client: LanguageClient):
    open_document(client)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    names = [symbol.name for symbol in symbols]
    assert names == ["frontmatter", "system", "user"], names
    assert [child.name for child in symbols[0].children] == ["model", "config", "input"]


async def test_token_view_command(client: LanguageClient):
    open_document(client)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="tokenmin.tokenView", arguments=[{"uri": URI}])
    )
    assert result["encoding"] == "o200k_base" and result["tokenCount"] == len(result["tokens"]) > 10
    assert "".join(token["text"] for token in result["tokens"]) == TEXT


async def test_secrets_never_appear_in_diagnostics_hover_or_actions(client: LanguageClient):
    key = "sk-proj-" + "Zq8Xw3Rt5Yu1Io9Pa7Sd2Fg4Hj6Kl0Mn3Bv5Cx8Za1Qs4We7Rd0Tf3Gy6Hu9Ji2Ko5Lp8Mn1Bb4Vc7Xd0Sa"
    text = TEXT.replace("Please answer briefly.", f"Please answer briefly. Use {key} for lookups.")
    open_document(client, text)
    items = await diagnostics(client)
    secret = next(item for item in items if item.code == "secret-in-prompt")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=URI), position=secret.range.start)
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=URI), range=secret.range,
                               context=types.CodeActionContext(diagnostics=[secret]))
    )
    rendered = " ".join([item.message for item in items] + [hover.contents.value if hover else ""] + [a.title for a in actions])
    assert key not in rendered and key[8:24] not in rendered
