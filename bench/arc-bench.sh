#!/usr/bin/env bash
# arc-bench.sh - the relay's throughput with ARC sealing on every message
# (arc.seal always) beside the same run with arc.seal off (issue 13).
#
#   smtp-source -> bench_arc serve (RelayEngine, arc.seal off or always) -> smtp-sink
#
# Same measurement as relay-bench.sh: the clock stops when smtp-sink has
# every message. Every message gets a seal (i=1, cv=none, RSA-2048) under
# "always"; "off" has the same key and configuration without the seal.
#
# Usage: bench/arc-bench.sh [BUILD_DIR]      (default: ./build)
# Environment: MSGS=5000 SESSIONS=20 RCPTS=1 SIZE=4096 MODES="off always" BASE_PORT=25100
# Prints key=value lines; run as root (smtp-sink -u nobody). Only 127.0.0.1
# is used; every server started is stopped by its PID.
# The driver is bench/dkim-bench.sh with bench_arc as the relay program.
here=$(cd "$(dirname "$0")" && pwd)
BENCH_NAME=bench_arc MODES=${MODES:-off always} BASE_PORT=${BASE_PORT:-25100} exec bash "$here/dkim-bench.sh" "$@"
