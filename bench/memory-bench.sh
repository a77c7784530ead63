#!/usr/bin/env bash
# memory-bench.sh - the relay's resident memory while CLIENTS clients each
# send one large message at the same time (issue 17 item 6: "messages are not
# held whole in memory").
#
#   CLIENTS x (one session, one message of SIZE bytes) -> mailroutectl serve -> smtp-sink
#
# A fresh `mailroutectl serve` on 127.0.0.1 (the Inbound rule
# @warmsushi.example -> @drypizza.example, routed to smtp-sink; default limits
# except limits.sessions_per_ip and limits.sessions, raised to CLIENTS, and
# limits.message_size, raised only when SIZE does not fit). All clients
# connect and send EHLO, MAIL, RCPT and DATA together, then stream their
# message in 64 KiB writes (lines of 78 bytes; SIZE counts the header and the
# body, not the final "."). Nothing holds a whole message on the client side.
#
# Reported (key=value, MB = MiB): the relay's VmRSS before the clients
# (rss_mb_before), the highest VmRSS sampled every 50 ms while they send
# (rss_mb_peak_sampled), VmRSS right after the last 250 (rss_mb_after_clients),
# and after every message reached smtp-sink and SETTLE seconds passed
# (rss_mb_after); VmHWM, the kernel's peak (hwm_mb); and the resident bytes
# per message byte at the peak ((VmHWM - before) / (CLIENTS x SIZE)).
#
# Usage: bench/memory-bench.sh [BUILD_DIR]      (default: ./build)
# Environment: CLIENTS=10 SIZE=30000000 (30 MB; issue 17's second case:
#   CLIENTS=200 SIZE=36700160, i.e. 35 MiB, the default limits.message_size)
#   SETTLE=5 BASE_PORT=24700 TIMEOUT=900 (seconds for the whole run)
#   MAX_RSS_MB=4096: the relay is stopped (SIGKILL, by its PID) when its VmRSS
#   passes this, so a relay that holds messages cannot take the machine's memory;
#   the run then says limit_reached=yes, its figures are lower bounds, exit status 3.
# Run as root (smtp-sink -u nobody). Only 127.0.0.1 is used; every process
# started is stopped by its PID. Needs SIZE x CLIENTS of free disk for the spool.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/benchlib.sh" # set -u, LC_ALL=C, BUILD ($1), CTL, PIDS, the cleanup
CLIENTS=${CLIENTS:-10}
SIZE=${SIZE:-30000000}
SETTLE=${SETTLE:-5}
TIMEOUT=${TIMEOUT:-900}
MAX_RSS_MB=${MAX_RSS_MB:-4096}
BASE=${BASE_PORT:-24700}
SINK_PORT=$((BASE + 1))
MR_PORT=$((BASE + 3))
PATH=$PATH:/usr/sbin
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

die() { echo "memory-bench: $*" >&2; exit 2; }
for t in smtp-sink "$PY" ss; do command -v "$t" >/dev/null || die "missing $t"; done
[ -x "$CTL" ] || die "no $CTL: build the mailroutectl target first"
for v in CLIENTS SIZE SETTLE TIMEOUT MAX_RSS_MB; do
    case ${!v} in '' | *[!0-9]*) die "$v must be a number" ;; esac
done
[ "$CLIENTS" -ge 1 ] && [ "$CLIENTS" -le 1000 ] || die "CLIENTS must be 1..1000"
[ "$SIZE" -ge 1024 ] || die "SIZE must be at least 1024"

WORK=$(mktemp -d -t mailroute-membench.XXXXXX)
chmod 755 "$WORK"
free_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
[ "$free_kb" -gt $((CLIENTS * (SIZE / 1024) * 2 + 1048576)) ] ||
    { rm -rf "$WORK"; die "not enough free disk in $(dirname "$WORK") for $CLIENTS x $SIZE bytes"; }

limit=36700160
[ "$SIZE" -gt "$limit" ] && limit=$((SIZE + 1048576))
sessions=200
[ "$CLIENTS" -gt 190 ] && sessions=$((CLIENTS + 10))
export MAILROUTE_DB=$WORK/cfg/mailroute.db
mkdir -m 700 "$WORK/cfg"
{
    "$CTL" domains add --area inbound warmsushi.example drypizza.example
    "$CTL" settings set relay.hostname mailroute-bench.invalid
    "$CTL" settings set limits.sessions "$sessions"
    "$CTL" settings set limits.sessions_per_ip "$((CLIENTS + 10))"
    "$CTL" settings set limits.message_size "$limit"
    "$CTL" routes set drypizza.example "[127.0.0.1]:$SINK_PORT"
    "$CTL" push
} >"$WORK/configure.log" 2>&1 || die "cannot configure MailRoute: $(tail -3 "$WORK/configure.log")"

smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 256 >"$WORK/sink.count" 2>/dev/null &
SINK=$!; PIDS+=("$SINK")
wait_listen "$SINK_PORT" || die "smtp-sink did not start"
"$CTL" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/spool" 2>"$WORK/serve.err" &
MR=$!; PIDS+=("$MR")
wait_listen "$MR_PORT" || die "mailroutectl serve did not start: $(tail -3 "$WORK/serve.err")"
sleep 1

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); clients=$CLIENTS size=$SIZE limits.message_size=$limit" >&2
timeout "$TIMEOUT" "$PY" - "$MR_PORT" "$MR" "$CLIENTS" "$SIZE" "$SETTLE" "$MAX_RSS_MB" "$WORK/sink.count" <<'PY'
import os, signal, socket, sys, threading, time

