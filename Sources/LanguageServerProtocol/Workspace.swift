// Workspace and window messages, including the requests the server sends to the client.

public struct ConfigurationItem: Codable, Hashable, Sendable {
    public var scopeUri: DocumentURI?
    public var section: String?

    public init(scopeUri: DocumentURI? = nil, section: String? = nil) {
        self.scopeUri = scopeUri
        self.section = section
    }
}

/// `workspace/configuration` (server → client): one result per item, in order.
public struct ConfigurationParams: Codable, Hashable, Sendable {
    public var items: [ConfigurationItem]
    public init(items: [ConfigurationItem]) { self.items = items }
}

public struct DidChangeConfigurationParams: Codable, Hashable, Sendable {
    /// The new settings (push model); clients using the pull model send null and expect the server
    /// to ask with `workspace/configuration`.
    public var settings: LSPAny?

    public init(settings: LSPAny? = nil) { self.settings = settings }

    public func encode(to encoder: any Encoder) throws {
        // `settings` is required on the wire (it may be null).
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(settings ?? .null, forKey: .settings)
    }
}

public struct FileChangeType: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let created = FileChangeType(rawValue: 1)
    public static let changed = FileChangeType(rawValue: 2)
    public static let deleted = FileChangeType(rawValue: 3)
}

public struct FileEvent: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var type: FileChangeType

    public init(uri: DocumentURI, type: FileChangeType) {
        self.uri = uri
        self.type = type
    }
}

public struct DidChangeWatchedFilesParams: Codable, Hashable, Sendable {
    public var changes: [FileEvent]
    public init(changes: [FileEvent]) { self.changes = changes }
}

public struct WatchKind: OptionSet, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let create = WatchKind(rawValue: 1)
    public static let change = WatchKind(rawValue: 2)
    public static let delete = WatchKind(rawValue: 4)
}

public struct FileSystemWatcher: Codable, Hashable, Sendable {
    /// A glob pattern string (relative patterns are not used by tokenmin).
    public var globPattern: String
    public var kind: WatchKind?

    public init(globPattern: String, kind: WatchKind? = nil) {
        self.globPattern = globPattern
        self.kind = kind
    }
}

public struct DidChangeWatchedFilesRegistrationOptions: Codable, Hashable, Sendable {
    public var watchers: [FileSystemWatcher]
    public init(watchers: [FileSystemWatcher]) { self.watchers = watchers }
}

public struct Registration: Codable, Hashable, Sendable {
    public var id: String
    public var method: String
    public var registerOptions: LSPAny?

    public init(id: String, method: String, registerOptions: LSPAny? = nil) {
        self.id = id
        self.method = method
        self.registerOptions = registerOptions
    }
}

/// `client/registerCapability` (server → client).
public struct RegistrationParams: Codable, Hashable, Sendable {
    public var registrations: [Registration]
    public init(registrations: [Registration]) { self.registrations = registrations }
}

public struct ExecuteCommandOptions: Codable, Hashable, Sendable {
    public var commands: [String]
    public init(commands: [String]) { self.commands = commands }
}

public struct ExecuteCommandParams: Codable, Hashable, Sendable {
    public var command: String
    public var arguments: [LSPAny]?

    public init(command: String, arguments: [LSPAny]? = nil) {
        self.command = command
        self.arguments = arguments
    }
}

/// `workspace/applyEdit` (server → client).
public struct ApplyWorkspaceEditParams: Codable, Hashable, Sendable {
    public var label: String?
    public var edit: WorkspaceEdit

    public init(label: String? = nil, edit: WorkspaceEdit) {
        self.label = label
        self.edit = edit
    }
}

public struct ApplyWorkspaceEditResult: Codable, Hashable, Sendable {
    public var applied: Bool
    public var failureReason: String?
    public var failedChange: Int?

    public init(applied: Bool, failureReason: String? = nil, failedChange: Int? = nil) {
        self.applied = applied
        self.failureReason = failureReason
        self.failedChange = failedChange
    }
}

public struct MessageType: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let error = MessageType(rawValue: 1)
    public static let warning = MessageType(rawValue: 2)
    public static let info = MessageType(rawValue: 3)
    public static let log = MessageType(rawValue: 4)
}

/// `window/logMessage` and `window/showMessage`.
public struct MessageParams: Codable, Hashable, Sendable {
    public var type: MessageType
    public var message: String

    public init(type: MessageType, message: String) {
        self.type = type
        self.message = message
    }
}
