import Foundation
import LanguageServerProtocol

extension ServerState {
    /// The folders a document may read files from (partials, `.tokenmin.yml`, samples): the workspace
    /// roots, or — when the client gave none (an editor opened on a single file, Neovim when no root
    /// marker was found) — the document's own folder, so `{{> style}}` finds `_style.prompt` beside it.
    /// Nothing above that folder is read.
    public func roots(for uri: DocumentURI) -> [URL] {
        guard workspaceRoots.isEmpty else { return workspaceRoots }
        guard let url = uri.fileURL else { return [] }
        return [canonicalURL(url.deletingLastPathComponent())]
    }

    /// Whether `url` is inside the roots that apply to the document `uri` (see `roots(for:)`).
    public func isInside(_ url: URL, rootsOf uri: DocumentURI) -> Bool {
        guard workspaceRoots.isEmpty else { return isInsideWorkspace(url) }
        var scoped = self
        scoped.workspaceRoots = roots(for: uri)
        return scoped.isInsideWorkspace(url)
    }
}
