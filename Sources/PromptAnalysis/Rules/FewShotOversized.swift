import PromptText

/// `few-shot-oversized`: more few-shot examples than the limit, or examples that take most of the prompt.
enum FewShotOversized {
    static let descriptor = RuleDescriptor(
        id: "few-shot-oversized", category: .waste, defaultSeverity: .warning,
        summary: "More few-shot examples than needed (default limit 5; 0 on reasoning models).",
        explanation: """
            Beyond a handful of examples, more rarely improves a chat model's answers but always adds \
            their tokens to every call; reasoning models do better zero-shot (OpenAI's reasoning best \
            practices). Examples are counted as static `user`→`model` turn pairs, `<example>` blocks, \
            `Example N:` headings and labelled records (`Q:`/`A:`, `Input:`/`Output:`… repeated; the \
            last record, whose answer is left to the model, is the query). A single example is never \
            too many, and a thinking model with thinking switched off (`thinkingBudget: 0`) is a chat \
            model here. When examples take more than 60% of the prompt's static tokens (in prompts that \
            take input: a guide made of `<example>` blocks is content) the rule reports it as info: \
            within the count limit that is a prompt to review, not a defect. Limits are configurable (`few-shot-limit`). The fix (not applied \
            by fix-all, since it changes behaviour) removes the examples beyond the limit.
            """,
        example: RuleExample(
            flagged: "Label the sentiment of the review as positive or negative.\n"
                + (1...7).map { "<example>Review: review \($0)\nSentiment: \($0 % 2 == 0 ? "negative" : "positive")</example>\n" }.joined()
                + "Review: {{review}}\nSentiment:\n",
            fixed: "Label the sentiment of the review as positive or negative. Sarcastic praise is negative; a complaint about "
                + "the delivery alone, with praise for the product itself, is positive. Answer with the label only.\n"
                + (1...2).map { "<example>Review: review \($0)\nSentiment: \($0 % 2 == 0 ? "negative" : "positive")</example>\n" }.joined()
                + "Review: {{review}}\nSentiment:\n"))

    /// One example: its range (to delete when trimming) and its text (to count).
    struct Example: Sendable {
        var range: UTF8Range
        var text: String
    }

    static let rule = Rule(descriptor) { context in
        let examples = collectExamples(context.prose, memo: context.memo)
        guard !examples.isEmpty else { return [] }
        let limit = context.isReasoningModel ? context.options.fewShotLimitReasoning : context.options.fewShotLimit
        let exampleTokens = examples.map { context.countTokens($0.text) }
        let first = examples[0].range
        // One example shows the format; it is never "too many", even on a reasoning model.
        if examples.count > limit && examples.count > 1 {
            let extra = examples[limit...]
            let extraTokens = exampleTokens[limit...].reduce(0, +)
            let why = context.isReasoningModel ? "reasoning models work best zero-shot" : "the limit is \(limit)"
            let edits = extra.map { TextEdit.delete($0.range) }
            return [
                Finding(
                    ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                    message: "\(examples.count) few-shot example\(examples.count == 1 ? "" : "s") (\(why)): the \(extra.count) beyond the limit cost \(extraTokens) token\(extraTokens == 1 ? "" : "s") per call",
                    range: first.union(examples[examples.count - 1].range),
                    fixes: [Fix(title: "Remove the \(extra.count) example\(extra.count == 1 ? "" : "s") beyond the limit",
                                edits: edits, isSafe: false)],
                    tokenSavings: extraTokens)
            ]
        }
        // Examples are demonstrations for the input a prompt receives: a prompt with no input variable
        // whose `<example>` blocks are its content (a guide, a reference sheet) is not over-exampled.
        let takesInput = context.prompt.map { !$0.view.variables.isEmpty } ?? true
        guard examples.count > 1 && takesInput else { return [] }
        // The whole prose is counted only here, where the share decides (counting it for every prompt
        // with an example was a thirtieth of a whole `check`).
        let totalTokens = context.prose.reduce(0) { $0 + context.countTokens($1.text) }
        let share = totalTokens == 0 ? 0 : Double(exampleTokens.reduce(0, +)) / Double(totalTokens)
        if share > context.options.maxExampleShare {
            let percent = Int((share * 100).rounded())
            // Within the count limit a large share is a prompt to review, not a defect: evaluator prompts
            // are mostly calibration examples by design. Reported as info.
            return [
                Finding(
                    ruleID: descriptor.id, severity: .info,
                    message: "Few-shot examples are \(percent)% of the prompt's tokens (limit \(Int(context.options.maxExampleShare * 100))%): check that each one earns its place",
                    range: first.union(examples[examples.count - 1].range))
            ]
        }
        return []
    }

