# A private Postfix instance for the end-to-end tests, sourced by them: its
# own config, queue and data directories under DIR, listening on
# 127.0.0.1:PORT only, no DNS, no local delivery; the log goes to
# /var/log/mailroute-test-postfix.log. Needs root (set-permissions).
#   postfix_instance_config DIR PORT MYHOSTNAME  writes DIR/etc/main.cf and master.cf (append to them)
#   postfix_instance_start DIR PORT              starts it, waits until it listens; 1 if it does not
#   postfix_instance_stop DIR                    stops it (through its config directory)
# and the tests' scaffolding:
#   postfix_test_begin NAME   exits 77 (skip; under CI=true 1, tests/skiporfail.sh) without
#                             Postfix or root; makes the work folder $W
#                             (mode 755) and the PID list PIDS; on exit stops the instance in
#                             $W/pf and every PID in PIDS, then removes $W (kept if KEEP is set)
#   fail MESSAGE, free_port, wait_for CONDITION TENTHS
POSTFIX_INSTANCE_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PATH=$PATH:/usr/sbin:/usr/lib/postfix/sbin

fail() { echo "FAIL: $*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 "$2"); do eval "$1" && return 0; sleep 0.1; done; return 1; }

. "$POSTFIX_INSTANCE_HERE/../skiporfail.sh"

postfix_test_begin() {
    command -v postfix >/dev/null && id postfix >/dev/null 2>&1 || skip_or_fail "Postfix not installed"
    [ "$(id -u)" = 0 ] || skip_or_fail "a private Postfix instance needs root"
    W=$(mktemp -d -t "mailroute-$1.XXXXXX")
    chmod 755 "$W"
    PIDS=()
    trap postfix_test_end EXIT
}

postfix_test_end() {
    postfix_instance_stop "$W/pf"
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    if [ -n "${KEEP:-}" ]; then echo "kept $W"; else rm -rf "$W"; fi
}

postfix_instance_config() {
    local dir=$1 port=$2 name=$3
    mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
    cat >"$dir/etc/main.cf" <<CF
compatibility_level = 3.6
config_directory = $dir/etc
queue_directory = $dir/queue
data_directory = $dir/data
myhostname = $name
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtp_bind_address = 127.0.0.1
smtp_dns_support_level = disabled
smtp_host_lookup = native
alias_maps =
alias_database =
local_recipient_maps =
biff = no
maillog_file = /var/log/mailroute-test-postfix.log
CF
    sed -e "s#@PORT@#$port#g" "$POSTFIX_INSTANCE_HERE/../../bench/postfix/master.cf.in" >"$dir/etc/master.cf"
    chown postfix "$dir/data"
}

postfix_instance_start() {
    postfix -c "$1/etc" set-permissions >/dev/null 2>&1
    postfix -c "$1/etc" start >/dev/null 2>&1 || return 1
    for _ in $(seq 1 100); do
        ss -Htln "( sport = :$2 )" | grep -q . && return 0
        sleep 0.1
    done
    return 1
}

postfix_instance_stop() {
    [ -f "$1/etc/main.cf" ] && postfix -c "$1/etc" stop >/dev/null 2>&1
    return 0
}
