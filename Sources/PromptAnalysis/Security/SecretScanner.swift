import Foundation
import PromptText

/// The kinds of credential `scanSecrets` recognises. Formats follow the providers' published token
/// shapes as collected by gitleaks (`cmd/generate/config/rules/*.go` in gitleaks/gitleaks) and GitHub's
/// token-format announcement (github.blog/changelog/2021-03-31-authentication-token-format-updates).
package enum SecretKind: String, Sendable, Hashable, CaseIterable {
    /// `sk-` + 48 alphanumerics (legacy user keys, `sk-[20]T3BlbkFJ[20]`).
    case openAIKey
    /// `sk-proj-`, `sk-svcacct-`, `sk-admin-` + at least 40 of `[A-Za-z0-9_-]` (real ones are ~156).
    case openAIProjectKey
    /// `sk-ant-<type><2 digits>-` + at least 32 of `[A-Za-z0-9_-]` (`sk-ant-api03-…AA` is 108 long).
    case anthropicKey
    /// `AIza` + exactly 35 of `[A-Za-z0-9_-]`.
    case googleAPIKey
    /// `AKIA`/`ASIA`/`ABIA`/`ACCA` + exactly 16 of `[A-Z0-9]`.
    case awsAccessKeyID
    /// 40 of `[A-Za-z0-9/+]` assigned to a name containing both `aws` and `secret`.
    case awsSecretKey
    /// `ghp_ gho_ ghu_ ghs_ ghr_` + at least 36 alphanumerics, or `github_pat_` + at least 70 of `\w`.
    case githubToken
    /// `xoxb- xoxp- xoxa- xoxr- xapp-` + at least 20 of `[A-Za-z0-9-]` containing at least 8 digits.
    case slackToken
    /// `sk_live_`, `rk_live_` (and `sk_test_`, `rk_test_`, flagged as test credentials) + at least 20
    /// alphanumerics. Publishable `pk_` keys are public by design and not reported.
    case stripeKey
    /// `Bearer <token>` (as in an `Authorization` header) with a random-looking token.
    case bearerToken
    /// A `-----BEGIN … PRIVATE KEY-----` block with at least 64 base64 characters of body.
    case pemPrivateKey
    /// `eyJ…​.eyJ…​.<signature>`: a signed JSON Web Token.
    case jwt
    /// Another provider's prefixed token (GitLab `glpat-`, Hugging Face `hf_`, npm `npm_`, PyPI
    /// `pypi-`, DigitalOcean `dop_v1_`, Shopify `shpat_`, Groq `gsk_`…) + at least 20 random characters.
    case providerToken
    /// A random-looking value assigned to a credential-like name, or given for one in prose ("the
    /// ledger password is …") (see `scanSecrets`).
    case genericHighEntropy
}

/// One credential found by `scanSecrets`. No field contains the secret: `redacted` shows at most its
/// first four characters.
package struct SecretMatch: Hashable, Sendable {
    package var kind: SecretKind
    /// The secret's bytes in the scanned text (shifted by `baseOffset`), without surrounding quotes.
    package var range: UTF8Range
    /// What was found, for a diagnostic message: "OpenAI project key", "Stripe test secret key".
    package var description: String
    /// The first characters of the secret followed by "…" ("sk-p…"); never the secret itself.
    package var redacted: String
    /// A credential that only reaches a provider's test mode (Stripe `sk_test_`): still worth removing,
    /// but a rule should report it at a lower severity.
    package var isTestCredential: Bool

    package init(
        kind: SecretKind, range: UTF8Range, description: String, redacted: String,
        isTestCredential: Bool = false
    ) {
        self.kind = kind
        self.range = range
        self.description = description
        self.redacted = redacted
        self.isTestCredential = isTestCredential
    }
}

