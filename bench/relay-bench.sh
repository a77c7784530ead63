#!/usr/bin/env bash
# relay-bench.sh - end-to-end throughput and latency of MailRoute's relay,
# measured in one run against the machine's limit and against Postfix doing
# the same work (issue 17 "What it must show"):
#
#   direct:             smtp-source -> smtp-sink                                  (the limit)
#   postfix:            smtp-source -> Postfix (canonical maps) -> smtp-sink
#   postfix-dkim:       the same Postfix with OpenDKIM as a milter signing every message
#                       (RSA-2048, relaxed/relaxed, bounces.drypizza.example; packages
#                       opendkim and opendkim-tools): the peer of mailroute-dkim
#   mailroute:          smtp-source -> mailroutectl serve (same rewriting) -> smtp-sink
#                       (the trace store is always on in serve: this figure includes it)
#   mailroute-dkim:     the same, and every Outbound message DKIM-signed (DKIM_ALGORITHM,
#                       default rsa-2048) with a key made by `mailroutectl dkim generate`
#   mailroute-notrace:  the same as mailroute with MAILROUTE_TRACE=off (the benchmark
#                       switch of the log thread: the message log alone, no trace store)
#   mailroute-baseline: mailroute run by the mailroutectl of BASELINE_BUILD (another
#                       build, e.g. before a restructuring); also -baseline-dkim and
#                       -baseline-notrace when named in PATHS
#
# The paths are interleaved: each of ROUNDS rounds runs every path once, the
# order rotated by one path per round, so slow drifts of a shared machine fall
# on every path alike. Every MailRoute run is a fresh `serve` on a fresh copy
# of its configuration database (the trace store lives there) and a fresh
# spool; Postfix is started and stopped within its run.
#
# Each run: throughput (smtp-source; the clock stops when smtp-sink has every
# message, not when the relay said 250), then the median time to the 250 after
# DATA on one sequential session (LATENCY_MSGS messages), and for MailRoute its
# CPU time per message (user + system, all threads, /proc/PID/stat) and its
# resident memory: fresh after start (rss_mb_start), then after the runs idle
# and with IDLE idle sessions after EHLO (plus VmHWM, the peak of the run).
# fsync stays on everywhere (MailRoute syncs its spool before each 250).
# 127.0.0.1 is in outbound.allowed_clients, so with a key every message is
# signed (mailroute-dkim checks the message log: dkim_signed_deliveries=).
#
# Usage: bench/relay-bench.sh [BUILD_DIR]      (default: ./build)
# Environment:
#   MSGS=10000 SESSIONS=20 RCPTS=3 SIZE=4096 LATENCY_MSGS=300 IDLE=500 BASE_PORT=24000
#   ROUNDS=3                rounds; every path runs once per round
#   PATHS="direct postfix postfix-dkim mailroute mailroute-dkim mailroute-notrace"
#                           (postfix-dkim when opendkim is installed; + mailroute-baseline
#                           when BASELINE_BUILD is set) - the paths to run, in round 1's order
#   BASELINE_BUILD=DIR      a second build (its app/mailroutectl) to compare with: adds
#                           mailroute-baseline and prints mailroute_vs_baseline (new/old)
#   SKIP_POSTFIX=1          leaves Postfix out (as before); SKIP_DKIM=1, SKIP_NOTRACE=1 likewise
#                           (SKIP_DKIM=1 also leaves out postfix-dkim)
#   DKIM_ALGORITHM=rsa-2048 the key of mailroute-dkim (rsa-2048, rsa-3072, ed25519)
#   ROTATE=1                0: the same order in every round
#   PERF_DATA=FILE          perf record -g the relay process during the throughput phase of
#                           PERF_PATH (default mailroute) in PERF_ROUND (default 1) into FILE
#                           (several paths, e.g. PERF_PATH="mailroute mailroute-dkim": FILE.PATH);
#                           PERF_FREQ=999 samples/s; PERF_CALLGRAPH=fp (perf record -g) or dwarf.
#                           That run is marked perf=on (it is slower). Summary: bench/perf-summary.py FILE
# Output (stdout, key=value): one line per run ("round=R path=P msgs_per_s=... load1="), then
# per path the medians over the rounds under the keys of the one-round script
# (direct_msgs_per_s=, postfix_latency_median_ms=, mailroute_rss_mb_with_500_sessions=, ...;
# PATH_delivered= is the worst round), the rounds (PATH_msgs_per_s_rounds=a,b,c), and the
# ratios: PATH_vs_postfix, PATH_vs_postfix_dkim (signed paths), PATH_percent_of_direct, PATH_added_latency_ms (each as
# the medians' ratio and per round), mailroute_vs_baseline and mailroute_cpu_vs_baseline
# (new/old, with _rounds), trace_store_ and dkim_signing_throughput_change_percent.
# Run as root (Postfix and smtp-sink need it here). Only 127.0.0.1 is used;
# every server started is stopped by its PID (Postfix by `postfix stop`).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/benchlib.sh" # set -u, LC_ALL=C, BUILD ($1), CTL, PIDS, the cleanup
MSGS=${MSGS:-10000}
SESSIONS=${SESSIONS:-20}
RCPTS=${RCPTS:-3}
SIZE=${SIZE:-4096}
LATENCY_MSGS=${LATENCY_MSGS:-300}
IDLE=${IDLE:-500}
ROUNDS=${ROUNDS:-3}
ROTATE=${ROTATE:-1}
SKIP_POSTFIX=${SKIP_POSTFIX:-0}
SKIP_DKIM=${SKIP_DKIM:-0}
SKIP_NOTRACE=${SKIP_NOTRACE:-0}
DKIM_ALGORITHM=${DKIM_ALGORITHM:-rsa-2048}
BASELINE_BUILD=${BASELINE_BUILD:-}
PERF_DATA=${PERF_DATA:-}
PERF_PATH=${PERF_PATH:-mailroute}
PERF_ROUND=${PERF_ROUND:-1}
PERF_FREQ=${PERF_FREQ:-999}
PERF_CALLGRAPH=${PERF_CALLGRAPH:-fp}
BASE=${BASE_PORT:-24000}
SINK_PORT=$((BASE + 1))
PF_PORT=$((BASE + 2))
MR_PORT=$((BASE + 3))
ODK_PORT=$((BASE + 4))
PATH=$PATH:/usr/sbin:/usr/lib/postfix/sbin
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

