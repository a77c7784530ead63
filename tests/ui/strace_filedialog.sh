#!/usr/bin/env bash
# Only SQLite opens the database: tst_databaseintegrity (the upload dialog in
# the database's folder, then mailroutectl) under `strace -f -e trace=openat`.
# SQLite opens cfg.sqlite, -wal, -shm and -journal read-write (O_RDWR); any
# other open of them (a MIME sniffer's O_RDONLY) fails this test, with the
# strace lines. Usage: strace_filedialog.sh TST_DATABASEINTEGRITY
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/skiporfail.sh
. "$here/../skiporfail.sh"
test_bin=$1
command -v strace >/dev/null || skip_or_fail "strace (apt-get install strace; installer/setup.sh installs it)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! strace -f -qq -e trace=openat -o "$log" true 2>/dev/null; then
    skip_or_fail "ptrace permission for strace (kernel.yama.ptrace_scope, container seccomp)"
fi
: > "$log"
# Without a session bus, Qt would autolaunch a dbus-daemon that outlives the
# test, and strace -f would wait for it: no bus then (the test needs none).
export DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS:-disabled:}
timeout 240 strace -f -qq -e trace=openat -o "$log" "$test_bin" uploadDialogInTheDatabaseFolder
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: tst_databaseintegrity failed under strace (exit $rc)"; exit 1; }
all=$(grep -E '"[^"]*/cfg\.sqlite(-wal|-shm|-journal)?"' "$log")
sqlite=$(grep -c 'O_RDWR' <<<"$all")
others=$(grep -v 'O_RDWR' <<<"$all" | grep -v '^$')
echo "openat of cfg.sqlite*: $(grep -c . <<<"$all") in all, $sqlite read-write (SQLite), $(grep -c . <<<"$others") other"
if [ -n "$others" ]; then
    echo "FAIL: the database's files were opened outside SQLite:"
    echo "$others"
    exit 1
fi
[ "$sqlite" -gt 0 ] || { echo "FAIL: strace saw no open of cfg.sqlite at all (did the test run?)"; exit 1; }
echo "PASS"