/// Finds credentials in `text` with one hand-written pass over its UTF-8 bytes.
///
/// Provider tokens are recognised by prefix, alphabet and length at word boundaries; each must also
/// have at least 3 bits/char of Shannon entropy (2.5 for digit-heavy Slack tokens and the 16-character
/// AWS key id body) and must not look
/// like a documentation placeholder (`sk-xxxx`, `YOUR_API_KEY`, `<API_KEY>`, `{{apiKey}}`, AWS's
/// documented `AKIAIOSFODNN7EXAMPLE`).
///
/// `genericHighEntropy` reports the value of `name: value`, `name=value` or `"name": "value"` when a
/// word of `name` (split at `_`, `-`, `.` and camelCase) is key, token, secret, password, passwd, pwd,
/// apikey, credential, auth or passphrase (plurals too), unless another word marks it as not secret
/// (`max_tokens`, `public_key`, `key_id`, `token_url`…). The value must be 12–512 characters without
/// spaces, contain both a letter and a digit, reach 3.0 bits/char, and not be a URL, path, file name,
/// template expression or placeholder. gitleaks' generic rule uses 3.5 bits over longer values; the
/// name context plus the letter-and-digit requirement let us take shorter real passwords at 3.0, which
/// random 12-character strings clear (≈3.4) and English identifiers with a digit rarely do.
///
/// Overlapping findings keep the most specific kind (an `sk-proj-` key assigned to `OPENAI_API_KEY` is
/// an `openAIProjectKey`, not a generic value). Ranges are byte offsets plus `baseOffset`.
package func scanSecrets(in text: String, baseOffset: Int = 0) -> [SecretMatch] {
    var text = text
    return text.withUTF8 { bytes in
        var scanner = SecretScanner(bytes: bytes)
        scanner.scan()
        return resolveOverlaps(scanner.candidates).map { candidate in
            let value = bytes.string(candidate.range)
            return SecretMatch(
                kind: candidate.kind,
                range: UTF8Range(candidate.range).shifted(by: baseOffset),
                description: candidate.description,
                redacted: redactedPreview(value, visible: candidate.kind.hasPublicPrefix ? min(4, publicPrefixLength(value)) : 2),
                isTestCredential: candidate.isTest)
        }
    }
}

/// How much of a prefixed token is its public prefix: through the last `-` or `_` among its first eight
/// characters (`sk-`, `sk-proj-`, `ghp_`, `hf_`, `glpat-`), or four characters for fixed prefixes
/// without a separator (`AKIA`, `AIza`); callers show at most four. Nothing of the random part is shown.
private func publicPrefixLength(_ value: String) -> Int {
    let head = Array(value.utf8.prefix(8))
    if let last = head.lastIndex(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) { return last + 1 }
    return 4
}

extension SecretKind {
    /// Whether the first characters of such a secret are a fixed public prefix (`ghp_`, `AKIA`), so the
    /// four-character preview reveals nothing. Unprefixed values show only two characters.
    fileprivate var hasPublicPrefix: Bool {
        switch self {
        case .awsSecretKey, .bearerToken, .genericHighEntropy: false
        default: true
        }
    }

    /// Higher wins when two findings overlap.
    fileprivate var specificity: Int {
        switch self {
        case .genericHighEntropy: 0
        case .bearerToken: 1
        case .awsSecretKey: 2
        default: 3
        }
    }
}

private struct SecretCandidate {
    var kind: SecretKind
    var range: Range<Int>
    var description: String
    var isTest = false
}

private func resolveOverlaps(_ candidates: [SecretCandidate]) -> [SecretCandidate] {
    let sorted = candidates.sorted {
        ($0.range.lowerBound, -$0.range.count) < ($1.range.lowerBound, -$1.range.count)
    }
    var kept: [SecretCandidate] = []
    for candidate in sorted {
        guard let last = kept.last, last.range.overlaps(candidate.range) else {
            kept.append(candidate)
            continue
        }
        let better =
            candidate.kind.specificity != last.kind.specificity
            ? candidate.kind.specificity > last.kind.specificity
            : candidate.range.count > last.range.count
        if better { kept[kept.count - 1] = candidate }
    }
    return kept
}

/// Known example credentials published in vendor documentation; they are placeholders, not leaks.
private let documentedExampleSecrets: Set<String> = [
    "AKIAIOSFODNN7EXAMPLE",  // AWS IAM docs
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  // AWS IAM docs
    "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",  // firebase-android-sdk samples
    // The jwt.io debugger's default token signature.
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
]

/// Name words that make an assignment credential-like (lowercase; compared ignoring case).
private let credentialWords: [StaticString] = [
    "key", "keys", "token", "tokens", "secret", "secrets", "password", "passwords", "passwd", "pwd",
    "apikey", "apikeys", "credential", "credentials", "auth", "passphrase", "accesskey", "secretkey",
]

/// Words after which prose gives a credential ("the password is …").
private let proseCredentialWords: [StaticString] = [
    "password", "passwd", "passphrase", "pwd", "token", "secret", "apikey", "key", "pin", "passcode", "credential",
]

