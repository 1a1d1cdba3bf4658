import Foundation

/// An output schema recovered from instruction prose: a small tree that serialises to Dotprompt
/// Picoschema or to JSON Schema.
///
/// Constraints that only make sense for one kind (`maxLength` for strings, `minimum` for numbers,
/// `maxItems` for arrays) live beside the kind rather than inside it, so that prose sentences can
/// refine a field one fact at a time ("tags is an array of strings", "at most 3 tags").
public struct OutputSchema: Hashable, Sendable {
    /// What a value is. `any` means the prose named the value but said nothing about its type.
    public indirect enum Kind: Hashable, Sendable {
        case any
        case string
        case number
        case integer
        case boolean
        /// A closed list of string values, in the order the prose gave them.
        case enumeration([String])
        case array(items: OutputSchema)
        /// Properties in the order the prose named them.
        case object(properties: [Property])
    }

    /// One named property of an object. Optional properties follow Dotprompt's Picoschema rule: they
    /// are left out of `required` and their type also admits `null`.
    public struct Property: Hashable, Sendable {
        public var name: String
        public var schema: OutputSchema
        public var isOptional: Bool

        public init(name: String, schema: OutputSchema, isOptional: Bool = false) {
            self.name = name
            self.schema = schema
            self.isOptional = isOptional
        }
    }

    public var kind: Kind
    public var description: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minimum: Decimal?
    public var maximum: Decimal?
    public var minItems: Int?
    public var maxItems: Int?

    public init(
        _ kind: Kind, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        minimum: Decimal? = nil, maximum: Decimal? = nil, minItems: Int? = nil, maxItems: Int? = nil
    ) {
        self.kind = kind
        self.description = description
        self.minLength = minLength
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.minItems = minItems
        self.maxItems = maxItems
    }

    /// The object's properties, or nil when this is not an object.
    public var properties: [Property]? {
        if case .object(let properties) = kind { return properties }
        return nil
    }

    /// Whether any constraint Picoschema has no syntax for is set anywhere in the tree.
    public var hasConstraintsBeyondPicoschema: Bool {
        if minLength != nil || maxLength != nil || minimum != nil || maximum != nil || minItems != nil
            || maxItems != nil
        {
            return true
        }
        switch kind {
        case .array(let items): return items.hasConstraintsBeyondPicoschema
        case .object(let properties): return properties.contains { $0.schema.hasConstraintsBeyondPicoschema }
        default: return false
        }
    }
}

// MARK: - Merging facts

extension OutputSchema {
    /// Combines two descriptions of the same value, or returns nil when they contradict each other
    /// (a string that is also a number, two different length limits). Absent facts never conflict.
    package func merged(with other: OutputSchema) -> OutputSchema? {
        guard let kind = Self.mergedKind(kind, other.kind) else { return nil }
        var result = OutputSchema(kind)
        guard let description = Self.mergedDescription(description, other.description),
            let minLength = Self.same(minLength, other.minLength),
            let maxLength = Self.same(maxLength, other.maxLength),
            let minimum = Self.same(minimum, other.minimum),
            let maximum = Self.same(maximum, other.maximum),
            let minItems = Self.same(minItems, other.minItems),
            let maxItems = Self.same(maxItems, other.maxItems)
        else { return nil }
        result.description = description
        result.minLength = minLength
        result.maxLength = maxLength
        result.minimum = minimum
        result.maximum = maximum
        result.minItems = minItems
        result.maxItems = maxItems
        return result
    }

    /// `.some(nil)` when both are absent, `.some(v)` when they agree or one is absent, nil on conflict.
    private static func same<T: Equatable>(_ a: T?, _ b: T?) -> T?? {
        switch (a, b) {
        case (nil, nil): return .some(nil)
        case (let x?, nil), (nil, let x?): return .some(x)
        case (let x?, let y?): return x == y ? .some(x) : nil
        }
    }

    private static func mergedDescription(_ a: String?, _ b: String?) -> String?? {
        switch (a, b) {
        case (nil, nil): return .some(nil)
        case (let x?, nil), (nil, let x?): return .some(x)
        case (let x?, let y?):
            if x == y || x.localizedCaseInsensitiveContains(y) { return .some(x) }
            if y.localizedCaseInsensitiveContains(x) { return .some(y) }
            // Two sentences describing the same field both carry information: keep both.
            return .some(x + "; " + y)
        }
    }

    private static func mergedKind(_ a: Kind, _ b: Kind) -> Kind? {
        switch (a, b) {
        case (.any, let x), (let x, .any): return x
        case (.number, .integer), (.integer, .number): return .integer
        // A string seen in an example ("positive") is refined by an enum stated in prose.
        case (.string, .enumeration(let values)), (.enumeration(let values), .string):
            return .enumeration(values)
        case (.enumeration(let x), .enumeration(let y)):
            return Set(x) == Set(y) ? .enumeration(x) : nil
        case (.array(let x), .array(let y)):
            guard let items = x.merged(with: y) else { return nil }
            return .array(items: items)
        case (.object(let x), .object(let y)):
            var properties = x
            for property in y {
                if let index = properties.firstIndex(where: { $0.name == property.name }) {
                    guard let schema = properties[index].schema.merged(with: property.schema) else {
                        return nil
                    }
                    properties[index].schema = schema
                    properties[index].isOptional = properties[index].isOptional || property.isOptional
                } else {
                    properties.append(property)
                }
            }
            return .object(properties: properties)
        default:
            return a == b ? a : nil
        }
    }
}
