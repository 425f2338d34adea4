# The client goes away (end of input) without 'shutdown': status 1.
> {"id": 1, "method": "initialize", "params": {"capabilities": {}}}
< {"id": 1, "result": {"capabilities": {"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}}, "hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true, "renameProvider": true, "codeLensProvider": {"resolveProvider": false}}, "serverInfo": {"name": "charcheck"}}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/seed.char", "languageId": "char", "version": 1,
   "text": @text(models/seed.char)}}}
< {"method": "textDocument/publishDiagnostics", "params": {"uri": "file:///w/seed.char", "diagnostics": []}}
!exit 1