/// Words between a credential word and its value in prose.
private let linkingWords: [StaticString] = [
    "is", "was", "are", "equals", "reads", "set", "to", "be", "will", "now", "currently", "still", "of",
]

/// Prefixes of other providers' tokens (gitleaks rules): `classifyProviderToken`.
private let providerTokenPrefixes: [(StaticString, String)] = [
    ("glpat-", "GitLab personal access token"), ("glptt-", "GitLab pipeline trigger token"),
    ("gldt-", "GitLab deploy token"), ("glrt-", "GitLab runner token"), ("hf_", "Hugging Face token"),
    ("npm_", "npm access token"), ("pypi-", "PyPI upload token"), ("dop_v1_", "DigitalOcean token"),
    ("doo_v1_", "DigitalOcean OAuth token"), ("shpat_", "Shopify access token"), ("shpss_", "Shopify shared secret"),
    ("shpca_", "Shopify custom app token"), ("gsk_", "Groq API key"), ("r8_", "Replicate API token"),
    ("pplx-", "Perplexity API key"), ("xai-", "xAI API key"), ("lin_api_", "Linear API key"),
    ("figd_", "Figma token"), ("ntn_", "Notion token"),
]

/// Name words that make a credential-like name about something public or numeric.
private let nonSecretNameWords: [StaticString] = [
    "max", "min", "count", "limit", "limits", "public", "publishable", "id", "ids", "name", "type",
    "length", "size", "url", "uri", "file", "path", "env", "format", "field", "prefix", "usage",
    "budget", "estimate", "header", "endpoint", "cost", "price", "per", "encoding", "tokenizer",
]

private struct SecretScanner {
    let bytes: Bytes
    var candidates: [SecretCandidate] = []

    init(bytes: Bytes) { self.bytes = bytes }

    mutating func scan() {
        let count = bytes.count
        var index = 0
        while index < count {
            guard isTokenByte(bytes[index]) else {
                index += 1
                continue
            }
            // `index` starts a maximal run of `[A-Za-z0-9_-]`: a word boundary on the left.
            let end = bytes.runEnd(from: index, where: isTokenByte)
            classifyRun(index..<end)
            checkAssignment(name: index..<end)
            checkProse(word: index..<end)
            index = end
        }
    }

    private mutating func add(
        _ kind: SecretKind, _ range: Range<Int>, _ description: String, isTest: Bool = false
    ) {
        candidates.append(SecretCandidate(kind: kind, range: range, description: description, isTest: isTest))
    }

    /// Whether `body` is real key material: the right alphabet and length, enough entropy, and no sign of
    /// being a placeholder.
    private func isKeyMaterial(
        _ body: Range<Int>, minLength: Int, maxLength: Int = 512, minEntropy: Double = 3.0,
        alphabet: (UInt8) -> Bool
    ) -> Bool {
        guard body.count >= minLength, body.count <= maxLength else { return false }
        for index in body where !alphabet(bytes[index]) { return false }
        guard shannonEntropy(bytes[body]) >= minEntropy else { return false }
        return !looksLikePlaceholder(bytes[body])
    }

    private func isDocumentedExample(_ range: Range<Int>) -> Bool {
        documentedExampleSecrets.contains(bytes.string(range))
    }

    // MARK: Prefixed tokens

