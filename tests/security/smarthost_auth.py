#!/usr/bin/env python3
"""SMTP AUTH to a smart host end to end (issue 5 item 3), with the real keychain.

  smarthost_auth.py MAILROUTECTL SMTPSINK_PY

The password goes into the Secret Service (gnome-keyring, as `setup.sh test`
runs it) with `mailroutectl secret set` on standard input; `mailroutectl serve`
relays a message to a smart host (smtpsink.py) that wants AUTH over STARTTLS
under the verify policy. Then the password must be nowhere else: not in the
database file or its -wal/-shm, the spool, `mailroutectl logs` (message and
action logs), `settings list`, serve's output or /proc/<serve pid>/cmdline and
environ. Without the stored password the recipient defers with that reason and
the smart host sees no connection. Every process is on 127.0.0.1 and stopped by
PID. Exit 77 (skipped) without a session bus; under CI=true that fails (exit 1).
"""
import base64, json, os, smtplib, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suitelib import TestCa, finish, skip_or_fail, start_serve, stop_all, wait_for  # noqa: E402

if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
    skip_or_fail("no session bus (run under installer/setup.sh test)")

CTL, SINKPY = sys.argv[1], sys.argv[2]
W = tempfile.mkdtemp(prefix="mailroute-auth.")
DB = os.path.join(W, "db.sqlite")
ENV = dict(os.environ, MAILROUTE_DB=DB)
USER = "relay@smarthost.example"
PASSWORD = "Xq7-keychain-only-%d" % os.getpid()
procs = []
failures = []


def ctl(*args, stdin=None, ok=True):
    r = subprocess.run([CTL, *args], env=ENV, input=stdin, capture_output=True, text=True, timeout=60)
    if ok and r.returncode != 0:
        raise SystemExit("mailroutectl %s: %s" % (" ".join(args), r.stderr))
    return r.stdout + r.stderr


def check(ok, what):
    if not ok:
        failures.append(what)


def events(kind):
    try:
        with open(sink_log) as f:
            return [e for e in map(json.loads, f) if e["ev"] == kind]
    except FileNotFoundError:
        return []


def stop(p):
    p.terminate()
    try:
        out, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    return (out or "") + (err or "")


def files_under_w(when):
    """The database (with -wal/-shm) and the spool, as they are now."""
    out = {}
    for root, _, files in os.walk(W):
        for name in files:
            path = os.path.join(root, name)
            if path.startswith(DB) or "spool" in path:
                with open(path, "rb") as f:
                    out["%s (%s)" % (os.path.relpath(path, W), when)] = f.read()
    return out


def send(port, subject):
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.sendmail("alice@outside.example", ["bob@oldco.example"],
                   "From: alice@outside.example\r\nTo: bob@oldco.example\r\nSubject: %s\r\n\r\nhello\r\n" % subject)


try:
    # A test CA and the smart host's certificate for 127.0.0.1, made now.
    ca = TestCa(W, "MailRoute AUTH test CA")
    sink_tls = ca.leaf("smarthost", "IP:127.0.0.1")

    sink_log = os.path.join(W, "sink.jsonl")
    script = {"tls": sink_tls,
              "auth": {"mechanisms": ["LOGIN", "PLAIN"], "user": USER, "password": PASSWORD}}
    sink = subprocess.Popen([sys.executable, SINKPY, "--log", sink_log, "--script", json.dumps(script)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    procs.append(sink)
    SINK = int(sink.stdout.readline().split()[1])

    ctl("domains", "add", "--area", "relay", "oldco.example", "newco.example")
    for k, v in (("relay.hostname", "relay.mailroute.test"), ("delivery.smarthost", "[127.0.0.1]:%d" % SINK),
                 ("smarthost.username", USER), ("delivery.smarthost_tls", "verify"),
                 ("delivery.tls_ca_file", ca.pem)):
        ctl("settings", "set", k, v)
    ctl("push")
    ctl("secret", "set", "smarthost.password", stdin=PASSWORD + "\n")
    status = ctl("secret", "status", "smarthost.password")
    check(status.strip().endswith("\tstored"), "secret status: %r" % status)

    serve, port = start_serve(CTL, ENV, W, procs, capture_stdout=True)
    send(port, "with auth")
    check(wait_for(lambda: len(events("msg")) == 1, 20), "the smart host got no message")
    auth = events("auth")
    check(len(auth) == 1 and auth[0]["user"] == USER and auth[0]["password"] == PASSWORD and auth[0]["tls"]
          and auth[0]["ok"] and auth[0]["mech"] == "PLAIN", "AUTH at the smart host: %r" % auth)
    check(all(m.get("tls") for m in events("msg")), "the message did not travel inside TLS")
    check(wait_for(lambda: "delivered" in ctl("logs")), "no delivered event in the message log")
    serve_cmdline = open("/proc/%d/cmdline" % serve.pid, "rb").read()
    serve_environ = open("/proc/%d/environ" % serve.pid, "rb").read()
    running = files_under_w("while serving")  # the -wal files exist while serve has the databases open
    serve_output = stop(serve)

    # Where the password must not be: every byte MailRoute wrote or printed.
    needles = [PASSWORD.encode(), base64.b64encode(b"\0" + USER.encode() + b"\0" + PASSWORD.encode()),
               base64.b64encode(PASSWORD.encode())]
    places = {"/proc/<serve>/cmdline": serve_cmdline, "/proc/<serve>/environ": serve_environ,
              "serve output": serve_output.encode(), "mailroutectl logs": ctl("logs").encode(),
              "mailroutectl settings list": ctl("settings", "list").encode()}
    places.update(running)
    places.update(files_under_w("after serve"))
    check(any(p.startswith("db.sqlite-wal") for p in places), "the database's -wal file was not examined")
    print("examined: " + ", ".join(sorted(places)))
    found = [where for where, data in places.items() for n in needles if n in data]
    check(not found, "the password appears in: %s" % ", ".join(found))

    # No password in the keychain: the recipient defers with that reason,
    # and nothing (not even an unauthenticated attempt) reaches the smart host.
    ctl("secret", "clear", "smarthost.password")
    connects = len(events("connect"))
    serve, port = start_serve(CTL, ENV, W, procs, capture_stdout=True)
    send(port, "without a password")
    check(wait_for(lambda: "no password for %s is stored in the keychain" % USER in ctl("logs")),
          "no deferral naming the missing password")
    time.sleep(0.5)
    check(len(events("connect")) == connects, "the smart host was contacted without a password")
    stop(serve)
    print("smart host AUTH: PLAIN inside TLS (verify), password from the keychain; absent from %d places "
          "(database, -wal, spool, logs, settings, serve output, /proc cmdline and environ); without it: deferred, "
          "0 connections" % len(places))
finally:
    stop_all(procs, W)
finish(failures, "PASS")
