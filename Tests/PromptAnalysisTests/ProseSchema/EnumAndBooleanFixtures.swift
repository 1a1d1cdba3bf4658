import XCTest

@testable import PromptAnalysis

/// Enums (top-level labels and field values) and booleans.
final class EnumAndBooleanFixtures: XCTestCase {
    static let fixtures: [SchemaFixture] = [
        SchemaFixture(
            name: "answer with one of",
            prose: "Classify the review. «Answer with one of: positive, negative, neutral.»",
            format: .enumeration,
            schema: """
                schema:
                  type: string
                  enum: [positive, negative, neutral]

                """,
            source: "issue 7"),
        SchemaFixture(
            name: "one of the following labels only",
            prose:
                "Analyze the sentiment of the following text. «Respond with one of the following labels only: Positive, Negative, or Neutral.»",
            format: .enumeration,
            schema: """
                schema:
                  type: string
                  enum: [Positive, Negative, Neutral]

                """,
            source: "manismc/prompt-engineering-portfolio sentiment-analysis.md"),
        SchemaFixture(
            name: "quoted multi-word labels",
            prose: "You classify emails. «Respond with only one word: \"spam\" or \"not spam\".»",
            format: .enumeration,
            schema: """
                schema:
                  type: string
                  enum: [spam, not spam]

                """,
            source: "lwsherman123/Email-Responder spam_checker_prompt.py"),
        SchemaFixture(
            name: "yes or no stays an enum (raw text output kept)",
            prose: "Is the claim supported by the passage? «Respond only with yes or no.»",
            format: .enumeration,
            schema: """
                schema:
                  type: string
                  enum: ["yes", "no"]

                """,
            source: "brief"),
        SchemaFixture(
            name: "return only the labels",
            prose:
                "Decide whether the review is positive or negative. «Return only the labels \"positive\" or \"negative\".»",
            format: .enumeration,
            schema: """
                schema:
                  type: string
                  enum: [positive, negative]

                """,
            source: "film review RETURN_FORMAT prompt"),
        SchemaFixture(
            name: "values as list items",
            prose: """
                «Answer with one of the following:»
                «- Question»
                «- Weather Data»
                «- Miscellaneous»
                """,
            format: .enumeration,
            schema: """
                schema:
                  type: string
                  enum: [Question, Weather Data, Miscellaneous]

                """,
            source: "IQisMySenpai/StartHackARIS2025 classification_prompt"),
        SchemaFixture(
            name: "field enum and boolean",
            prose: """
                «Return a JSON object with the fields sentiment and is_spam.» \
                «The sentiment must be positive, negative or neutral.» «is_spam should be true or false.»
                """,
            format: .json,
            schema: """
                schema:
                  sentiment(enum): [positive, negative, neutral]
                  is_spam: boolean

                """,
            source: "brief"),
        SchemaFixture(
            name: "boolean with its condition as the description",
            prose: """
                «Respond in JSON with the keys "urgent" and "summary".» \
                «Set urgent to true if the email needs a reply today, otherwise false.»
                """,
            format: .json,
            schema: """
                schema:
                  urgent: boolean, true if the email needs a reply today
                  summary: any

                """,
            source: "common triage prompts"),
        SchemaFixture(
            name: "boolean fields listed with conditions",
            prose: """
                «You must respond with ONLY a JSON object containing these boolean fields:»
                «- "recommendation": True if the question asks for advice or next steps»
                «- "charts": True if the question would benefit from a chart»
                """,
            format: .json,
            schema: """
                schema:
                  recommendation: boolean, True if the question asks for advice or next steps
                  charts: boolean, True if the question would benefit from a chart

                """,
            source: "TommasoMoro03/hack-nation prompts.py"),
        SchemaFixture(
            name: "enum with a condition is partial",
            prose:
                "‹Your response should only be one of the words \"Positive\", \"Negative\", or \"Neutral\" depending on the sentiment.›",
            format: nil, schema: nil,
            source: "imssyang/python prompt-chains.md"),
    ]

    func testFixtures() {
        for fixture in Self.fixtures { check(fixture) }
    }
}