    private mutating func classifyRun(_ run: Range<Int>) {
        let start = run.lowerBound
        // Every prefix below is at least 3 bytes and most keys are 20+; prose words exit here.
        guard run.count >= 6 else { return }
        let second = bytes[start + 1]
        switch bytes[start] {
        case UInt8(ascii: "s") where second == UInt8(ascii: "k"):
            if bytes.matches("sk-ant-", at: start) {
                classifyAnthropic(run)
            } else if bytes.matches("sk-proj-", at: start) {
                classifyOpenAIProject(run, prefixLength: 8, "OpenAI project key")
            } else if bytes.matches("sk-svcacct-", at: start) {
                classifyOpenAIProject(run, prefixLength: 11, "OpenAI service account key")
            } else if bytes.matches("sk-admin-", at: start) {
                classifyOpenAIProject(run, prefixLength: 9, "OpenAI admin key")
            } else if bytes.matches("sk-", at: start) {
                // Legacy user keys: exactly 48 alphanumerics (`sk-[20]T3BlbkFJ[20]`); other `sk-` keys
                // (OpenRouter `sk-or-v1-`, DeepSeek, proxies) at any length from 20 random characters.
                let body = (start + 3)..<run.upperBound
                if body.count == 48, isKeyMaterial(body, minLength: 48, alphabet: isASCIIAlphanumeric) {
                    add(.openAIKey, run, "OpenAI API key")
                } else if hasLetterAndDigit(body), isKeyMaterial(body, minLength: 20, alphabet: isTokenByte) {
                    add(.openAIKey, run, "secret key (sk-)")
                }
            } else if bytes.matches("sk_live_", at: start) {
                classifyStripe(run, "Stripe live secret key", isTest: false)
            } else if bytes.matches("sk_test_", at: start) {
                classifyStripe(run, "Stripe test secret key", isTest: true)
            }
        case UInt8(ascii: "r") where second == UInt8(ascii: "k"):
            if bytes.matches("rk_live_", at: start) {
                classifyStripe(run, "Stripe live restricted key", isTest: false)
            } else if bytes.matches("rk_test_", at: start) {
                classifyStripe(run, "Stripe test restricted key", isTest: true)
            }
        case UInt8(ascii: "A") where run.count >= 20:
            if bytes.matches("AIza", at: start) {
                // Google keys are 39 characters; a shorter or longer one pasted whole is still a key.
                if !isDocumentedExample(run),
                    isKeyMaterial((start + 4)..<run.upperBound, minLength: 20, alphabet: isTokenByte)
                {
                    add(.googleAPIKey, run, "Google API key")
                }
            } else if bytes.matches("AKIA", at: start) || bytes.matches("ASIA", at: start)
                || bytes.matches("ABIA", at: start) || bytes.matches("ACCA", at: start)
            {
                if run.count >= 20, run.count <= 40, !isDocumentedExample(run),
                    // 16 characters of a 32-symbol alphabet: random bodies score 2.6–3.7 bits.
                    isKeyMaterial(
                        (start + 4)..<run.upperBound, minLength: 16, minEntropy: 2.5, alphabet: isUpperOrDigit
                    )
                {
                    add(.awsAccessKeyID, run, "AWS access key ID")
                }
            }
        case UInt8(ascii: "g") where second == UInt8(ascii: "h") || second == UInt8(ascii: "i"):
            classifyGitHub(run)
        case UInt8(ascii: "x") where second == UInt8(ascii: "o") || second == UInt8(ascii: "a"):
            classifySlack(run)
        case UInt8(ascii: "e") where second == UInt8(ascii: "y"):
            if bytes.matches("eyJ", at: start) { classifyJWT(run) }
        case UInt8(ascii: "-") where second == UInt8(ascii: "-"):
            if bytes.matches("-----BEGIN ", at: start) { classifyPEM(from: start) }
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            if run.count == 6, bytes.matchesIgnoringCase("bearer", at: start) {
                classifyBearer(after: run.upperBound)
            }
        default:
            break
        }
        classifyProviderToken(run)
    }

    /// Prefixed tokens of other providers, in the spirit of gitleaks' rules: the prefix, then at least
    /// 20 characters of key material (no fixed length: a key pasted whole is a key).
    private mutating func classifyProviderToken(_ run: Range<Int>) {
        // The shortest prefix is 3 bytes: most prose words exit here.
        guard run.count >= 23 else { return }
        let start = run.lowerBound
        for (prefix, description) in providerTokenPrefixes where bytes.matches(prefix, at: start) {
            let body = (start + prefix.utf8CodeUnitCount)..<run.upperBound
            if isKeyMaterial(body, minLength: 20, alphabet: isTokenByte) { add(.providerToken, run, description) }
            return
        }
    }

    private mutating func classifyAnthropic(_ run: Range<Int>) {
        // `sk-ant-api03-…`, `sk-ant-admin01-…`, `sk-ant-oat01-…`: a lowercase type, two digits, a dash.
        var index = run.lowerBound + 7
        let typeStart = index
        while index < run.upperBound, isASCIILower(bytes[index]) { index += 1 }
        let typeEnd = index
        guard typeEnd > typeStart, index + 3 <= run.upperBound, isASCIIDigit(bytes[index]),
            isASCIIDigit(bytes[index + 1]), bytes[index + 2] == UInt8(ascii: "-")
        else {
            // Any other `sk-ant-` key shape, from 20 random characters.
            if isKeyMaterial((run.lowerBound + 7)..<run.upperBound, minLength: 20, alphabet: isTokenByte) {
                add(.anthropicKey, run, "Anthropic API key")
            }
            return
        }
        let body = (index + 3)..<run.upperBound
        guard isKeyMaterial(body, minLength: 20, alphabet: isTokenByte) else { return }
        let type = bytes.string(typeStart..<typeEnd)
        let description =
            switch type {
            case "admin": "Anthropic admin key"
            case "oat", "ort": "Anthropic OAuth token"
            default: "Anthropic API key"
            }
        add(.anthropicKey, run, description)
    }

