#!/usr/bin/env python3
"""tests/lsp/random.py - a random client: properties, not exact messages.

Usage: random.py BINARY SEED...

For each seed (a fixed random.Random, so a failure can be replayed), 300
steps mixing opens and changes of mutated models (whole and ranged, with
multibyte characters and NUL bytes), saves, closes, requests of every
kind at random positions, bodies that are not JSON and header blocks
without a length, with checks running meanwhile (checkDelayMs 0 to 50).
Then shutdown and exit.  It must hold that every message the server
writes is framed and JSON-RPC 2.0, every request gets exactly one answer
(a result or an error), the server exits with status 0, and its stderr is
empty (no sanitizer report, no stray output).
"""
import glob
import json
import os
import queue
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import Server, frame  # noqa: E402

STEPS = 300
METHODS = ["hover", "definition", "references", "documentSymbol",
           "formatting", "rename", "codeLens", "nonsense"]
INSERTS = list("(){}[]<>=!|&:,;/*\"\\ \n\t") + [
    "é", "😀", "\x00", "and", "not ", "check ", "P(", "feature ", "0.5"]


class Pumped(Server):
    """A Server whose stdout and stderr are read by threads all along, so
    that neither side blocks on a full pipe while the other writes."""

    def __init__(self, binary):
        super().__init__(binary)
        self.q = queue.Queue()
        self.eof = False
        self.err = []
        threading.Thread(target=self.pump, daemon=True).start()
        threading.Thread(target=self.pump_err, daemon=True).start()

    def pump(self):
        while True:
            chunk = os.read(self.p.stdout.fileno(), 65536)
            self.q.put(chunk)
            if not chunk:
                return

    def pump_err(self):
        while True:
            chunk = os.read(self.p.stderr.fileno(), 65536)
            if not chunk:
                return
            self.err.append(chunk)

    def fill(self, deadline):
        left = deadline - time.time()
        if left <= 0 or self.eof:
            return False
        try:
            chunk = self.q.get(timeout=left)
        except queue.Empty:
            return False
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True


def mutate(rng, text):
    t = list(text)
    for _ in range(rng.randint(0, 5)):
        i = rng.randrange(len(t) + 1)
        if rng.random() < .4 and t:
            del t[min(i, len(t) - 1)]
        else:
            t.insert(i, rng.choice(INSERTS))
    return "".join(t)


def pos(rng):
    return {"line": rng.randint(0, 120), "character": rng.randint(0, 90)}


def step(rng, i, models, srv, sent):
    uri = rng.choice(["file:///r/a.char", "file:///r/b.char"])
    doc = {"uri": uri}
    r = rng.random()
    if r < .2:
        msg = {"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "char", "version": 1,
            "text": mutate(rng, rng.choice(models))}}}
    elif r < .4:
        ch = {"text": mutate(rng, rng.choice(models))}
        if rng.random() < .5:
            ch = {"range": {"start": pos(rng), "end": pos(rng)},
                  "text": rng.choice(["", "x", "\n", "é😀", "check "])}
        msg = {"method": "textDocument/didChange", "params": {
            "textDocument": dict(doc, version=i), "contentChanges": [ch]}}
    elif r < .45:
        msg = {"method": "textDocument/didSave",
               "params": {"textDocument": doc}}
    elif r < .48:
        msg = {"method": "textDocument/didClose",
               "params": {"textDocument": doc}}
    elif r < .9:
        msg = {"id": i, "method": "textDocument/" + rng.choice(METHODS),
               "params": {"textDocument": doc, "position": pos(rng),
                          "newName": rng.choice(["x", "1a", "_z"]),
                          "context": {"includeDeclaration": True}}}
        sent.add(i)
    elif r < .95:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
        srv.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return
    else:
        srv.send(rng.choice([b"X-Nothing: 1\r\n\r\n",
                             b"Content-Length: 99999999999999999999\r\n\r\n",
                             b"Content-Length: -1\r\n\r\n"]))
        time.sleep(0.02)
        return
    msg["jsonrpc"] = "2.0"
    srv.send(frame(msg))


def one(binary, seed, models):
    rng = random.Random(seed)
    srv = Pumped(binary)
    srv.send(frame({"jsonrpc": "2.0", "id": "init", "method": "initialize",
                    "params": {"capabilities": {}, "initializationOptions":
                               {"checkDelayMs": rng.choice([0, 5, 50])}}}))
    sent = {"init", "down"}
    try:
        for i in range(STEPS):
            step(rng, i, models, srv, sent)
        srv.send(frame({"jsonrpc": "2.0", "id": "down",
                        "method": "shutdown"}))
        srv.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    except BrokenPipeError:
        srv.p.wait(60)
        time.sleep(0.1)
        return "the server stopped reading (status %d)\n%s" % (
            srv.p.returncode, b"".join(srv.err).decode("utf-8", "replace"))
    answered = {}
    while True:
        try:
            m = srv.recv()
        except ValueError as e:
            return str(e)
        if m is None:
            break
        if m.get("jsonrpc") != "2.0":
            return "not JSON-RPC 2.0: %s" % json.dumps(m)[:200]
        if "method" in m:
            continue
        if ("result" in m) == ("error" in m):
            return "neither result nor error: %s" % json.dumps(m)[:200]
        answered[m["id"]] = answered.get(m["id"], 0) + 1
    srv.p.wait(60)
    time.sleep(0.1)
    err = b"".join(srv.err).decode("utf-8", "replace")
    twice = [k for k, n in answered.items() if n > 1 and k is not None]
    missing = sent - set(answered)
    if srv.p.returncode != 0 or err:
        return "exit status %d\n%s" % (srv.p.returncode, err[:3000])
    if missing or twice:
        return "unanswered %s, answered twice %s" % (sorted(
            map(str, missing))[:10], twice[:10])
    return None


def main(argv):
    binary, seeds = argv[0], argv[1:]
    models = [open(f, encoding="utf-8").read() for f in sorted(
        glob.glob("models/*.char") + glob.glob("examples/*.char"))]
    npass = nfail = 0
    for s in seeds:
        why = one(binary, int(s), models)
        name = "%s random seed %s" % (os.path.basename(binary), s)
        if why is None:
            npass += 1
            print("[PASS] " + name)
        else:
            nfail += 1
            print("[FAIL] %s: %s" % (name, why))
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
