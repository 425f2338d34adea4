# Positions are 0-based lines and UTF-16 code units: on the line
# "/* é😀 */ visible g, f", 'g' is at byte 21 but character 18 (é is one
# unit, 😀 two).  A range change counts the same way.  The document's
# limits become diagnostics, never a dead server: nesting deeper than 400
# levels (an exit-3 error of the front end) on open, and 2^25 situations
# (over --max-situations) in the full check on save.
> {"id": 1, "method": "initialize", "params": {"capabilities": {},
   "initializationOptions": {"checkDelayMs": -1}}}
< {"id": 1, "result": {"capabilities": {"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}}, "hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true, "renameProvider": true, "codeLensProvider": {"resolveProvider": false}}, "serverInfo": {"name": "charcheck"}}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/u%20v.char", "languageId": "char", "version": 1,
   "text": "feature f { a, b }\n/* é😀 */ visible g, f\n"}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/u%20v.char", "diagnostics": [{"range": {"start": {"line": 1, "character": 18}, "end": {"line": 1, "character": 19}}, "severity": 1, "source": "charcheck", "message": "unknown feature 'g'", "relatedInformation": [{"location": {"uri": "file:///w/u%20v.char", "range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 9}}}, "message": "did you mean 'f'?"}]}, {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "severity": 1, "source": "charcheck", "message": "the model has no 'training' block"}, {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "severity": 1, "source": "charcheck", "message": "the model has no 'deployment' block"}]}}
> {"id": 2, "method": "textDocument/definition", "params": {"textDocument": {
   "uri": "file:///w/u%20v.char"}, "position": {"line": 1, "character": 22}}}
< {"id": 2, "result": {"uri": "file:///w/u%20v.char", "range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 9}}}}
> {"method": "textDocument/didChange", "params": {"textDocument": {
   "uri": "file:///w/u%20v.char", "version": 2},
   "contentChanges": [{"range": {"start": {"line": 1, "character": 18},
   "end": {"line": 1, "character": 21}}, "text": ""}]}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/u%20v.char", "diagnostics": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "severity": 1, "source": "charcheck", "message": "the model has no 'training' block"}, {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "severity": 1, "source": "charcheck", "message": "the model has no 'deployment' block"}]}}
> {"id": 3, "method": "textDocument/hover", "params": {"textDocument": {
   "uri": "file:///w/u%20v.char"}, "position": {"line": 1, "character": 18}}}
< {"id": 3, "result": {"contents": {"kind": "markdown", "value": "feature `f` { a, b }"}, "range": {"start": {"line": 1, "character": 18}, "end": {"line": 1, "character": 19}}}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/deep.char", "languageId": "char", "version": 1,
   "text": @text(tests/lsp/deep.char)}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/deep.char", "diagnostics": [{"range": {"start": {"line": 4, "character": 414}, "end": {"line": 4, "character": 415}}, "severity": 1, "source": "charcheck", "message": "expression nested deeper than 400 levels"}]}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/big.char", "languageId": "char", "version": 1,
   "text": @text(tests/lsp/big.char)}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/big.char", "diagnostics": []}}
> {"method": "textDocument/didSave", "params": {"textDocument": {
   "uri": "file:///w/big.char"}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/big.char", "diagnostics": [{"range": {"start": {"line": 25, "character": 8}, "end": {"line": 25, "character": 11}}, "severity": 1, "source": "charcheck", "message": "the model has more than 16777216 situations (the limit); raise it with --max-situations"}]}}
> {"id": 4, "method": "shutdown"}
< {"id": 4, "result": null}
> {"method": "exit"}
!exit 0