    private mutating func classifyOpenAIProject(_ run: Range<Int>, prefixLength: Int, _ description: String) {
        let body = (run.lowerBound + prefixLength)..<run.upperBound
        if isKeyMaterial(body, minLength: 20, alphabet: isTokenByte) {
            add(.openAIProjectKey, run, description)
        }
    }

    private mutating func classifyStripe(_ run: Range<Int>, _ description: String, isTest: Bool) {
        let body = (run.lowerBound + 8)..<run.upperBound
        if isKeyMaterial(body, minLength: 20, maxLength: 255, alphabet: isASCIIAlphanumeric) {
            add(.stripeKey, run, description, isTest: isTest)
        }
    }

    private mutating func classifyGitHub(_ run: Range<Int>) {
        let start = run.lowerBound
        if bytes.matches("github_pat_", at: start) {
            // Fine-grained tokens: `github_pat_` + 22 + `_` + 59 word characters.
            if isKeyMaterial(
                (start + 11)..<run.upperBound, minLength: 20, maxLength: 255, alphabet: isWordByte)
            {
                add(.githubToken, run, "GitHub fine-grained personal access token")
            }
            return
        }
        guard run.count >= 4, bytes[start + 1] == UInt8(ascii: "h"), bytes[start + 3] == UInt8(ascii: "_")
        else { return }
        let description: String
        switch bytes[start + 2] {
        case UInt8(ascii: "p"): description = "GitHub personal access token"
        case UInt8(ascii: "o"): description = "GitHub OAuth access token"
        case UInt8(ascii: "u"): description = "GitHub App user-to-server token"
        case UInt8(ascii: "s"): description = "GitHub App server-to-server token"
        case UInt8(ascii: "r"): description = "GitHub refresh token"
        default: return
        }
        // GitHub documents these as 36 characters today and up to 255 in future; a truncated paste
        // of 20 or more is still a leak.
        if isKeyMaterial(
            (start + 4)..<run.upperBound, minLength: 20, maxLength: 251, alphabet: isASCIIAlphanumeric)
        {
            add(.githubToken, run, description)
        }
    }

