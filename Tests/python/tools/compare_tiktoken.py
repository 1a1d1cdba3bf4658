"""Compares tokenmin's tokenizer throughput with tiktoken's on the same corpus, in the same run.

Builds nothing: give it the release benchmark binary (`swift build -c release` first).

Usage: compare_tiktoken.py .build/release/TokenminBenchmarks [--rounds N] [--sections]

Each round runs the Swift benchmark once (5 passes per operation, one thread) and tiktoken's
`encode_ordinary` (one thread, 5 passes) on one generated corpus file: Python
documentation prose, Python standard-library code, JSON, CJK, Korean, emoji with ZWJ sequences, and
long white-space and digit runs. The table reports, as medians over rounds, each side's median pass
and fastest pass and the ratios of both. Token counts from both
sides must agree, or the script fails. Needs TIKTOKEN_CACHE_DIR (see Tests/python/setup-venv.sh).
With --sections it also measures each kind of text on its own (one round), to show where the ratio
comes from.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

import tiktoken

ENCODINGS = ["o200k_base", "cl100k_base"]


def build_parts(rng: random.Random) -> list:
    """The corpus's kinds of text, as (name, text) pairs."""
    parts = []
    # English prose: the Python documentation topics bundled with the standard library.
    from pydoc_data import topics

    prose = "\n\n".join(topics.topics[key] for key in sorted(topics.topics))
    parts.append(("prose", prose[:1_200_000]))
    # Code: a fixed list of standard-library modules.
    stdlib = sysconfig.get_paths()["stdlib"]
    code = []
    for module in ["argparse", "json/decoder", "json/encoder", "typing", "dataclasses", "pathlib", "textwrap",
                   "difflib", "statistics", "fractions", "calendar", "csv", "shlex", "string", "heapq"]:
        with open(os.path.join(stdlib, module + ".py"), encoding="utf-8") as source:
            code.append(source.read())
    parts.append(("code", "".join(code)[:1_200_000]))
    # JSON records.
    records = [
        {"id": i, "model": rng.choice(["gpt-4o", "gpt-4.1-mini", "o3", "claude-3-5-sonnet"]),
         "input_cost_per_token": rng.random() / 1e5, "max_tokens": rng.choice([4096, 8192, 128000]),
         "tags": [rng.choice(["chat", "vision", "tools", "a/b"]) for _ in range(3)], "note": None}
        for i in range(4000)
    ]
    parts.append(("json", json.dumps(records, indent=2)))
    # CJK and Korean "sentences" from common characters, with punctuation every few words.
    hanzi = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    kana = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテト"
    cjk = []
    for _ in range(12000):
        cjk.append("".join(rng.choice(hanzi) for _ in range(rng.randint(4, 18))) + rng.choice("，。、！？"))
        if rng.random() < 0.3:
            cjk.append("".join(rng.choice(kana) for _ in range(rng.randint(3, 10))) + "。")
        if rng.random() < 0.2:
            cjk.append(" " + "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(2, 5))) + "요 ")
        if rng.random() < 0.1:
            cjk.append("\n")
    parts.append(("cjk", "".join(cjk)))
    # Emoji, including ZWJ sequences and skin tones, between words.
    emoji = ["😀", "🚀", "🎉", "👍🏽", "👨‍👩‍👧‍👦", "❤️‍🔥", "🇯🇵", "1️⃣", "🧑🏿‍💻"]
    parts.append(("emoji", " ".join(rng.choice(emoji) + rng.choice(["", " ok", " done", "!"]) for _ in range(15000))))
    # Long white-space and digit runs.
    runs = []
    for _ in range(300):
        runs.append(" " * rng.randint(20, 400) + "x" + "\t" * rng.randint(5, 60) + "\r\n" * rng.randint(1, 5))
        runs.append("".join(rng.choice("0123456789") for _ in range(rng.randint(20, 500))) + "\n")
    parts.append(("runs", "".join(runs)))
    return parts


def build_corpus() -> str:
    """About 3 MB of mixed text, deterministic for a given Python installation."""
    rng = random.Random(1)
    parts = [text for _, text in build_parts(rng)]
    # Interleave chunks so that every kind of text is spread through the corpus.
    chunks = []
    for part in parts:
        for start in range(0, len(part), 20000):
            chunks.append(part[start : start + 20000])
    rng.shuffle(chunks)
    return "".join(chunks)


def run_benchmark(binary: str, corpus_path: str) -> dict:
    env = dict(os.environ, TOKENMIN_TOKENIZER_CORPUS=corpus_path)
    output = subprocess.run([binary, "tokenizer"], env=env, capture_output=True, text=True, check=True).stdout
    results = {}
    for line in output.splitlines():
        if line.startswith("RESULT "):
            _, encoding, key, value = line.split()
            results[(encoding, key)] = float(value)
    return results


def time_tiktoken(name: str, text: str, iterations: int = 5) -> tuple:
    """(median seconds, best seconds, tokens) of `iterations` passes of `encode_ordinary`."""
    encoding = tiktoken.get_encoding(name)
    times = []
    tokens = 0
    for _ in range(iterations):
        start = time.perf_counter()
        tokens = len(encoding.encode_ordinary(text))
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), tokens


