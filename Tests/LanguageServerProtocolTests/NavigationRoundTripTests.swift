import Foundation
import XCTest

@testable import LanguageServerProtocol

/// The navigation, rename and workspace-diagnostic types, through the same round trip as the others:
/// each LSP 3.17 fixture decodes and encodes back to the same JSON, and Foundation's decoder agrees.
extension RoundTripTests {
    func testReferencesAndRename() {
        check(
            ReferenceParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "position": {"line": 3, "character": 7}, "context": {"includeDeclaration": true}}"#
        )
        check(
            RenameParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "position": {"line": 3, "character": 7}, "newName": "mood"}"#
        )
        check(
            PrepareRenameResult.self,
            #"{"range": {"start": {"line": 3, "character": 5}, "end": {"line": 3, "character": 9}}, "placeholder": "tone"}"#
        )
        check(RenameOptions.self, #"{"prepareProvider": true}"#)
        check(RenameProvider.self, #"{"prepareProvider": true}"#)
        check(RenameProvider.self, "true")
    }

    func testWorkspaceEditWithFileOperations() {
        check(
            WorkspaceEdit.self,
            #"""
            {"documentChanges": [
              {"textDocument": {"uri": "file:///w/a.prompt", "version": 3},
               "edits": [{"range": {"start": {"line": 9, "character": 4}, "end": {"line": 9, "character": 10}}, "newText": "intro"}]},
              {"textDocument": {"uri": "file:///w/b.prompt", "version": null}, "edits": []},
              {"kind": "rename", "oldUri": "file:///w/_header.prompt", "newUri": "file:///w/_intro.prompt", "options": {"overwrite": false, "ignoreIfExists": false}},
              {"kind": "create", "uri": "file:///w/a.sample.json", "options": {"ignoreIfExists": true}}]}
            """#)
        check(
            WorkspaceEdit.self,
            #"{"changes": {"file:///w/a.prompt": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "newText": "x"}]}}"#
        )
        XCTAssertThrowsError(
            try JSONValue.parse(#"{"documentChanges": [{"kind": "delete", "uri": "file:///w/a"}]}"#).decode(
                WorkspaceEdit.self))
    }

    func testHighlightsFoldingSelection() {
        check(
            [DocumentHighlight].self,
            #"[{"range": {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 6}}, "kind": 3}, {"range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 4}}}]"#
        )
        check(
            [FoldingRange].self,
            #"[{"startLine": 0, "endLine": 9, "kind": "imports"}, {"startLine": 12, "endLine": 14, "kind": "region", "collapsedText": "…"}]"#
        )
        check(
            SelectionRangeParams.self,
            #"{"textDocument": {"uri": "file:///a.prompt"}, "positions": [{"line": 1, "character": 2}]}"#)
        check(
            [SelectionRange].self,
            #"""
            [{"range": {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 6}},
              "parent": {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 9}},
                         "parent": {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}}}}]
            """#)
    }

    func testWorkspaceDiagnostics() {
        check(
            WorkspaceDiagnosticParams.self,
            #"{"identifier": "tokenmin", "previousResultIds": [{"uri": "file:///a.prompt", "value": "1"}]}"#)
        check(
            WorkspaceDiagnosticReport.self,
            #"""
            {"items": [{"kind": "full", "items": [], "uri": "file:///w/a.prompt", "version": 4},
                       {"kind": "full", "resultId": "r", "items": [], "uri": "file:///w/b.prompt", "version": null},
                       {"kind": "unchanged", "resultId": "r", "uri": "file:///w/c.prompt", "version": null}]}
            """#)
    }
}