    private mutating func classifySlack(_ run: Range<Int>) {
        let start = run.lowerBound
        let description: String
        if bytes.matches("xoxb-", at: start) {
            description = "Slack bot token"
        } else if bytes.matches("xoxp-", at: start) {
            description = "Slack user token"
        } else if bytes.matches("xoxa-", at: start) || bytes.matches("xoxr-", at: start) {
            description = "Slack workspace token"
        } else if bytes.matches("xapp-", at: start) {
            description = "Slack app-level token"
        } else {
            return
        }
        let body = (start + 5)..<run.upperBound
        // Slack tokens are dash-separated numeric ids plus a random tail, so they are digit-heavy and
        // score lower than base62 keys; gitleaks uses 2–3 bits for them.
        var digits = 0
        for index in body where isASCIIDigit(bytes[index]) { digits += 1 }
        // Digit-heavy real tokens score 2.5 bits; a random tail without many digits must score 3.
        let alphabet = { (byte: UInt8) in isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") }
        guard (digits >= 8 && isKeyMaterial(body, minLength: 20, minEntropy: 2.5, alphabet: alphabet))
            || (hasLetterAndDigit(body) && isKeyMaterial(body, minLength: 20, alphabet: alphabet))
        else { return }
        add(.slackToken, run, description)
    }

    private mutating func classifyJWT(_ header: Range<Int>) {
        // header `.` payload `.` signature, each base64url; the payload is a JSON object (`eyJ`).
        guard header.count >= 10, bytes.byte(at: header.upperBound) == UInt8(ascii: ".") else { return }
        let payloadStart = header.upperBound + 1
        guard bytes.matches("eyJ", at: payloadStart) else { return }
        let payloadEnd = bytes.runEnd(from: payloadStart, where: isTokenByte)
        guard payloadEnd - payloadStart >= 10, bytes.byte(at: payloadEnd) == UInt8(ascii: ".") else { return }
        let signatureStart = payloadEnd + 1
        let signatureEnd = bytes.runEnd(from: signatureStart, where: isTokenByte)
        guard signatureEnd - signatureStart >= 16, !isDocumentedExample(signatureStart..<signatureEnd),
            !looksLikePlaceholder(bytes[header.lowerBound..<signatureEnd])
        else { return }
        var end = signatureEnd
        while end < bytes.count, end < signatureEnd + 2, bytes[end] == UInt8(ascii: "=") { end += 1 }
        add(.jwt, header.lowerBound..<end, "JSON Web Token")
    }

    private mutating func classifyPEM(from start: Int) {
        // `-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY-----` on one line.
        var index = start + 11
        let lineEnd = bytes.runEnd(from: index) { $0 != 0x0A && $0 != 0x0D }
        var headerEnd: Int?
        while index < lineEnd {
            if bytes.matches("PRIVATE KEY-----", at: index) {
                headerEnd = index + 16
                break
            }
            let byte = bytes[index]
            guard isASCIIUpper(byte) || isASCIIDigit(byte) || byte == 0x20 else { return }
            index += 1
        }
        guard let headerEnd else { return }
        // The body runs to `-----END`; base64 lines may be real newlines or `\n` escapes inside JSON.
        var cursor = headerEnd
        var base64Count = 0
        var end: Int?
        while cursor < bytes.count {
            if bytes.matches("-----END", at: cursor) {
                // `-----END <label>-----`; the label is uppercase words.
                let labelEnd = bytes.runEnd(from: cursor + 8) { isASCIIUpper($0) || $0 == 0x20 }
                end = bytes.matches("-----", at: labelEnd) ? labelEnd + 5 : cursor + 8
                break
            }
            let byte = bytes[cursor]
            if isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") {
                base64Count += 1
            }
            cursor += 1
        }
        // Without a footer the block still leaks: report through the last body byte examined.
        let blockEnd = end ?? cursor
        let body = headerEnd..<min(blockEnd, max(headerEnd, cursor))
        guard base64Count >= 64, !isElided(bytes[body]) else { return }
        add(.pemPrivateKey, start..<blockEnd, "PEM private key")
    }

    /// Whether a PEM body is a documentation stub (`...`, `<your key>`, `{{key}}`) rather than base64.
    private func isElided(_ body: Slice<Bytes>) -> Bool {
        let buffer = Bytes(rebasing: body)
        for offset in buffer.indices {
            if buffer.matches("...", at: offset) || buffer.matches("\u{2026}", at: offset)
                || buffer.matches("{{", at: offset) || buffer[offset] == UInt8(ascii: "<")
            {
                return true
            }
        }
        return false
    }

