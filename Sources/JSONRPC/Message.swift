/// A request id: JSON-RPC allows integers and strings, and a response must echo the same kind.
public enum RequestID: Hashable, Sendable, Codable, CustomStringConvertible {
    case integer(Int64)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        switch value {
        case .integer(let integer): self = .integer(integer)
        case .string(let string): self = .string(string)
        default:
            throw DecodingError.typeMismatch(
                RequestID.self,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected integer or string id, got \(value.typeName)"))
        }
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    public var json: JSONValue {
        switch self {
        case .integer(let integer): .integer(integer)
        case .string(let string): .string(string)
        }
    }

    public var description: String {
        switch self {
        case .integer(let integer): String(integer)
        case .string(let string): "\"\(string)\""
        }
    }
}

/// A JSON-RPC / LSP error code. Open-ended: unknown codes from a peer are kept as they are.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try Int(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try rawValue.encode(to: encoder) }

    /// The message is not JSON.
    public static let parseError = ErrorCode(rawValue: -32700)
    /// The JSON is not a valid request object, or the request is not allowed in the current state.
    public static let invalidRequest = ErrorCode(rawValue: -32600)
    public static let methodNotFound = ErrorCode(rawValue: -32601)
    public static let invalidParams = ErrorCode(rawValue: -32602)
    public static let internalError = ErrorCode(rawValue: -32603)
    /// LSP: a request arrived before `initialize`.
    public static let serverNotInitialized = ErrorCode(rawValue: -32002)
    public static let unknown = ErrorCode(rawValue: -32001)
    /// LSP: the request was cancelled with `$/cancelRequest`.
    public static let requestCancelled = ErrorCode(rawValue: -32800)
    /// LSP: the document changed while the request was computed; the result would be stale.
    public static let contentModified = ErrorCode(rawValue: -32801)
    public static let serverCancelled = ErrorCode(rawValue: -32802)
    /// LSP: the request was valid but failed (a reason is given in the message).
    public static let requestFailed = ErrorCode(rawValue: -32803)

    public var description: String { String(rawValue) }
}

/// The `error` member of a response; also thrown by handlers to answer with a specific code.
public struct ResponseError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var data: JSONValue?

    public init(code: ErrorCode, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public static func invalidParams(_ message: String) -> ResponseError {
        .init(code: .invalidParams, message: message)
    }
    public static func invalidRequest(_ message: String) -> ResponseError {
        .init(code: .invalidRequest, message: message)
    }
    public static func requestFailed(_ message: String) -> ResponseError {
        .init(code: .requestFailed, message: message)
    }
    public static func internalError(_ message: String) -> ResponseError {
        .init(code: .internalError, message: message)
    }
    public static let cancelled = ResponseError(code: .requestCancelled, message: "request cancelled")
    public static let contentModified = ResponseError(code: .contentModified, message: "content modified")

    public var description: String { "\(code.rawValue): \(message)" }

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "code": .integer(Int64(code.rawValue)), "message": .string(message),
        ]
        if let data { members["data"] = data }
        return .object(members)
    }
}

/// A request: has an id and expects exactly one response.
public struct RequestMessage: Hashable, Sendable {
    public var id: RequestID
    public var method: String
    /// The raw `params` member; nil when absent.
    public var params: JSONValue?

