#!/usr/bin/env bash
# relay-bench.sh - end-to-end throughput and latency of MailRoute's relay,
# measured in one run against the machine's limit and against Postfix doing
# the same work:
#
#   direct:    smtp-source -> smtp-sink                                    (the limit)
#   postfix:   smtp-source -> Postfix (canonical maps) -> smtp-sink
#   mailroute: smtp-source -> mailroutectl serve (same rewriting) -> smtp-sink
#
# Each run starts its own smtp-sink and stops the clock when the sink has
# every message (not when the relay said 250). Then, for each relay, the
# median time to the 250 after DATA on one session (added latency against
# the direct sink), and MailRoute's resident memory with IDLE idle sessions.
# fsync stays on everywhere (MailRoute syncs its spool before each 250).
#
# Usage: bench/relay-bench.sh [BUILD_DIR]      (default: ./build)
# Environment: MSGS=10000 SESSIONS=20 RCPTS=3 SIZE=4096 LATENCY_MSGS=300
#              IDLE=500 SKIP_POSTFIX=0 BASE_PORT=24000
# Prints key=value lines; run as root (Postfix and smtp-sink need it here).
# Only 127.0.0.1 is used; every server started is stopped by its PID.
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$here/../build}
CTL=$(cd "$BUILD" && pwd)/app/mailroutectl
MSGS=${MSGS:-10000}
SESSIONS=${SESSIONS:-20}
RCPTS=${RCPTS:-3}
SIZE=${SIZE:-4096}
LATENCY_MSGS=${LATENCY_MSGS:-300}
IDLE=${IDLE:-500}
SKIP_POSTFIX=${SKIP_POSTFIX:-0}
BASE=${BASE_PORT:-24000}
SINK_PORT=$((BASE + 1))
PF_PORT=$((BASE + 2))
MR_PORT=$((BASE + 3))
PATH=$PATH:/usr/sbin:/usr/lib/postfix/sbin

die() { echo "relay-bench: $*" >&2; exit 2; }
for t in smtp-source smtp-sink python3 ss; do command -v "$t" >/dev/null || die "missing $t"; done
[ -x "$CTL" ] || die "no $CTL: build first (bash installer/setup.sh build)"

