"""Writes Tests/TokenizerTests/Golden/tokenizer-goldens.json: a small corpus of texts with the token
ids tiktoken 0.14.0 (`encode_ordinary`, verified vocabularies) gives for each encoding.

Usage: generate_tokenizer_goldens.py [--check]   (needs TIKTOKEN_CACHE_DIR; --check compares only)
"""

import json
import os
import random
import sys

import tiktoken

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUTPUT = os.path.join(ROOT, "Tests", "TokenizerTests", "Golden", "tokenizer-goldens.json")
ENCODINGS = ["o200k_base", "cl100k_base"]


def corpus() -> list:
    rng = random.Random(7)
    lowercase = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3000))
    return [
        ("empty", ""),
        ("english prose", "The quick brown fox jumps over the lazy dog. It's 2024, and we've "
         "shipped 3 releases; they're all on time (mostly). Dr. Smith said: \"Don't panic!\""),
        ("swift code", "func count(_ text: String) -> Int {\n    let xs = text.split(separator: \" \")\n"
         "    return xs.reduce(0) { $0 + $1.count } // TODO: handle CRLF\n}\n"),
        ("python code", "def main():\n\tfor i in range(10):\n\t\tprint(f\"{i:03d}\")  # pad\n\n"
         "if __name__ == '__main__':\n    main()\n"),
        ("json", '{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], '
         '"temperature": 0.7, "max_tokens": 1024, "tags": ["a/b", "c\\\\d"]}'),
        ("dotprompt", "---\nmodel: googleai/gemini-2.0-flash\ninput:\n  schema:\n    name: string\n---\n"
         "{{role \"system\"}}\nYou are a helpful assistant.\n{{role \"user\"}}\nHello {{name}}!\n"),
        ("chinese", "机器学习是人工智能的一个分支。它使计算机能够从数据中学习，而无需明确编程。"),
        ("japanese", "東京は日本の首都です。カタカナとひらがなを混ぜて書きます：テスト、てすと。"),
        ("korean", "안녕하세요! 오늘 날씨가 정말 좋네요. 한국어 토큰화 테스트입니다."),
        ("emoji and zwj", "Family: 👨‍👩‍👧‍👦 flags: 🇺🇸🇯🇵 skin: 👋🏽 hearts ❤️‍🔥 keycap 1️⃣ 😀😀😀"),
        ("combining marks", "Cafe\u0301 nai\u0308ve Zalgo: Z\u0351\u0356a\u0352l\u0357g\u0303o\u0301 \u0301alone a\u0301\u0301\u0301b"),
        ("arabic", "مرحبا بالعالم! هذه تجربة للترميز باللغة العربية، مع أرقام ١٢٣٤٥."),
        ("hindi", "नमस्ते दुनिया। यह हिंदी भाषा में टोकनकरण का परीक्षण है। संख्या: १२३४"),
        ("contractions mixed case", "I'M sure YOU'LL see we'Ve done it; THEY'RE here, it'S hers, "
         "he'D go, she'T? 'tis o'clock 'LL 'll' ''s don'ſ DON'T can’t"),
        ("case classes", "HelloWorld HTTPServer iPhone McDONALD's ǅemal ǅ ALLCAPS lowercase ʰmodifier ˈstress"),
        ("long whitespace", "a" + " " * 40 + "b" + "\t" * 17 + "c\n" + " " * 33 + "\n\n\n" + " \u3000\u00a0 " * 9 + "d"),
        ("digit runs", "1234567890 12345678901234567890 3.14159265358979 ١٢٣٤٥٦٧ ⅠⅡⅢⅣ ½¾ 0x1F2E3D"),
        ("crlf", "line one\r\nline two\r\n\r\n  indented\r\n\ttab\r\rlone cr\n\r"),
        ("trailing spaces", "ends with spaces   \nand tabs\t\t\nand both \t \n   "),
        ("special token text", "<|endoftext|> <|fim_prefix|>x<|fim_middle|>y<|fim_suffix|> <|endofprompt|>"),
        ("urls and paths", "https://example.com/a/b/c?q=1&r=2#frag /usr/local/bin// C:\\Windows\\ ./x/../y"),
        ("punctuation runs", "!!!??? ... --- === *** ### @@@ ~~~ ``` <<<>>> /// \\\\ ||| ;;; ::: !!!\n\n/"),
        ("long lowercase piece", lowercase),
        ("long cjk piece", "漢字" * 400),
        ("long punctuation piece", "!?" * 500 + "#" * 300),
        ("long emoji run", "😀🎉🚀" * 200),
        ("long digit run", "9876543210" * 50),
    ]


def goldens() -> str:
    encodings = {name: tiktoken.get_encoding(name) for name in ENCODINGS}
    cases = [
        {"name": name, "text": text, **{e: encodings[e].encode_ordinary(text) for e in ENCODINGS}}
        for name, text in corpus()
    ]
    header = {"generator": "Tests/python/tools/generate_tokenizer_goldens.py", "tiktoken": tiktoken.__version__}
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(case, ensure_ascii=False) for case in cases]
    return '{"source": ' + lines[0] + ',\n"cases": [\n' + ",\n".join(lines[1:]) + "\n]}\n"


def main() -> None:
    data = goldens()
    if "--check" in sys.argv[1:]:
        with open(OUTPUT, encoding="utf-8") as committed:
            if committed.read() != data:
                sys.exit(f"{OUTPUT} is out of date; rerun {__file__}")
        print("goldens ok")
    else:
        with open(OUTPUT, "w", encoding="utf-8") as out:
            out.write(data)
        print(f"wrote {OUTPUT} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