    private mutating func classifyBearer(after wordEnd: Int) {
        var start = wordEnd
        while start < bytes.count, isHorizontalSpace(bytes[start]) { start += 1 }
        guard start > wordEnd else { return }
        // RFC 6750 b64token: `[A-Za-z0-9-._~+/]+=*`.
        var end = bytes.runEnd(from: start) { byte in
            isTokenByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "/")
        }
        while end < bytes.count, bytes[end] == UInt8(ascii: "=") { end += 1 }
        if isRandomLookingValue(start..<end) { add(.bearerToken, start..<end, "Bearer token") }
    }

    // MARK: Assignments to credential-like names

    private mutating func checkAssignment(name: Range<Int>) {
        // name ["|'] [?] [spaces] (: | := | = | =>) [spaces] ["|'|`] value
        var index = name.upperBound
        let quote = bytes.byte(at: index)
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") { index += 1 }
        if bytes.byte(at: index) == UInt8(ascii: "?") { index += 1 }
        while index < bytes.count, isHorizontalSpace(bytes[index]) { index += 1 }
        switch bytes.byte(at: index) {
        case UInt8(ascii: ":"):
            index += 1
            if bytes.byte(at: index) == UInt8(ascii: "=") { index += 1 }
        case UInt8(ascii: "="):
            index += 1
            if bytes.byte(at: index) == UInt8(ascii: "=") { return }  // a comparison
            if bytes.byte(at: index) == UInt8(ascii: ">") { index += 1 }
        default:
            return
        }
        guard mentionsCredential(name), let words = credentialNameWords(name) else { return }
        while index < bytes.count, isHorizontalSpace(bytes[index]) { index += 1 }
        let opening = bytes.byte(at: index)
        let closing: UInt8?
        switch opening {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"): closing = opening
        default: closing = nil
        }
        let valueStart = closing == nil ? index : index + 1
        var valueEnd = valueStart
        while valueEnd < bytes.count, valueEnd - valueStart <= 512 {
            let byte = bytes[valueEnd]
            if let closing {
                if byte == closing || byte == 0x0A || byte == 0x0D { break }
            } else if isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
                || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
            {
                break
            }
            valueEnd += 1
        }
        let value = valueStart..<valueEnd
        if words.mentionsAWS, words.mentionsSecret, value.count == 40, !isDocumentedExample(value),
            isKeyMaterial(value, minLength: 40, alphabet: isBase64Byte)
        {
            add(.awsSecretKey, value, "AWS secret access key")
            return
        }
        guard !isDocumentedExample(value), isRandomLookingValue(value) else { return }
        let displayName = bytes.string(name.lowerBound..<min(name.upperBound, name.lowerBound + 40))
        add(.genericHighEntropy, value, "high-entropy value assigned to \u{201C}\(displayName)\u{201D}")
    }

    /// A credential given in prose: "the ledger password is Zq7…; send it in the X-Auth header", "use
    /// the token 9fK…", "API key 4b…". After a credential word, up to three linking words (is, was,
    /// set to…), then the value, which must look random (the generic test: 12+ characters, a letter and
    /// a digit, 3 bits/char, not a placeholder).
    private mutating func checkProse(word: Range<Int>) {
        // Length and first letter of the credential words: almost every prose word exits here.
        let first = bytes[word.lowerBound] | 0x20
        switch (word.count, first) {
        case (3, UInt8(ascii: "p")), (3, UInt8(ascii: "k")), (5, UInt8(ascii: "t")), (6, UInt8(ascii: "s")),
             (6, UInt8(ascii: "a")), (7, UInt8(ascii: "p")), (8, UInt8(ascii: "p")), (10, UInt8(ascii: "p")),
             (10, UInt8(ascii: "c")):
            break
        default:
            return
        }
        guard equalsAny(proseCredentialWords, word) else { return }
        var index = word.upperBound
        for _ in 0..<4 {
            let spaceStart = index
            while index < bytes.count, isHorizontalSpace(bytes[index]) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "=") {
                return  // an assignment: `checkAssignment` reads it
            }
            guard index > spaceStart else { return }
            let next = bytes.runEnd(from: index, where: isASCIILetter)
            guard next > index, equalsAny(linkingWords, index..<next),
                  next < bytes.count, isHorizontalSpace(bytes[next]) else { break }
            index = next
        }
        // The value: up to white space, without quotes around it or punctuation after it.
        var start = index
        if start < bytes.count, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`")].contains(bytes[start]) { start += 1 }
        var end = start
        while end < bytes.count, !isWhitespace(bytes[end]), end - start <= 512 { end += 1 }
        while end > start, [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ")"), UInt8(ascii: "\""),
                             UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(bytes[end - 1]) {
            end -= 1
        }
        let value = start..<end
        guard !value.isEmpty, !isDocumentedExample(value), isRandomLookingValue(value) else { return }
        let name = bytes.string(word)
        add(.genericHighEntropy, value, "random-looking value given as the \u{201C}\(name.lowercased())\u{201D} in prose")
    }

    private func hasLetterAndDigit(_ range: Range<Int>) -> Bool {
        var letter = false
        var digit = false
        for index in range {
            if isASCIILetter(bytes[index]) { letter = true } else if isASCIIDigit(bytes[index]) { digit = true }
            if letter && digit { return true }
        }
        return false
    }

    /// A cheap filter before `credentialNameWords`: whether `name` contains a stem of a credential word.
    private func mentionsCredential(_ name: Range<Int>) -> Bool {
        for index in name {
            switch bytes[index] | 0x20 {
            case UInt8(ascii: "k"): if bytes.matchesIgnoringCase("key", at: index) { return true }
            case UInt8(ascii: "t"): if bytes.matchesIgnoringCase("token", at: index) { return true }
            case UInt8(ascii: "s"): if bytes.matchesIgnoringCase("secret", at: index) { return true }
            case UInt8(ascii: "p"):
                if bytes.matchesIgnoringCase("pass", at: index) || bytes.matchesIgnoringCase("pwd", at: index)
                {
                    return true
                }
            case UInt8(ascii: "a"): if bytes.matchesIgnoringCase("auth", at: index) { return true }
            case UInt8(ascii: "c"): if bytes.matchesIgnoringCase("credential", at: index) { return true }
            default: break
            }
        }
        return false
    }

    /// What the words of `name` (split at `_`, `-`, `.` and lower-to-upper camelCase) say about it.
    private struct NameWords {
        var namesCredential = false
        var namesSomethingPublic = false
        var mentionsAWS = false
        var mentionsSecret = false
    }

    /// The verdict on `name`'s words when it names a credential, else nil. Works on the bytes in place:
    /// this runs for every `word:` in a prompt.
    private func credentialNameWords(_ name: Range<Int>) -> NameWords? {
        var result = NameWords()
        var wordStart = name.lowerBound
        func classify(_ word: Range<Int>) {
            guard !word.isEmpty else { return }
            if equalsAny(credentialWords, word) { result.namesCredential = true }
            if equalsAny(nonSecretNameWords, word) { result.namesSomethingPublic = true }
            if equalsAny(["aws"], word) { result.mentionsAWS = true }
            if equalsAny(["secret"], word) { result.mentionsSecret = true }
            // `openaiApiKey`-style run-ons: a word ending in "apikey" names a key.
            if word.count > 6, bytes.matchesIgnoringCase("apikey", at: word.upperBound - 6) {
                result.namesCredential = true
            }
        }
        for index in name {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                classify(wordStart..<index)
                wordStart = index + 1
            } else if index > wordStart, isASCIIUpper(byte), !isASCIIUpper(bytes[index - 1]) {
                classify(wordStart..<index)
                wordStart = index
            }
        }
        classify(wordStart..<name.upperBound)
        return result.namesCredential && !result.namesSomethingPublic ? result : nil
    }

    private func equalsAny(_ words: [StaticString], _ word: Range<Int>) -> Bool {
        for candidate in words where candidate.withUTF8Buffer({ $0.count }) == word.count {
            if bytes.matchesIgnoringCase(candidate, at: word.lowerBound) { return true }
        }
        return false
    }

    /// The generic test for an unprefixed secret value (see `scanSecrets`).
    private func isRandomLookingValue(_ value: Range<Int>) -> Bool {
        guard value.count >= 12, value.count <= 512 else { return false }
        var hasLetter = false
        var hasDigit = false
        for index in value {
            let byte = bytes[index]
            if isWhitespace(byte) { return false }
            if isASCIILetter(byte) { hasLetter = true } else if isASCIIDigit(byte) { hasDigit = true }
        }
        guard hasLetter, hasDigit else { return false }
        let slice = Bytes(rebasing: bytes[value])
        // URLs, absolute or relative paths and file names are configuration, not credentials.
        for offset in slice.indices where slice.matches("://", at: offset) { return false }
        if isPath(slice) || hasFileExtension(slice) { return false }
        guard shannonEntropy(bytes[value]) >= 3.0 else { return false }
        return !looksLikePlaceholder(bytes[value])
    }

    /// Whether `value` is a file path: it starts with `/`, `./`, `../` or `~/` and every segment reads
    /// like a name (`Users`, `app-2`, `config.yml`), which base64 key material (`/SEfMRIY/5a…`) does not.
    private func isPath(_ value: Bytes) -> Bool {
        guard
            value.matches("/", at: 0) || value.matches("./", at: 0) || value.matches("../", at: 0)
                || value.matches("~/", at: 0)
        else { return false }
        var segmentStart = true
        for byte in value {
            if byte == UInt8(ascii: "/") {
                segmentStart = true
                continue
            }
            // A capital may start a segment; after that, only lowercase, digits and `._-~`.
            let allowed =
                isASCIILower(byte) || isASCIIDigit(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "~")
                || (segmentStart && isASCIIUpper(byte))
            if !allowed { return false }
            segmentStart = false
        }
        return true
    }

    /// Whether `value` ends in `.` + 1–4 letters (`server.pem`, `config.v2.json`).
    private func hasFileExtension(_ value: Bytes) -> Bool {
        var index = value.count - 1
        var letters = 0
        while index >= 0, isASCIILetter(value[index]) {
            letters += 1
            index -= 1
        }
        return index > 0 && value[index] == UInt8(ascii: ".") && (1...4).contains(letters)
    }
}

private func isUpperOrDigit(_ byte: UInt8) -> Bool { isASCIIUpper(byte) || isASCIIDigit(byte) }
private func isWordByte(_ byte: UInt8) -> Bool { isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "_") }
private func isBase64Byte(_ byte: UInt8) -> Bool {
    isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
}
