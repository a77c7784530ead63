#!/usr/bin/env python3
"""Attack suite: drives a running MailRoute relay (`mailroutectl serve`) over
real sockets with raw bytes and checks what reaches the next hop.

  attack_suite.py MAILROUTECTL SMTPSINK_PY

Sets up its own database, spool, sink (tests/relaycore/delivery/smtpsink.py),
certificate (openssl) and relay, all on 127.0.0.1, and stops them by PID.
Prints one line of figures per family and exits 1 if any attack got through.
Families: SMTP smuggling (end-of-data variants x plain/pipelined/TLS),
open-relay probes from a client that is not allow-listed (x plain/TLS) with
positive controls, line limits (overflow never executed), SIZE declared and
actual, recipient limit, error limit, hop limit, STARTTLS plaintext injection,
outbound TLS (routes under encrypt/verify to next hops where STARTTLS is
missing, refused, stripped, broken, too old or badly certified: 0 plaintext bytes).
"""
import base64, json, os, socket, ssl, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suitelib import TestCa, finish, start_serve, stop_all, wait_for  # noqa: E402

CTL, SINKPY = sys.argv[1], sys.argv[2]
W = tempfile.mkdtemp(prefix="mailroute-attack.")
ENV = dict(os.environ, MAILROUTE_DB=os.path.join(W, "db.sqlite"))
procs = []
failures = []

def ctl(*args):
    r = subprocess.run([CTL, *args], env=ENV, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise SystemExit("mailroutectl %s: %s" % (" ".join(args), r.stderr))
    return r.stdout

def check(ok, what):
    if not ok:
        failures.append(what)

# ---------------------------------------------------------------- set-up
sink_log = os.path.join(W, "sink.jsonl")
sink = subprocess.Popen([sys.executable, SINKPY, "--log", sink_log], stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, text=True)
procs.append(sink)
SINK = int(sink.stdout.readline().split()[1])
cert, key = os.path.join(W, "cert.pem"), os.path.join(W, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                "-days", "2", "-subj", "/CN=relay.mailroute.test"], check=True, capture_output=True)
ctl("domains", "add", "--area", "inbound", "warmsushi.example", "drypizza.example")
ctl("domains", "add", "--area", "relay", "oldco.example", "newco.example")
for d in ("drypizza.example", "newco.example"):
    ctl("routes", "set", d, "[127.0.0.1]:%d" % SINK)
for k, v in (("relay.hostname", "relay.mailroute.test"), ("relay.postmaster", "admin@drypizza.example"),
             ("limits.recipients", "5"), ("limits.message_size", "20000"), ("limits.errors", "20"),
             ("limits.sessions_per_ip", "1000"), ("tls.certificate", cert), ("tls.key", key)):
    ctl("settings", "set", k, v)
ctl("push")
serve, PORT = start_serve(CTL, ENV, W, procs)

def sink_messages():
    try:
        with open(sink_log) as f:
            return [json.loads(l) for l in f if '"ev": "msg"' in l]
    except FileNotFoundError:
        return []

class Client:
    """A raw SMTP client: bytes out, replies in, optionally inside TLS."""
    def __init__(self, tls=False):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        self.buf = b""
        self.greeting = self.reply()
        if tls:
            self.send(b"EHLO attacker.test\r\n"); self.reply()
            self.send(b"STARTTLS\r\n")
            r = self.reply()
            assert r.startswith(b"220"), r
            ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
            self.s = ctx.wrap_socket(self.s)
    def send(self, data):
        self.s.sendall(data)
    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError(self.buf)
            self.buf += chunk
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l
    def reply(self):
        lines = [self.line()]
        while len(lines[-1]) > 3 and lines[-1][3:4] == b"-":
            lines.append(self.line())
        return b"\n".join(lines)
    def replies(self, n):
        return [self.reply() for _ in range(n)]
    def close(self):
        try:
            self.s.close()
        except OSError:
            pass

def clean_lines(data):
    """Every LF preceded by CR, every CR followed by LF, no NUL."""
    for i, b in enumerate(data):
        if b == 0x0A and (i == 0 or data[i - 1] != 0x0D):
            return False
        if b == 0x0D and (i + 1 >= len(data) or data[i + 1] != 0x0A):
            return False
        if b == 0:
            return False
    return True

