#!/usr/bin/env bash
# dkim-bench.sh - the relay's throughput with DKIM signing on every Outbound
# message beside the same run without signing (BENCHMARKS.md "DKIM").
#
#   smtp-source -> bench_dkim serve (RelayEngine, Outbound rule, key or none) -> smtp-sink
#
# Same measurement as relay-bench.sh: the clock stops when smtp-sink has
# every message. smtp-source's From: <sender@warmsushi.example> is rewritten
# to @drypizza.example by the Outbound rule, whose domain has the key.
#
# Usage: bench/dkim-bench.sh [BUILD_DIR]      (default: ./build)
# Environment: MSGS=5000 SESSIONS=20 RCPTS=1 SIZE=4096 MODES="none rsa-2048 ed25519" BASE_PORT=25000
# BENCH_NAME=bench_dkim: the relay program; bench/arc-bench.sh runs this driver with bench_arc.
# Prints key=value lines; run as root (smtp-sink -u nobody). Only 127.0.0.1
# is used; every server started is stopped by its PID.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/benchlib.sh" # set -u, LC_ALL=C, BUILD ($1), CTL, PIDS, the cleanup
NAME=${BENCH_NAME:-bench_dkim}
BENCH=$(cd "$BUILD" && pwd)/bench/$NAME
MSGS=${MSGS:-5000}
SESSIONS=${SESSIONS:-20}
RCPTS=${RCPTS:-1}
SIZE=${SIZE:-4096}
MODES=${MODES:-none rsa-2048 ed25519}
BASE=${BASE_PORT:-25000}
SINK_PORT=$((BASE + 1))
MR_PORT=$((BASE + 3))
PATH=$PATH:/usr/sbin

die() { echo "$NAME: $*" >&2; exit 2; }
for t in smtp-source smtp-sink ss; do command -v "$t" >/dev/null || die "missing $t"; done
[ -x "$BENCH" ] || die "no $BENCH: build the $NAME target first"

WORK=$(mktemp -d -t "mailroute-$NAME.XXXXXX")


throughput() {
    local port=$1 name=$2 cnt="$WORK/sink.$2"
    smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1024 >"$cnt" 2>/dev/null &
    local sink=$!; PIDS+=("$sink")
    wait_listen "$SINK_PORT" || die "smtp-sink did not start"
    local t0 t1 got=0 last=0 still=0
    t0=$(date +%s.%N)
    timeout 600 smtp-source -s "$SESSIONS" -m "$MSGS" -l "$SIZE" -r "$RCPTS" -M bench.invalid \
        -f sender@warmsushi.example -t rcpt@partner.example "127.0.0.1:$port" >/dev/null 2>"$WORK/source.$name" &
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

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); msgs=$MSGS sessions=$SESSIONS rcpts=$RCPTS size=$SIZE" >&2
for mode in $MODES; do
    name=relay_${mode//-/_}
    "$BENCH" serve "$MR_PORT" "$SINK_PORT" "$WORK/spool-$mode" "$mode" >"$WORK/serve.$mode" 2>"$WORK/serve.$mode.err" &
    MR=$!; PIDS+=("$MR")
    wait_listen "$MR_PORT" || die "$NAME serve did not start: $(cat "$WORK/serve.$mode.err")"
    throughput "$MR_PORT" "$name"
    kill "$MR"; wait "$MR" 2>/dev/null
    sed -e "s/^/${name}_/" "$WORK/serve.$mode"
    head -3 "$WORK/serve.$mode.err" >&2
done
