#!/usr/bin/env bash
# Screenshots of every page of the console (and its main dialogs) under Xvfb,
# into docs/screenshots/ (light) and docs/screenshots/dark/ (Fusion with a
# dark palette), for the README. The relay really runs: Postfix's smtp-sink
# is the next hop for drypizza.com, other mail is deferred.
#
#   tests/ui/take_screenshots.sh [BUILD_DIR] [light|dark|both]
#                                (defaults: ./build, both)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$here/build}
modes=${2:-both}
case "$modes" in
    light|dark|both) ;;
    *) echo "usage: $0 [BUILD_DIR] [light|dark|both]" >&2; exit 2 ;;
esac
out=$here/docs/screenshots

cmake --build "$build" -j2 --target mailroute_screenshots

sink_pid=
cleanup() { [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true; }
trap cleanup EXIT
sink_port=
if [ -x /usr/sbin/smtp-sink ]; then
    sink_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    user_opt=()
    [ "$(id -u)" = 0 ] && user_opt=(-u nobody)
    /usr/sbin/smtp-sink "${user_opt[@]}" "127.0.0.1:$sink_port" 100 &
    sink_pid=$!
fi

# A fixed screen, font and style, so the pictures do not depend on the desktop.
take() { # DIR [--dark]
    mkdir -p "$1"
    rm -f "$1"/*.png
    xvfb-run -a -s "-screen 0 1400x900x24 -dpi 96" \
        env QT_QPA_PLATFORM=xcb QT_QPA_PLATFORMTHEME= QT_STYLE_OVERRIDE=Fusion \
        "$build/tests/ui/mailroute_screenshots" --out "$1" ${sink_port:+--sink-port "$sink_port"} "${@:2}"
}
[ "$modes" = dark ] || take "$out"
[ "$modes" = light ] || take "$out/dark" --dark
ls -1 "$out" "$out/dark" 2>/dev/null