die() { echo "relay-bench: $*" >&2; exit 2; }
for t in smtp-source smtp-sink "$PY" ss; do command -v "$t" >/dev/null || die "missing $t"; done
[ -x "$CTL" ] || die "no $CTL: build first (bash installer/setup.sh build)"
BASE_CTL=
if [ -n "$BASELINE_BUILD" ]; then
    BASE_CTL=$(cd "$BASELINE_BUILD" 2>/dev/null && pwd)/app/mailroutectl
    [ -x "$BASE_CTL" ] || die "no app/mailroutectl in BASELINE_BUILD=$BASELINE_BUILD"
fi
if [ -z "${PATHS:-}" ]; then
    PATHS="direct"
    if [ "$SKIP_POSTFIX" != 1 ]; then
        if command -v postfix >/dev/null && id postfix >/dev/null 2>&1; then
            PATHS="$PATHS postfix"
            [ "$SKIP_DKIM" = 1 ] || ! command -v opendkim >/dev/null || PATHS="$PATHS postfix-dkim"
        else
            echo "relay-bench: Postfix is not installed; its path is left out" >&2
        fi
    fi
    PATHS="$PATHS mailroute"
    [ "$SKIP_DKIM" = 1 ] || PATHS="$PATHS mailroute-dkim"
    [ "$SKIP_NOTRACE" = 1 ] || PATHS="$PATHS mailroute-notrace"
    [ -n "$BASE_CTL" ] && PATHS="$PATHS mailroute-baseline"
fi
for p in $PATHS; do
    case $p in
    direct | postfix | postfix-dkim | mailroute | mailroute-dkim | mailroute-notrace) ;;
    mailroute-baseline | mailroute-baseline-dkim | mailroute-baseline-notrace)
        [ -n "$BASE_CTL" ] || die "path $p needs BASELINE_BUILD" ;;
    *) die "unknown path '$p' (direct postfix postfix-dkim mailroute mailroute-dkim mailroute-notrace mailroute-baseline[-dkim|-notrace])" ;;
    esac
