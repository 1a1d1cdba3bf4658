import XCTest

@testable import PromptAnalysis

/// Keys lists and example objects.
final class KeysAndExampleFixtures: XCTestCase {
    static let fixtures: [SchemaFixture] = [
        SchemaFixture(
            name: "keys list, quoted",
            prose: "Classify the ticket. «Respond in JSON with the keys \"category\" and \"confidence\".»",
            format: .json,
            schema: """
                schema:
                  category: any
                  confidence: any

                """,
            source: "issue 7"),
        SchemaFixture(
            name: "fields list, bare names",
            prose: "Extract the contact. «Return a JSON object with fields name, email and age.»",
            format: .json,
            schema: """
                schema:
                  name: any
                  email: any
                  age: any

                """,
            source: "brief"),
        SchemaFixture(
            name: "keys list refined by later sentences",
            prose: """
                «Respond in JSON with the keys "category" and "confidence".» «The category must be one of: billing, \
                technical, other.» «confidence is a number between 0 and 1.»
                """,
            format: .json,
            schema: """
                schema:
                  type: object
                  properties:
                    category:
                      enum: [billing, technical, other]
                    confidence:
                      type: number
                      minimum: 0
                      maximum: 1
                  required: [category, confidence]
                  additionalProperties: false

                """,
            source: "issue 7 + brief"),
        SchemaFixture(
            name: "inline example object",
            prose:
                "«Output JSON: {\"title\": \"...\", \"tags\": [\"...\"], \"year\": 2020, \"draft\": false}»",
            format: .json,
            schema: """
                schema:
                  title: string
                  tags(array): string
                  year: integer
                  draft: boolean

                """,
            source: "brief"),
        SchemaFixture(
            name: "example block after an intro, with placeholders",
            prose: """
                Read the transcript.
                «You must respond with a valid JSON object in this exact format:»
                «{
                  "summary": "<one-sentence summary>",
                  "sentiment": "positive|neutral|negative",
                  "tags": ["tag1", "tag2"],
                  "score": 0.5,
                  "reviewer": null
                }»
                """,
            format: .json,
            schema: """
                schema:
                  summary: string, one-sentence summary
                  sentiment(enum): [positive, neutral, negative]
                  tags(array): string
                  score: number
                  reviewer?: any

                """,
            source: "opensource-observer/insights summary_prompts.py; rada-ii/universal-llm-prompts"),
        SchemaFixture(
            name: "type-name values and `or` alternatives",
            prose: """
                «Make sure to return only a JSON object.» «Do not return anything besides the JSON object!» \
                «Use the below schema for your answer:»
                «{"sentiment": "positive" or "negative" or "neutral", "reason": "string"}»
                """,
            format: .json,
            schema: """
                schema:
                  sentiment(enum): [positive, negative, neutral]
                  reason: string

                """,
            source: "boskeyacht/pulpcalc-rs sentiment.rs"),
        SchemaFixture(
            name: "fenced example under a heading",
            prose: """
                «## Output Format (Strictly JSON)»
                «```json
                {
                  "title": "string – a concise title",
                  "tags": ["string"]
                }
                ```»
                """,
            format: .json,
            schema: """
                schema:
                  title: string, a concise title
                  tags(array): string

                """,
            source: "tidusqoop/auto-my-work ai-summarizer.md"),
        SchemaFixture(
            name: "one of inside an example placeholder",
            prose: """
                «Respond with a JSON object containing your classification:»
                «{"label": "[one of: spam, ham, unsure]"}»
                """,
            format: .json,
            schema: """
                schema:
                  label(enum): [spam, ham, unsure]

                """,
            source: "classification output-format patterns doc"),
        SchemaFixture(
            name: "format only",
            prose: "Summarize the report. «Respond ONLY in valid JSON.» «JSON only, no extra text.»",
            format: .json, schema: nil,
            source: "langchain groq sentiment prompt; rada-ii compat header"),
        SchemaFixture(
            name: "format-only negations",
            prose: """
                «Only output the JSON array itself with no extra characters.» \
                «Do not wrap the JSON in markdown code fences.» «Return a JSON array of strings.»
                """,
            format: .json,
            schema: """
                schema:
                  type: array
                  items:
                    type: string

                """,
            source: "g4f extract_person_info; shmaplex/nous tag.ts"),
    ]

    func testFixtures() {
        for fixture in Self.fixtures { check(fixture) }
    }
}
