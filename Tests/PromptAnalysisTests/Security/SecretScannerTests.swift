import Foundation
import PromptText
import XCTest

@testable import PromptAnalysis

final class SecretScannerTests: XCTestCase {
    /// Scans the marked fixture and expects exactly the marked ranges, with `kinds` in order. Every
    /// match is also checked for leaks: no five characters of the secret may appear in its description
    /// or preview, and the preview shows at most four characters before "…".
    private func check(
        _ marked: String, _ kinds: [SecretKind], testCredentials: [Bool]? = nil, baseOffset: Int = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let fixture = MarkedFixture(marked)
        let matches = scanSecrets(in: fixture.text, baseOffset: baseOffset)
        let expected = fixture.expectedRanges.map { $0.shifted(by: baseOffset) }
        XCTAssertEqual(
            matches.map(\.range), expected, "ranges in \(fixture.text.debugDescription)", file: file,
            line: line)
        XCTAssertEqual(
            matches.map(\.kind), kinds, "kinds in \(fixture.text.debugDescription)", file: file, line: line)
        if let testCredentials {
            XCTAssertEqual(matches.map(\.isTestCredential), testCredentials, file: file, line: line)
        }
        for match in matches {
            let local = match.range.shifted(by: -baseOffset)
            guard local.start >= 0, local.end <= fixture.text.utf8.count else { continue }
            let secret = fixture.substring(local)
            // Provider prefixes are public and may be named ("OpenAI admin key" for `sk-admin-…`).
            let material =
                publicPrefixes.first(where: secret.hasPrefix).map { String(secret.dropFirst($0.count)) }
                ?? secret
            assertNothingLeaks(material, in: [match.description, match.redacted], file: file, line: line)
            XCTAssertTrue(match.redacted.hasSuffix("…"), match.redacted, file: file, line: line)
            XCTAssertLessThanOrEqual(match.redacted.count, 5, match.redacted, file: file, line: line)
            XCTAssertTrue(secret.hasPrefix(match.redacted.dropLast()), match.redacted, file: file, line: line)
        }
    }

    private let publicPrefixes = ["sk-ant-admin01-", "sk-ant-api03-", "sk-admin-", "sk-svcacct-", "sk-proj-"]

    private func fake(_ count: Int, _ alphabet: [Character] = FakeKey.base62, seed: String = #function)
        -> String
    {
        FakeKey.random(count, from: alphabet, seed: seed)
    }

    // MARK: Provider tokens

    func testOpenAIKeys() {
        let legacy = "sk-" + fake(20) + "T3BlbkFJ" + fake(20, seed: "b")
        check("OPENAI_API_KEY=⟦\(legacy)⟧", [.openAIKey])
        let project =
            "sk-proj-" + fake(74, FakeKey.base64URL) + "T3BlbkFJ" + fake(74, FakeKey.base64URL, seed: "c")
        check("config:\n  apiKey: \"⟦\(project)⟧\"\n", [.openAIProjectKey])
        check(
            "⟦sk-svcacct-\(fake(58, FakeKey.base64URL))⟧ and ⟦sk-admin-\(fake(58, seed: "d"))⟧",
            [.openAIProjectKey, .openAIProjectKey])
        // Inside a longer word (`task-…`, `xsk-…`) it is not a key.
        check("risk-\(fake(48)) xsk-\(fake(48))", [])
        // Other `sk-` keys at any length from 20 random characters (OpenRouter, proxies, a truncated
        // paste); shorter ones are not key material.
        check("⟦sk-\(fake(40))⟧", [.openAIKey])
        check("⟦sk-or-v1-\(fake(64, FakeKey.base64URL))⟧", [.openAIKey])
        check("sk-\(fake(12))", [])
    }

    func testAnthropicKeys() {
        let key = "sk-ant-api03-" + fake(93, FakeKey.base64URL) + "AA"
        check("Use ⟦\(key)⟧ for Claude.", [.anthropicKey])
        check("⟦sk-ant-admin01-\(fake(93, FakeKey.base64URL, seed: "x"))AA⟧", [.anthropicKey])
        check("sk-ant-api03-tooShort", [])
        XCTAssertEqual(scanSecrets(in: key).first?.description, "Anthropic API key")
    }

    func testGoogleAndAWSKeys() {
        check("maps: ⟦AIza\(fake(35, FakeKey.base64URL))⟧", [.googleAPIKey])
        check("⟦AIza\(fake(34))⟧", [.googleAPIKey])  // any length from 20 random characters
        check("AIza\(fake(12))", [])
        check(
            "id ⟦AKIA\(fake(16, FakeKey.awsID))⟧, session ⟦ASIA\(fake(16, FakeKey.awsID, seed: "s"))⟧",
            [.awsAccessKeyID, .awsAccessKeyID])
        check("aws_secret_access_key = ⟦\(fake(40, FakeKey.base64))⟧", [.awsSecretKey])
        check("AWS_SECRET_ACCESS_KEY: \"⟦\(fake(40, FakeKey.base64, seed: "q"))⟧\"", [.awsSecretKey])
    }

    func testGitHubSlackAndStripeTokens() {
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            check("token ⟦\(prefix)\(fake(36, seed: prefix))⟧.", [.githubToken])
        }
        check("⟦github_pat_\(fake(22))_\(fake(59, seed: "pat"))⟧", [.githubToken])
        let id1 = fake(12, FakeKey.digits, seed: "1")
        let id2 = fake(13, FakeKey.digits, seed: "2")
        check("⟦xoxb-\(id1)-\(id2)-\(fake(24))⟧", [.slackToken])
        check("⟦xoxp-\(id1)-\(id2)-\(id1)-\(fake(32, seed: "p"))⟧", [.slackToken])
        check(
            "⟦xapp-1-A\(fake(10, FakeKey.digits))-\(id2)-\(fake(64, seed: "app").lowercased())⟧",
            [.slackToken])
        check("xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx xoxb-my-bot-token", [])
        check(
            "live ⟦sk_live_\(fake(24))⟧ restricted ⟦rk_live_\(fake(24, seed: "r"))⟧ test ⟦sk_test_\(fake(24, seed: "t"))⟧",
            [.stripeKey, .stripeKey, .stripeKey], testCredentials: [false, false, true])
        // Publishable keys are meant to be public.
        check("pk_live_\(fake(24))", [])
    }