done
case $ROUNDS in '' | *[!0-9]* | 0) die "ROUNDS must be a positive number" ;; esac

WORK=$(mktemp -d -t mailroute-bench.XXXXXX)
chmod 755 "$WORK"
PERF_PID=
bench_cleanup_extra() {
    [ -n "$PERF_PID" ] && kill -INT "$PERF_PID" 2>/dev/null && wait "$PERF_PID" 2>/dev/null
    [ -f "$WORK/pf/etc/main.cf" ] && postfix -c "$WORK/pf/etc" stop >/dev/null 2>&1
    [ -n "${ODK_DIR:-}" ] && rm -rf "$ODK_DIR"
}

# ---- throughput: smtp-source against $1, sink on SINK_PORT; sets TP and GOT
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
    stop "$sink"
    wait_closed "$SINK_PORT"
    GOT=$got
    TP=$(awk -v g="$got" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", g / (b - a) }')
}

# ---- latency: median ms to the 250 after DATA, one session, sequential; sets LAT
latency() {
    local port=$1
    smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 >/dev/null 2>&1 &
    local sink=$!; PIDS+=("$sink")
    wait_listen "$SINK_PORT" || die "smtp-sink did not start"
    LAT=$("$PY" - "$port" "$LATENCY_MSGS" <<'PY'
import smtplib, statistics, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
body = "Subject: latency\r\nFrom: sender@warmsushi.example\r\nTo: rcpt@warmsushi.example\r\n\r\n" + "x" * 70 + "\r\n"
s = smtplib.SMTP("127.0.0.1", port, local_hostname="bench.invalid", timeout=60)
s.ehlo()
times = []
for i in range(n):
    t = time.perf_counter()
    s.sendmail("sender@warmsushi.example", ["rcpt@warmsushi.example"], body)
    times.append(time.perf_counter() - t)
s.quit()
print("%.3f" % (statistics.median(times) * 1000))
PY
    )
    [ -n "$LAT" ] || LAT=nan
    stop "$sink"
    wait_closed "$SINK_PORT"
}

# ---- postfix-dkim: 10 messages through port $1 to a sink that keeps them (-D); prints
# how many arrived signed by OpenDKIM, "signed/10" (waits at most 20 s for delivery)
signed_check() {
    local dump=$WORK/signed-dump
    rm -rf "$dump"; mkdir -p "$dump"; chown nobody "$dump"
    smtp-sink -u nobody -D "$dump/all" "127.0.0.1:$SINK_PORT" 64 >/dev/null 2>&1 &
    local sink=$!; PIDS+=("$sink")
    wait_listen "$SINK_PORT" || die "smtp-sink did not start"
    smtp-source -s 1 -m 10 -l 1024 -M bench.invalid -f sender@warmsushi.example -t rcpt@warmsushi.example \
        "127.0.0.1:$1" >/dev/null 2>&1
    for _ in $(seq 1 100); do
        [ "$(grep -c '^From: ' "$dump/all" 2>/dev/null)" -ge 10 ] && break
        sleep 0.2
    done
    stop "$sink"
    wait_closed "$SINK_PORT"
    echo "$(grep -c '^DKIM-Signature:' "$dump/all" 2>/dev/null)/10"
}

# ---- resident memory of PID $2 idle and with IDLE sessions after EHLO on port $1; sets MEM
idle_memory() {
    MEM=$("$PY" - "$1" "$IDLE" "$2" <<'PY'
import sys

import benchlib
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def status(key):
    return benchlib.proc_status_bytes(pid, key) / 1048576.0
before = status("VmRSS")
socks = benchlib.open_idle_sessions(port, n)
print("rss_mb_idle=%.1f rss_mb_with_%d_sessions=%.1f hwm_mb=%.1f" % (before, n, status("VmRSS"), status("VmHWM")))
for s in socks:
    s.close()
PY
    ) || MEM="rss_mb_idle=nan"
}

