#!/usr/bin/python3
"""kill -9 soak of `mailroutectl serve` (issue 11 item 9). Not part of ctest.

Sends MESSAGES messages (each with its own Message-ID) from CLIENTS smtplib
threads through `mailroutectl serve` to tests/relaycore/delivery/smtpsink.py,
kills serve with SIGKILL every KILL_EVERY seconds (jittered) and restarts it
on the same spool, then lets it drain and counts:
  acknowledged  messages a client saw 250 for
  delivered     distinct Message-IDs at the sink
  lost          acknowledged but never delivered (must be 0)
  duplicates    deliveries beyond the first of a Message-ID (kill -9 may
                cause a few: a delivery whose reply was not yet recorded)

  tests/soak/kill9_soak.py BUILD_DIR [--messages 5000] [--clients 8]
                           [--kill-every 3] [--eod-delay 0]
"""
import argparse, base64, collections, json, os, random, re, shutil, signal, smtplib, socket
import subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
SINK = os.path.join(HERE, "..", "relaycore", "delivery", "smtpsink.py")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--kill-every", type=float, default=3.0)
    ap.add_argument("--eod-delay", type=float, default=0.0)
    args = ap.parse_args()
    ctl = os.path.join(args.build, "app", "mailroutectl")
    work = tempfile.mkdtemp(prefix="mailroute-soak-")
    env = dict(os.environ, MAILROUTE_DB=os.path.join(work, "soak.db"))
    spool = os.path.join(work, "spool")
    sink_log = os.path.join(work, "sink.jsonl")
    script = {"delay": {"EOD": args.eod_delay}} if args.eod_delay else {}
    sink = subprocess.Popen([sys.executable, SINK, "--log", sink_log, "--script", json.dumps(script)],
                            stdout=subprocess.PIPE, text=True)
    sink_port = int(sink.stdout.readline().split()[1])

    def run(*a):
        subprocess.run([ctl, *a], env=env, check=True, stdout=subprocess.DEVNULL)

    run("domains", "add", "--area", "inbound", "warmsushi.example", "drypizza.example")
    run("settings", "set", "relay.hostname", "soak.mailroute.test")
    run("routes", "set", "drypizza.example", "[127.0.0.1]:%d" % sink_port)
    run("push")
    port = free_port()

    serve = None
    def start_serve():
        p = subprocess.Popen([ctl, "serve", "--listen", "127.0.0.1:%d" % port, "--spool", spool], env=env,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = p.stderr.readline()
            if "listening on" in line:
                threading.Thread(target=lambda: p.stderr.read(), daemon=True).start()
                return p
            if not line and p.poll() is not None:
                break
        raise SystemExit("serve did not start")

    acked = set()
    lock = threading.Lock()
    counter = iter(range(args.messages))
    refused = [0]
    resent = set()  # the client tried again: the relay may hold two copies, legitimately

    def client(n):
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            mid = "<soak-%d@client.test>" % i
            msg = ("From: <alice@outside.example>\r\nTo: <bob@warmsushi.example>\r\nMessage-Id: %s\r\n"
                   "Subject: soak %d\r\n\r\n%s\r\n" % (mid, i, "x" * 200))
            for attempt in range(200):  # like a real client: retry until accepted
                try:
                    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
                        s.sendmail("alice@outside.example", ["bob@warmsushi.example"], msg)
                    with lock:
                        acked.add(mid)
                    break
                except Exception:
                    with lock:
                        refused[0] += 1
                        resent.add(mid)
                    time.sleep(0.2)

    started = time.time()
    serve = start_serve()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for t in threads:
        t.start()
    kills = 0
    while any(t.is_alive() for t in threads):
        time.sleep(args.kill_every * random.uniform(0.5, 1.5))
        if not any(t.is_alive() for t in threads):
            break
        serve.send_signal(signal.SIGKILL)
        serve.wait()
        kills += 1
        serve = start_serve()
    for t in threads:
        t.join()
    sending = time.time() - started

    # Drain: the queue empties once everything acknowledged is delivered.
    deadline = time.time() + 600
    while time.time() < deadline:
        out = subprocess.run([ctl, "queue", "list", "--spool", spool], env=env, capture_output=True, text=True).stdout
        if not out.strip():
            break
        time.sleep(1)
    serve.send_signal(signal.SIGTERM)
    serve.wait(60)
    sink.terminate()

    ids = collections.Counter()
    with open(sink_log) as f:
        for line in f:
            e = json.loads(line)
            if e.get("ev") != "msg":
                continue
            m = re.search(rb"(?im)^Message-Id:\s*(<[^>]+>)", base64.b64decode(e["data"]))
            ids[m.group(1).decode() if m else "?"] += 1
    delivered = set(ids)
    lost = acked - delivered
    duplicates = sum(n - 1 for n in ids.values())
    print("messages sent        %d (%d clients, %.0f s)" % (args.messages, args.clients, sending))
    print("kill -9 of serve     %d" % kills)
    print("refused/failed tries %d (retried by the clients)" % refused[0])
    print("acknowledged (250)   %d" % len(acked))
    print("delivered (distinct) %d" % len(delivered))
    print("lost                 %d" % len(lost))
    dup_ids = [i for i, n in ids.items() if n > 1]
    relay_dups = [i for i in dup_ids if i not in resent]
    print("duplicates           %d (in %d messages; %d of them sent once by the client)"
          % (duplicates, len(dup_ids), len(relay_dups)))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