    func testBearerJWTAndPEM() {
        check("Authorization: Bearer ⟦\(fake(40, FakeKey.base64URL))⟧\n", [.bearerToken])
        check("Bearer tokens expire after 3600 seconds.", [])
        let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        let payload = "eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSIsImlhdCI6MTcxNjIzOTAyMn0"
        let jwt = "\(header).\(payload).\(fake(43, FakeKey.base64URL))"
        check("session=⟦\(jwt)⟧;", [.jwt])
        // A JWT after `Bearer` is reported once, as the more specific kind.
        check("Authorization: Bearer ⟦\(jwt)⟧", [.jwt])
        // An unsigned JWT is not a credential; the jwt.io sample token is public.
        check("\(header).\(payload).", [])
        check(
            "\(header).eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            [])

        let body = (0..<6).map { fake(64, FakeKey.base64, seed: "pem\($0)") }.joined(separator: "\n")
        check(
            "key:\n⟦-----BEGIN RSA PRIVATE KEY-----\n\(body)\n-----END RSA PRIVATE KEY-----⟧\nrest",
            [.pemPrivateKey])
        let escaped = body.replacingOccurrences(of: "\n", with: "\\n")
        check(
            #"{"private_key": "⟦-----BEGIN PRIVATE KEY-----\n"# + escaped
                + #"\n-----END PRIVATE KEY-----⟧\n"}"#, [.pemPrivateKey])
        // No footer: the block still leaks and is reported to the end of the text.
        check("⟦-----BEGIN OPENSSH PRIVATE KEY-----\n\(body)⟧", [.pemPrivateKey])
        check("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", [])
        check("-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----", [])
    }

    // MARK: Generic assignments

    func testHighEntropyAssignments() {
        check("api_key: ⟦\(fake(32))⟧", [.genericHighEntropy])
        check(#"{"client_secret": "⟦"# + fake(24, FakeKey.base64) + #"⟧"}"#, [.genericHighEntropy])
        check("DB_PASSWORD=⟦hunter2xyz123⟧\n", [.genericHighEntropy])
        check("x-api-key: ⟦\(fake(20).lowercased())9⟧", [.genericHighEntropy])
        check("accessToken := '⟦\(fake(30, FakeKey.base64URL))⟧'", [.genericHighEntropy])
        check("{{generate token=\"⟦\(fake(16))⟧\"}}", [.genericHighEntropy])
        XCTAssertEqual(
            scanSecrets(in: "pwd = \(fake(16))").first?.description,
            "high-entropy value assigned to \u{201C}pwd\u{201D}")
    }

    func testLookAlikesDoNotMatch() {
        let negatives = [
            "Set OPENAI_API_KEY to sk-... before running.",
            "export OPENAI_API_KEY=sk-xxxx",
            "api_key = sk-your-key-here",
            "api_key: YOUR_API_KEY",
            "api_key: <API_KEY>",
            "apiKey: {{apiKey}}",
            "token: {{ auth.token }}",
            "password: {{password}}",
            "input:\n  schema:\n    token: string\n    password?: string, the user's password\n",
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAXXXXXXXXXXXXXXXX",
            "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "secret: aaaaaaaaaaaa1111111",
            "password: password123456",
            "secret = ${SECRET_VALUE_2}",
            "api_key: process.env.OPENAI_API_KEY",
            "max_tokens: 4096\ntokenizer: o200k_base\n",
            "output_tokens_per_minute = 1500000000",
            "auth_url: https://accounts.google.com/o/oauth2/auth",
            "key_path: /etc/ssl/private/server2.key",
            "token_store = /Users/Ada/Library/app-2024/cache",
            "secret_dir: ../deploy/secrets2/prod",
            "secret_file = server2023.pem",
            "public_key: \(fake(40))",
            "author: JohnSmith1985",
            "The secret: be kind to everyone, always.",
            "keyword=transformer2024model",
            "if token == \(fake(20)) then",
            "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
        ]
        for text in negatives { check(text, []) }
    }

    /// Random key material of each format must always be found: guards the entropy and placeholder
    /// thresholds against false negatives on real keys (a chance `here` or `your` inside a long body).
    func testRandomKeysOfEveryFormatAreFound() {
        var missed: [String] = []
        for seed in 0..<300 {
            let s = "seed\(seed)"
            let samples: [(SecretKind, String)] = [
                (.openAIKey, "sk-" + FakeKey.random(48, seed: s)),
                (.openAIProjectKey, "sk-proj-" + FakeKey.random(156, from: FakeKey.base64URL, seed: s)),
                (
                    .anthropicKey,
                    "sk-ant-api03-" + FakeKey.random(93, from: FakeKey.base64URL, seed: s) + "AA"
                ),
                (.googleAPIKey, "AIza" + FakeKey.random(35, from: FakeKey.base64URL, seed: s)),
                (.awsAccessKeyID, "AKIA" + FakeKey.random(16, from: FakeKey.awsID, seed: s)),
                (.githubToken, "ghp_" + FakeKey.random(36, seed: s)),
                (.stripeKey, "sk_live_" + FakeKey.random(99, seed: s)),
                (.genericHighEntropy, "api_key: " + FakeKey.random(32, from: FakeKey.base64, seed: s) + "7"),
            ]
            for (kind, text) in samples where scanSecrets(in: "x \(text)\n").map(\.kind) != [kind] {
                missed.append(text)
            }
        }
        XCTAssertEqual(missed, [])
    }

    // MARK: Offsets and previews

    func testUnicodeAroundMatchesAndBaseOffset() {
        let key = "ghp_" + fake(36)
        check("🔑 clé — ключ: ⟦\(key)⟧ ✓ 日本語", [.githubToken])
        check("🔑 clé — ключ: ⟦\(key)⟧ ✓ 日本語", [.githubToken], baseOffset: 1_000)
        let match = scanSecrets(in: "é\(key)".replacingOccurrences(of: "é", with: "é "), baseOffset: 7).first
        XCTAssertEqual(match?.range, UTF8Range(start: 7 + 3, end: 7 + 3 + 40))
        XCTAssertEqual(match?.redacted, "ghp_…")
    }

    func testPreviewsOfUnprefixedSecretsShowTwoCharacters() {
        let value = fake(24)
        let match = scanSecrets(in: "secret: \(value)").first
        XCTAssertEqual(match?.redacted, String(value.prefix(2)) + "…")
    }

    /// Not a benchmark: a log line that shows the scanner stays in the ≫100 MB/s class on a prompt of
    /// 2,000 lines with a few secrets in it.
    func testThroughputOnALargePrompt() {
        var lines: [String] = []
        for index in 0..<2_000 {
            switch index % 50 {
            // The trailing digit keeps every value inside the generic rule (letters and digits).
            case 7: lines.append("api_key: \(fake(32, seed: "\(index)"))7")
            case 21: lines.append("Authorization: Bearer \(fake(40, seed: "\(index)"))7")
            default:
                lines.append(
                    "Line \(index): You are a careful assistant. Summarize {{document}} in 3 bullet points, max_tokens: 512."
                )
            }
        }
        let text = lines.joined(separator: "\n")
        var found = 0
        let repetitions = 20
        let started = Date()
        for _ in 0..<repetitions { found += scanSecrets(in: text).count }
        let seconds = Date().timeIntervalSince(started)
        let megabytes = Double(text.utf8.count * repetitions) / 1_000_000
        #if DEBUG
            let configuration = "debug build; ~370 MB/s measured with -O -wmo"
        #else
            let configuration = "optimized build"
        #endif
        print(
            "scanSecrets: \(text.utf8.count) bytes × \(repetitions): \(Int(megabytes / seconds)) MB/s (\(configuration))"
        )
        XCTAssertEqual(found, 80 * repetitions)
    }
}
