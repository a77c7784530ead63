# bench/benchlib.sh - what the bench/*.sh scripts share; sourced at their
# start (after `here`, their folder), never run on its own.
#
# BUILD: the build folder (the script's first argument, default ./build);
# CTL: its mailroutectl. WORK: the script's temporary folder, set by it.
#
# PIDS: the processes the script started; bench_cleanup (on exit) stops them
# by PID and removes WORK. A script with more to undo defines
# bench_cleanup_extra, which runs first.
set -u
LC_ALL=C
export LC_ALL
BUILD=${1:-$here/../build}
CTL=$(cd "$BUILD" && pwd)/app/mailroutectl
# the scripts' embedded Python imports bench/benchlib.py
PYTHONPATH=$here${PYTHONPATH:+:$PYTHONPATH}
export PYTHONPATH

PIDS=()
bench_cleanup() {
    if declare -F bench_cleanup_extra >/dev/null; then bench_cleanup_extra; fi
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    [ -n "${WORK:-}" ] && rm -rf "$WORK"
}
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

# stop a process the script started, and forget its PID (so that the cleanup
# never signals a reused one)
stop() {
    local keep=() p
    kill "$1" 2>/dev/null; wait "$1" 2>/dev/null
    for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# TCP port $1 on this machine: listening, waited for (at most 10 s)
listening() { [ -n "$(ss -Htln "( sport = :$1 )" 2>/dev/null)" ]; }
wait_listen() { for _ in $(seq 1 200); do listening "$1" && return 0; sleep 0.05; done; return 1; }
wait_closed() { for _ in $(seq 1 200); do listening "$1" || return 0; sleep 0.05; done; return 1; }

# messages smtp-sink -c has counted so far, from its output file $1
sink_count() { local s; s=$(tail -c 200 "$1" 2>/dev/null); s=${s%$'\r'*}; s=${s##*mesg=}; s=${s%%[!0-9]*}; echo "${s:-0}"; }

# CPU time (user + system, all threads) of process $1, in seconds
ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
