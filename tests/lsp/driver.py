#!/usr/bin/env python3
"""tests/lsp/driver.py - a scripted LSP client for 'charcheck lsp'.

Usage: driver.py [--record] BINARY SCRIPT.lsp...

A script is a list of steps, each starting at the beginning of a line (a
step's JSON may continue on the lines after it):
  # ...            a comment
  > JSON           send this message ("jsonrpc": "2.0" is added)
  >raw "TEXT"      send these bytes as they are (a JSON string: \\r\\n etc.)
  < JSON           the next message from the server must equal this
                   (with "jsonrpc": "2.0" added)
  !exit N          close stdin; the server must exit with status N and
                   nothing may be left unread on its stdout
Inside JSON, @text(PATH) stands for the file's contents as a JSON string
and @edit(PATH,OLD,NEW) for them with the first OLD replaced by NEW.
Messages are compared as JSON values, so nothing is normalised.  Each
script is one test: "[PASS] NAME" or "[FAIL] NAME" with the first
difference; last "N passed, M failed".  --record prints what the server
sent instead of comparing (to write a new script; review it by hand).
"""
import json
import os
import re
import select
import subprocess
import sys
import time

TIMEOUT = float(os.environ.get("LSP_TEST_TIMEOUT", "20"))


def expand(text):
    def text_of(m):
        with open(m.group(1), encoding="utf-8") as f:
            return json.dumps(f.read())

    def edit_of(m):
        path, old, new = json.loads("[" + m.group(1) + "]")
        with open(path, encoding="utf-8") as f:
            s = f.read()
        if old not in s:
            raise ValueError("@edit: %r not in %s" % (old, path))
        return json.dumps(s.replace(old, new, 1))

    text = re.sub(r"@text\(([^)]*)\)", text_of, text)
    return re.sub(r"@edit\((\"(?:[^\"\\]|\\.)*\"(?:\s*,\s*\"(?:[^\"\\]|"
                  r"\\.)*\"){2})\)", edit_of, text)


def steps(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(("#", ">", "<", "!")):
                out.append(line)
            elif out and line.strip() and not out[-1].startswith("#"):
                out[-1] += line
    return [s.strip() for s in out if not s.startswith("#")]


class Server:
    def __init__(self, binary):
        self.p = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.buf = b""

    def send(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def fill(self, deadline):
        left = deadline - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            return False
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def recv(self):
        """The next message, or None on timeout or end of output."""
        deadline = time.time() + TIMEOUT
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                head = self.buf[:end].decode("ascii")
                m = re.fullmatch(r"Content-Length: (\d+)", head)
                if not m:
                    raise ValueError("bad header from server: %r" % head)
                n = int(m.group(1))
                if len(self.buf) >= end + 4 + n:
                    body = self.buf[end + 4:end + 4 + n]
                    self.buf = self.buf[end + 4 + n:]
                    return json.loads(body.decode("utf-8"))
            if not self.fill(deadline):
                return None


def frame(msg):
    body = json.dumps(msg).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def run(binary, script, record):
    srv = Server(binary)
    try:
        for st in steps(script):
            if st.startswith(">raw"):
                srv.send(json.loads(st[4:]).encode("utf-8"))
            elif st.startswith(">"):
                msg = json.loads(expand(st[1:]))
                msg["jsonrpc"] = "2.0"
                srv.send(frame(msg))
            elif st.startswith("<"):
                want = json.loads(expand(st[1:]))
                want["jsonrpc"] = "2.0"
                got = srv.recv()
                if record:
                    print("< " + json.dumps(got))
                elif got != want:
                    return "expected %s\n  got      %s" % (
                        json.dumps(want), json.dumps(got))
            elif st.startswith("!exit"):
                srv.p.stdin.close()
                try:
                    srv.p.wait(TIMEOUT)
                except subprocess.TimeoutExpired:
                    return "the server did not exit"
                rest = srv.p.stdout.read()
                err = srv.p.stderr.read().decode("utf-8", "replace")
                if rest:
                    return "unread output after the exit: %r" % rest[:200]
                if srv.p.returncode != int(st.split()[1]):
                    return "exit status %d, want %s%s" % (
                        srv.p.returncode, st.split()[1],
                        "\n" + err if err else "")
                if err:
                    return "stderr not empty:\n" + err
                return None
        return "the script has no !exit step"
    finally:
        if srv.p.poll() is None:
            srv.p.kill()
            srv.p.wait()


def main(argv):
    record = argv[:1] == ["--record"]
    if record:
        argv = argv[1:]
    binary, scripts = argv[0], argv[1:]
    npass = nfail = 0
    for s in scripts:
        name = "%s %s" % (os.path.basename(binary),
                          os.path.splitext(os.path.basename(s))[0])
        why = run(binary, s, record)
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
