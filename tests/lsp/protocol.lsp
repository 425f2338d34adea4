# JSON-RPC and lifecycle rules.  Before 'initialize' a request gets
# ServerNotInitialized (-32002) and a notification is dropped; a body that
# is not JSON gets ParseError (-32700) with a null id, as does a header
# block without Content-Length; a message that is not an object is an
# InvalidRequest (-32600); an unknown notification is ignored (the next
# message is the answer to the next request), an unknown request is
# MethodNotFound (-32601); a second 'initialize' and any request after
# 'shutdown' are InvalidRequest.
> {"id": 1, "method": "textDocument/hover", "params": {}}
< {"id": 1, "error": {"code": -32002, "message": "the server is not initialized"}}
> {"method": "textDocument/didOpen", "params": {"textDocument": {
   "uri": "file:///w/a.char", "languageId": "char", "version": 1,
   "text": "feature"}}}
> {"id": "init", "method": "initialize", "params": {"capabilities": {}}}
< {"id": "init", "result": {"capabilities": {"positionEncoding": "utf-16", "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}}, "hoverProvider": true, "definitionProvider": true, "referencesProvider": true, "documentSymbolProvider": true, "documentFormattingProvider": true, "renameProvider": true, "codeLensProvider": {"resolveProvider": false}}, "serverInfo": {"name": "charcheck"}}}
>raw "Content-Length: 9\r\n\r\n{\"id\": 2,"
< {"id": null, "error": {"code": -32700, "message": "parse error"}}
>raw "Content-Type: application/json\r\n\r\n"
< {"id": null, "error": {"code": -32700, "message": "bad header: no Content-Length"}}
# a length that is negative or not a number (the random client found
# that a '-' made the server read an unset pointer and crash)
>raw "Content-Length: -1\r\n\r\n"
< {"id": null, "error": {"code": -32700, "message": "bad header: no Content-Length"}}
>raw "Content-Length: 12abc\r\n\r\n"
< {"id": null, "error": {"code": -32700, "message": "bad header: no Content-Length"}}
>raw "Content-Length: 2\r\n\r\n[]"
< {"id": null, "error": {"code": -32600, "message": "invalid request"}}
>raw "Content-Length: 1\r\n\r\n7"
< {"id": null, "error": {"code": -32600, "message": "invalid request"}}
# headers are case-insensitive and Content-Type is allowed
>raw "content-length: 37\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x\"}"
< {"id": 3, "error": {"code": -32601, "message": "unknown method"}}
> {"method": "$/unknownNotification", "params": {}}
> {"method": "workspace/didChangeConfiguration", "params": {"settings": {}}}
> {"id": 4, "method": "workspace/symbol", "params": {"query": ""}}
< {"id": 4, "error": {"code": -32601, "message": "unknown method"}}
> {"id": 5, "method": "initialize", "params": {"capabilities": {}}}
< {"id": 5, "error": {"code": -32600, "message": "already initialized"}}
# a document that was never opened
> {"id": 6, "method": "textDocument/hover", "params": {"textDocument": {
   "uri": "file:///w/none.char"}, "position": {"line": 0, "character": 0}}}
< {"id": 6, "error": {"code": -32602, "message": "unknown document (not opened)"}}
> {"id": 7, "method": "shutdown"}
< {"id": 7, "result": null}
> {"id": 8, "method": "textDocument/documentSymbol", "params": {
   "textDocument": {"uri": "file:///w/a.char"}}}
< {"id": 8, "error": {"code": -32600, "message": "the server is shutting down"}}
> {"method": "exit"}
!exit 0
