#!/usr/bin/env bash
# Package smoke test, run by `installer/setup.sh test` after the suite (and on
# its own by `setup.sh package`): builds the .deb from an already built tree
# with CPack, installs it with apt, checks what it installed, runs a short
# headless relay from the installed binaries as the package's system user,
# and removes the package again. Any failed check stops with "FAIL".
#
#   installer/package-smoke.sh BUILD_DIR
#
# Needs root (apt-get), swaks, python3; desktop-file-validate, appstreamcli
# and systemd-analyze are used when installed. The relay and the SMTP sink
# listen on 127.0.0.1 only and are stopped by PID.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:?usage: package-smoke.sh BUILD_DIR}" && pwd)

step() { echo "package-smoke: $*" >&2; }
fail() {
    echo "package-smoke: FAIL: $*" >&2
    exit 1
}
# A command that fails outside a check still says where.
trap 'echo "package-smoke: FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
[ "$(id -u)" = 0 ] || fail "must run as root (apt-get install)"
[ -f "$build/CPackConfig.cmake" ] || fail "$build is not a configured build directory"
for exe in mailroute mailroutectl; do
    [ -x "$build/app/$exe" ] || fail "build $exe first ($build/app/$exe)"
done
# The smoke installs and purges the package: on a machine where MailRoute is
# installed for real, that would delete /var/lib/mailroute (its database and
# queued mail). Refuse instead.
pkg_state=$(dpkg-query -W -f='${db:Status-Status}' mailroute 2>/dev/null || true)
if [ -n "$pkg_state" ] && [ "$pkg_state" != not-installed ]; then
    fail "a mailroute package is already installed here; the smoke test would replace and purge it (run it on a machine without MailRoute, as CI does)"
fi
user_existed=
if getent passwd mailroute >/dev/null; then user_existed=yes; fi