# ---- MailRoute configuration: $1 mailroutectl, $2 folder of the database, $3 dkim (0|1)
configure() {
    mkdir -p "$2"
    chmod 700 "$2"
    (
        export MAILROUTE_DB=$2/mailroute.db
        "$1" domains add --area inbound warmsushi.example drypizza.example
        "$1" domains add --area outbound warmsushi.example bounces.drypizza.example
        "$1" settings set outbound.allowed_clients 127.0.0.1
        "$1" settings set relay.hostname mailroute-bench.invalid
        "$1" settings set limits.sessions 5000
        "$1" settings set limits.sessions_per_ip 5000
        "$1" routes set drypizza.example "[127.0.0.1]:$SINK_PORT"
        # smtp-source's From: <sender@warmsushi.example> leaves as @bounces.drypizza.example
        # (Outbound rule, rewrite.sender_headers yes): the domain whose active key signs it.
        if [ "$3" = 1 ]; then
            "$1" dkim generate bounces.drypizza.example --selector bench --algorithm "$DKIM_ALGORITHM" || exit 1
        fi
        "$1" push
    ) >"$2/configure.log" 2>&1 || die "cannot configure MailRoute in $2: $(tail -3 "$2/configure.log")"
}

ctl_of() { case $1 in mailroute-baseline*) echo "$BASE_CTL" ;; *) echo "$CTL" ;; esac; }
cfg_of() {
    local c=main
    case $1 in mailroute-baseline*) c=base ;; esac
    case $1 in *-dkim) c=$c-dkim ;; esac
    echo "$WORK/cfg-$c"
}
key_of() { echo "${1//-/_}"; }

# ---- Postfix with canonical maps (recipients and senders rewritten), set up once
postfix_setup() {
    [ -f "$WORK/pf/etc/main.cf" ] && return 0
    command -v postfix >/dev/null && id postfix >/dev/null 2>&1 || die "Postfix is not installed (SKIP_POSTFIX=1 leaves it out)"
    pf=$WORK/pf
    mkdir -p "$pf/etc" "$pf/queue" "$pf/data"
    sed -e "s#@DIR@#$pf#g" -e "s#@SINK_PORT@#$SINK_PORT#g" "$here/postfix/main.cf.in" >"$pf/etc/main.cf"
    sed -e "s#@PORT@#$PF_PORT#g" "$here/postfix/master.cf.in" >"$pf/etc/master.cf"
    printf '@warmsushi.example\t@drypizza.example\n' >"$pf/etc/recipient_canonical"
    printf '@warmsushi.example\t@bounces.drypizza.example\n' >"$pf/etc/sender_canonical"
    postmap -c "$pf/etc" "$pf/etc/recipient_canonical" "$pf/etc/sender_canonical"
    chown postfix "$pf/data"
    postfix -c "$pf/etc" set-permissions >/dev/null 2>&1
}

# ---- OpenDKIM as Postfix's milter for postfix-dkim, started once (stopped by its PID)
opendkim_setup() {
    command -v opendkim >/dev/null && command -v opendkim-genkey >/dev/null ||
        die "postfix-dkim needs OpenDKIM (apt-get install opendkim opendkim-tools; SKIP_DKIM=1 leaves it out)"
    id opendkim >/dev/null 2>&1 || die "no user opendkim (the opendkim package makes it)"
    # OpenDKIM refuses a configuration or key under a folder others may write (/tmp)
    ODK_DIR=$(mktemp -d -p /var/lib mailroute-bench-opendkim.XXXXXX) || die "cannot make a folder in /var/lib"
    chmod 755 "$ODK_DIR"
    local d=$ODK_DIR
    mkdir -p "$d/keys"
    opendkim-genkey -b 2048 -d bounces.drypizza.example -s bench -D "$d/keys" || die "opendkim-genkey failed"
    chown -R opendkim:opendkim "$d/keys"
    chmod 700 "$d/keys"
    cat >"$d/opendkim.conf" <<CONF
Syslog no
Mode s
Domain bounces.drypizza.example
Selector bench
KeyFile $d/keys/bench.private
Socket inet:$ODK_PORT@127.0.0.1
Canonicalization relaxed/relaxed
InternalHosts 127.0.0.0/8
OversignHeaders From
CONF
    opendkim -f -x "$d/opendkim.conf" -u opendkim >"$d/opendkim.log" 2>&1 &
    PIDS+=("$!")
    wait_listen "$ODK_PORT" || die "opendkim did not start: $(tail -3 "$d/opendkim.log")"
}
# Postfix's milter for the next start: OpenDKIM (postfix-dkim) or none
postfix_milter() {
    if [ "$1" = on ]; then
        postconf -c "$WORK/pf/etc" -e "smtpd_milters=inet:127.0.0.1:$ODK_PORT" \
            milter_default_action=tempfail milter_protocol=6
    else
        postconf -c "$WORK/pf/etc" -e smtpd_milters=
    fi
}

