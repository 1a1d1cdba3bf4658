import PromptText

/// `pii-in-prompt`: personal data written into the prompt (usually in few-shot examples).
enum PIIInPrompt {
    static let descriptor = RuleDescriptor(
        id: "pii-in-prompt", category: .security, defaultSeverity: .warning,
        summary: "Personal data (e-mail, phone, card, national id) written into the prompt text.",
        explanation: """
            Real customer data pasted into a few-shot example is sent to the model provider on every \
            call and lives in the repository forever. Detected: e-mail addresses (except documentation \
            domains such as example.com and domains listed in `allowDomains`), phone numbers, card \
            numbers that pass the Luhn check, US social security numbers, UK National Insurance numbers \
            and IBANs (mod-97 checked). Published test data (test card numbers, 555 phone numbers) is \
            reported as info. Replace real data with invented data.
            """,
        example: RuleExample(flagged: "Write to the customer (jane.doe@gmail.com, +44 7700 900123) about the delay.\n", fixed: "Write to the customer ({{customerEmail}}, {{customerPhone}}) about the delay.\n"))

    static let rule = Rule(descriptor, isLocal: true) { context in
        let allowed = defaultAllowedEmailDomains.union(context.options.allowedEmailDomains)
        return context.prose.flatMap { segment in
            scanPersonalData(in: segment.text, baseOffset: segment.utf8Start, allowedDomains: allowed).map { match in
                Finding(
                    ruleID: descriptor.id, severity: match.isTestData ? .info : descriptor.defaultSeverity,
                    message: "\(match.description) (\(match.redacted)) in the prompt: use invented data",
                    range: match.range)
            }
        }
    }
}
