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
  tls           {"cert": PEM, "key": PEM}: offer STARTTLS (RFC 3207) with this certificate
  starttls      reply to STARTTLS instead of "220 2.0.0 Ready to start TLS" (e.g. "454 4.7.0 ...")
  after_220     bytes sent right behind the 220 in the same write (a pipelined-reply injection)
  tls_break     true: after the 220, send garbage and close instead of a TLS handshake
  tls_max       "TLSv1_1": the server speaks no TLS version above this one
  auth          {"mechanisms": ["PLAIN", "LOGIN"], "user": ..., "password": ..., "plaintext": false}:
                offer AUTH (inside TLS only unless "plaintext"); the right credentials get 235,
                others "535 5.7.8 Error: authentication failed"
Every "cmd" and "msg" event carries "tls": whether it arrived inside TLS; "auth"
events carry the decoded credentials; "close" carries "plain_bytes": the bytes of
transaction commands (MAIL, RCPT, DATA, AUTH, anything but EHLO/HELO/STARTTLS/
QUIT/RSET/NOOP) and message text that arrived in plaintext.

--proxy-to PORT runs a man in the middle instead: it forwards every connection to
127.0.0.1:PORT and rewrites "STARTTLS" out of the server's replies (a STARTTLS
stripping attack).
"""
import argparse
import base64
import json
import socket
import socketserver
import ssl
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
            script = {k: v for k, v in script.items() if k in ("ehlo", "close_after", "tls", "auth")}
        self.script = script
        self.tls = False
        self.plain_bytes = 0

    def count_plain(self, n):
        if not self.tls:
            self.plain_bytes += n

    def start_tls(self):
        """RFC 3207 §4.2: 220, then the handshake; anything pipelined before is dropped."""
        s = self.script
        reply = s.get("starttls", "220 2.0.0 Ready to start TLS")
        self.wfile.write(reply.encode("utf-8") + b"\r\n" + s.get("after_220", "").encode("utf-8"))
        self.wfile.flush()
        if not reply.startswith("220"):
            return True
        if s.get("tls_break"):
            self.wfile.write(b"this is not a TLS ServerHello\r\n")
            self.wfile.flush()
            return False
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(s["tls"]["cert"], s["tls"]["key"])
        if s.get("tls_max"):
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
            ctx.maximum_version = getattr(ssl.TLSVersion, s["tls_max"])
        try:
            tls = ctx.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.state.log(ev="tls_failed", conn=self.conn, error=str(e))
            return False
        self.connection = self.request = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.tls = True
        self.state.log(ev="tls", conn=self.conn, version=tls.version())
        return True

    def authenticate(self, line):
        """RFC 4954 AUTH PLAIN (initial response or 334) and AUTH LOGIN."""
        a = self.script.get("auth", {})
        words = line.split(" ")
        mech = words[1].upper() if len(words) > 1 else ""
        if mech not in a.get("mechanisms", []):
            self.reply("504 5.5.4 Unrecognized authentication type")
            return
        def challenge(prompt):
            self.reply("334 " + prompt)
            raw = self.readline()
            if raw is None:
                return None
            self.count_plain(len(raw))
            return base64.b64decode(raw.strip())
        try:
            if mech == "PLAIN":
                token = base64.b64decode(words[2]) if len(words) > 2 else challenge("")
                if token is None:
                    return
                _, user, password = token.split(b"\0", 2)
            else:
                user = challenge("VXNlcm5hbWU6")
                password = challenge("UGFzc3dvcmQ6") if user is not None else None
                if password is None:
                    return
        except (ValueError, IndexError):
            self.reply("501 5.5.2 Cannot decode response")
            return
        user = user.decode("utf-8", "replace")
        password = password.decode("utf-8", "replace")
        ok = user == a.get("user") and password == a.get("password")
        self.state.log(ev="auth", conn=self.conn, mech=mech, user=user, password=password, tls=self.tls, ok=ok)
        self.reply("235 2.7.0 Authentication successful" if ok else "535 5.7.8 Error: authentication failed")

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
            self.state.log(ev="close", conn=self.conn, plain_bytes=self.plain_bytes)

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
            verb = line.split(" ", 1)[0].split(":", 1)[0].upper()
            # AUTH lines are logged masked, like the relay does; "auth" events carry the decoded values.
            shown = " ".join(line.split(" ")[:2]) + " ********" if verb == "AUTH" and line.count(" ") > 1 else line
            self.state.log(ev="cmd", conn=self.conn, line=shown, tls=self.tls)
            if verb not in ("EHLO", "HELO", "STARTTLS", "QUIT", "RSET", "NOOP"):
                self.count_plain(len(raw))
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
                if "tls" in s and not self.tls:
                    lines.append("STARTTLS")
                a = s.get("auth")
                if a and (self.tls or a.get("plaintext")):
                    lines.append("AUTH " + " ".join(a.get("mechanisms", [])))
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
                    self.count_plain(len(chunk))
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
                    self.state.log(ev="msg", conn=self.conn, helo=helo, mail=mail, rcpts=rcpts, tls=self.tls,
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
            elif verb == "STARTTLS" and "tls" in s and not self.tls:
                if not self.start_tls():
                    return
                helo = None
                mail = None
                rcpts = []
            elif verb == "AUTH" and s.get("auth"):
                self.authenticate(line)
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Error: command not recognized")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops the handshake's last ACK when a
    # relay opens 20 connections at once: the client then waits minutes for a
    # greeting the sink never sends.
    request_queue_size = 128
    allow_reuse_address = True


class StripProxy(socketserver.BaseRequestHandler):
    """A man in the middle that removes STARTTLS from the server's EHLO reply."""

    def handle(self):
        upstream = socket.create_connection(("127.0.0.1", self.server.upstream))
        self.server.state.log(ev="proxy_connect")

        def pump(src, dst, rewrite):
            try:
                while True:
                    chunk = src.recv(65536)
                    if not chunk:
                        break
                    if rewrite:
                        chunk = chunk.replace(b"STARTTLS", b"XXXXXXXA")
                    dst.sendall(chunk)
            except OSError:
                pass
            finally:
                for sock in (src, dst):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        back = threading.Thread(target=pump, args=(upstream, self.request, True), daemon=True)
        back.start()
        pump(self.request, upstream, False)
        back.join(30)
        upstream.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", required=True)
    p.add_argument("--script", default="{}")
    p.add_argument("--proxy-to", type=int, default=0)
    args = p.parse_args()
    if args.proxy_to:
        server = Server((args.listen, args.port), StripProxy)
        server.upstream = args.proxy_to
    else:
        server = Server((args.listen, args.port), Handler)
    server.state = State(json.loads(args.script), args.log)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
