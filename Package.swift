// swift-tools-version:6.0
// tokenmin: a language server and command-line tool for Dotprompt `.prompt` files.
// No package dependencies, by design: Foundation, Dispatch and XCTest only.
import PackageDescription

let package = Package(
    name: "tokenmin",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tokenmin", targets: ["tokenmin"])
    ],
    targets: [
        // Layer 0: text. Knows nothing about prompts or LSP.
        .target(name: "PromptText"),
        // Layer 1: syntax. Dotprompt file split, YAML subset, Handlebars, messages.
        .target(name: "PromptSyntax", dependencies: ["PromptText"]),
        // Embedded data (BPE vocabularies, price catalog) compiled into the binary with C23 `#embed`,
        // so that the `tokenmin` executable works when copied alone.
        .target(name: "CEmbeddedData", exclude: ["data"]),
        // Layer 2: tokens and prices.
        .target(name: "Tokenizer", dependencies: ["CEmbeddedData", "PromptText", "JSONRPC"]),
        .target(name: "Pricing", dependencies: ["CEmbeddedData", "PromptText"]),
        // Layer 2: rendering (Handlebars evaluation, helpers, partials, Picoschema).
        .target(name: "Dotprompt", dependencies: ["PromptSyntax", "PromptText"]),
        // Layer 3: the semantic layer shared by the editor and CI.
        .target(
            name: "PromptAnalysis",
            dependencies: ["PromptText", "PromptSyntax", "Tokenizer", "Pricing", "Dotprompt"]),
        // Layer 4: protocol and front ends.
        .target(name: "JSONRPC", dependencies: ["PromptText"]),
        .target(name: "LanguageServerProtocol", dependencies: ["JSONRPC"]),
        .target(
            name: "PromptLanguageServer",
            dependencies: ["JSONRPC", "LanguageServerProtocol", "PromptAnalysis", "PromptText", "PromptSyntax", "Pricing", "Tokenizer", "Dotprompt"]),
        .target(name: "PromptCheck", dependencies: ["PromptAnalysis", "PromptText"]),
        // Layer 5: the command line.
        .target(
            name: "TokenminCLI",
            dependencies: [
                "PromptText", "PromptSyntax", "Tokenizer", "Pricing", "Dotprompt", "PromptAnalysis",
                "PromptLanguageServer", "PromptCheck",
            ]),
        .executableTarget(name: "tokenmin", dependencies: ["TokenminCLI"]),
        .executableTarget(
            name: "TokenminBenchmarks",
            dependencies: ["PromptText", "PromptSyntax", "Tokenizer", "Pricing", "Dotprompt", "PromptAnalysis", "PromptLanguageServer", "PromptCheck", "JSONRPC", "LanguageServerProtocol"]),

        .testTarget(name: "PromptTextTests", dependencies: ["PromptText"]),
        .testTarget(name: "PromptSyntaxTests", dependencies: ["PromptSyntax", "PromptText"], exclude: ["Fixtures"]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer"], exclude: ["Golden"]),
        .testTarget(name: "PricingTests", dependencies: ["Pricing"], exclude: ["Fixtures"]),
        .testTarget(name: "DotpromptTests", dependencies: ["Dotprompt", "PromptSyntax"], exclude: ["Fixtures"]),
        .testTarget(name: "PromptAnalysisTests", dependencies: ["PromptAnalysis", "PromptSyntax", "Tokenizer", "Pricing", "Dotprompt"], exclude: ["Golden"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"]),
        .testTarget(name: "LanguageServerProtocolTests", dependencies: ["LanguageServerProtocol"]),
        .testTarget(name: "PromptLanguageServerTests", dependencies: ["PromptLanguageServer"]),
        .testTarget(name: "PromptCheckTests", dependencies: ["PromptCheck"], exclude: ["Golden"]),
        .testTarget(name: "TokenminCLITests", dependencies: ["TokenminCLI", "PromptText"]),
    ],
    cLanguageStandard: .c2x
)
