#!/usr/bin/env python3
"""tests/lsp/latency.py - the front end's diagnostics arrive within 50 ms.

Usage: latency.py BINARY MODEL.char...

Opens each model in one server (checks on save only) and times the
didOpen -> publishDiagnostics round trip, then twice more with a whole-text
didChange; the best of the three counts (the machine may be busy with
other tests).  One "[PASS]/[FAIL] latency NAME: N ms" line per model, then
the slowest and "N passed, M failed".
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import Server, frame  # noqa: E402

LIMIT_MS = 50.0


def roundtrip(srv, msg, uri):
    t = time.perf_counter()
    srv.send(frame(msg))
    while True:
        got = srv.recv()
        if got is None:
            return None
        if got.get("method") == "textDocument/publishDiagnostics" and \
                got["params"]["uri"] == uri:
            return (time.perf_counter() - t) * 1000


def main(argv):
    binary, models = argv[0], argv[1:]
    srv = Server(binary)
    srv.send(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"capabilities": {}, "initializationOptions":
                               {"checkDelayMs": -1}}}))
    srv.recv()
    npass = nfail = 0
    worst = (0.0, "")
    for path in models:
        uri = "file:///latency/" + os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        best = roundtrip(srv, {"jsonrpc": "2.0", "method":
                               "textDocument/didOpen", "params": {
                                   "textDocument": {"uri": uri,
                                                    "languageId": "char",
                                                    "version": 1,
                                                    "text": text}}}, uri)
        for v in (2, 3):
            ms = roundtrip(srv, {"jsonrpc": "2.0", "method":
                                 "textDocument/didChange", "params": {
                                     "textDocument": {"uri": uri,
                                                      "version": v},
                                     "contentChanges": [{"text": text}]}},
                           uri)
            best = ms if best is None or (ms is not None and ms < best) \
                else best
        name = os.path.basename(path)
        if best is not None and best <= LIMIT_MS:
            npass += 1
            print("[PASS] latency %s: %.1f ms" % (name, best))
        else:
            nfail += 1
            print("[FAIL] latency %s: %s (limit %.0f ms)" % (
                name, "no diagnostics" if best is None else
                "%.1f ms" % best, LIMIT_MS))
        if best is not None and best > worst[0]:
            worst = (best, name)
    srv.p.stdin.close()
    srv.p.wait()
    print("slowest: %s, %.1f ms" % (worst[1], worst[0]))
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