# ---- one run of path $1 in round $2: appends its line to $WORK/rounds
run_path() {
    local path=$1 round=$2 extra="" port mr ctl cfg cpu0 cpu1 perf=off load
    load=$(cut -d' ' -f1 /proc/loadavg)
    case $path in
    direct)
        throughput "$SINK_PORT" "direct.$round"
        latency "$SINK_PORT"
        ;;
    postfix | postfix-dkim)
        if [ "$path" = postfix-dkim ]; then postfix_milter on; else postfix_milter off; fi
        postfix -c "$WORK/pf/etc" start >/dev/null 2>&1 && wait_listen "$PF_PORT" ||
            die "Postfix did not start; see /var/log/mailroute-bench-postfix.log"
        throughput "$PF_PORT" "$path.$round"
        latency "$PF_PORT"
        [ "$path" = postfix-dkim ] && extra="dkim_signed_check_messages=$(signed_check "$PF_PORT")"
        postfix -c "$WORK/pf/etc" stop >/dev/null 2>&1
        wait_closed "$PF_PORT" || die "Postfix did not stop"
        ;;
    mailroute*)
        ctl=$(ctl_of "$path")
        cfg=$(cfg_of "$path")
        rm -rf "$WORK/run"
        cp -a "$cfg" "$WORK/run"
        local trace=on
        case $path in *-notrace) trace=off ;; esac
        if [ "$trace" = off ]; then
            MAILROUTE_TRACE=off MAILROUTE_DB=$WORK/run/mailroute.db \
                "$ctl" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/run/spool" 2>"$WORK/run/serve.err" &
        else
            MAILROUTE_DB=$WORK/run/mailroute.db \
                "$ctl" serve --listen "127.0.0.1:$MR_PORT" --spool "$WORK/run/spool" 2>"$WORK/run/serve.err" &
        fi
        mr=$!; PIDS+=("$mr")
        wait_listen "$MR_PORT" || die "$path: mailroutectl serve did not start: $(tail -3 "$WORK/run/serve.err")"
        sleep 0.2
        local rss0 perf_file=$PERF_DATA
        rss0=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$mr/status")
        case $PERF_PATH in *" "*) perf_file=$PERF_DATA.$path ;; esac
        if [ -n "$PERF_DATA" ] && [[ " $PERF_PATH " == *" $path "* ]] && [ "$round" = "$PERF_ROUND" ]; then
            perf record --call-graph "$PERF_CALLGRAPH" -F "$PERF_FREQ" -p "$mr" -o "$perf_file" >/dev/null 2>"$WORK/perf.err" &
            PERF_PID=$!
            sleep 0.5
            perf=on
        fi
        cpu0=$(cpu_seconds "$mr")
        throughput "$MR_PORT" "$path.$round"
        sleep 0.5 # the log thread's last batch
        cpu1=$(cpu_seconds "$mr")
        if [ -n "$PERF_PID" ]; then
            kill -INT "$PERF_PID" 2>/dev/null; wait "$PERF_PID" 2>/dev/null; PERF_PID=
            echo "relay-bench: perf data of $path round $round in $perf_file ($(tail -1 "$WORK/perf.err"))" >&2
        fi
        latency "$MR_PORT"
        idle_memory "$MR_PORT" "$mr"
        extra=$(awk -v a="$cpu0" -v b="$cpu1" -v g="$GOT" \
            'BEGIN { if (g > 0) printf "cpu_ms_per_msg=%.3f", (b - a) * 1000 / g; else printf "cpu_ms_per_msg=nan" }')
        extra="$extra rss_mb_start=$rss0 $MEM trace=$trace perf=$perf"
        case $path in
        *-dkim)
            # every delivered event of a signed message carries dkim=signed (the message log)
            local log
            log=$(MAILROUTE_DB=$WORK/run/mailroute.db "$ctl" logs --messages 2>/dev/null | grep ' delivered: ')
            extra="$extra dkim_signed_deliveries=$(grep -c 'dkim=signed' <<<"$log")/$(grep -c . <<<"$log")"
            ;;
        esac
        stop "$mr"
        wait_closed "$MR_PORT"
        ;;
    esac
    echo "round=$round path=$path msgs_per_s=$TP delivered=$GOT/$MSGS latency_median_ms=$LAT $extra load1=$load" | tee -a "$WORK/rounds"
}

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); msgs=$MSGS sessions=$SESSIONS rcpts=$RCPTS size=$SIZE rounds=$ROUNDS paths=$PATHS" >&2
echo "relay-bench: the trace store is always on in mailroutectl serve, so 'mailroute' includes it; 'mailroute-notrace' runs with MAILROUTE_TRACE=off" >&2

