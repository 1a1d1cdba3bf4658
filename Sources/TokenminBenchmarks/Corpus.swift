import Foundation

/// A realistic prompt of about `lines` lines: frontmatter, a long system message of instructions and
/// reference material, few-shot turns and a user message with inputs. Deterministic for a given seed.
func syntheticPrompt(lines: Int, seed: Int = 1) -> String {
    let instructions = [
        "Answer using only the reference material below; if it does not cover the question, say so.",
        "Cite the section number for every claim, like [3.2].",
        "Keep answers under 120 words unless the user asks for detail.",
        "Use the customer's name once, at the start.",
        "Never promise refunds; explain the refund policy and link to the form.",
        "For outages, give the status page link https://status.example.com and the incident id if known.",
        "Format lists with hyphens; no tables.",
        "If the user writes in German, answer in German.",
    ]
    let reference = [
        "Section %d.%d: Accounts on the Team plan can add up to %d members; each extra seat costs $%d per month.",
        "Section %d.%d: Deployments roll back automatically when health checks fail %d times in %d minutes.",
        "Section %d.%d: DNS changes propagate within %d minutes for managed zones and up to %d hours otherwise.",
        "Section %d.%d: 日本語のお客様には、営業時間内（%d時〜%d時）に日本語で対応します。",
        "Section %d.%d: Invoices are issued on the %dst of each month and are payable within %d days. 😀",
    ]
    var output = "---\nmodel: openai/gpt-4o-mini\nconfig:\n  temperature: 0.2\n  maxOutputTokens: 400\ninput:\n  schema:\n    name: string\n    question: string, the customer's message\n---\n{{role \"system\"}}\n"
    var count = 12
    var state = UInt64(seed)
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33)
    }
    for instruction in instructions { output += instruction + "\n"; count += 1 }
    while count < lines - 8 {
        let template = reference[next() % reference.count]
        output += String(format: template, count / 50 + 1, count % 50, next() % 90 + 10, next() % 30 + 2) + "\n"
        count += 1
    }
    output += "{{role \"user\"}}\nMy name is Ana. Can I add a ninth member?\n{{role \"model\"}}\nHi Ana, yes: the Team plan allows up to 10 members [4.1].\n"
    output += "{{role \"user\"}}\nHi, I'm {{name}}.\n<question>\n{{question}}\n</question>\n"
    return output
}

/// Percentile of sorted durations (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[max(0, min(sorted.count - 1, rank))]
}

/// Resident memory of a process in MB (VmRSS from /proc), or nil where /proc is unavailable.
func residentMegabytes(pid: Int32? = nil) -> Double? {
    let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
    guard let status = try? String(contentsOfFile: path, encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
}

/// CPU time of the calling thread in milliseconds: unlike wall time, it leaves out the time the thread
/// waited for a core, so it compares builds on a loaded machine (where other processes inflate wall
/// times by 2–3×).
func threadCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}

/// CPU time (user + system, all threads) of a process in milliseconds, from /proc (clock ticks), or nil
/// where /proc is unavailable.
func processCPUMilliseconds(pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let afterName = stat.range(of: ") ", options: .backwards)
    else { return nil }
    // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
    let fields = stat[afterName.upperBound...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}
