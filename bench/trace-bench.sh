#!/usr/bin/env bash
# trace-bench.sh - the relay with the message trace on and off (issue 14:
# "no more than 5 % slower"). For each round and mode, alternating: a fresh
# `mailroutectl serve` (Inbound and Outbound domain rules as in
# relay-bench.sh), smtp-source sends MSGS messages of SIZE bytes with RCPTS
# recipients over SESSIONS sessions, the clock stops when smtp-sink has them
# all; then the relay's own CPU time (user + system, all threads, from
# /proc/PID/stat) is read before it stops. Mode "off" sets MAILROUTE_TRACE=off
# (a benchmark switch of the log thread, not a setting): the message log
# alone, as before the trace. CPU per message is the steadier figure on a
# shared machine; throughput is what the goal names.
#
# Usage: bench/trace-bench.sh [BUILD_DIR]     (default: ./build)
# Environment: ROUNDS=3 MSGS=5000 SESSIONS=20 RCPTS=3 SIZE=4096 BASE_PORT=24500
# Prints key=value lines; run as root (smtp-sink drops to nobody).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/benchlib.sh" # set -u, LC_ALL=C, BUILD ($1), CTL, PIDS, the cleanup
ROUNDS=${ROUNDS:-3}
MSGS=${MSGS:-5000}
SESSIONS=${SESSIONS:-20}
RCPTS=${RCPTS:-3}
SIZE=${SIZE:-4096}
BASE=${BASE_PORT:-24500}
SINK_PORT=$((BASE + 1))
MR_PORT=$((BASE + 3))
PATH=$PATH:/usr/sbin:/usr/lib/postfix/sbin
die() { echo "trace-bench: $*" >&2; exit 2; }
for t in smtp-source smtp-sink ss; do command -v "$t" >/dev/null || die "missing $t"; done
[ -x "$CTL" ] || die "no $CTL: build first"
WORK=$(mktemp -d -t mailroute-tracebench.XXXXXX)
chmod 755 "$WORK"

export MAILROUTE_DB=$WORK/mailroute.db
{
    "$CTL" domains add --area inbound warmsushi.example drypizza.example
    "$CTL" domains add --area outbound warmsushi.example bounces.drypizza.example
    "$CTL" settings set outbound.allowed_clients 127.0.0.1
    "$CTL" settings set relay.hostname mailroute-bench.invalid
    "$CTL" settings set limits.sessions 5000
    "$CTL" settings set limits.sessions_per_ip 5000
    "$CTL" settings set verify.recipients off
    "$CTL" routes set drypizza.example "[127.0.0.1]:$SINK_PORT"
    "$CTL" push
} >/dev/null || die "cannot configure MailRoute"

run() { # $1 mode (on|off) $2 round
    local mode=$1 cnt="$WORK/sink.$1.$2" mr sink got=0 last=0 still=0 t0 t1 cpu
    rm -rf "$WORK/spool"
    if [ "$mode" = off ]; then
        MAILROUTE_TRACE=off "$CTL" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/spool" 2>"$WORK/serve.err" &
    else
        "$CTL" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/spool" 2>"$WORK/serve.err" &
    fi
    mr=$!; PIDS+=("$mr")
    wait_listen "$MR_PORT" || die "serve did not start: $(cat "$WORK/serve.err")"
    smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1024 >"$cnt" 2>/dev/null &
    sink=$!; PIDS+=("$sink")
    wait_listen "$SINK_PORT" || die "smtp-sink did not start"
    t0=$(date +%s.%N)
    timeout 600 smtp-source -s "$SESSIONS" -m "$MSGS" -l "$SIZE" -r "$RCPTS" -M bench.invalid \
        -f sender@warmsushi.example -t rcpt@warmsushi.example "127.0.0.1:$MR_PORT" >/dev/null 2>&1 &
    local src=$!
    for _ in $(seq 1 30000); do
        got=$(sink_count "$cnt")
        [ "$got" -ge "$MSGS" ] && break
        if [ "$got" = "$last" ]; then still=$((still + 1)); else still=0; last=$got; fi
        [ $still -gt 1500 ] && break
        sleep 0.02
    done
    t1=$(date +%s.%N)
    wait "$src" 2>/dev/null
    sleep 0.5 # the log thread's last batch
    cpu=$(awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$mr/stat")
    kill "$mr"; wait "$mr" 2>/dev/null
    kill "$sink" 2>/dev/null; wait "$sink" 2>/dev/null
    awk -v m="$mode" -v r="$2" -v g="$got" -v n="$MSGS" -v a="$t0" -v b="$t1" -v c="$cpu" \
        'BEGIN { printf "round=%d trace=%s msgs_per_s=%.0f cpu_ms_per_msg=%.3f delivered=%d/%d\n", r, m, g / (b - a), c * 1000 / g, g, n }'
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); msgs=$MSGS sessions=$SESSIONS rcpts=$RCPTS size=$SIZE" >&2
out=$(for r in $(seq 1 "$ROUNDS"); do run off "$r"; run on "$r"; done)
echo "$out"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in off on; do
    tp=$(grep "trace=$mode " <<<"$out" | grep -o 'msgs_per_s=[0-9.]*' | cut -d= -f2 | median)
    cpu=$(grep "trace=$mode " <<<"$out" | grep -o 'cpu_ms_per_msg=[0-9.]*' | cut -d= -f2 | median)
    echo "trace_${mode}_msgs_per_s_median=$tp"
    echo "trace_${mode}_cpu_ms_per_msg_median=$cpu"
    eval "tp_$mode=$tp cpu_$mode=$cpu"
done
awk -v a="$tp_off" -v b="$tp_on" -v c="$cpu_off" -v d="$cpu_on" 'BEGIN {
    if (a > 0) printf "trace_on_throughput_change_percent=%.1f\n", (b - a) * 100 / a
    if (c > 0) printf "trace_on_cpu_change_percent=%.1f\n", (d - c) * 100 / c }'