# ---- set up what the paths need, once
set -- $PATHS
for p in "$@"; do
    case $p in
    postfix) postfix_setup ;;
    postfix-dkim) postfix_setup; opendkim_setup ;;
    mailroute*)
        cfg=$(cfg_of "$p")
        dkim=0; case $p in *-dkim) dkim=1 ;; esac
        [ -d "$cfg" ] || configure "$(ctl_of "$p")" "$cfg" "$dkim"
        ;;
    esac
done
: >"$WORK/rounds"

# ---- the rounds, interleaved
paths=("$@")
n=${#paths[@]}
for r in $(seq 1 "$ROUNDS"); do
    off=0
    [ "$ROTATE" = 1 ] && off=$(((r - 1) % n))
    for i in $(seq 0 $((n - 1))); do
        run_path "${paths[$(((i + off) % n))]}" "$r"
    done
done

echo "relay-bench: load at the end $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# ---- medians over the rounds, under the one-round script's keys, and the ratios
awk -v idle="$IDLE" -v order="$PATHS" '
function median(list,    a, m, i, j, t) {
    m = split(list, a, ",")
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (m == 0) return "nan"
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function add(p, k, v,    l) { l = ((p, k) in vals) ? vals[p, k] "," v : v; vals[p, k] = l }
function key(p) { gsub(/-/, "_", p); return p }
function fmt(x, d) { return (x == "nan" || x == "") ? "nan" : sprintf("%." d "f", x) }
{
    r = ""; p = ""
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) }
    r = f["round"]; p = f["path"]
    for (i = 1; i <= NF; i++) {
        split($i, kv, "="); k = kv[1]; v = f[k]
        if (k == "round" || k == "path" || k == "trace" || k == "perf" || k == "load1") continue
        if (k == "delivered") { split(v, dv, "/"); if (!((p, "worst") in got) || dv[1] + 0 < got[p, "worst"] + 0) { got[p, "worst"] = dv[1]; sent[p] = dv[2] } continue }
        add(p, k, v); per[p, r, k] = v
    }
    if (r + 0 > maxr) maxr = r + 0
    delete f
}
END {
    np = split(order, paths, " ")
    for (i = 1; i <= np; i++) {
        p = paths[i]; kp = key(p)
        tp[p] = median(vals[p, "msgs_per_s"]); lat[p] = median(vals[p, "latency_median_ms"])
        printf "%s_msgs_per_s=%.0f %s_delivered=%d/%d\n", kp, tp[p], kp, got[p, "worst"], sent[p]
        printf "%s_latency_median_ms=%s\n", kp, fmt(lat[p], 3)
        if (p ~ /^mailroute/) {
            printf "%s_rss_mb_idle=%s %s_rss_mb_with_%d_sessions=%s\n", kp, fmt(median(vals[p, "rss_mb_idle"]), 1), kp, idle, fmt(median(vals[p, "rss_mb_with_" idle "_sessions"]), 1)
            printf "%s_rss_mb_start=%s %s_hwm_mb=%s %s_cpu_ms_per_msg=%s\n", kp, fmt(median(vals[p, "rss_mb_start"]), 1), kp, fmt(median(vals[p, "hwm_mb"]), 1), kp, fmt(median(vals[p, "cpu_ms_per_msg"]), 3)
            if ((p, "dkim_signed_deliveries") in vals) printf "%s_signed_deliveries_rounds=%s\n", kp, vals[p, "dkim_signed_deliveries"]
        }
        if ((p, "dkim_signed_check_messages") in vals) printf "%s_signed_check_messages_rounds=%s\n", kp, vals[p, "dkim_signed_check_messages"]
        printf "%s_msgs_per_s_rounds=%s\n", kp, vals[p, "msgs_per_s"]
    }
    # ratios: of the medians, and per round (within a round the paths ran back to back)
    for (i = 1; i <= np; i++) {
        p = paths[i]; kp = key(p)
        if (p == "direct") continue
        if (p ~ /dkim/ && p != "postfix-dkim" && ("postfix-dkim" in tp) && tp["postfix-dkim"] > 0) {
            printf "%s_vs_postfix_dkim=%.2f", kp, tp[p] / tp["postfix-dkim"]
            s = ""; for (r = 1; r <= maxr; r++) if (per["postfix-dkim", r, "msgs_per_s"] > 0) s = s (s == "" ? "" : ",") sprintf("%.2f", per[p, r, "msgs_per_s"] / per["postfix-dkim", r, "msgs_per_s"])
            printf " %s_vs_postfix_dkim_rounds=%s\n", kp, s
        }
        if (p != "postfix" && ("postfix" in tp) && tp["postfix"] > 0) {
            printf "%s_vs_postfix=%.2f", kp, tp[p] / tp["postfix"]
            s = ""; for (r = 1; r <= maxr; r++) if (per["postfix", r, "msgs_per_s"] > 0) s = s (s == "" ? "" : ",") sprintf("%.2f", per[p, r, "msgs_per_s"] / per["postfix", r, "msgs_per_s"])
            printf " %s_vs_postfix_rounds=%s\n", kp, s
        }
        if (("direct" in tp) && tp["direct"] > 0) {
            printf "%s_percent_of_direct=%.1f", kp, tp[p] * 100 / tp["direct"]
            s = ""; for (r = 1; r <= maxr; r++) if (per["direct", r, "msgs_per_s"] > 0) s = s (s == "" ? "" : ",") sprintf("%.1f", per[p, r, "msgs_per_s"] * 100 / per["direct", r, "msgs_per_s"])
            printf " %s_percent_of_direct_rounds=%s\n", kp, s
            if (lat[p] != "nan" && lat["direct"] != "nan") printf "%s_added_latency_ms=%.3f\n", kp, lat[p] - lat["direct"]
        }
        if (p ~ /^mailroute-baseline/) {
            q = p; sub(/-baseline/, "", q); kq = key(q)
            if ((q in tp) && tp[p] > 0) {
                printf "%s_vs_baseline=%.3f", kq, tp[q] / tp[p]
                s = ""; for (r = 1; r <= maxr; r++) if (per[p, r, "msgs_per_s"] > 0) s = s (s == "" ? "" : ",") sprintf("%.3f", per[q, r, "msgs_per_s"] / per[p, r, "msgs_per_s"])
                printf " %s_vs_baseline_rounds=%s\n", kq, s
                c1 = median(vals[q, "cpu_ms_per_msg"]); c0 = median(vals[p, "cpu_ms_per_msg"])
                if (c0 > 0) printf "%s_cpu_vs_baseline=%.3f", kq, c1 / c0
                s = ""; for (r = 1; r <= maxr; r++) if (per[p, r, "cpu_ms_per_msg"] > 0) s = s (s == "" ? "" : ",") sprintf("%.3f", per[q, r, "cpu_ms_per_msg"] / per[p, r, "cpu_ms_per_msg"])
                if (c0 > 0) printf " %s_cpu_vs_baseline_rounds=%s\n", kq, s
                if (lat[p] > 0) printf "%s_latency_vs_baseline=%.3f\n", kq, lat[q] / lat[p]
            }
        }
    }
    if (("mailroute-notrace" in tp) && ("mailroute" in tp) && tp["mailroute-notrace"] > 0)
        printf "trace_store_throughput_change_percent=%.1f\n", (tp["mailroute"] - tp["mailroute-notrace"]) * 100 / tp["mailroute-notrace"]
    if (("mailroute-dkim" in tp) && ("mailroute" in tp) && tp["mailroute"] > 0)
        printf "dkim_signing_throughput_change_percent=%.1f\n", (tp["mailroute-dkim"] - tp["mailroute"]) * 100 / tp["mailroute"]
}' "$WORK/rounds"