import benchlib

port, pid, clients, size, settle, max_rss = (int(a) for a in sys.argv[1:7])
sink_file = sys.argv[7]
MiB = 1024.0 * 1024.0

line = b"x" * 76 + b"\r\n"
chunk = line * (65536 // len(line))

class Client(threading.Thread):
    def __init__(self, n, start):
        super().__init__(daemon=True)
        self.n, self.start_evt, self.reply, self.error = n, start, "", ""

    def expect(self, f, code):
        while True:
            l = f.readline().decode("ascii", "replace")
            if not l:
                raise RuntimeError("connection closed")
            if l[3:4] != "-":
                if not l.startswith(code):
                    raise RuntimeError(l.strip())
                return l.strip()

    def run(self):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=600)
            f = s.makefile("rb")
            self.expect(f, "220")
            s.sendall(b"EHLO mem%d.bench.invalid\r\n" % self.n)
            self.expect(f, "250")
            s.sendall(b"MAIL FROM:<sender%d@partner.example>\r\n" % self.n)
            self.expect(f, "250")
            s.sendall(b"RCPT TO:<rcpt%d@warmsushi.example>\r\n" % self.n)
            self.expect(f, "250")
            s.sendall(b"DATA\r\n")
            self.expect(f, "354")
            self.start_evt.wait()
            header = ("From: <sender%d@partner.example>\r\nTo: <rcpt%d@warmsushi.example>\r\n"
                      "Subject: memory bench %d\r\nMessage-ID: <mem%d.%d@bench.invalid>\r\n\r\n"
                      % (self.n, self.n, self.n, self.n, os.getpid())).encode()
            s.sendall(header)
            left = size - len(header)
            while left >= len(chunk) + len(line):
                s.sendall(chunk)
                left -= len(chunk)
            whole, rest = divmod(left, len(line))
            if rest == 1:  # no 1-byte line: the last line one byte longer
                whole, rest = whole - 1, rest + len(line)
            s.sendall(line * whole)
            if rest:
                s.sendall(b"y" * (rest - 2) + b"\r\n")
            s.sendall(b".\r\n")
            self.reply = self.expect(f, "250")
            s.sendall(b"QUIT\r\n")
            s.close()
        except Exception as e:  # reported, counted as not accepted
            self.error = str(e)

before = benchlib.proc_status_bytes(pid, "VmRSS")
start = threading.Event()
threads = [Client(i, start) for i in range(clients)]
for t in threads:
    t.start()
time.sleep(0.5)
t0 = time.time()
start.set()
peak, limit_reached = before, False
while any(t.is_alive() for t in threads):
    rss = benchlib.proc_status_bytes(pid, "VmRSS")
    peak = max(peak, rss)
    if rss > max_rss * MiB:
        limit_reached, hwm_at_kill = True, benchlib.proc_status_bytes(pid, "VmHWM")
        os.kill(pid, signal.SIGKILL)
        break
    time.sleep(0.05)
for t in threads:
    t.join(timeout=60)
t1 = time.time()
accepted = sum(1 for t in threads if t.reply)
after_clients = benchlib.proc_status_bytes(pid, "VmRSS")
delivered = 0
deadline = time.time() + 600
while not limit_reached and time.time() < deadline:
    peak = max(peak, benchlib.proc_status_bytes(pid, "VmRSS"))
    delivered = benchlib.sink_count(sink_file)
    if delivered >= accepted:
        break
    time.sleep(0.05)
t2 = time.time()
end = time.time() + settle
while not limit_reached and time.time() < end:
    peak = max(peak, benchlib.proc_status_bytes(pid, "VmRSS"))
    time.sleep(0.05)
after, hwm = benchlib.proc_status_bytes(pid, "VmRSS"), benchlib.proc_status_bytes(pid, "VmHWM")
if limit_reached:  # the relay is gone: its peak is the last reading, "after" is unknown
    after_clients = after = float("nan")
    hwm = max(hwm_at_kill, peak)
errors = sorted(set(t.error for t in threads if t.error))
total = clients * size
print("clients=%d size=%d accepted=%d/%d delivered=%d/%d limit_reached=%s"
      % (clients, size, accepted, clients, delivered, accepted, "yes" if limit_reached else "no"))
print("receive_seconds=%.2f deliver_seconds=%.2f" % (t1 - t0, t2 - t1))
print("rss_mb_before=%.1f rss_mb_peak_sampled=%.1f rss_mb_after_clients=%.1f rss_mb_after=%.1f hwm_mb=%.1f"
      % (before / MiB, peak / MiB, after_clients / MiB, after / MiB, hwm / MiB))
print("resident_bytes_per_message_byte=%.3f retained_bytes_per_message_byte=%.3f"
      % (max(0, max(hwm, peak) - before) / total, (after - before) / total))
for e in errors[:5]:
    print("memory-bench: client error: %s" % e, file=sys.stderr)
if limit_reached:
    print("memory-bench: the relay passed MAX_RSS_MB=%d and was stopped; the figures are lower bounds" % max_rss,
          file=sys.stderr)
    sys.exit(3)
PY
rc=$?
[ $rc -eq 124 ] && echo "memory-bench: stopped after TIMEOUT=$TIMEOUT s" >&2
kill "$MR" 2>/dev/null; wait "$MR" 2>/dev/null
exit $rc
