import Foundation
import XCTest

@testable import LanguageServerProtocol

/// Every fixture is an LSP 3.17 JSON message part. Decoding it and encoding the value again must give
/// the same JSON (so every member of the fixture is modelled, with the right optionality), and
/// Foundation's `JSONDecoder` must agree with tokenmin's own decoder.
final class RoundTripTests: XCTestCase {
    /// The round trip of one fixture (shared with the extensions in the other round-trip files).
    func check<T: Codable & Equatable>(
        _ type: T.Type, _ json: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let original = try JSONValue.parse(json)
            let value = try original.decode(T.self)
            XCTAssertEqual(
                try JSONValue(encoding: value), original, "re-encoded JSON differs", file: file, line: line)
            XCTAssertEqual(
                try JSONDecoder().decode(T.self, from: Data(json.utf8)), value, "JSONDecoder differs",
                file: file, line: line)
        } catch {
            XCTFail("\(T.self): \(describeDecodingFailure(error, root: "json"))", file: file, line: line)
        }
    }

    func testInitialize() {
        check(
            InitializeParams.self,
            #"""
            {"processId": 4242, "clientInfo": {"name": "Visual Studio Code", "version": "1.99.0"}, "locale": "en",
             "rootPath": "/ws", "rootUri": "file:///ws", "initializationOptions": {"detail": "full"},
             "trace": "off", "workspaceFolders": [{"uri": "file:///ws", "name": "ws"}],
             "capabilities": {
               "general": {"positionEncodings": ["utf-8", "utf-16"]},
               "workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true},
                 "didChangeConfiguration": {"dynamicRegistration": true},
                 "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true},
                 "executeCommand": {"dynamicRegistration": true}, "workspaceFolders": true, "configuration": true,
                 "semanticTokens": {"refreshSupport": true}, "inlayHint": {"refreshSupport": true},
                 "diagnostics": {"refreshSupport": true}},
               "textDocument": {
                 "synchronization": {"dynamicRegistration": true, "willSave": true, "willSaveWaitUntil": true, "didSave": true},
                 "completion": {"dynamicRegistration": true, "contextSupport": true,
                   "completionItem": {"snippetSupport": true, "documentationFormat": ["markdown", "plaintext"],
                     "deprecatedSupport": true, "labelDetailsSupport": true,
                     "resolveSupport": {"properties": ["documentation", "detail"]}}},
                 "hover": {"dynamicRegistration": true, "contentFormat": ["markdown", "plaintext"]},
                 "codeAction": {"dynamicRegistration": true, "isPreferredSupport": true, "dataSupport": true,
                   "resolveSupport": {"properties": ["edit"]},
                   "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "refactor", "source"]}}},
                 "documentSymbol": {"dynamicRegistration": true, "hierarchicalDocumentSymbolSupport": true},
                 "formatting": {"dynamicRegistration": true},
                 "publishDiagnostics": {"relatedInformation": true, "versionSupport": false, "codeDescriptionSupport": true, "dataSupport": true},
                 "diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": false},
                 "inlayHint": {"dynamicRegistration": true, "resolveSupport": {"properties": ["tooltip", "label.tooltip"]}},
                 "semanticTokens": {"dynamicRegistration": true, "requests": {"range": true, "full": {"delta": true}},
                   "tokenTypes": ["keyword", "string"], "tokenModifiers": ["declaration"], "formats": ["relative"],
                   "multilineTokenSupport": false, "overlappingTokenSupport": false}},
               "window": {"workDoneProgress": true, "showMessage": {"messageActionItem": {"additionalPropertiesSupport": true}},
                 "showDocument": {"support": true}},
               "experimental": {"x": 1}}}
            """#)
        check(InitializeParams.self, #"{"processId": null, "rootUri": null, "capabilities": {}}"#)
        check(
            InitializeResult.self,
            #"""
            {"capabilities": {"positionEncoding": "utf-8",
              "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
              "hoverProvider": true, "completionProvider": {"triggerCharacters": ["{", "."], "resolveProvider": true},
              "documentSymbolProvider": true, "codeActionProvider": {"codeActionKinds": ["quickfix"], "resolveProvider": true},
              "documentFormattingProvider": true,
              "semanticTokensProvider": {"legend": {"tokenTypes": ["string"], "tokenModifiers": []}, "range": false, "full": true},
              "inlayHintProvider": {"resolveProvider": true},
              "diagnosticProvider": {"identifier": "tokenmin", "interFileDependencies": true, "workspaceDiagnostics": false},
              "executeCommandProvider": {"commands": ["tokenmin.showTokens"]},
              "workspace": {"workspaceFolders": {"supported": true, "changeNotifications": true}}},
             "serverInfo": {"name": "tokenmin", "version": "0.1.0"}}
            """#)
        check(CancelParams.self, #"{"id": 3}"#)
        check(CancelParams.self, #"{"id": "req-3"}"#)
        check(SetTraceParams.self, #"{"value": "verbose"}"#)
    }

    func testSemanticTokensRangeAcceptsAnObject() throws {
        let requests = try JSONValue.parse(#"{"range": {}, "full": true}"#)
            .decode(ClientCapabilities.SemanticTokens.Requests.self)
        XCTAssertEqual(requests, .init(range: true, full: .bool(true)))
    }

    func testTextSynchronization() {
        check(
            DidOpenTextDocumentParams.self,
            #"{"textDocument": {"uri": "file:///a%20b.prompt", "languageId": "dotprompt", "version": 1, "text": "---\nmodel: x\n---\n😀"}}"#
        )
        check(
            DidChangeTextDocumentParams.self,
            #"""
            {"textDocument": {"uri": "file:///a.prompt", "version": 7}, "contentChanges": [
              {"range": {"start": {"line": 0, "character": 1}, "end": {"line": 2, "character": 0}}, "rangeLength": 4, "text": "x"},
              {"text": "whole"}]}
            """#)
        check(DidCloseTextDocumentParams.self, #"{"textDocument": {"uri": "file:///a.prompt"}}"#)
        check(DidSaveTextDocumentParams.self, #"{"textDocument": {"uri": "file:///a.prompt"}, "text": "t"}"#)
    }

    func testDiagnostics() {
        check(
            PublishDiagnosticsParams.self,
            #"""
            {"uri": "file:///a.prompt", "version": 3, "diagnostics": [
              {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 5}}, "severity": 2,
               "code": "unused-variable", "codeDescription": {"href": "https://example.com/rules#unused-variable"},
               "source": "tokenmin", "message": "unused (saves 12 tokens)", "tags": [1],
               "relatedInformation": [{"location": {"uri": "file:///b.prompt",
                 "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}}, "message": "here"}],
               "data": {"fix": 1}},
              {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "code": 42, "message": "m"}]}
            """#)
        check(PublishDiagnosticsParams.self, #"{"uri": "file:///a.prompt", "diagnostics": []}"#)
        check(
            DocumentDiagnosticParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "identifier": "tokenmin", "previousResultId": "r1"}"#
        )
        check(DocumentDiagnosticReport.self, #"{"kind": "full", "resultId": "r2", "items": []}"#)
        check(DocumentDiagnosticReport.self, #"{"kind": "unchanged", "resultId": "r2"}"#)
    }

    func testInlayHintsAndHover() {
        check(
            InlayHintParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}"#
        )
        check(
            [InlayHint].self,
            #"""
            [{"position": {"line": 1, "character": 14}, "label": " 1,204 tok · $0.0030", "kind": 1, "paddingLeft": true,
              "data": {"version": 3, "uri": "file:///a.prompt"}},
             {"position": {"line": 4, "character": 0}, "label": [{"value": "≈ 40 tok", "tooltip": {"kind": "markdown", "value": "**estimate**"},
               "location": {"uri": "file:///p.prompt", "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}},
               "command": {"title": "Open", "command": "tokenmin.open", "arguments": ["file:///p.prompt"]}}],
              "textEdits": [], "tooltip": {"kind": "plaintext", "value": "t"}, "paddingRight": false}]
            """#)
        check(
            Hover.self,
            #"{"contents": {"kind": "markdown", "value": "**gpt-4o**"}, "range": {"start": {"line": 1, "character": 7}, "end": {"line": 1, "character": 13}}}"#
        )
        check(
            TextDocumentPositionParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "position": {"line": 3, "character": 2}}"#)
    }

    func testCodeActions() {
        check(
            CodeActionParams.self,
            #"""
            {"textDocument": {"uri": "file:///a.prompt"}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
             "context": {"diagnostics": [], "only": ["quickfix"], "triggerKind": 1}}
            """#)
        check(
            [CommandOrCodeAction].self,
            #"""
            [{"title": "Show tokens", "command": "tokenmin.showTokens", "arguments": [1, "x"]},
             {"title": "Remove unused variable", "kind": "quickfix", "isPreferred": true, "diagnostics": [],
              "edit": {"changes": {"file:///a.prompt": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}, "newText": ""}]}},
              "command": {"title": "Refresh", "command": "tokenmin.refresh"}},
             {"title": "Versioned", "edit": {"documentChanges": [{"textDocument": {"uri": "file:///a.prompt", "version": null},
               "edits": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "newText": "x"}]}]},
              "disabled": {"reason": "nothing to do"}, "data": {"id": 1}}]
            """#)
    }

    func testCompletionSymbolsFormattingSemanticTokens() {
        check(
            CompletionParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "position": {"line": 2, "character": 8}, "context": {"triggerKind": 2, "triggerCharacter": "{"}}"#
        )
        check(
            CompletionList.self,
            #"""
            {"isIncomplete": false, "items": [
              {"label": "gpt-4o", "labelDetails": {"detail": " openai", "description": "$2.50/MTok"}, "kind": 12, "detail": "d",
               "documentation": {"kind": "markdown", "value": "m"}, "sortText": "a", "filterText": "gpt", "insertText": "gpt-4o",
               "insertTextFormat": 1, "textEdit": {"range": {"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 9}}, "newText": "gpt-4o"},
               "data": 5},
              {"label": "input", "documentation": "plain"}]}
            """#)
        check(
            [DocumentSymbol].self,
            #"""
            [{"name": "frontmatter", "kind": 2, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 3}},
              "selectionRange": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
              "children": [{"name": "model", "detail": "gpt-4o", "kind": 20,
                "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 13}},
                "selectionRange": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 5}}}]}]
            """#)
        check(
            DocumentFormattingParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "options": {"tabSize": 2, "insertSpaces": true, "trimTrailingWhitespace": true, "insertFinalNewline": true, "trimFinalNewlines": true}}"#
        )
        check(TextDocumentParams.self, #"{"textDocument": {"uri": "file:///a.prompt"}}"#)
        check(SemanticTokens.self, #"{"resultId": "1", "data": [0, 0, 3, 0, 0, 0, 3, 4, 1, 0]}"#)
        check(
            SemanticTokensOptions.self,
            #"{"legend": {"tokenTypes": ["string", "number"], "tokenModifiers": []}, "full": {"delta": false}}"#
        )
    }

    func testWorkspaceAndWindow() {
        check(
            ConfigurationParams.self, #"{"items": [{"scopeUri": "file:///ws", "section": "tokenmin"}, {}]}"#)
        check([LSPAny].self, #"[{"inlayHints": {"detail": "full"}, "monthlyCalls": 10000}, null]"#)
        check(DidChangeConfigurationParams.self, #"{"settings": {"tokenmin": {"model": "gpt-4o"}}}"#)
        check(DidChangeConfigurationParams.self, #"{"settings": null}"#)
        check(
            DidChangeWatchedFilesParams.self,
            #"{"changes": [{"uri": "file:///ws/p.prompt", "type": 2}, {"uri": "file:///ws/.tokenmin.yml", "type": 3}]}"#
        )
        check(
            RegistrationParams.self,
            #"{"registrations": [{"id": "w1", "method": "workspace/didChangeWatchedFiles", "registerOptions": {"watchers": [{"globPattern": "**/*.prompt", "kind": 7}]}}]}"#
        )
        check(
            DidChangeWatchedFilesRegistrationOptions.self,
            #"{"watchers": [{"globPattern": "**/.tokenmin.yml"}]}"#)
        check(
            ExecuteCommandParams.self,
            #"{"command": "tokenmin.showTokens", "arguments": [{"uri": "file:///a.prompt"}]}"#)
        check(
            ApplyWorkspaceEditParams.self,
            #"{"label": "fix", "edit": {"changes": {"file:///a.prompt": []}}}"#)
        check(
            ApplyWorkspaceEditResult.self, #"{"applied": false, "failureReason": "stale", "failedChange": 0}"#
        )
        check(MessageParams.self, #"{"type": 3, "message": "tokenmin ready"}"#)
        check(DocumentTextResult.self, #"{"text": "a\r\nb", "version": 4}"#)
        check(
            ServerStatus.self,
            #"{"positionEncoding": "utf-16", "workspaceRoots": ["file:///ws"], "openDocuments": [], "settings": null, "trace": "off"}"#
        )
    }

    func testNoParamsAndNullResult() throws {
        XCTAssertNoThrow(try JSONValue.null.decode(NoParams.self))
        XCTAssertNoThrow(try JSONValue.object([:]).decode(NoParams.self))
        XCTAssertEqual(try JSONValue(encoding: NullResult()), .null)
        XCTAssertThrowsError(try JSONValue.integer(1).decode(NullResult.self))
        XCTAssertEqual(try JSONValue(encoding: Optional<Hover>.none), .null)
    }

    func testMethodNamesMatchTheSpecification() {
        let names: [String] = [
            InitializeRequest.method, ShutdownRequest.method, DocumentDiagnosticRequest.method,
            InlayHintRequest.method,
            InlayHintResolveRequest.method, HoverRequest.method, CodeActionRequest.method,
            CodeActionResolveRequest.method,
            CompletionRequest.method, CompletionResolveRequest.method, DocumentSymbolRequest.method,
            DocumentFormattingRequest.method, SemanticTokensFullRequest.method, ExecuteCommandRequest.method,
            ConfigurationRequest.method, RegisterCapabilityRequest.method, InlayHintRefreshRequest.method,
            DiagnosticRefreshRequest.method, ApplyWorkspaceEditRequest.method, InitializedNotification.method,
            ExitNotification.method, CancelRequestNotification.method, SetTraceNotification.method,
            DidOpenTextDocumentNotification.method, DidChangeTextDocumentNotification.method,
            DidCloseTextDocumentNotification.method, DidSaveTextDocumentNotification.method,
            DidChangeConfigurationNotification.method, DidChangeWatchedFilesNotification.method,
            PublishDiagnosticsNotification.method, LogMessageNotification.method,
            ShowMessageNotification.method,
        ]
        XCTAssertEqual(
            names,
            [
                "initialize", "shutdown", "textDocument/diagnostic", "textDocument/inlayHint",
                "inlayHint/resolve",
                "textDocument/hover", "textDocument/codeAction", "codeAction/resolve",
                "textDocument/completion",
                "completionItem/resolve", "textDocument/documentSymbol", "textDocument/formatting",
                "textDocument/semanticTokens/full", "workspace/executeCommand", "workspace/configuration",
                "client/registerCapability", "workspace/inlayHint/refresh", "workspace/diagnostic/refresh",
                "workspace/applyEdit", "initialized", "exit", "$/cancelRequest", "$/setTrace",
                "textDocument/didOpen",
                "textDocument/didChange", "textDocument/didClose", "textDocument/didSave",
                "workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles",
                "textDocument/publishDiagnostics", "window/logMessage", "window/showMessage",
            ])
    }
}
