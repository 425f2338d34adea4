# The whole story of issue 14: a broken model shows its error on its line,
# the fix clears it, saving runs the full check (the failing check becomes
# a diagnostic), hover gives a verdict, a use leads to its declaration,
# formatting gives one whole-document edit, an unknown method is refused,
# and shutdown + exit end with status 0.  checkDelayMs -1: checks run on
# save only, so the order of the messages is fixed.
> {"id": 1, "method": "initialize", "params": {"processId": null,
   "rootUri": null, "capabilities": {},
   "initializationOptions": {"checkDelayMs": -1}}}
< {"id": 1, "result": {"capabilities": {"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}}, "hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true, "renameProvider": true, "codeLensProvider": {"resolveProvider": false}}, "serverInfo": {"name": "charcheck"}}}
> {"method": "initialized", "params": {}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/seed.char", "languageId": "char", "version": 1,
   "text": @edit("models/seed.char", "watched == no      -> sabotage", "wached == no      -> sabotage")}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": [{"range": {"start": {"line": 62, "character": 2}, "end": {"line": 62, "character": 8}}, "severity": 1, "source": "charcheck", "message": "unknown feature 'wached'", "relatedInformation": [{"location": {"uri": "file:///w/seed.char", "range": {"start": {"line": 40, "character": 8}, "end": {"line": 40, "character": 15}}}, "message": "did you mean 'watched'?"}]}]}}
> {"method": "textDocument/didChange", "params": {"textDocument": {
   "uri": "file:///w/seed.char", "version": 2},
   "contentChanges": [{"text": @text(models/seed.char)}]}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": []}}
> {"method": "textDocument/didSave", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": [{"range": {"start": {"line": 82, "character": 0}, "end": {"line": 82, "character": 24}}, "severity": 1, "source": "charcheck", "code": "check", "message": "check fails: P(diverge) <= 0.05: max 0.588235 (= 10/17)"}]}}
# hover on 'schemer' in its declaration (line 62, 0-based 61)
> {"id": 2, "method": "textDocument/hover", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 61, "character": 12}}}
< {"id": 2, "result": {"contents": {"kind": "markdown", "value": "character `schemer`, prior 0.1  \nconsistent, likelihood 1  \ndiverges: δ = 0.9  \nwitness {phase=deploy, watched=no, request=benign} -> sabotage (intended: comply)"}, "range": {"start": {"line": 61, "character": 10}, "end": {"line": 61, "character": 17}}}}
# hover on the failing check (line 83)
> {"id": 3, "method": "textDocument/hover", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 82, "character": 2}}}
< {"id": 3, "result": {"contents": {"kind": "markdown", "value": "**FAIL** `P(diverge) <= 0.05`: max 0.588235 (= 10/17)"}, "range": {"start": {"line": 82, "character": 0}, "end": {"line": 82, "character": 24}}}}
# hover on feature 'watched' in 'visible watched'
> {"id": 4, "method": "textDocument/hover", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 43, "character": 9}}}
< {"id": 4, "result": {"contents": {"kind": "markdown", "value": "feature `watched` { yes, no }  \nvisible: the model perceives it"}, "range": {"start": {"line": 43, "character": 8}, "end": {"line": 43, "character": 15}}}}
# definition of 'watched' from its use in the schemer's rule
> {"id": 5, "method": "textDocument/definition", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 62, "character": 4}}}
< {"id": 5, "result": {"uri": "file:///w/seed.char", "range": {"start": {"line": 40, "character": 8}, "end": {"line": 40, "character": 15}}}}
# definition of the value 'no' from 'watched == no'
> {"id": 6, "method": "textDocument/definition", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 62, "character": 14}}}
< {"id": 6, "result": {"uri": "file:///w/seed.char", "range": {"start": {"line": 40, "character": 23}, "end": {"line": 40, "character": 25}}}}
> {"id": 7, "method": "textDocument/references", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "position": {"line": 81, "character": 22},
   "context": {"includeDeclaration": true}}}
< {"id": 7, "result": [{"uri": "file:///w/seed.char", "range": {"start": {"line": 61, "character": 10}, "end": {"line": 61, "character": 17}}}, {"uri": "file:///w/seed.char", "range": {"start": {"line": 80, "character": 32}, "end": {"line": 80, "character": 39}}}, {"uri": "file:///w/seed.char", "range": {"start": {"line": 81, "character": 21}, "end": {"line": 81, "character": 28}}}]}
> {"method": "textDocument/didChange", "params": {"textDocument": {
   "uri": "file:///w/seed.char", "version": 3},
   "contentChanges": [{"text": @edit("models/seed.char", "feature phase   { train, deploy }", "feature   phase{train,deploy}")}]}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": []}}
> {"id": 8, "method": "textDocument/formatting", "params": {"textDocument": {
   "uri": "file:///w/seed.char"}, "options": {"tabSize": 2,
   "insertSpaces": true}}}
< {"id": 8, "result": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 83, "character": 0}}, "newText": @text(models/seed.char)}]}
> {"id": 9, "method": "textDocument/nonsense", "params": {}}
< {"id": 9, "error": {"code": -32601, "message": "unknown method"}}
> {"id": 10, "method": "shutdown"}
< {"id": 10, "result": null}
> {"method": "exit"}
!exit 0
