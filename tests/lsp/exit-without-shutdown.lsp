# 'exit' before 'shutdown' ends the server with status 1 (LSP 3.17).
> {"id": 1, "method": "initialize", "params": {"capabilities": {}}}
< {"id": 1, "result": {"capabilities": {"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}}, "hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true, "renameProvider": true, "codeLensProvider": {"resolveProvider": false}}, "serverInfo": {"name": "charcheck"}}}
> {"method": "exit"}
!exit 1
