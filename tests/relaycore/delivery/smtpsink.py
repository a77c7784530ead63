#!/usr/bin/env python3
"""A scriptable SMTP sink for MailRoute's delivery tests (stdlib only).

Listens on 127.0.0.1, prints "PORT <n>" on stdout once it accepts connections,
and appends one JSON object per event to the --log file:
  {"ev": "connect", "conn": 1, "t": ...}
  {"ev": "cmd", "conn": 1, "line": "RSET", "t": ...}
  {"ev": "msg", "conn": 1, "helo": ..., "mail": "<s@x> SIZE=12", "rcpts": ["<a@y>"], "data": base64, "t": ...}
  {"ev": "close", "conn": 1, "t": ...}
"data" is the message as the client meant it: dot-stuffing removed, the
final CRLF.CRLF not included, every other byte as received.

--script takes a JSON object (all keys optional):
  greeting      "220 sink.test ESMTP"     reply on connect
  ehlo          list of extension lines, or "reject" (502, the client falls back to HELO)
  mail          reply to MAIL             ("250 2.1.0 Ok")
  rcpt          {"<address>": "451 4.2.0 later", ...}   others get 250
  data          reply to DATA             ("354 End data with <CR><LF>.<CR><LF>")
  eod           reply after the data      ("250 2.0.0 Ok: queued as <n>")
  drop          "connect" | "EHLO" | "MAIL" | "RCPT" | "DATA" | "EOD": close without replying
  delay         {"connect": 2.0, "EOD": 0.5, ...} seconds to wait before that reply
  close_after   close the connection after this many messages (after the reply)
  max_rcpts     RCPTs beyond this many in one transaction get "452 4.5.3 Error: too many recipients"
  first_only    true: the script's failures apply to the first connection only
"""
import argparse
import base64
import json
import socket
import socketserver
import sys
import threading
import time

MAX_LINE = 65536

class State:
    def __init__(self, script, log_path):
        self.script = script
        self.log_path = log_path
        self.lock = threading.Lock()
        self.conn_count = 0
        self.msg_count = 0

    def log(self, **event):
        event["t"] = time.monotonic()
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(event) + "\n")

    def next_conn(self):
        with self.lock:
            self.conn_count += 1
            return self.conn_count

    def next_msg(self):
        with self.lock:
            self.msg_count += 1
            return self.msg_count


class Handler(socketserver.StreamRequestHandler):
    def setup(self):
        super().setup()
        self.state = self.server.state
        self.conn = self.state.next_conn()
        script = self.state.script
        if script.get("first_only") and self.conn > 1:
            script = {k: v for k, v in script.items() if k in ("ehlo", "close_after")}
        self.script = script

    def reply(self, text):
        self.wfile.write(text.encode("utf-8") + b"\r\n")
        self.wfile.flush()

    def pause(self, what):
        delay = self.script.get("delay", {}).get(what)
        if delay:
            time.sleep(delay)

    def drops(self, what):
        return self.script.get("drop") == what

    def readline(self):
        line = self.rfile.readline(MAX_LINE)
        if not line:
            return None
        return line

    def handle(self):
        self.state.log(ev="connect", conn=self.conn)
        try:
            self.session()
        except (ConnectionError, OSError):
            pass
        finally:
            self.state.log(ev="close", conn=self.conn)

    def session(self):
        s = self.script
        self.pause("connect")
        if self.drops("connect"):
            return
        greeting = s.get("greeting", "220 sink.test ESMTP")
        self.reply(greeting)
        if not greeting.startswith("220"):
            # RFC 5321 §3.1: wait for QUIT after a refusal greeting.
            line = self.readline()
            if line is not None:
                self.state.log(ev="cmd", conn=self.conn, line=line.decode("utf-8", "replace").rstrip("\r\n"))
                self.reply("221 2.0.0 Bye")
            return
        helo = None
        mail = None
        rcpts = []
        messages = 0
        while True:
            raw = self.readline()
            if raw is None:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.state.log(ev="cmd", conn=self.conn, line=line)
            verb = line.split(" ", 1)[0].split(":", 1)[0].upper()
            if verb in ("EHLO", "HELO", "MAIL", "RCPT", "DATA"):
                self.pause(verb)
                if self.drops(verb):
                    return
            if verb == "EHLO":
                ext = s.get("ehlo", ["PIPELINING", "SIZE 10485760", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES"])
                if ext == "reject":
                    self.reply("502 5.5.2 Error: command not recognized")
                    continue
                helo = line[5:]
                lines = ["sink.test"] + list(ext)
                for i, text in enumerate(lines):
                    self.reply(("250 " if i == len(lines) - 1 else "250-") + text)
            elif verb == "HELO":
                helo = line[5:]
                self.reply("250 sink.test")
            elif verb == "MAIL":
                reply = s.get("mail", "250 2.1.0 Ok")
                if reply.startswith("2"):
                    mail = line[10:]
                    rcpts = []
                self.reply(reply)
            elif verb == "RCPT":
                arg = line[8:]
                reply = s.get("rcpt", {}).get(arg.split(" ")[0], "250 2.1.5 Ok")
                if mail is None:
                    reply = "503 5.5.1 Error: need MAIL command"
                elif s.get("max_rcpts") and len(rcpts) >= s["max_rcpts"]:
                    reply = "452 4.5.3 Error: too many recipients"
                if reply.startswith("2"):
                    rcpts.append(arg)
                self.reply(reply)
                if reply.startswith("421"):
                    return
            elif verb == "DATA":
                if mail is None or not rcpts:
                    self.reply("554 5.5.1 Error: no valid recipients")
                    continue
                reply = s.get("data", "354 End data with <CR><LF>.<CR><LF>")
                self.reply(reply)
                if not reply.startswith("354"):
                    continue
                data = bytearray()
                while True:
                    chunk = self.rfile.readline(MAX_LINE)
                    if not chunk:
                        return
                    if chunk == b".\r\n":
                        break
                    if chunk.startswith(b"."):
                        chunk = chunk[1:]
                    data += chunk
                # The CRLF before ".\r\n" belongs to the end-of-data marker.
                if data.endswith(b"\r\n"):
                    data = data[:-2]
                n = self.state.next_msg()
                self.pause("EOD")
                if self.drops("EOD"):
                    return
                reply = s.get("eod", "250 2.0.0 Ok: queued as %d" % n)
                if reply.startswith("2"):
                    self.state.log(ev="msg", conn=self.conn, helo=helo, mail=mail, rcpts=rcpts,
                                   data=base64.b64encode(bytes(data)).decode("ascii"))
                mail = None
                rcpts = []
                self.reply(reply)
                messages += 1
                if s.get("close_after") and messages >= s["close_after"]:
                    return
            elif verb == "RSET":
                mail = None
                rcpts = []
                self.reply("250 2.0.0 Ok")
            elif verb == "NOOP":
                self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Error: command not recognized")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", required=True)
    p.add_argument("--script", default="{}")
    args = p.parse_args()
    server = Server((args.listen, args.port), Handler)
    server.state = State(json.loads(args.script), args.log)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