work=$(mktemp -d)
chmod 755 "$work" # the relay's system user works in $work/relay
mkdir -m 700 "$work/runtime"
serve_pid=
sink_pid=
installed=
cleanup() {
    if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
    if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
    # Whatever state a failed check left (installed, or removed with its
    # configuration files), purge it, and the system user the package made.
    if [ -n "$installed" ] && dpkg-query -W -f='${Status}' mailroute >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mailroute >/dev/null 2>&1 || true
    fi
    if [ -z "$user_existed" ] && getent passwd mailroute >/dev/null; then
        deluser --system --quiet mailroute >/dev/null 2>&1 || true
        delgroup --system --quiet mailroute >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. The package.
step "cpack -G DEB from $build"
timeout 600 cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack"; }
debs=("$work"/pkg/mailroute_*.deb)
if [ ${#debs[@]} != 1 ] || [ ! -f "${debs[0]}" ]; then fail "expected one mailroute_*.deb, found: ${debs[*]}"; fi
deb=${debs[0]}
step "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

depends=$(dpkg-deb -f "$deb" Depends)
step "Depends: $depends"
for need in libqt6core6 libqt6widgets6 libqt6network6 libqt6sql6 libqt6sql6-sqlite libqt6keychain1 \
    qt6-qpa-plugins adduser; do
    grep -Eq "(^|, )$need( |,|$)" <<<"$depends" || fail "Depends lacks $need"
done
recommends=$(dpkg-deb -f "$deb" Recommends)
step "Recommends: $recommends"
grep -q gnome-keyring <<<"$recommends" || fail "Recommends lacks gnome-keyring"
# The self-signed certificate button of Settings & Activation runs openssl.
grep -Eq "(^|, )openssl( |,|$)" <<<"$recommends" || fail "Recommends lacks openssl"
# Man pages (gzip, as Debian policy asks) and the bash completion of mailroutectl.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/share/man/man1/mailroute.1.gz ./usr/share/man/man1/mailroutectl.1.gz \
    ./usr/share/bash-completion/completions/mailroutectl; do
    grep -qx -- "$f" <<<"$contents" || fail "the package lacks $f"
done

# --- 2. Install it the way an administrator does.
step "apt-get install ./$(basename "$deb")"
(cd "$work/pkg" && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq ./mailroute_*.deb) \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get install"; }
installed=yes

app_id=org.mailroute.MailRoute
for f in /usr/bin/mailroute /usr/bin/mailroutectl; do
    [ -x "$f" ] || fail "$f not installed"
done
for f in /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/mailroute.svg /usr/lib/systemd/system/mailroute.service \
    /usr/share/doc/mailroute/copyright; do
    [ -f "$f" ] || fail "$f not installed"
done
for size in 16 24 32 48 64 128 256; do
    [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/mailroute.png" ] || fail "icon ${size}x${size} not installed"
done
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml" >&2 || fail "appstreamcli validate"
fi
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/mailroute.service || fail "systemd-analyze verify"
fi

# The service user exists, the unit is not enabled by the install itself.
getent passwd mailroute >/dev/null || fail "no system user mailroute"
uid=$(id -u mailroute)
[ "$uid" -lt 1000 ] || fail "mailroute is not a system user (uid $uid)"
[ "$(stat -c '%U %a' /var/lib/mailroute)" = "mailroute 750" ] || fail "/var/lib/mailroute: $(stat -c '%U %a' /var/lib/mailroute)"
[ ! -e /etc/systemd/system/multi-user.target.wants/mailroute.service ] || fail "the install enabled mailroute.service"

# --- 3. The installed binaries.
version=$(/usr/bin/mailroutectl --version) || fail "mailroutectl --version"
[[ "$version" =~ ^mailroutectl\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "mailroutectl --version printed '$version'"
step "$version"
help=$(QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$work/runtime /usr/bin/mailroute --help) || fail "mailroute --help"
for opt in --db --spool --check-startup --help --version MAILROUTE_DB; do
    grep -q -- "$opt" <<<"$help" || fail "mailroute --help does not mention $opt"
done
ctlhelp=$(/usr/bin/mailroutectl --help) || fail "mailroutectl --help"
for cmd in domains users route diff push rollback generations lint logs settings routes serve queue secret \
    export check; do
    grep -q "^  $cmd" <<<"$ctlhelp" || fail "mailroutectl --help does not list $cmd"
done
# The installed man pages and completion work.
for prog in mailroute mailroutectl; do
    zcat "/usr/share/man/man1/$prog.1.gz" | grep -q '^\.SH NAME' || fail "/usr/share/man/man1/$prog.1.gz has no NAME section"
done
offered=$(bash -c 'source /usr/share/bash-completion/completions/mailroutectl
                   COMP_WORDS=(mailroutectl settings get relay.host); COMP_CWORD=3; _mailroutectl
                   printf "%s\n" "${COMPREPLY[@]}"') || fail "the installed completion does not load"
[ "$offered" = relay.hostname ] || fail "the installed completion offers '$offered' for relay.host"
# The console starts on a fresh database with the packaged Qt plugins.
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$work/runtime HOME=$work \
    timeout 60 /usr/bin/mailroute --db "$work/console.db" --check-startup >"$work/console.out" 2>&1 ||
    { cat "$work/console.out" >&2; fail "mailroute --check-startup"; }

# --- 4. A short headless relay from the installed paths, as the service user.
# setpriv execs (runuser would stay the parent and re-raise the SIGTERM sent
# to serve); a command, not a function, so that $! is the relay itself.
as_relay=(setpriv --reuid=mailroute --regid=mailroute --init-groups
          env MAILROUTE_DB="$work/relay/mailroute.db" HOME="$work/relay")
mkdir "$work/relay"
chown mailroute:mailroute "$work/relay"
"${as_relay[@]}" /usr/bin/mailroutectl domains add --area inbound @warmsushi.com @drypizza.com >/dev/null || fail "domains add"
"${as_relay[@]}" /usr/bin/mailroutectl users add --area inbound bob@warmsushi.com bob.owen@drypizza.com >/dev/null || fail "users add"
"${as_relay[@]}" /usr/bin/mailroutectl push >/dev/null || fail "push"

python3 "$here/tests/relaycore/delivery/smtpsink.py" --log "$work/sink.log" >"$work/sink.out" 2>&1 &
sink_pid=$!
sink_port=
for _ in $(seq 100); do
    sink_port=$(sed -n 's/^PORT //p' "$work/sink.out" 2>/dev/null || true)
    [ -n "$sink_port" ] && break
    sleep 0.1
done
[ -n "$sink_port" ] || fail "the SMTP sink did not start"

relay_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as_relay[@]}" /usr/bin/mailroutectl serve --listen "127.0.0.1:$relay_port" --smarthost "127.0.0.1:$sink_port" \
    --spool "$work/relay/spool" >"$work/serve.log" 2>&1 &
serve_pid=$!
listening=
for _ in $(seq 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$relay_port),1).close()" 2>/dev/null; then
        listening=yes
        break
    fi
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$listening" ] || { cat "$work/serve.log" >&2; fail "mailroutectl serve is not listening on 127.0.0.1:$relay_port"; }

swaks --server "127.0.0.1:$relay_port" --from alice@example.net --to chloe@warmsushi.com,bob@warmsushi.com \
    --header "Subject: package smoke" --header "To: Chloe <chloe@warmsushi.com>, bob@warmsushi.com" \
    --body "installed relay" >"$work/swaks.log" 2>&1 || { cat "$work/swaks.log" >&2; fail "swaks"; }
grep -q '<- *250 2.0.0 Ok: queued as' "$work/swaks.log" || { cat "$work/swaks.log" >&2; fail "no 250 queued as"; }

arrived=
for _ in $(seq 300); do
    if grep -q '"ev": "msg"' "$work/sink.log" 2>/dev/null; then
        arrived=yes
        break
    fi
    sleep 0.1
done
[ -n "$arrived" ] || { cat "$work/serve.log" >&2; fail "the message did not reach the sink within 30 s"; }
python3 - "$work/sink.log" <<'EOF' || fail "the message did not arrive rewritten"
import base64, json, sys
msgs = [e for e in map(json.loads, open(sys.argv[1])) if e["ev"] == "msg"]
assert len(msgs) == 1, msgs
m = msgs[0]
rcpts = sorted(r.split()[0].lower() for r in m["rcpts"])
assert rcpts == ["<bob.owen@drypizza.com>", "<chloe@drypizza.com>"], rcpts
assert m["mail"].split()[0] == "<alice@example.net>", m["mail"]
data = base64.b64decode(m["data"]).decode()
head = data.split("\r\n\r\n", 1)[0]
assert "To: Chloe <chloe@drypizza.com>, bob.owen@drypizza.com" in head, head
assert head.startswith("Received:"), head
print("package-smoke: arrived rewritten:", ", ".join(rcpts), file=sys.stderr)
EOF

kill -TERM "$serve_pid"
serve_rc=0
wait "$serve_pid" || serve_rc=$?
serve_pid=
[ "$serve_rc" = 0 ] || { cat "$work/serve.log" >&2; fail "mailroutectl serve exited with $serve_rc after SIGTERM"; }
kill "$sink_pid"
wait "$sink_pid" 2>/dev/null || true
sink_pid=

# --- 5. Removal.
step "apt-get remove mailroute"
DEBIAN_FRONTEND=noninteractive timeout 300 apt-get remove -y -qq mailroute >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; fail "apt-get remove"; }
for f in /usr/bin/mailroute /usr/bin/mailroutectl /usr/lib/systemd/system/mailroute.service \
    /usr/share/applications/$app_id.desktop; do
    [ ! -e "$f" ] || fail "$f is still there after apt-get remove"
done
# Purge also deletes the relay's state directory.
DEBIAN_FRONTEND=noninteractive timeout 300 apt-get purge -y -qq mailroute >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; fail "apt-get purge"; }
[ ! -e /var/lib/mailroute ] || fail "/var/lib/mailroute is still there after purge"
step "ok"
