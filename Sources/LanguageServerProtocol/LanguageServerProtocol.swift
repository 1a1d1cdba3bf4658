// LanguageServerProtocol: `Codable` LSP 3.17 types used by tokenmin's server.
