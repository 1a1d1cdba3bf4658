import Foundation
import PromptText

/// A neutral tree of configuration values with optional source ranges: `.tokenmin.yml` (YAML, with
/// ranges), frontmatter `metadata.tokenmin`, and editor settings (JSON, no ranges) all become this, so
/// one parser validates them all and reports problems where they are.
public indirect enum SettingsValue: Sendable, Equatable {
    case scalar(String, range: UTF8Range?)
    case mapping([Entry], range: UTF8Range?)
    case sequence([SettingsValue], range: UTF8Range?)
    case null(range: UTF8Range?)

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var keyRange: UTF8Range?
        public var value: SettingsValue

        public init(key: String, keyRange: UTF8Range? = nil, value: SettingsValue) {
            self.key = key
            self.keyRange = keyRange
            self.value = value
        }
    }

    public var range: UTF8Range? {
        switch self {
        case .scalar(_, let range), .mapping(_, let range), .sequence(_, let range), .null(let range): range
        }
    }

    public subscript(key: String) -> SettingsValue? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.last { $0.key == key }?.value
    }

    /// Converts a JSON value as `JSONSerialization` produces it.
    public init(json: Any?) {
        switch json {
        case let object as [String: Any]:
            self = .mapping(object.keys.sorted().map { Entry(key: $0, value: SettingsValue(json: object[$0])) }, range: nil)
        case let array as [Any]:
            self = .sequence(array.map { SettingsValue(json: $0) }, range: nil)
        case let number as NSNumber:
            // JSON booleans arrive as NSNumber too; keep their spelling.
            // Booleans are NSNumbers whose Objective-C type is `c` (char).
            if String(cString: number.objCType) == "c" {
                self = .scalar(number.boolValue ? "true" : "false", range: nil)
            } else {
                self = .scalar(number.stringValue, range: nil)
            }
        case let string as String:
            self = .scalar(string, range: nil)
        default:
            self = .null(range: nil)
        }
    }
}
