" Vim syntax file
" Language:    charcheck model files (*.char)
" Description: the .char language of charcheck, a model checker for
"              inner-alignment arguments (see docs/language.md)

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_

" Keywords (SPEC section 2). A keyword cannot be used as a name, but any
" keyword may appear as a feature value (`watched == no`); values after a
" comparison and inside value lists are highlighted as values below.

" Words that start an item
syn keyword charItem       model feature visible action character family
syn keyword charItem       optimizer intended training deployment audit data
syn keyword charItem       constraint tolerance check
" Words inside items
syn keyword charStatement  situations weight observe prior trait horizon value
syn keyword charStatement  over actions scales by when
syn keyword charConditional otherwise
syn keyword charKeyword    at least most
" Check claims
syn keyword charClaim      consistent diverging undetectable excludes
syn keyword charClaim      no divergence diverge label P E
" `contains` is an argument of :syn keyword, so it needs a match
syn match   charClaim      "\<contains\>"
" Logic
syn keyword charLogic      and or not in
syn keyword charBoolean    true false
syn keyword charConstant   deceptive proxy none

" Operators and punctuation
syn match   charOperator   "->\|==\|!=\|<=\|>=\|&&\|||\|[<>!=|*+:/-]"
syn match   charDelimiter  "[{}()\[\],]"

" Values: the identifier after a comparison operator (not after `->`) ...
syn match   charCmpValue   "\%(==\|!=\|<=\|>=\|<\|-\@<!>\)\s*\h\w*" contains=charCmpOp
syn match   charCmpOp      "==\|!=\|<=\|>=\|[<>]" contained
" ... and the identifiers in `feature NAME { ... }` and `in { ... }`
syn region  charValueList  matchgroup=charDelimiter start="\%(\<feature\s\+\h\w*\s*\)\@<={" start="\%(\<in\s*\)\@<={" end="}" contains=charValue,charNumber,charDelimiter,charComment,charLineComment
syn match   charValue      "\h\w*" contained

" Numbers: integers, decimals, exponents, fractions written without spaces
syn match   charNumber     "\<\d\+\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=\>"
syn match   charNumber     "\<\d\+/\d\+\>"

" Strings: one line, only \" and \\ escapes
syn region  charString     start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=charEscape,charBadEscape
syn match   charBadEscape  +\\[^"\\]+ contained
syn match   charEscape     +\\["\\]+ contained

" Comments (defined last so that `//` wins over the `/` operator)
syn keyword charTodo       TODO FIXME XXX NOTE contained
syn match   charLineComment "//.*$" contains=charTodo,@Spell
syn region  charComment    start="/\*" end="\*/" contains=charTodo,@Spell

hi def link charItem        Structure
hi def link charStatement   Statement
hi def link charConditional Conditional
hi def link charKeyword     Keyword
hi def link charClaim       Function
hi def link charLogic       Operator
hi def link charBoolean     Boolean
hi def link charConstant    Constant
hi def link charOperator    Operator
hi def link charCmpOp       Operator
hi def link charDelimiter   Delimiter
hi def link charCmpValue    Identifier
hi def link charValue       Identifier
hi def link charNumber      Number
hi def link charString      String
hi def link charEscape      SpecialChar
hi def link charBadEscape   Error
hi def link charTodo        Todo
hi def link charLineComment Comment
hi def link charComment     Comment

let b:current_syntax = "char"

let &cpo = s:cpo_save
unlet s:cpo_save
