" Vim syntax file
" Language:    Dotprompt (.prompt): '#' header lines, YAML frontmatter, Handlebars template body
" Maintainer:  tokenmin
" Canonical copy: grammars/dotprompt.vim; editors/neovim/syntax/dotprompt.vim is an identical copy
" (a test fails when they differ). Keep group names in step with Tests/python/nvim/test_vim_syntax.py.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" The frontmatter is YAML; borrow Vim's YAML syntax for it.
syntax include @dotpromptYaml syntax/yaml.vim
unlet! b:current_syntax

syntax case match
" Header and frontmatter are only recognised at the top of the file, so highlighting must always
" start there.
syntax sync fromstart

" '#' lines before the frontmatter (licence headers), as one match anchored at the start of the
" file: after the frontmatter a '#' line is Markdown text in the body. The frontmatter may follow
" the header (after blank lines) through nextgroup, or open the file.
syntax match dotpromptHeaderComment /\%^\%(\%(#.*\|\s*\)\n\)*#.*$/
      \ nextgroup=dotpromptFrontmatter skipwhite skipnl skipempty
syntax region dotpromptFrontmatter matchgroup=dotpromptFence
      \ start=/\%^---\s*$/ end=/^---\s*$/ keepend contains=@dotpromptYaml
syntax region dotpromptFrontmatter contained matchgroup=dotpromptFence
      \ start=/^---\s*$/ end=/^---\s*$/ keepend contains=@dotpromptYaml

" Handlebars: '\{{' prints '{{' literally.
syntax match dotpromptEscape /\\{{/

" Comments: '{{!-- ... --}}' may contain '}}'; '{{! ... }}' ends at the first '}}'.
syntax region dotpromptComment start=/{{\~\?!--/ end=/--\~\?}}/ contains=@Spell
syntax region dotpromptComment start=/{{\~\?!\%(--\)\@!/ end=/\~\?}}/ contains=@Spell

" Expressions: '{{ ... }}', '{{{ ... }}}', with optional '~' whitespace control.
syntax region dotpromptTag matchgroup=dotpromptDelimiter
      \ start=/{{\%({\~\?\|\~\?{\?\)\%(!\)\@!/ end=/\~\?}}}\|}\~\?}}\|\~\?}}/
      \ keepend contains=@dotpromptInside

syntax cluster dotpromptInside contains=dotpromptMarker,dotpromptSigil,dotpromptBlockHelper,dotpromptBlockKeyword,
      \ dotpromptElse,dotpromptPartial,dotpromptHelper,dotpromptSubexpression,dotpromptString,
      \ dotpromptNumber,dotpromptConstant,dotpromptHashKey,dotpromptData,dotpromptThis,
      \ dotpromptBlockParams,dotpromptVariable

" Among matches that start at the same column the one defined last wins, so the generic
" variable comes first and the specific items after it.
syntax match dotpromptVariable contained /\%(\.\.\/\|\.\/\)*[A-Za-z_$][A-Za-z0-9_$-]*\%([./][A-Za-z_$][A-Za-z0-9_$-]*\)*/
" A helper is the first path of a tag that is followed by arguments.
syntax match dotpromptHelper contained /\%({{\~\?\s*\)\@<=[A-Za-z_$][A-Za-z0-9_$-]*\%([./][A-Za-z_$][A-Za-z0-9_$-]*\)*\ze\s\+[^ \t~}]/
" Dotprompt's markers right after '{{': role, history, section, media.
syntax match dotpromptMarker contained /\%({{\~\?\s*\)\@<=\<\%(role\|history\|section\|media\)\>/
syntax match dotpromptMarker contained /\%({{\~\?\s*[#/]\s*\)\@<=\<section\>/
" The name after a block sigil ('{{#list}}', '{{/list}}'); built-in keywords below override it.
syntax match dotpromptBlockHelper contained /\%({{\~\?\s*[#/^]\*\?\s*\)\@<=[A-Za-z_$][A-Za-z0-9_$-]*/
" Block, inverse, partial and unescaped sigils.
syntax match dotpromptSigil contained /\%({{\~\?\s*\)\@<=\%(#>\|#\*\|[#/^>&]\)/
syntax match dotpromptBlockKeyword contained
      \ /\%({{\~\?\s*[#/^]\s*\)\@<=\<\%(ifEquals\|unlessEquals\|if\|unless\|each\|with\)\>/
syntax match dotpromptElse contained /\%({{\~\?\s*\)\@<=\<else\>\%(\s\+\%(if\|unless\)\>\)\?/
syntax match dotpromptPartial contained /\%({{\~\?\s*#\?>\s*\)\@<=[^ \t}~()"']\+/
syntax region dotpromptSubexpression contained matchgroup=dotpromptDelimiter start=/(/ end=/)/
      \ contains=@dotpromptInside,dotpromptSubexpressionHelper
syntax match dotpromptSubexpressionHelper contained /\%((\s*\)\@<=[A-Za-z_$][A-Za-z0-9_$./-]*/
syntax region dotpromptString contained start=/"/ skip=/\\./ end=/"/ oneline
syntax region dotpromptString contained start=/'/ skip=/\\./ end=/'/ oneline
syntax match dotpromptNumber contained /\%([A-Za-z0-9_$.@]\)\@<!-\?\d\+\%(\.\d\+\)\?\>/
syntax keyword dotpromptConstant contained true false null undefined
syntax match dotpromptHashKey contained /[A-Za-z_$][A-Za-z0-9_$-]*\ze\s*=/
syntax match dotpromptData contained /@[A-Za-z_$][A-Za-z0-9_$./-]*/
syntax keyword dotpromptThis contained this
syntax match dotpromptBlockParams contained /\<as\s*|[^|]*|/

highlight default link dotpromptHeaderComment Comment
highlight default link dotpromptFence PreProc
highlight default link dotpromptEscape SpecialChar
highlight default link dotpromptComment Comment
highlight default link dotpromptDelimiter Delimiter
highlight default link dotpromptMarker Keyword
highlight default link dotpromptSigil Operator
highlight default link dotpromptBlockKeyword Conditional
highlight default link dotpromptElse Conditional
highlight default link dotpromptPartial Include
highlight default link dotpromptHelper Function
highlight default link dotpromptBlockHelper Function
highlight default link dotpromptSubexpressionHelper Function
highlight default link dotpromptString String
highlight default link dotpromptNumber Number
highlight default link dotpromptConstant Boolean
highlight default link dotpromptHashKey Type
highlight default link dotpromptData Special
highlight default link dotpromptThis Special
highlight default link dotpromptBlockParams Identifier
highlight default link dotpromptVariable Identifier

let b:current_syntax = 'dotprompt'

let &cpo = s:cpo_save
unlet s:cpo_save
