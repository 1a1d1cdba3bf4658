import XCTest

@testable import PromptAnalysis

/// Nested objects, per-field descriptions, optional fields; and the sentences that must be left
/// alone: input descriptions, examples, half-convertible rules, conflicts.
final class NestedAndNegativeFixtures: XCTestCase {
    static let nested: [SchemaFixture] = [
        SchemaFixture(
            name: "nested object in a keys list",
            prose: "«Return a JSON object with fields name, email and address (with street and city).»",
            format: .json,
            schema: """
                schema:
                  name: any
                  email: any
                  address:
                    street: any
                    city: any

                """,
            source: "brief"),
        SchemaFixture(
            name: "nested object stated by a field sentence",
            prose:
                "«Respond in JSON with the keys name and address.» «address is an object with street and city.»",
            format: .json,
            schema: """
                schema:
                  name: any
                  address:
                    street: any
                    city: any

                """,
            source: "brief"),
        SchemaFixture(
            name: "per-field descriptions and optional fields",
            prose: """
                «Return the extracted information as a JSON object with the following fields:»
                «- name: the person's full name»
                «- age (integer): age in years»
                «- `email` (string, optional): work email if mentioned»
                «- tags: list of strings»
                """,
            format: .json,
            schema: """
                schema:
                  name: any, the person's full name
                  age: integer, age in years
                  email?: string, work email if mentioned
                  tags(array): string

                """,
            source: "ianjackcolquhoun/piak-backend contactExtraction.ts"),
        SchemaFixture(
            name: "optional field sentence",
            prose: "«Respond in JSON with the keys title and subtitle.» «subtitle is optional.»",
            format: .json,
            schema: """
                schema:
                  title: any
                  subtitle?: any

                """,
            source: "common extraction prompts"),
        SchemaFixture(
            name: "open JSON object filled by field sentences",
            prose:
                "«Respond in JSON.» «The verdict must be one of: approve, reject.» «score should be an integer.»",
            format: .json,
            schema: """
                schema:
                  verdict(enum): [approve, reject]
                  score: integer

                """,
            source: "review-bot prompts"),
        SchemaFixture(
            name: "plain text format",
            prose: "Write a haiku about the sea. «Respond in plain text.»",
            format: .text, schema: nil,
            source: "format switch"),
    ]

    static let negatives: [SchemaFixture] = [
        SchemaFixture(
            name: "input descriptions",
            prose: """
                You will receive a list of product reviews. The user will send JSON with the keys id and text. \
                The input is a JSON object with fields name and email. Given a JSON array of orders, compute the total.
                """,
            format: nil, schema: nil,
            source: "brief"),
        SchemaFixture(
            name: "examples are not rules",
            prose: """
                Example: {"label": "spam"}
                For example, answer with one of: a, b.
                Output:
                {"label": "ham"}
                """,
            format: nil, schema: nil,
            source: "few-shot prompts"),
        SchemaFixture(
            name: "task sentences with choices are not format rules",
            prose: """
                Classify the review as positive, negative or neutral. Answer the question or say you don't know. \
                Reply politely and briefly. The review is a string of text.
                """,
            format: nil, schema: nil,
            source: "false-alarm guards"),
        SchemaFixture(
            name: "an extra instruction keeps the sentence",
            prose: """
                ‹Respond in JSON with the keys answer and reasoning, and explain your reasoning step by step first.›
                """,
            format: nil, schema: nil,
            source: "no half conversions"),
        SchemaFixture(
            name: "field rules without any JSON output stay prose",
            prose: "Write a summary of the article. ‹The summary must be under 500 characters.›",
            format: nil, schema: nil,
            source: "issue 6 (flagged, not convertible)"),
        SchemaFixture(
            name: "unknown key on a closed key list",
            prose:
                "«Respond in JSON with the keys label and score.» ‹The reason must be under 80 characters.›",
            format: .json,
            schema: """
                schema:
                  label: any
                  score: any

                """,
            source: "no invented fields"),
        SchemaFixture(
            name: "conflicting shapes",
            prose: "«Respond in JSON with the keys topic and score.» ‹Return a JSON array of strings.›",
            format: .json,
            schema: """
                schema:
                  topic: any
                  score: any

                """,
            source: "contradiction"),
        SchemaFixture(
            name: "JSON and plain text conflict",
            prose: "«Respond in JSON with the keys topic and score.» ‹Respond in plain text.›",
            format: .json,
            schema: """
                schema:
                  topic: any
                  score: any

                """,
            source: "contradiction"),
        SchemaFixture(
            name: "an intro without what it promises",
            prose: "‹Return a JSON object with these fields:›\nBe accurate.",
            format: nil, schema: nil,
            source: "no half conversions"),
        SchemaFixture(
            name: "a heading followed by prose is not a rule",
            prose: "## Output format\nBe concise and use short sentences.",
            format: nil, schema: nil,
            source: "headings"),
    ]

    func testNested() {
        for fixture in Self.nested { check(fixture) }
    }

    func testNegatives() {
        for fixture in Self.negatives { check(fixture) }
    }
}