WORK=$(mktemp -d -t mailroute-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    [ -f "$WORK/pf/etc/main.cf" ] && postfix -c "$WORK/pf/etc" stop >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

listening() { [ -n "$(ss -Htln "( sport = :$1 )" 2>/dev/null)" ]; }
wait_listen() { for _ in $(seq 1 200); do listening "$1" && return 0; sleep 0.05; done; return 1; }

# ---- one throughput measurement: smtp-source against $1, sink on SINK_PORT
sink_count() { local s; s=$(tail -c 200 "$1" 2>/dev/null); s=${s%$'\r'*}; s=${s##*mesg=}; s=${s%%[!0-9]*}; echo "${s:-0}"; }
throughput() {
    local port=$1 name=$2 cnt="$WORK/sink.$2"
    smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1024 >"$cnt" 2>/dev/null &
    local sink=$!; PIDS+=("$sink")
    wait_listen "$SINK_PORT" || die "smtp-sink did not start"
    local t0 t1 got=0 last=0 still=0
    t0=$(date +%s.%N)
    timeout 600 smtp-source -s "$SESSIONS" -m "$MSGS" -l "$SIZE" -r "$RCPTS" -M bench.invalid \
        -f sender@warmsushi.example -t rcpt@warmsushi.example "127.0.0.1:$port" >/dev/null 2>"$WORK/source.$name" &
    local src=$!
    for _ in $(seq 1 30000); do            # <= 600 s at 20 ms
        got=$(sink_count "$cnt")
        [ "$got" -ge "$MSGS" ] && break
        if [ "$got" = "$last" ]; then still=$((still + 1)); else still=0; last=$got; fi
        [ $still -gt 1500 ] && break        # no progress for 30 s
        sleep 0.02
    done
    t1=$(date +%s.%N)
    wait "$src" 2>/dev/null
    kill "$sink" 2>/dev/null; wait "$sink" 2>/dev/null
    awk -v n="$name" -v g="$got" -v m="$MSGS" -v a="$t0" -v b="$t1" \
        'BEGIN { printf "%s_msgs_per_s=%.0f %s_delivered=%d/%d\n", n, g / (b - a), n, g, m }'
}

# ---- latency: median seconds to the 250 after DATA, one session, sequential
latency() {
    local port=$1 name=$2
    smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 >/dev/null 2>&1 &
    local sink=$!; PIDS+=("$sink")
    wait_listen "$SINK_PORT" || die "smtp-sink did not start"
    python3 - "$port" "$LATENCY_MSGS" "$name" <<'PY'
import smtplib, statistics, sys, time
port, n, name = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
body = ("Subject: latency\r\nFrom: sender@warmsushi.example\r\nTo: rcpt@warmsushi.example\r\n\r\n" + "x" * 70 + "\r\n") * 1
s = smtplib.SMTP("127.0.0.1", port, local_hostname="bench.invalid", timeout=60)
s.ehlo()
times = []
for i in range(n):
    t = time.perf_counter()
    s.sendmail("sender@warmsushi.example", ["rcpt@warmsushi.example"], body)
    times.append(time.perf_counter() - t)
s.quit()
print("%s_latency_median_ms=%.3f" % (name, statistics.median(times) * 1000))
PY
    kill "$sink" 2>/dev/null; wait "$sink" 2>/dev/null
}

echo "machine: $(nproc) cores, $(uname -r); msgs=$MSGS sessions=$SESSIONS rcpts=$RCPTS size=$SIZE" >&2

# ---- direct
throughput "$SINK_PORT" direct
latency "$SINK_PORT" direct

# ---- Postfix with canonical maps (recipients and senders rewritten)
if [ "$SKIP_POSTFIX" != 1 ] && command -v postfix >/dev/null && id postfix >/dev/null 2>&1; then
    pf=$WORK/pf
    mkdir -p "$pf/etc" "$pf/queue" "$pf/data"
    sed -e "s#@DIR@#$pf#g" -e "s#@SINK_PORT@#$SINK_PORT#g" "$here/postfix/main.cf.in" >"$pf/etc/main.cf"
    sed -e "s#@PORT@#$PF_PORT#g" "$here/postfix/master.cf.in" >"$pf/etc/master.cf"
    printf '@warmsushi.example\t@drypizza.example\n' >"$pf/etc/recipient_canonical"
    printf '@warmsushi.example\t@bounces.drypizza.example\n' >"$pf/etc/sender_canonical"
    postmap -c "$pf/etc" "$pf/etc/recipient_canonical" "$pf/etc/sender_canonical"
    chown postfix "$pf/data"
    postfix -c "$pf/etc" set-permissions >/dev/null 2>&1
    if postfix -c "$pf/etc" start >/dev/null 2>&1 && wait_listen "$PF_PORT"; then
        throughput "$PF_PORT" postfix
        latency "$PF_PORT" postfix
        postfix -c "$pf/etc" stop >/dev/null 2>&1
    else
        echo "relay-bench: Postfix did not start; see /var/log/mailroute-bench-postfix.log" >&2
    fi
fi

# ---- MailRoute with the same rewriting
export MAILROUTE_DB=$WORK/mailroute.db
{
    "$CTL" domains add --area inbound warmsushi.example drypizza.example
    "$CTL" domains add --area outbound warmsushi.example bounces.drypizza.example
    "$CTL" settings set outbound.allowed_clients 127.0.0.1
    "$CTL" settings set relay.hostname mailroute-bench.invalid
    "$CTL" settings set limits.sessions 5000
    "$CTL" settings set limits.sessions_per_ip 5000
    "$CTL" routes set drypizza.example "[127.0.0.1]:$SINK_PORT"
    "$CTL" push
} >/dev/null || die "cannot configure MailRoute"
"$CTL" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/spool" 2>"$WORK/serve.err" &
MR=$!; PIDS+=("$MR")
wait_listen "$MR_PORT" || die "mailroutectl serve did not start: $(cat "$WORK/serve.err")"
throughput "$MR_PORT" mailroute
latency "$MR_PORT" mailroute

# ---- MailRoute's memory with IDLE idle sessions (after EHLO)
python3 - "$MR_PORT" "$IDLE" "$MR" <<'PY'
import socket, sys, time
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def rss():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
before = rss()
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.recv(512)
    s.sendall(b"EHLO idle.bench.invalid\r\n")
    socks.append(s)
for s in socks:
    s.recv(4096)
time.sleep(1)
print("mailroute_rss_mb_idle=%.1f mailroute_rss_mb_with_%d_sessions=%.1f" % (before, n, rss()))
for s in socks:
    s.close()
PY
kill "$MR"; wait "$MR" 2>/dev/null
