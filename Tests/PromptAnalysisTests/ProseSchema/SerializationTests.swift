import Dotprompt
import Foundation
import XCTest

@testable import PromptAnalysis

/// Serialisers: which schemas Picoschema can say exactly, JSON Schema for the rest, YAML quoting.
final class SerializationTests: XCTestCase {
    private typealias S = OutputSchema
    private typealias P = OutputSchema.Property

    /// `expected` is the `schema:` entry; `style` the language chosen.
    private func check(
        _ schema: OutputSchema, _ style: SchemaStyle, _ expected: String, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let yaml = outputSchemaYAML(schema, indent: 2)
        XCTAssertEqual(yaml.style, style, file: file, line: line)
        XCTAssertEqual(yaml.entry(indent: 0), expected, file: file, line: line)
        checkRoundTrip(schema, name: expected, file: file, line: line)
    }

    func testPicoschemaWhenExact() {
        check(S(.string, description: "the answer"), .picoschema, "schema: string, the answer\n")
        check(
            S(
                .object(properties: [
                    P(
                        name: "category",
                        schema: S(.enumeration(["yes", "no", "1.5", "a: b"]), description: "the verdict")),
                    P(
                        name: "note", schema: S(.string, description: "free text: anything #1"),
                        isOptional: true),
                    P(
                        name: "items",
                        schema: S(.array(items: S(.object(properties: [P(name: "sku", schema: S(.string))]))))
                    ),
                    P(
                        name: "meta",
                        schema: S(
                            .object(properties: [P(name: "ok", schema: S(.boolean))]), description: "extra")),
                ])), .picoschema,
            """
            schema:
              category(enum, the verdict): ["yes", "no", "1.5", "a: b"]
              note?: "string, free text: anything #1"
              items(array):
                sku: string
              meta(object, extra):
                ok: boolean

            """)
    }

    func testJSONSchemaWhenPicoschemaCannotSayIt() {
        // A parenthesis in a key description would be cut by Picoschema's parser.
        check(
            S(
                .object(properties: [
                    P(name: "tags", schema: S(.array(items: S(.string)), description: "topics (max 3)"))
                ])),
            .jsonSchema,
            """
            schema:
              type: object
              properties:
                tags:
                  type: array
                  description: topics (max 3)
                  items:
                    type: string
              required: [tags]
              additionalProperties: false

            """)
        // An array of enums, and an optional enum gaining null.
        check(
            S(
                .object(properties: [
                    P(name: "labels", schema: S(.array(items: S(.enumeration(["a", "b"]))))),
                    P(name: "mood", schema: S(.enumeration(["up", "down"])), isOptional: true),
                ])), .jsonSchema,
            """
            schema:
              type: object
              properties:
                labels:
                  type: array
                  items:
                    enum: [a, b]
                mood:
                  enum: [up, down, null]
              required: [labels]
              additionalProperties: false

            """)
        // Dotprompt reads a top-level `{}` as an empty object: a top-level `any` has no faithful form,
        // so extraction never produces one and Picoschema refuses it.
        XCTAssertNil(picoschemaYAML(S(.any)))
        XCTAssertEqual(
            picoschemaToJSONSchema(jsonSchema(S(.any))), .success(jsonSchema(S(.object(properties: [])))))
        check(
            S(.integer, minimum: 1, maximum: 5), .jsonSchema,
            """
            schema:
              type: integer
              minimum: 1
              maximum: 5

            """)
        XCTAssertNil(picoschemaYAML(S(.object(properties: [P(name: "odd?", schema: S(.string))]))))
        XCTAssertNil(
            picoschemaYAML(
                S(.object(properties: [P(name: "x", schema: S(.string, description: "two\nlines"))]))))
    }

    func testJSONSchemaStyleOnRequest() {
        let schema = S(.object(properties: [P(name: "ok", schema: S(.boolean), isOptional: true)]))
        let yaml = outputSchemaYAML(schema, style: .jsonSchema, indent: 4)
        XCTAssertEqual(
            yaml.entry(indent: 2),
            """
              schema:
                type: object
                properties:
                  ok:
                    type: [boolean, "null"]
                additionalProperties: false

            """)
        XCTAssertEqual(
            jsonSchema(schema).jsonText(),
            #"{"type":"object","properties":{"ok":{"type":["boolean","null"]}},"additionalProperties":false}"#
        )
    }

    func testOutputBlock() {
        XCTAssertEqual(
            outputBlockYAML(format: .enumeration, schema: S(.enumeration(["positive", "negative"]))),
            """
            output:
              format: enum
              schema:
                type: string
                enum: [positive, negative]

            """)
        XCTAssertEqual(outputBlockYAML(format: .json, schema: nil), "output:\n  format: json\n")
    }

    func testMergeConflicts() {
        XCTAssertNil(S(.string).merged(with: S(.number)))
        XCTAssertNil(S(.string, maxLength: 5).merged(with: S(.string, maxLength: 6)))
        XCTAssertEqual(S(.number).merged(with: S(.integer, minimum: 1)), S(.integer, minimum: 1))
        XCTAssertEqual(S(.string).merged(with: S(.enumeration(["a", "b"]))), S(.enumeration(["a", "b"])))
        XCTAssertNil(S(.enumeration(["a"])).merged(with: S(.enumeration(["b"]))))
    }
}