# ---------------------------------------------------------------- SMTP smuggling
# End-of-data look-alikes: none is a real <CRLF>.<CRLF> (RFC 5321 §4.1.1.4),
# so each must stay inside the one message, which is then refused for its
# stray bytes. (A stray byte followed by a real CRLF.CRLF ends DATA for real,
# and what follows is a transaction the client really sent: not listed.)
EOD_VARIANTS = [b"\n.\n", b"\r.\r", b"\r\n.\n", b"\n.\r\n", b"\r\n.\r", b"\r.\n", b"\n.\r",
                b"\r\n\x00.\r\n", b"\r\n.\x00\r\n", b"\r\n\x00.\x00\r\n", b"\r\n.\n\r\n", b"\r\n.\r\r\n"]
assert not any(b"\r\n.\r\n" in v for v in EOD_VARIANTS)
smuggled = 0
runs = 0
for mode in ("plain", "pipelined", "tls"):
    for i, v in enumerate(EOD_VARIANTS):
        tag = "%s%d" % (mode, i)
        c = Client(tls=(mode == "tls"))
        if mode != "tls":
            c.send(b"EHLO attacker.test\r\n"); c.reply()
        else:
            c.send(b"EHLO attacker.test\r\n"); c.reply()
        head = b"MAIL FROM:<a@outside.example>\r\nRCPT TO:<first-%s@warmsushi.example>\r\nDATA\r\n" % tag.encode()
        body = (b"Subject: " + tag.encode() + b"\r\n\r\nfirst" + v +
                b"MAIL FROM:<evil@outside.example>\r\nRCPT TO:<smuggled-" + tag.encode() +
                b"@warmsushi.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n")
        try:
            if mode == "pipelined":
                c.send(head); c.replies(3); c.send(body)
            else:
                c.send(head[:head.index(b"RCPT")]); c.reply()
                c.send(head[head.index(b"RCPT"):head.index(b"DATA")]); c.reply()
                c.send(b"DATA\r\n"); c.reply()
                c.send(body)
            c.reply()  # the verdict on the one message
            c.send(b"QUIT\r\n")
        except (EOFError, OSError):
            pass
        c.close()
        runs += 1
time.sleep(2)
msgs = sink_messages()
firsts = 0
for m in msgs:
    rcpts = " ".join(m["rcpts"])
    if "smuggled-" in rcpts:
        smuggled += 1
    if "first-" in rcpts:
        firsts += 1
    check(clean_lines(base64.b64decode(m["data"])), "a forwarded message has a stray CR/LF/NUL: " + rcpts)
check(smuggled == 0, "smuggled messages delivered: %d" % smuggled)
check(firsts == 0, "messages with stray CR/LF/NUL forwarded: %d" % firsts)
print("smuggling: %d end-of-data variants x plain/pipelined/TLS = %d runs: %d second messages, "
      "%d messages with stray bytes forwarded, %d forwarded with a stray CR/LF/NUL"
      % (len(EOD_VARIANTS), runs, smuggled, firsts,
         sum(1 for m in msgs if not clean_lines(base64.b64decode(m["data"])))))

# ---------------------------------------------------------------- open-relay probes
PROBES = [
    (None, "user@partner.example"), (None, "USER@PARTNER.EXAMPLE"), (None, "user%partner.example@warmsushi.example"),
    (None, "user%partner.example"), (None, "@warmsushi.example:user@partner.example"),
    (None, "@oldco.example,@warmsushi.example:user@partner.example"), (None, "partner.example!user@warmsushi.example"),
    (None, "partner.example!user"), (None, '"user@partner.example"@warmsushi.example'),
    (None, '"user%partner.example"@warmsushi.example'), (None, "user@partner.example@warmsushi.example"),
    (None, "user@warmsushi.example@partner.example"), (None, "user@[127.0.0.1]"), (None, "user@[192.0.2.1]"),
    (None, "user@[IPv6:::1]"), (None, "user@partner.example."), (None, "user@evilwarmsushi.example"),
    (None, "user@warmsushi.example.evil.example"), (None, "user@xoldco.example"), (None, "user@oldco.example.evil"),
    (None, "user"), (None, "user@localhost"), (None, "postmaster@partner.example"),
    ("<>", "user@partner.example"), (None, "user@drypizza.example"), (None, "user@newco.example"),
]
CONTROLS = [(None, "bob@WARMSUSHI.example", "bob@drypizza.example"), (None, "x@OldCo.Example", "x@newco.example"),
            (None, "postmaster", "admin@drypizza.example"), (None, "postmaster@relay.mailroute.test", "admin@drypizza.example"),
            ("<>", "bounce-me@warmsushi.example", "bounce-me@drypizza.example")]
