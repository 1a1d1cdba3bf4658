import Foundation
import PromptText

/// `untrusted-input-in-system`: an input variable interpolated into a system message.
enum UntrustedInputInSystem {
    static let descriptor = RuleDescriptor(
        id: "untrusted-input-in-system", category: .security, defaultSeverity: .warning,
        summary: "An input variable interpolated into a system message.",
        explanation: """
            Models give system messages more authority than user messages. When user-controlled text is \
            pasted into the system message, a user can rewrite the instructions (“ignore the above…”). \
            Put user input in a user message, delimited, and keep the system message static. Only \
            inputs that carry user content are reported: string inputs whose name or schema \
            description says so (`question`, `message`, `ticket`, “the customer's reply”…); \
            identifiers such as a version or a locale are the application's own. Inputs you control \
            can be listed in `trustedVariables`.
            """,
        example: RuleExample(flagged: "{{role \"system\"}}\nAnswer the customer's question: {{question}}\n", fixed: "{{role \"system\"}}\nAnswer the customer's question given below.\n{{role \"user\"}}\n<question>{{question}}</question>\n"))

    static let rule = Rule(descriptor) { context in
        findUntrustedInputInSystem(pieces: context.pieces, trustedVariables: Set(context.options.trustedVariables)).filter { range in
            // Only inputs that carry user content (see `carriesUserContent`); identifiers are the
            // application's own.
            let name = context.text.utf8Slice(range).trimmingCharacters(in: CharacterSet(charactersIn: "{}& "))
            return context.freeTextVariables.contains(name)
        }.map { range in
            Finding(
                ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                message: "Input \(context.text.utf8Slice(range)) is interpolated into a system message, where a user can rewrite the instructions; move it to a user message",
                range: range)
        }
    }
}
