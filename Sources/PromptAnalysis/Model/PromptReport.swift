import Foundation
import PromptText

/// Token count of one message of a prompt (after the `{{role}}` marker that starts it).
public struct MessageCount: Sendable, Hashable, Codable {
    public var role: String
    public var tokens: Int
    /// The message's range in the file (its marker and content).
    public var range: UTF8Range

    public init(role: String, tokens: Int, range: UTF8Range) {
        self.role = role
        self.tokens = tokens
        self.range = range
    }
}

/// What one call of a prompt costs: input tokens (per message), the expected output, and USD. Every
/// number says whether it is exact (tiktoken-identical encoding, all variables known) or an estimate.
public struct PromptCost: Sendable, Hashable {
    /// The model as written in the file or configuration, and the catalog id it resolved to.
    public var modelName: String?
    public var modelID: String?
    /// The encoding used to count, e.g. `o200k_base`, and whether the count is exact for the model.
    public var encoding: String
    public var isExactTokenizer: Bool
    public var messages: [MessageCount]
    /// Per-call overhead tokens (chat format framing, tool definitions).
    public var overheadTokens: Int
    /// Of the overhead: the tool definitions sent with every call (always an estimate).
    public var toolDefinitionTokens: Int = 0
    public var inputTokens: Int
    /// Variables without a value: the input count covers static text only, "+ ?" per variable.
    public var unresolvedVariables: [String]
    public var outputTokens: Int
    /// The output count is the configured default, not a cap from the file.
    public var outputIsDefault: Bool
    public var usdPerCall: Decimal?
    /// The per-call cost when the static prefix is read from the provider's prompt cache.
    public var cachedUSDPerCall: Decimal?
    public var callsPerMonth: Decimal?
    public var usdPerMonth: Decimal?

    public init(
        modelName: String? = nil, modelID: String? = nil, encoding: String, isExactTokenizer: Bool,
        messages: [MessageCount], overheadTokens: Int = 0, inputTokens: Int, unresolvedVariables: [String] = [],
        outputTokens: Int = 0, outputIsDefault: Bool = true, usdPerCall: Decimal? = nil,
        cachedUSDPerCall: Decimal? = nil, callsPerMonth: Decimal? = nil, usdPerMonth: Decimal? = nil
    ) {
        self.modelName = modelName
        self.modelID = modelID
        self.encoding = encoding
        self.isExactTokenizer = isExactTokenizer
        self.messages = messages
        self.overheadTokens = overheadTokens
        self.inputTokens = inputTokens
        self.unresolvedVariables = unresolvedVariables
        self.outputTokens = outputTokens
        self.outputIsDefault = outputIsDefault
        self.usdPerCall = usdPerCall
        self.cachedUSDPerCall = cachedUSDPerCall
        self.callsPerMonth = callsPerMonth
        self.usdPerMonth = usdPerMonth
    }

    /// Exact only when the tokenizer is the model's own and every variable has a value.
    public var isExact: Bool { isExactTokenizer && unresolvedVariables.isEmpty && toolDefinitionTokens == 0 }

    /// The counted tokens are an estimate (`≈`): not the model's own tokenizer, or tool definitions
    /// (whose serialisation providers do not publish). Inputs without a value are another matter: the
    /// text that is counted is counted exactly, and what is missing is shown as `+ ?`, everywhere
    /// (`count`, `report`, `check`, the editor) the same way.
    public var isEstimate: Bool { !isExactTokenizer || toolDefinitionTokens > 0 }
}

/// The analysis of one prompt file, as `check`, `count` and the editor consume it.
public struct FileReport: Sendable {
    /// The path as given or discovered (relative paths stay relative: reports must be portable).
    public var path: String
    public var lineIndex: LineIndex
    public var findings: [Finding]
    public var cost: PromptCost?
    /// A `.tokenmin.yml` with problems rather than a prompt: reported, but not counted as a prompt.
    public var isConfiguration: Bool

    public init(path: String, lineIndex: LineIndex, findings: [Finding], cost: PromptCost?, isConfiguration: Bool = false) {
        self.path = path
        self.lineIndex = lineIndex
        self.findings = findings
        self.cost = cost
        self.isConfiguration = isConfiguration
    }

    /// Whether the file could not be analysed at all (`unreadable-file`: not UTF-8, too large, unreadable).
    public var isUnreadable: Bool { findings.contains { $0.ruleID == UnreadableFileRule.descriptor.id } }
}