accepted = 0
attempts = 0
for mode in ("plain", "tls"):
    for sender, rcpt in PROBES:
        c = Client(tls=(mode == "tls"))
        c.send(b"EHLO attacker.test\r\n"); c.reply()
        c.send(b"MAIL FROM:%s\r\n" % (sender or "<probe@outside.example>").encode()); c.reply()
        c.send(b"RCPT TO:<%s>\r\n" % rcpt.encode())
        r = c.reply()
        attempts += 1
        if r.startswith(b"2"):
            accepted += 1
            failures.append("relay probe accepted (%s): RCPT TO:<%s> -> %s" % (mode, rcpt, r))
        c.send(b"QUIT\r\n"); c.close()
before = len(sink_messages())
controls_ok = 0
for sender, rcpt, expect in CONTROLS:
    c = Client()
    c.send(b"EHLO client.test\r\n"); c.reply()
    c.send(b"MAIL FROM:%s\r\n" % (sender or "<a@outside.example>").encode()); c.reply()
    c.send(b"RCPT TO:<%s>\r\n" % rcpt.encode()); r = c.reply()
    if r.startswith(b"2"):
        c.send(b"DATA\r\n"); c.reply()
        c.send(b"Subject: control\r\n\r\ncontrol\r\n.\r\n")
        if c.reply().startswith(b"250"):
            controls_ok += 1
    c.send(b"QUIT\r\n"); c.close()
check(controls_ok == len(CONTROLS), "positive controls refused: %d of %d passed" % (controls_ok, len(CONTROLS)))
wait_for(lambda: len(sink_messages()) >= before + len(CONTROLS), 20)
delivered = [m["rcpts"] for m in sink_messages()[before:]]
for _, _, expect in CONTROLS:
    check(["<%s>" % expect] in delivered, "control not delivered to %s: %s" % (expect, delivered))
foreign = [m for m in sink_messages() if any("partner.example" in r or "evil" in r for r in m["rcpts"])]
check(not foreign, "foreign recipients reached the next hop: %s" % foreign)
print("relay probes: %d probes x plain/TLS = %d attempts: %d accepted, %d reached the next hop; "
      "positive controls: %d of %d accepted and delivered" % (len(PROBES), attempts, accepted, len(foreign),
                                                              controls_ok, len(CONTROLS)))

# ---------------------------------------------------------------- limits
c = Client(); c.send(b"EHLO attacker.test\r\n"); c.reply()
c.send(b"NOOP " + b"A" * 700 + b"QUIT\r\n")
r1 = c.reply()
c.send(b"NOOP\r\n"); r2 = c.reply()
check(r1.startswith(b"500") and r2.startswith(b"250"), "overlong command line: %r then %r" % (r1, r2))
c.send(b"MAIL FROM:<a@outside.example> SIZE=999999999\r\n"); r3 = c.reply()
check(r3.startswith(b"552"), "declared SIZE over the limit: %r" % r3)
c.send(b"MAIL FROM:<a@outside.example>\r\n"); c.reply()
rc = []
for i in range(7):
    c.send(b"RCPT TO:<u%d@warmsushi.example>\r\n" % i); rc.append(c.reply())
check([r[:3] for r in rc] == [b"250"] * 5 + [b"452"] * 2, "recipient limit: %r" % [r[:9] for r in rc])
c.send(b"DATA\r\n"); c.reply()
c.send(b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * 30 + b".\r\n"); r4 = c.reply()
check(r4.startswith(b"552"), "actual size over the limit: %r" % r4)
c.send(b"MAIL FROM:<a@outside.example>\r\n"); c.reply()
c.send(b"RCPT TO:<hop@warmsushi.example>\r\n"); c.reply()
c.send(b"DATA\r\n"); c.reply()
c.send(b"".join(b"Received: from hop%d.example by x; Thu, 1 Jan 2026 00:00:00 +0000\r\n" % i for i in range(51))
       + b"Subject: loop\r\n\r\nloop\r\n.\r\n")
