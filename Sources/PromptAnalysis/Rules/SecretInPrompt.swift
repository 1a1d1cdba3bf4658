import PromptText

/// `secret-in-prompt`: credentials committed in a prompt file. The message names the kind of secret
/// and a redacted preview; it never repeats the secret.
enum SecretInPrompt {
    static let descriptor = RuleDescriptor(
        id: "secret-in-prompt", category: .security, defaultSeverity: .error,
        summary: "A credential (API key, token, private key, password) in the prompt file.",
        explanation: """
            Prompt files are committed code and prompts are sent to a third party: a key in either place \
            has leaked. Detected: OpenAI, Anthropic, Google, AWS, GitHub, Slack and Stripe keys, bearer \
            tokens, JWTs, PEM private keys, and random-looking values assigned to names such as `apiKey`, \
            `token`, `secret` or `password`. Documentation placeholders (`sk-...`, `YOUR_API_KEY`, \
            AWS's `AKIAIOSFODNN7EXAMPLE`) and template variables are not reported. Comments count: \
            `{{! … }}` is stripped before sending, but it is still in the repository. Rotate the key, \
            then pass it in as an input variable or keep it out of the prompt entirely. Test-mode keys \
            are reported as warnings.
            """,
        example: RuleExample(flagged: "Call the lookup tool with the key sk-proj-Xq7vT2mB9kLw4RzP8nJc3HsD6fGa1YtE5uVb0NiKoQpW.\n", fixed: "Call the lookup tool with the key {{lookupKey}}.\n"))

    static let rule = Rule(descriptor) { context in
        scanSecrets(in: context.text).map { match in
            let variable = variableName(for: match.kind)
            return Finding(
                ruleID: descriptor.id, severity: match.isTestCredential ? .warning : descriptor.defaultSeverity,
                message: "\(match.description) (\(match.redacted)) in the prompt file: rotate it and pass it in as an input variable",
                range: match.range,
                fixes: [Fix(title: "Replace the secret with {{\(variable)}}",
                            edits: [TextEdit(range: match.range, newText: "{{\(variable)}}")], isSafe: false)])
        }
    }

    static func variableName(for kind: SecretKind) -> String {
        switch kind {
        case .openAIKey, .openAIProjectKey: "openaiApiKey"
        case .anthropicKey: "anthropicApiKey"
        case .googleAPIKey: "googleApiKey"
        case .awsAccessKeyID: "awsAccessKeyId"
        case .awsSecretKey: "awsSecretAccessKey"
        case .githubToken: "githubToken"
        case .slackToken: "slackToken"
        case .stripeKey: "stripeKey"
        case .bearerToken, .jwt: "authToken"
        case .pemPrivateKey: "privateKey"
        case .providerToken: "apiToken"
        case .genericHighEntropy: "secret"
        }
    }
}
