"""Specific scopes on the constructs editors and themes depend on, independent of the snapshots.

Each case is a small document with one `‸` marking the character under test, the scope that
character must carry, and scopes it must not carry.
"""

from __future__ import annotations

import pytest

from grammar_engine import scopes_at

FM = "---\nmodel: gpt-4o\n---\n"
MARK = "‸"

CASES = [
    # (case id, document with ‸, required scope, forbidden scopes)
    ("header comment", "‸# licence\n---\nmodel: x\n---\nhi", "comment.line.number-sign.header.dotprompt", ()),
    ("opening fence", "# h\n‸---\nmodel: x\n---\nhi", "punctuation.definition.frontmatter.begin.dotprompt", ()),
    ("frontmatter is embedded YAML", "---\n‸model: x\n---\nhi", "meta.embedded.block.frontmatter.dotprompt", ()),
    ("closing fence", "---\nmodel: x\n‸---\nhi", "punctuation.definition.frontmatter.end.dotprompt", ()),
    ("'#' after frontmatter is body", FM + "‸# Title\n", "source.dotprompt",
     ("comment.line.number-sign.header.dotprompt",)),
    ("'---' after frontmatter is body", FM + "text\n‸---\nmore {{x}}\n", "source.dotprompt",
     ("punctuation.definition.frontmatter.begin.dotprompt", "punctuation.definition.frontmatter.end.dotprompt")),
    ("body after frontmatter-like rule still highlights", FM + "text\n---\nmore {{‸x}}\n",
     "variable.other.readwrite.dotprompt", ("meta.embedded.block.frontmatter.dotprompt",)),
    ("no frontmatter: '---' is body", "Hello\n‸---\n", "source.dotprompt",
     ("punctuation.definition.frontmatter.begin.dotprompt",)),
    ("short comment", FM + "{{! a ‸note }}", "comment.block.handlebars.dotprompt", ()),
    ("long comment spans lines", FM + "{{!--\n‸{{#if x}}\n--}}", "comment.block.handlebars.long.dotprompt",
     ("keyword.control.conditional.dotprompt",)),
    ("long comment survives '}}'", FM + "{{!-- a }} ‸b --}}", "comment.block.handlebars.long.dotprompt", ()),
    ("variable", FM + "{{‸name}}", "variable.other.readwrite.dotprompt", ()),
    ("expression delimiters", FM + "‸{{name}}", "punctuation.definition.tag.begin.dotprompt", ()),
    ("helper name", FM + "{{‸upper name}}", "entity.name.function.helper.dotprompt", ()),
    ("json builtin", FM + "{{‸json this}}", "support.function.builtin.dotprompt", ()),
    ("string argument", FM + "{{upper ‸\"x\"}}", "string.quoted.double.dotprompt", ()),
    ("single-quoted string", FM + "{{upper '‸x'}}", "string.quoted.single.dotprompt", ()),
    ("number argument", FM + "{{add 1 ‸2.5}}", "constant.numeric.dotprompt", ()),
    ("boolean argument", FM + "{{f ‸true}}", "constant.language.dotprompt", ()),
    ("hash key", FM + "{{json this ‸indent=2}}", "entity.other.attribute-name.dotprompt", ()),
    ("hash value", FM + "{{json this indent=‸2}}", "constant.numeric.dotprompt", ()),
    ("sub-expression helper", FM + "{{#if (‸gt a 1)}}x{{/if}}", "entity.name.function.helper.dotprompt", ()),
    ("sub-expression", FM + "{{#if (gt ‸a 1)}}x{{/if}}", "meta.expression.subexpression.dotprompt", ()),
    ("data variable", FM + "{{add @‸index 1}}", "variable.language.data.dotprompt", ()),
    ("@root path", FM + "{{#each @root.‸tools}}x{{/each}}", "variable.language.data.dotprompt", ()),
    ("this", FM + "{{‸this}}", "variable.language.this.dotprompt", ()),
    ("whitespace control", FM + "{{‸~name~}}", "keyword.operator.whitespace-control.dotprompt", ()),
    ("triple stash", FM + "{{{‸html}}}", "meta.tag.expression.unescaped.dotprompt", ()),
    ("escaped mustache", FM + "‸\\{{name}}", "constant.character.escape.mustache.dotprompt", ()),
    ("escaped mustache is not an expression", FM + "\\{{‸name}}", "source.dotprompt",
     ("meta.tag.expression.dotprompt", "variable.other.readwrite.dotprompt")),
    ("block if", FM + "{{#‸if x}}y{{/if}}", "keyword.control.conditional.dotprompt", ()),
    ("block hash", FM + "{{‸#if x}}y{{/if}}", "punctuation.definition.block.begin.dotprompt", ()),
    ("block close", FM + "{{#if x}}y{{/‸if}}", "keyword.control.conditional.dotprompt", ()),
    ("each", FM + "{{#‸each xs}}y{{/each}}", "keyword.control.loop.dotprompt", ()),
    ("ifEquals is not 'if'+'Equals'", FM + "{{#if‸Equals a b}}y{{/ifEquals}}", "keyword.control.conditional.dotprompt",
     ("variable.other.readwrite.dotprompt",)),
    ("custom block helper", FM + "{{#‸list xs}}y{{/list}}", "entity.name.function.block.dotprompt", ()),
    ("block params", FM + "{{#each xs as |‸x|}}{{/each}}", "variable.parameter.block.dotprompt", ()),
    ("else", FM + "{{#if x}}a{{‸else}}b{{/if}}", "keyword.control.conditional.else.dotprompt", ()),
    ("caret else", FM + "{{#if x}}a{{‸^}}b{{/if}}", "punctuation.definition.block.begin.dotprompt", ()),
    ("partial", FM + "{{> ‸footer}}", "entity.name.partial.dotprompt", ()),
    ("partial operator", FM + "{{‸> footer}}", "keyword.operator.partial.dotprompt", ()),
    ("partial block", FM + "{{#> ‸layout}}x{{/layout}}", "entity.name.partial.dotprompt", ()),
    ("role marker", FM + "{{‸role \"system\"}}", "keyword.control.role.dotprompt", ()),
    ("role name", FM + "{{role \"‸system\"}}", "string.quoted.double.dotprompt", ()),
    ("role tag", FM + "{{role \"system\"‸}}", "meta.tag.role.dotprompt", ()),
    ("history marker", FM + "{{‸history}}", "keyword.control.history.dotprompt", ()),
    ("section marker", FM + "{{‸section \"answer\"}}", "keyword.control.section.dotprompt", ()),
    ("media marker", FM + "{{‸media url=img}}", "keyword.control.media.dotprompt", ()),
    ("media url key", FM + "{{media ‸url=img}}", "entity.other.attribute-name.dotprompt", ()),
    ("'role' prefix is a plain variable", FM + "{{‸roleName}}", "variable.other.readwrite.dotprompt",
     ("keyword.control.role.dotprompt",)),
    ("emoji before an expression", FM + "🎉 中文 {{‸name}}", "variable.other.readwrite.dotprompt", ()),
]


def check(document: str, required: str, forbidden: tuple[str, ...]) -> None:
    assert document.count(MARK) == 1, "a case marks exactly one character"
    offset = document.index(MARK)
    text = document.replace(MARK, "")
    before = text[:offset]
    line = before.count("\n")
    column = offset - (before.rfind("\n") + 1)
    scopes = scopes_at(text, line, column)
    assert required in scopes, f"{text[offset]!r} at {line + 1}:{column} has {scopes}, expected {required}"
    for scope in forbidden:
        assert scope not in scopes, f"{text[offset]!r} at {line + 1}:{column} must not be {scope}: {scopes}"


@pytest.mark.parametrize(("document", "required", "forbidden"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_scope(document: str, required: str, forbidden: tuple[str, ...]) -> None:
    check(document, required, forbidden)
