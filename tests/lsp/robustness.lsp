# Odd but legal input.  An empty document; positions past the end of a
# line and of the file; a request on whitespace (null); a change to a
# document that is not open and an open without text (ignored);
# parameters of the wrong type; a client that takes lens refreshes is
# asked for one after each check, and its answer is not a request.
> {"id": 1, "method": "initialize", "params": {"capabilities": {
   "workspace": {"codeLens": {"refreshSupport": true}}},
   "initializationOptions": {"checkDelayMs": 0}}}
< {"id": 1, "result": {"capabilities": {"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}}, "hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true, "renameProvider": true, "codeLensProvider": {"resolveProvider": false}}, "serverInfo": {"name": "charcheck"}}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/empty.char", "languageId": "char", "version": 1,
   "text": ""}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/empty.char", "diagnostics": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "severity": 1, "source": "charcheck", "message": "the model has no 'training' block"}, {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "severity": 1, "source": "charcheck", "message": "the model has no 'deployment' block"}]}}
> {"id": 2, "method": "textDocument/hover", "params": {"textDocument": {
   "uri": "file:///w/empty.char"}, "position": {"line": 1000, "character": 1000}}}
< {"id": 2, "result": null}
> {"id": 3, "method": "textDocument/formatting", "params": {"textDocument": {
   "uri": "file:///w/empty.char"}, "options": {"tabSize": 2, "insertSpaces": true}}}
< {"id": 3, "result": []}
> {"method": "textDocument/didChange", "params": {"textDocument": {
   "uri": "file:///w/nothere.char", "version": 2},
   "contentChanges": [{"text": "feature"}]}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/notext.char", "languageId": "char", "version": 1}}}
> {"id": 4, "method": "textDocument/hover", "params": [1, 2]}
< {"id": 4, "error": {"code": -32602, "message": "unknown document (not opened)"}}
> {"id": 5, "method": "textDocument/definition", "params": {"textDocument": {
   "uri": "file:///w/empty.char"}, "position": {"line": -1, "character": "x"}}}
< {"id": 5, "error": {"code": -32602, "message": "no position"}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/seed.char", "languageId": "char", "version": 1,
   "text": @text(models/seed.char)}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": []}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": [{"range": {"start": {"line": 82, "character": 0}, "end": {"line": 82, "character": 24}}, "severity": 1, "source": "charcheck", "code": "check", "message": "check fails: P(diverge) <= 0.05: max 0.588235 (= 10/17)"}]}}
< {"id": "charcheck-1", "method": "workspace/codeLens/refresh"}
> {"id": "charcheck-1", "result": null}
# past the end of line 41 ('feature watched { yes, no }'): end of line
> {"id": 6, "method": "textDocument/definition", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 40, "character": 900}}}
< {"id": 6, "result": null}
# on the blank between two names
> {"id": 7, "method": "textDocument/references", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 42, "character": 17},
   "context": {"includeDeclaration": true}}}
< {"id": 7, "result": null}
> {"id": 8, "method": "textDocument/codeLens", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}}}
< {"id": 8, "result": [{"range": {"start": {"line": 80, "character": 0}, "end": {"line": 80, "character": 41}}, "command": {"title": "PASS", "command": ""}}, {"range": {"start": {"line": 81, "character": 0}, "end": {"line": 81, "character": 30}}, "command": {"title": "PASS", "command": ""}}, {"range": {"start": {"line": 82, "character": 0}, "end": {"line": 82, "character": 24}}, "command": {"title": "FAIL: max 0.588235 (= 10/17)", "command": ""}}]}
> {"id": 9, "method": "shutdown", "params": null}
< {"id": 9, "result": null}
> {"method": "exit"}
!exit 0