def compare_sections(binary: str) -> None:
    """One round per kind of text: both tools' encode MB/s and the ratio, per encoding."""
    print("| section | MB | " + " | ".join(f"{name} tokenmin / tiktoken MB/s | ratio" for name in ENCODINGS) + " |")
    print("|---|---:|" + "---:|---:|" * len(ENCODINGS))
    with tempfile.TemporaryDirectory() as directory:
        for section, text in build_parts(random.Random(1)):
            path = os.path.join(directory, section + ".txt")
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
            ours = run_benchmark(binary, path)
            cells = []
            for name in ENCODINGS:
                seconds, _, tokens = time_tiktoken(name, text)
                if int(ours[(name, "encode_tokens")]) != tokens:
                    sys.exit(f"{section} {name}: tokenmin {int(ours[(name, 'encode_tokens')])} tokens, tiktoken {tokens}")
                megabytes = len(text.encode("utf-8")) / 1e6
                theirs = megabytes / seconds
                cells.append(f"{ours[(name, 'encode_mbps')]:.1f} / {theirs:.1f} | {ours[(name, 'encode_mbps')] / theirs:.1f}x")
            print(f"| {section} | {len(text.encode('utf-8')) / 1e6:.2f} | " + " | ".join(cells) + " |")


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    if "--sections" in sys.argv:
        compare_sections(binary)
    text = build_corpus()
    megabytes = len(text.encode("utf-8")) / 1e6
    samples: dict = {}
    with tempfile.TemporaryDirectory() as directory:
        corpus_path = os.path.join(directory, "corpus.txt")
        with open(corpus_path, "w", encoding="utf-8") as out:
            out.write(text)
        for round_number in range(rounds):
            ours = run_benchmark(binary, corpus_path)
            for name in ENCODINGS:
                seconds, best, tokens = time_tiktoken(name, text)
                for operation in ("encode", "count"):
                    if int(ours[(name, f"{operation}_tokens")]) != tokens:
                        sys.exit(f"{name} {operation}: tokenmin {int(ours[(name, f'{operation}_tokens')])} tokens, tiktoken {tokens}")
                    samples.setdefault((name, operation), []).append((ours[(name, f"{operation}_mbps")], megabytes / seconds))
                    samples.setdefault((name, operation, "best"), []).append(
                        (ours[(name, f"{operation}_best_mbps")], megabytes / best))
                samples.setdefault((name, "first"), []).append(ours[(name, "first_count_ms")])
            samples.setdefault(("all", "rss"), []).append(ours[("all", "rss_mb")])
            print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
    print(f"corpus: {megabytes:.2f} MB UTF-8, {rounds} rounds (median), tiktoken {tiktoken.__version__}, one thread each")
    print("Median: each side's median pass; best: each side's fastest pass (interference from the rest of")
    print("the machine only ever adds time). Both sides are timed the same way; ratios are medians over rounds.")
    print(f"| encoding | operation | tokenmin MB/s median (best) | tiktoken encode_ordinary MB/s median (best) | ratio of medians | ratio of bests |")
    print(f"|---|---|---:|---:|---:|---:|")
    for name in ENCODINGS:
        for operation in ("encode", "count"):
            medians = samples[(name, operation)]
            bests = samples[(name, operation, "best")]
            ours = statistics.median(p[0] for p in medians)
            theirs = statistics.median(p[1] for p in medians)
            ours_best = statistics.median(p[0] for p in bests)
            theirs_best = statistics.median(p[1] for p in bests)
            ratio = statistics.median(p[0] / p[1] for p in medians)
            ratio_best = statistics.median(p[0] / p[1] for p in bests)
            print(f"| {name} | {operation} | {ours:.1f} ({ours_best:.1f}) | {theirs:.1f} ({theirs_best:.1f}) | {ratio:.1f}x | {ratio_best:.1f}x |")
    for name in ENCODINGS:
        print(f"first count after start, vocabulary load included ({name}): {statistics.median(samples[(name, 'first')]):.1f} ms")
    print(f"resident memory with both encodings loaded: {statistics.median(samples[('all', 'rss')]):.1f} MB")


if __name__ == "__main__":
    main()
