import XCTest

@testable import PromptAnalysis

/// Arrays, numbers with ranges, string lengths and item counts (the constraints Picoschema cannot
/// say, hence JSON Schema).
final class ArrayNumberLengthFixtures: XCTestCase {
    static let fixtures: [SchemaFixture] = [
        SchemaFixture(
            name: "array of objects with keys",
            prose: "Extract every person in the text. «Return a JSON array of objects with name and email.»",
            format: .json,
            schema: """
                schema:
                  type: array
                  items:
                    type: object
                    properties:
                      name: {}
                      email: {}
                    required: [name, email]
                    additionalProperties: false

                """,
            source: "brief; g4f extract_person_info"),
        SchemaFixture(
            name: "list of strings",
            prose: "Find the main topics. «Return a list of strings.»",
            format: .json,
            schema: """
                schema:
                  type: array
                  items:
                    type: string

                """,
            source: "brief"),
        SchemaFixture(
            name: "field that is an array of strings",
            prose: "«Respond in JSON with the keys title and tags.» «tags should be an array of strings.»",
            format: .json,
            schema: """
                schema:
                  title: any
                  tags(array): string

                """,
            source: "brief"),
        SchemaFixture(
            name: "number range and integer score",
            prose: """
                «Return a JSON object with fields confidence and score.» \
                «confidence is a number between 0 and 1.» «Give a score from 1 to 10.»
                """,
            format: .json,
            schema: """
                schema:
                  type: object
                  properties:
                    confidence:
                      type: number
                      minimum: 0
                      maximum: 1
                    score:
                      type: integer
                      minimum: 1
                      maximum: 10
                  required: [confidence, score]
                  additionalProperties: false

                """,
            source: "brief; mea-r/pydantic-ai-scaffolding sentiment prompts"),
        SchemaFixture(
            name: "length limit on a field",
            prose:
                "«Respond in JSON with the keys summary and title.» «The summary must be under 500 characters.»",
            format: .json,
            schema: """
                schema:
                  type: object
                  properties:
                    summary:
                      type: string
                      maxLength: 500
                    title: {}
                  required: [summary, title]
                  additionalProperties: false

                """,
            source: "issue 7"),
        SchemaFixture(
            name: "item count on an array field",
            prose: """
                «Output JSON: {"title": "...", "tags": ["..."]}»
                «Include at most 3 tags.» «The title should not exceed 60 characters.»
                """,
            format: .json,
            schema: """
                schema:
                  type: object
                  properties:
                    title:
                      type: string
                      maxLength: 60
                    tags:
                      type: array
                      items:
                        type: string
                      maxItems: 3
                  required: [title, tags]
                  additionalProperties: false

                """,
            source: "brief; tag_collection prompt (not exceed 30 characters)"),
        SchemaFixture(
            name: "fields spelled out as list items with ranges",
            prose: """
                «Output ONLY a JSON object with exactly these keys:»
                «- sentiment_score: a number in [-1, 1] where -1 is very negative and +1 is very positive»
                «- sentiment_confidence: a number in [0, 1]»
                """,
            format: .json,
            schema: """
                schema:
                  type: object
                  properties:
                    sentiment_score:
                      type: number
                      description: where -1 is very negative and +1 is very positive
                      minimum: -1
                      maximum: 1
                    sentiment_confidence:
                      type: number
                      minimum: 0
                      maximum: 1
                  required: [sentiment_score, sentiment_confidence]
                  additionalProperties: false

                """,
            source: "sentiment PROMPT_TEMPLATE (code search)"),
        SchemaFixture(
            name: "limit in words cannot be a schema",
            prose:
                "«Respond in JSON with the keys answer and sources.» ‹The answer must be at most 120 words.›",
            format: .json,
            schema: """
                schema:
                  answer: any
                  sources: any

                """,
            source: "sample.format prompt (answer length: 80–120 words)"),
    ]

    func testFixtures() {
        for fixture in Self.fixtures { check(fixture) }
    }
}