r5 = c.reply()
check(r5.startswith(b"554 5.4.6"), "hop limit: %r" % r5)
c.send(b"MAIL FROM:<a@outside.example>\r\n"); c.reply()
c.send(b"RCPT TO:<long@warmsushi.example>\r\n"); c.reply()
c.send(b"DATA\r\n"); c.reply()
c.send(b"Subject: long line\r\n\r\n" + b"y" * 1200 + b"\r\n.\r\n"); r6 = c.reply()
check(r6.startswith(b"5"), "text line over 1000 octets: %r" % r6)
c.close()
c = Client(); c.send(b"EHLO attacker.test\r\n"); c.reply()
errors = []
try:
    for i in range(25):
        c.send(b"BOGUS%d\r\n" % i); errors.append(c.reply())
except (EOFError, OSError):
    pass  # closed after the 421, as it should
check(any(e.startswith(b"421") for e in errors), "error limit: no 421 after %d errors" % len(errors))
c.close()
print("limits: command line (overflow tail not executed), SIZE declared and actual, 5 recipients (452), "
      "hop limit 50 (554 5.4.6), text line 1000, error limit (421 after %d errors): %s"
      % (sum(1 for e in errors if not e.startswith(b"421")), "ok" if not failures else "see failures"))

# ---------------------------------------------------------------- STARTTLS injection
c = Client()
c.send(b"EHLO attacker.test\r\nSTARTTLS\r\nMAIL FROM:<evil@outside.example>\r\nRCPT TO:<inj@warmsushi.example>\r\n")
got = b""
c.s.settimeout(2)
try:
    while True:
        chunk = c.s.recv(4096)
        if not chunk:
            break
        got += chunk
except socket.timeout:
    pass
check(b"220 2.0.0" in got and b"250 2.1.0" not in got and b"250 2.1.5" not in got,
      "STARTTLS injection answered: %r" % got)
c.close()
print("STARTTLS: commands pipelined behind STARTTLS: %s" % ("never answered" if b"250 2.1.0" not in got else "EXECUTED"))

# ---------------------------------------------------------------- outbound TLS
# Routes under encrypt / verify to next hops where TLS fails in every way we
# know; each hop is smtpsink.py counting the plaintext bytes of transaction
# commands and message text it receives (MAIL, RCPT, DATA, AUTH, the text).
# Positive controls: the same relay delivers over TLS to a good hop under
# encrypt and verify, and `may` falls back to plaintext after a failed handshake.
import warnings
warnings.simplefilter("ignore", DeprecationWarning)

ca = TestCa(W, "MailRoute attack suite CA")
good = ca.leaf("good", "IP:127.0.0.1")
certs = {"wrong name": ca.leaf("other", "DNS:other.test"), "expired": ca.leaf("expired", "IP:127.0.0.1", "-1"),
         "untrusted": ca.leaf("selfsigned", "IP:127.0.0.1", signed=False)}

def start_sink(script=None, proxy_to=None):
    log = os.path.join(W, "tls-sink-%d.jsonl" % len(procs))
    args = [sys.executable, SINKPY, "--log", log]
    args += ["--proxy-to", str(proxy_to)] if proxy_to else ["--script", json.dumps(script or {})]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    procs.append(p)
    return int(p.stdout.readline().split()[1]), log

def events(log, kind):
    try:
        with open(log) as f:
            return [e for e in map(json.loads, f) if e["ev"] == kind]
    except FileNotFoundError:
        return []

modes = {  # name -> sink script (None: the stripping proxy in front of a good TLS sink)
    "not offered": {},
    "refused (454)": {"tls": good, "starttls": "454 4.7.0 TLS not available due to local problem"},
    "stripped by a MITM": None,
    "handshake garbage": {"tls": good, "tls_break": True},
    "TLS 1.1 only": {"tls": good, "tls_max": "TLSv1_1"},
}
hops = {}
for mode, script in modes.items():
    if script is None:
        behind, behind_log = start_sink({"tls": good})
        port, _ = start_sink(proxy_to=behind)
        hops[mode] = (port, behind_log)
    else:
        hops[mode] = start_sink(script)
