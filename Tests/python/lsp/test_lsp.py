"""LSP conformance of `tokenmin lsp`, driven by pytest-lsp against the real binary."""

import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pytest_lsp import LanguageClient

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

URI = "file:///workspace/greeting.prompt"
TEXT = "---\nmodel: gpt-4o\n---\n{{role \"user\"}}\nHi 😀 {{name}}!\r\n中文\n"


def encoding_of(client: LanguageClient) -> str:
    offered = client.capabilities.general.position_encodings if client.capabilities.general else None
    return "utf-8" if offered and "utf-8" in offered else "utf-16"


def column(text: str, encoding: str) -> int:
    """The width of `text` in the negotiated position encoding."""
    return len(text.encode("utf-8")) if encoding == "utf-8" else len(text.encode("utf-16-le")) // 2


async def document_text(client: LanguageClient, uri: str):
    result = await client.protocol.send_request_async("tokenmin/documentText", {"uri": uri})
    return result.text, result.version


async def status(client: LanguageClient):
    return await client.protocol.send_request_async("tokenmin/status", None)


async def test_initialize_result(client: LanguageClient):
    result = client.tokenmin_initialize_result.capabilities
    assert client.tokenmin_initialize_result.server_info.name == "tokenmin"
    sync = result.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close is True
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert result.position_encoding == encoding_of(client)


async def test_did_open_and_incremental_changes(client: LanguageClient):
    encoding = encoding_of(client)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="dotprompt", version=1, text=TEXT)
        )
    )
    assert await document_text(client, URI) == (TEXT, 1)

    # Replace "Hi 😀" on line 4 (after the emoji: a surrogate pair in UTF-16, 4 bytes in UTF-8),
    # then fix the CRLF line's neighbour, then append: three changes applied in order.
    line4 = "Hi 😀 {{name}}!"
    emoji_end = column("Hi 😀", encoding)
    changes = [
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=4, character=0), end=types.Position(line=4, character=emoji_end)),
            text="Hello",
        ),
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=5, character=column("中", encoding)),
                              end=types.Position(line=5, character=column("中文", encoding))),
            text="国",
        ),
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=6, character=0), end=types.Position(line=6, character=0)),
            text="{{! done }}\n",
        ),
    ]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2), content_changes=changes
        )
    )
    expected = TEXT.replace(line4, "Hello {{name}}!").replace("中文", "中国") + "{{! done }}\n"
    assert await document_text(client, URI) == (expected, 2)

    # A full replacement, then an edit against the new text.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=3),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(text="a\nb"),
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=1, character=1), end=types.Position(line=1, character=1)),
                    text="c",
                ),
            ],
        )
    )
    assert await document_text(client, URI) == ("a\nbc", 3)

    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=URI)))
    assert (await status(client)).openDocuments == []


async def test_configuration_is_pulled_from_the_client(client: LanguageClient):
    def pulled(settings) -> bool:
        return settings is not None and settings.volume == 1000 and settings.inlayHints.detail == "full"

    settings = None
    for _ in range(200):
        settings = (await status(client)).settings
        if pulled(settings):
            break
        await asyncio.sleep(0.01)
    assert pulled(settings), settings


async def test_file_watchers_are_registered_when_supported(client: LanguageClient):
    watched = client.capabilities.workspace and client.capabilities.workspace.did_change_watched_files
    if not (watched and watched.dynamic_registration):
        assert client.tokenmin_registrations == []
        return
    for _ in range(200):
        if client.tokenmin_registrations:
            break
        await asyncio.sleep(0.01)
    methods = [registration.method for registration in client.tokenmin_registrations]
    assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods


async def test_unknown_request_is_method_not_found(client: LanguageClient):
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("tokenmin/noSuchMethod", {})
    # The server goes on.
    assert (await status(client)).positionEncoding == encoding_of(client)