    /// Examples in the order they appear: static user→model turn pairs (the model turn marks one
    /// example), `<example>` blocks, and `Example N:` headings up to the next heading or blank line pair.
    static func collectExamples(_ prose: [ProseSegment], memo: RuleMemo? = nil) -> [Example] {
        var examples: [Example] = []
        // Turn pairs: each static model message, with the user message just before it.
        let modelMessages = Set(prose.filter { $0.role == "model" && $0.isExample }.map(\.messageIndex))
        for index in modelMessages.sorted() {
            let parts = prose.filter { $0.messageIndex == index || $0.messageIndex == index - 1 && $0.role == "user" }
            guard let first = parts.first, let last = parts.last else { continue }
            let range = first.range.union(last.range)
            examples.append(Example(range: range, text: parts.map(\.text).joined()))
        }
        for segment in prose {
            // Tag blocks and headed examples lie within a segment: memoized by its text (relative ranges).
            let compute = { () -> [Example] in
                let local = ProseSegment(text: segment.text, utf8Start: 0)
                let bytes = Array(segment.text.utf8)
                var tagged = tagBlocks(bytes, segment: local) + headedExamples(bytes, segment: local)
                let blocks = exampleBlocks(in: bytes)
                // Text already counted in a tag block or headed example is not counted again: a record
                // that overlaps one (`Sentiment: positive</example>` + `<example>Review: …`) is not another example.
                func overlapsCounted(_ range: Range<Int>) -> Bool {
                    tagged.contains { $0.range.start < range.upperBound && range.lowerBound < $0.range.end }
                }
                func example(_ range: Range<Int>) -> Example {
                    Example(range: UTF8Range(start: range.lowerBound, end: range.upperBound), text: String(decoding: bytes[range], as: UTF8.self))
                }
                // Example sections and listed examples, then labelled records (`Input:`/`Output:`…), each
                // unless it overlaps one already counted.
                tagged += blocks.sections.filter { !overlapsCounted($0) }.map(example)
                tagged += blocks.records.filter { !overlapsCounted($0) }.map(example)
                return tagged
            }
            let relative = memo.map { $0.value(ChunkKey(kind: "examples", salt: "", segment: segment), compute: compute) } ?? compute()
            examples += relative.map { Example(range: $0.range.shifted(by: segment.utf8Start), text: $0.text) }
        }
        return examples.sorted { $0.range.start < $1.range.start }
    }

    /// `Example 1:` / `Example:` headings at a line start; each example runs to the next heading or blank line.
    private static func headedExamples(_ bytes: [UInt8], segment: ProseSegment) -> [Example] {
        var starts: [Int] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var cursor = lineStart
            for expected in Array("example".utf8) {
                guard cursor < bytes.count, bytes[cursor] | 0x20 == expected else { cursor = -1; break }
                cursor += 1
            }
            if cursor > 0 {
                while cursor < bytes.count, bytes[cursor] == 0x20 || (bytes[cursor] >= 0x30 && bytes[cursor] <= 0x39) { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == 0x3A { starts.append(lineStart) }
            }
            while lineStart < bytes.count, bytes[lineStart] != 0x0A { lineStart += 1 }
            lineStart += 1
        }
        return starts.enumerated().map { index, start in
            var end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            var scan = start
            while scan + 1 < end {
                if bytes[scan] == 0x0A && bytes[scan + 1] == 0x0A { end = scan + 2; break }
                scan += 1
            }
            return Example(range: UTF8Range(start: segment.utf8Start + start, end: segment.utf8Start + end),
                           text: String(decoding: bytes[start..<end], as: UTF8.self))
        }
    }

    private static func tagBlocks(_ bytes: [UInt8], segment: ProseSegment) -> [Example] {
        let open = Array("<example>".utf8)
        let close = Array("</example>".utf8)
        var result: [Example] = []
        var index = 0
        while index + open.count <= bytes.count {
            guard bytes[index..<(index + open.count)].elementsEqual(open) else { index += 1; continue }
            var end = index + open.count
            while end + close.count <= bytes.count, !bytes[end..<(end + close.count)].elementsEqual(close) { end += 1 }
            guard end + close.count <= bytes.count else { break }
            var stop = end + close.count
            if stop < bytes.count, bytes[stop] == 0x0A { stop += 1 }
            result.append(Example(
                range: UTF8Range(start: segment.utf8Start + index, end: segment.utf8Start + stop),
                text: String(decoding: bytes[index..<stop], as: UTF8.self)))
            index = stop
        }
        return result
    }
}