for mode, tls in certs.items():
    hops[mode] = start_sink({"tls": tls})
controls = {"good": start_sink({"tls": good}), "may fallback": start_sink({"tls": good, "tls_break": True})}

cases = [("encrypt", m) for m in modes] + [("verify", m) for m in list(modes) + list(certs)]
cases += [("encrypt", "good"), ("verify", "good"), ("may", "may fallback")]
ctl("settings", "set", "delivery.tls_ca_file", ca.pem)
# The subject here is delivery's TLS policy for queued mail; recipient
# verification would refuse these recipients at RCPT already (its probes obey
# the same policy), so it is off for this part.
ctl("settings", "set", "verify.recipients", "off")
rcpt_of = {}
for i, (policy, mode) in enumerate(cases):
    port = (hops.get(mode) or controls[mode])[0]
    ctl("domains", "add", "--area", "relay", "tls%d-old.example" % i, "tls%d.example" % i)
    ctl("routes", "set", "tls%d.example" % i, "[127.0.0.1]:%d" % port, "--tls", policy)
    rcpt_of[(policy, mode)] = "user@tls%d-old.example" % i
before = ctl("logs")
ctl("push")
time.sleep(1.5)  # serve picks up a push within a second
import smtplib
for (policy, mode), rcpt in rcpt_of.items():
    with smtplib.SMTP("127.0.0.1", PORT, timeout=30) as s:
        s.sendmail("alice@outside.example", [rcpt],
                   "From: alice@outside.example\r\nTo: %s\r\nSubject: tls %s %s\r\n\r\nsecret body\r\n"
                   % (rcpt, policy, mode))

def outcome(policy, mode):
    log = (hops.get(mode) or controls[mode])[1]
    return events(log, "msg"), sum(e.get("plain_bytes", 0) for e in events(log, "close")), len(events(log, "close"))

failed = [(p, m) for p, m in cases if m in hops]
wait_for(lambda: all(outcome(p, m)[2] >= 1 for p, m in failed) and
         all(outcome(p, m)[0] for p, m in cases if m not in hops), 60)
time.sleep(1)
plain = {"encrypt": 0, "verify": 0}
leaked = 0
for policy, mode in failed:
    msgs, nbytes, closes = outcome(policy, mode)
    plain[policy] += nbytes
    leaked += len(msgs)
    check(closes >= 1, "outbound TLS %s/%s: the relay never tried" % (policy, mode))
    check(nbytes == 0 and not msgs, "outbound TLS %s/%s: %d plaintext bytes, %d messages" % (policy, mode, nbytes, len(msgs)))
logs = ctl("logs")[len(before):] if ctl("logs").startswith(before) else ctl("logs")
deferred = sum(1 for l in logs.splitlines() if "deferred" in l and
               any(r in l for r in ("TLS is required", "Cannot start TLS", "Server certificate not verified")))
check(deferred >= len(failed), "outbound TLS: %d of %d failures deferred with a TLS reason" % (deferred, len(failed)))
for name, want_tls in (("good", True), ("may fallback", False)):
    msgs = outcome("", name)[0]
    check(msgs and all(m.get("tls") == want_tls for m in msgs), "outbound TLS control %s: %r" % (name, msgs))
check(len(outcome("", "good")[0]) == 2, "outbound TLS: encrypt and verify to a good hop did not both deliver")
print("outbound TLS: %d plaintext bytes under encrypt across %d failure modes (%s), %d under verify across %d "
      "(those + %s); %d/%d attempts deferred with a TLS reason, %d messages leaked; controls: encrypt+verify "
      "delivered over TLS, may fell back to plaintext"
      % (plain["encrypt"], len(modes), ", ".join(modes), plain["verify"], len(modes) + len(certs),
         ", ".join(certs), deferred, len(failed), leaked))

stop_all(procs, W)
finish(failures, "PASS: 0 attacks got through")
