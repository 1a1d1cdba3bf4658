import XCTest

@testable import PromptAnalysis

final class WordingRulesTests: XCTestCase {
    func testScaffolding() {
        let rule = Scaffolding.rule
        checkRule(rule, "⟦You are a helpful assistant⟧. Summarize the ticket.", fixed: "Summarize the ticket.")
        checkRule(rule, "⟦You are a helpful AI assistant⟧.\nSummarize.", fixed: "Summarize.")
        checkRule(rule, "Summarize the ticket. ⟦Take a deep breath⟧.", fixed: "Summarize the ticket.")
        checkRule(rule, "⟦Take a deep breath and⟧ solve the problem.", fixed: "Solve the problem.")
        checkRule(rule, "⟦I want you to⟧ act as a Linux terminal.", fixed: "Act as a Linux terminal.")
        checkRule(rule, "⟦As an AI language model⟧, answer briefly.", fixed: "Answer briefly.")
        // A role with information is not scaffolding; "helpful assistant that…" keeps its task, no fix.
        checkRule(rule, "You are a tax lawyer reviewing commercial leases.")
        // The role phrase is the subject of the rest of the sentence: flagged, but deleting it would leave
        // "That triages bug reports.", so there is no fix.
        checkRule(rule, "⟦You are a helpful assistant⟧ that triages bug reports.")
        checkRule(rule, "⟦You are a helpful AI assistant⟧ that really loves to make impressions.")
        // Quoted and example text is data.
        checkRule(rule, "Reply to this: \"You are a helpful assistant, right?\"")
        checkRule(rule, "User: I want you to fix my printer")
        checkRule(rule, "You are a helpful assistant.", isExample: true)
        // A sentence break between the words is not the phrase.
        checkRule(rule, "Take a deep. Breath is not the phrase.")
    }

    func testPoliteness() {
        let rule = Politeness.rule
        checkRule(rule, "⟦Please⟧ summarize the text.", fixed: "Summarize the text.")
        checkRule(rule, "Summarize the text, ⟦please⟧.", fixed: "Summarize the text.")
        checkRule(rule, "Summarize the text. ⟦Thank you⟧!", fixed: "Summarize the text.")
        checkRule(rule, "Summarize. ⟦Thanks in advance⟧ for your help.\nBe brief.", fixed: "Summarize.\nBe brief.")
        checkRule(rule, "⟦Kindly⟧ list the risks.", fixed: "List the risks.")
        checkRule(rule, "⟦I'd like you to⟧ list the risks.", fixed: "List the risks.")
        checkRule(rule, "⟦I’d like you to⟧ list the risks.", fixed: "List the risks.")
        checkRule(rule, "List the risks and ⟦please⟧ be brief.", fixed: "List the risks and be brief.")
        // Data, code and examples are not politeness.
        checkRule(rule, "Classify this message: \"please refund me\"")
        checkRule(rule, "Customer: please help, my order is late")
        checkRule(rule, "<example>Please reset my password</example>")
        checkRule(rule, "Use `please` as the keyword.")
        checkRule(rule, "Please help me.", isExample: true)
        checkRule(rule, "```\nplease()\n```")
        checkRule(rule, "The pleasant reviewer thanked nobody.")
    }

    func testReasoningScaffold() {
        let rule = ReasoningScaffold.rule
        checkRule(rule, "Classify the ticket. ⟦Think step by step⟧.", fixed: "Classify the ticket.",
                  boundedTask: "classification")
        checkRule(rule, "⟦Let's think step by step⟧.", fixed: "", reasoningModel: true)
        // What would remain ("First.") is no sentence: the whole sentence goes.
        checkRule(rule, "Prove the lemma. ⟦Think it through step-by-step⟧ first.",
                  fixed: "Prove the lemma.", reasoningModel: true)
        // Open-ended task on a non-reasoning model: chain of thought may help.
        checkRule(rule, "Plan the migration. Think step by step.")
    }

    func testDevNote() {
        let rule = DevNote.rule
        checkRule(rule, "⟦TODO: tune for EU⟧\nSummarize.", fixed: "{{! TODO: tune for EU }}\nSummarize.")
        checkRule(rule, "Summarize. ⟦FIXME(ana): remove the legal text⟧  \nBe brief.",
                  fixed: "Summarize. {{! FIXME(ana): remove the legal text }}  \nBe brief.")
        checkRule(rule, "⟦Update this when the v2 API ships⟧\r\nGo.", fixed: "{{! Update this when the v2 API ships }}\r\nGo.")
        checkRule(rule, "⟦HACK: strip }} here⟧", fixed: "{{!-- HACK: strip }} here --}}")
        // Lowercase words and markers inside other words are not notes.
        checkRule(rule, "Make a todo list of the tasks. Mention MASTODON links.")
        checkRule(rule, "TODO: example", isExample: true)
    }

    func testRegistryIdsAreStableKebabCase() {
        let ids = RuleRegistry.descriptors.map(\.id)
        XCTAssertEqual(Set(ids).count, ids.count, "duplicate rule ids")
        for id in ids {
            XCTAssertTrue(id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(id) is not kebab-case")
            XCTAssertFalse(RuleRegistry.descriptor(for: id)!.explanation.isEmpty)
        }
    }
}

final class BoundedTaskTests: XCTestCase {
    func testSignals() {
        let rows: [(String, String?)] = [
            ("Classify the ticket into a category.", "classification"),
            ("Extract the invoice fields.", "extraction"),
            ("Answer yes or no.", "a yes/no answer"),
            ("Reply with one of: a, b, c.", "a choice from a fixed list"),
            ("Write a poem about the sea.", nil),
            ("Summarize \"classify this\" for the user.", nil),
        ]
        for (text, expected) in rows {
            XCTAssertEqual(boundedTaskReason(in: [ProseSegment(text: text, utf8Start: 0)]), expected, text)
        }
    }
}