    public init(id: RequestID, method: String, params: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A notification: no id, no response.
public struct NotificationMessage: Hashable, Sendable {
    public var method: String
    public var params: JSONValue?

    public init(method: String, params: JSONValue? = nil) {
        self.method = method
        self.params = params
    }
}

/// A response to a request the receiver sent earlier.
public struct ResponseMessage: Hashable, Sendable {
    /// Nil only for responses to messages whose id could not be read (parse errors).
    public var id: RequestID?
    public var result: Result<JSONValue, ResponseError>

    public init(id: RequestID?, result: Result<JSONValue, ResponseError>) {
        self.id = id
        self.result = result
    }
}

/// One JSON-RPC 2.0 message.
public enum Message: Hashable, Sendable {
    case request(RequestMessage)
    case notification(NotificationMessage)
    case response(ResponseMessage)
}

/// A frame whose body is not a valid message. When `isResponse` is false the receiver answers with
/// `error` (to `id`, or to a null id when the id could not be read), as JSON-RPC 2.0 requires.
public struct InvalidMessage: Error, Hashable, Sendable {
    public var id: RequestID?
    public var error: ResponseError
    /// The body looked like a response: nothing may be sent back, only logged.
    public var isResponse: Bool
}

extension Message {
    /// Decodes one message body (the bytes after the framing header).
    public static func decode(_ body: [UInt8]) -> Result<Message, InvalidMessage> {
        let json: JSONValue
        do {
            json = try JSONValue.parse(body)
        } catch {
            return .failure(
                InvalidMessage(
                    id: nil, error: ResponseError(code: .parseError, message: "invalid JSON: \(error)"),
                    isResponse: false))
        }
        return decode(json)
    }

    /// Decodes one message from its JSON value.
    public static func decode(_ json: JSONValue) -> Result<Message, InvalidMessage> {
        func invalid(_ message: String, id: RequestID? = nil, isResponse: Bool = false) -> Result<
            Message, InvalidMessage
        > {
            .failure(InvalidMessage(id: id, error: .invalidRequest(message), isResponse: isResponse))
        }
        guard case .object(let members) = json else {
            return invalid("a message must be a JSON object, got \(json.typeName)")
        }
        var id: RequestID?
        if let rawID = members["id"] {
            switch rawID {
            case .integer(let integer): id = .integer(integer)
            case .string(let string): id = .string(string)
            case .null: id = nil
            default: return invalid("id must be an integer or a string, got \(rawID.typeName)")
            }
        }
        guard members["jsonrpc"] == .string("2.0") else {
            return invalid("missing \"jsonrpc\": \"2.0\"", id: id, isResponse: members["method"] == nil)
        }
        if let rawMethod = members["method"] {
            guard case .string(let method) = rawMethod else {
                return invalid("method must be a string, got \(rawMethod.typeName)", id: id)
            }
            let params = members["params"]
            if let params, params.objectValue == nil && params.arrayValue == nil && params != .null {
                return invalid("params must be an object or an array, got \(params.typeName)", id: id)
            }
            if members["id"] == nil {
                return .success(.notification(NotificationMessage(method: method, params: params)))
            }
            guard let id else { return invalid("a request id must not be null") }
            return .success(.request(RequestMessage(id: id, method: method, params: params)))
        }
        // No method: a response.
        if let rawError = members["error"], rawError != .null {
            guard let error = try? rawError.decode(ResponseError.self) else {
                return invalid("malformed error member in response", id: id, isResponse: true)
            }
            return .success(.response(ResponseMessage(id: id, result: .failure(error))))
        }
        guard members["id"] != nil else { return invalid("a response needs an id", isResponse: true) }
        guard let result = members["result"] else {
            return invalid("a response needs a result or an error", id: id, isResponse: true)
        }
        return .success(.response(ResponseMessage(id: id, result: .success(result))))
    }
}

/// Builds message bodies. Payloads are passed as already-encoded JSON bytes so that handler results
/// are serialized once, straight from their `Encodable` types.
public enum MessageEncoding {
    /// JSON bytes of an `Encodable` value: compact, keys sorted, written as it is encoded (see
    /// `JSONBytesEncoder`).
    public static func json(_ value: some Encodable) throws -> [UInt8] {
        try JSONBytesEncoder.encode(value)
    }

    public static func response(id: RequestID?, resultJSON: [UInt8]) -> [UInt8] {
        var body = prefix(id: id)
        body.append(contentsOf: #","result":"#.utf8)
        body.append(contentsOf: resultJSON)
        body.append(UInt8(ascii: "}"))
        return body
    }

    public static func response(id: RequestID?, error: ResponseError) -> [UInt8] {
        var body = prefix(id: id)
        body.append(contentsOf: #","error":"#.utf8)
        error.json.serialize(into: &body)
        body.append(UInt8(ascii: "}"))
        return body
    }

    public static func request(id: RequestID, method: String, paramsJSON: [UInt8]?) -> [UInt8] {
        var body = prefix(id: id)
        body.append(contentsOf: #","method":"#.utf8)
        JSONValue.serializeString(method, into: &body)
        appendParams(paramsJSON, to: &body)
        return body
    }

    public static func notification(method: String, paramsJSON: [UInt8]?) -> [UInt8] {
        var body = Array(#"{"jsonrpc":"2.0","method":"#.utf8)
        JSONValue.serializeString(method, into: &body)
        appendParams(paramsJSON, to: &body)
        return body
    }

    /// The body of any `Message` (used by test clients and fuzzers).
    public static func body(of message: Message) -> [UInt8] {
        switch message {
        case .request(let request):
            return self.request(
                id: request.id, method: request.method, paramsJSON: request.params?.serialized())
        case .notification(let notification):
            return self.notification(
                method: notification.method, paramsJSON: notification.params?.serialized())
        case .response(let response):
            switch response.result {
            case .success(let result): return self.response(id: response.id, resultJSON: result.serialized())
            case .failure(let error): return self.response(id: response.id, error: error)
            }
        }
    }

    private static func prefix(id: RequestID?) -> [UInt8] {
        var body = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
        (id?.json ?? .null).serialize(into: &body)
        return body
    }

    private static func appendParams(_ paramsJSON: [UInt8]?, to body: inout [UInt8]) {
        if let paramsJSON {
            body.append(contentsOf: #","params":"#.utf8)
            body.append(contentsOf: paramsJSON)
        }
        body.append(UInt8(ascii: "}"))
    }
}
