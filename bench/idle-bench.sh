#!/usr/bin/env bash
# idle-bench.sh - what an idle SMTP session costs the relay in resident memory,
# and what the relay keeps after traffic (issue 17 item 6: "500 idle sessions
# stay under 40 MB resident"; "memory returned after").
#
# One fresh `mailroutectl serve` on 127.0.0.1 (the configuration of
# bench/relay-bench.sh: Inbound @warmsushi.example -> @drypizza.example routed
# to smtp-sink, 127.0.0.1 an Outbound client), then, in this order:
#   fresh          VmRSS after start                          (rss_mb_fresh)
#   fresh + IDLE   IDLE sessions after EHLO, held open         (rss_mb_fresh_with_N)
#   closed         the sessions closed, SETTLE s later         (rss_mb_fresh_closed)
#   traffic        MSGS messages (smtp-source, SESSIONS sessions, RCPTS recipients,
#                  SIZE bytes) until smtp-sink has them all, SETTLE s later
#                                                              (rss_mb_after_traffic)
#   traffic + IDLE IDLE sessions after EHLO again             (rss_mb_after_traffic_with_N)
#   closed         the sessions closed, SETTLE s later         (rss_mb_after_closed)
# and per phase where the resident memory is (from /proc/PID/smaps, MB):
# heap= the main arena ([heap]), anon= other anonymous mappings (the
# allocator's thread arenas, mmapped blocks, thread stacks), file= file-backed
# mappings (code, SQLite's shared memory of the WAL files); plus the relay's
# threads. Per-session cost: (with_N - before) / IDLE in KB.
#
# Usage: bench/idle-bench.sh [BUILD_DIR]      (default: ./build)
# Environment: MSGS=3000 SESSIONS=20 RCPTS=3 SIZE=4096 IDLE=500 SETTLE=3
#   TRACE=on (off: MAILROUTE_TRACE=off, the message log without the trace store)
#   BASE_PORT=24800. Any other variable in the environment reaches `serve`
#   (e.g. MALLOC_ARENA_MAX=2 to compare allocator settings).
# Run as root (smtp-sink -u nobody). Only 127.0.0.1 is used; every process
# started is stopped by its PID.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/benchlib.sh" # set -u, LC_ALL=C, BUILD ($1), CTL, PIDS, the cleanup
MSGS=${MSGS:-3000}
SESSIONS=${SESSIONS:-20}
RCPTS=${RCPTS:-3}
SIZE=${SIZE:-4096}
IDLE=${IDLE:-500}
SETTLE=${SETTLE:-3}
TRACE=${TRACE:-on}
BASE=${BASE_PORT:-24800}
SINK_PORT=$((BASE + 1))
MR_PORT=$((BASE + 3))
PATH=$PATH:/usr/sbin
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

die() { echo "idle-bench: $*" >&2; exit 2; }
for t in smtp-source smtp-sink "$PY" ss; do command -v "$t" >/dev/null || die "missing $t"; done
[ -x "$CTL" ] || die "no $CTL: build the mailroutectl target first"
for v in MSGS SESSIONS RCPTS SIZE IDLE SETTLE; do
    case ${!v} in '' | *[!0-9]*) die "$v must be a number" ;; esac
done
[ "$IDLE" -ge 1 ] && [ "$IDLE" -le 4000 ] || die "IDLE must be 1..4000"
case $TRACE in on | off) ;; *) die "TRACE must be on or off" ;; esac

WORK=$(mktemp -d -t mailroute-idlebench.XXXXXX)
chmod 755 "$WORK"

export MAILROUTE_DB=$WORK/cfg/mailroute.db
mkdir -m 700 "$WORK/cfg"
{
    "$CTL" domains add --area inbound warmsushi.example drypizza.example
    "$CTL" domains add --area outbound warmsushi.example bounces.drypizza.example
    "$CTL" settings set outbound.allowed_clients 127.0.0.1
    "$CTL" settings set relay.hostname mailroute-bench.invalid
    "$CTL" settings set limits.sessions 5000
    "$CTL" settings set limits.sessions_per_ip 5000
    "$CTL" routes set drypizza.example "[127.0.0.1]:$SINK_PORT"
    "$CTL" push
} >"$WORK/configure.log" 2>&1 || die "cannot configure MailRoute: $(tail -3 "$WORK/configure.log")"

smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1024 >"$WORK/sink.count" 2>/dev/null &
SINK=$!; PIDS+=("$SINK")
wait_listen "$SINK_PORT" || die "smtp-sink did not start"
if [ "$TRACE" = off ]; then
    MAILROUTE_TRACE=off "$CTL" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/spool" 2>"$WORK/serve.err" &
else
    "$CTL" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/spool" 2>"$WORK/serve.err" &
fi
MR=$!; PIDS+=("$MR")
wait_listen "$MR_PORT" || die "mailroutectl serve did not start: $(tail -3 "$WORK/serve.err")"
sleep 1

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); msgs=$MSGS idle=$IDLE trace=$TRACE" >&2
"$PY" - "$MR_PORT" "$MR" "$IDLE" "$SETTLE" "$MSGS" "$SESSIONS" "$RCPTS" "$SIZE" "$WORK/sink.count" <<'PY'
import os, socket, subprocess, sys, time

import benchlib

port, pid, idle, settle, msgs, sessions, rcpts, size = (int(a) for a in sys.argv[1:9])
sink_file = sys.argv[9]
MiB = 1024.0 * 1024.0

def rss():
    return benchlib.proc_status_bytes(pid, "VmRSS")

def where():
    """Resident bytes by kind of mapping, from smaps."""
    heap = anon = filed = 0
    kind = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            head = line.split()
            if not head:
                continue
            if "-" in head[0] and not head[0].endswith(":"):
                # a mapping line: address perms offset dev inode [path]
                name = head[5] if len(head) > 5 else ""
                kind = "heap" if name == "[heap]" else ("anon" if not name or name.startswith("[") else "file")
            elif head[0] == "Rss:":
                n = int(head[1]) * 1024
                if kind == "heap":
                    heap += n
                elif kind == "anon":
                    anon += n
                else:
                    filed += n
    threads = len(os.listdir("/proc/%d/task" % pid))
    return "heap=%.1f anon=%.1f file=%.1f threads=%d" % (heap / MiB, anon / MiB, filed / MiB, threads)

def report(phase):
    print("%s rss_mb=%.1f %s" % (phase, rss() / MiB, where()), flush=True)
    return rss()

def close_sessions(socks):
    for s in socks:
        s.sendall(b"QUIT\r\n")
    for s in socks:
        try:
            s.recv(512)
        except OSError:
            pass
        s.close()
    time.sleep(settle)

fresh = report("fresh")
socks = benchlib.open_idle_sessions(port, idle)
with_n = report("fresh_with_%d" % idle)
close_sessions(socks)
report("fresh_closed")
per_fresh = (with_n - fresh) / idle / 1024
delivered = 0
if msgs > 0:
    src = subprocess.Popen(["smtp-source", "-s", str(sessions), "-m", str(msgs), "-l", str(size),
                            "-r", str(rcpts), "-M", "bench.invalid", "-f", "sender@warmsushi.example",
                            "-t", "rcpt@warmsushi.example", "127.0.0.1:%d" % port],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    src.wait(timeout=900)
    deadline, last, since = time.time() + 600, -1, time.time()
    while time.time() < deadline:
        delivered = benchlib.sink_count(sink_file)
        if delivered >= msgs:
            break
        if delivered != last:
            last, since = delivered, time.time()
        elif time.time() - since > 30:
            break
        time.sleep(0.05)
    time.sleep(settle)
after = report("after_traffic")
socks = benchlib.open_idle_sessions(port, idle)
after_n = report("after_traffic_with_%d" % idle)
close_sessions(socks)
report("after_closed")
hwm = 0
with open("/proc/%d/status" % pid) as f:
    for line in f:
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
print("msgs=%d delivered=%d" % (msgs, delivered))
print("rss_mb_fresh=%.1f rss_mb_fresh_with_%d=%.1f rss_mb_after_traffic=%.1f rss_mb_after_traffic_with_%d=%.1f hwm_mb=%.1f"
      % (fresh / MiB, idle, with_n / MiB, after / MiB, idle, after_n / MiB, hwm / MiB))
print("kb_per_idle_session_fresh=%.1f kb_per_idle_session_after_traffic=%.1f"
      % (per_fresh, (after_n - after) / idle / 1024))
PY
rc=$?
kill "$MR" 2>/dev/null; wait "$MR" 2>/dev/null
exit $rc
