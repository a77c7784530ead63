#!/usr/bin/env bash
# MailRoute set-up on Debian 12: installs the packages, builds, and then runs
# the console or the test suite.
#
#   installer/setup.sh run     install, build, start the console (SQLite default database);
#                              without a desktop session it says so and exits 1
#   installer/setup.sh run --headless [SERVE OPTIONS]
#                              install, build, start the relay without a window
#                              (mailroutectl serve on the same default database)
#   installer/setup.sh test    install, build, run the whole test suite (ctest), then
#                              the unit tests under ASan+UBSan and the fuzz smoke
#   installer/setup.sh sanitize  build-asan only: -DMAILROUTE_SANITIZE=ON, ctest -L unit
#   installer/setup.sh fuzz      build-fuzz only: libFuzzer targets, 20 s each
#   installer/setup.sh package   the .deb from BUILD_DIR (CPack), installed with apt,
#                                a relay smoke from the installed paths, removed
#                                (installer/package-smoke.sh; `test` runs it too)
#   installer/setup.sh build   install and build only
#   installer/setup.sh deps    install the Debian packages only
#
# Environment: BUILD_DIR (default ./build), ASAN_DIR (./build-asan), FUZZ_DIR
# (./build-fuzz), FUZZ_SECONDS (20 per target), JOBS (default: number of cores),
# CI=true turns compiler warnings into errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$here/build}
ASAN_DIR=${ASAN_DIR:-$here/build-asan}
FUZZ_DIR=${FUZZ_DIR:-$here/build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
JOBS=${JOBS:-$(nproc)}

# Build and run-time packages of the console and mailroutectl.
BUILD_PKGS=(cmake ninja-build g++ qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools
            qt6-l10n-tools libqt6sql6-sqlite qtkeychain-qt6-dev libgl-dev zlib1g-dev)
# libunbound: the resolver that tells NODATA, NXDOMAIN, SERVFAIL and no answer
# apart (relaycore/dns); OpenSSL's headers for DKIM signing (libssl is already
# linked through Qt Network); ICU for IDNA2008/UTS #46.
BUILD_PKGS+=(libunbound-dev libssl-dev libicu-dev)
# libpsl and the system's Public Suffix List: DMARC's organisational domain
# (the readiness checks).
BUILD_PKGS+=(libpsl-dev publicsuffix)
# Qt's own French and German strings (standard buttons, file dialogs) for the console.
BUILD_PKGS+=(qt6-translations-l10n)
# The man pages mailroute(1) and mailroutectl(1) are generated from --help at
# build time (cmake/ManPagesAndCompletion.cmake).
BUILD_PKGS+=(help2man)
# Real peers and services the tests use: an X server, a Secret Service, SMTP
# tools (swaks, Postfix's smtp-sink/smtp-source), a DNS server, openssl;
# clang 14 and libFuzzer for the fuzz targets (tests/fuzz).
TEST_PKGS=(xvfb xauth dbus dbus-x11 gnome-keyring swaks postfix dnsmasq openssl python3 procps iproute2
           clang-14 libfuzzer-14-dev)
# Independent oracles: dkimpy (DKIM), pyspf, python3-idna (IDNA2008), run with /usr/bin/python3.
TEST_PKGS+=(python3-dkim python3-nacl python3-spf python3-idna python3-dnspython)
# A window manager on the Xvfb display, so GUI tests get real focus, active
# windows and dialogs as on a desktop.
TEST_PKGS+=(openbox)
# strace: tests/ui/strace_filedialog.sh proves only SQLite opens the database.
TEST_PKGS+=(strace)
# clang-format 14: tests/source_format.sh checks every C++ file against .clang-format.
TEST_PKGS+=(clang-format-14)
# python3-yaml: the RFC 7208 suite (rfc7208-tests.yml of python3-spf) read by
# tests/relaycore/mailauth/rfc7208_to_json.py; python3-dbus: the notification
# server of tst_desktopnotifier (tests/ui/notificationserver.py).
TEST_PKGS+=(python3-yaml python3-dbus)
# The .deb: CPack's dpkg-shlibdeps (dpkg-dev, file) and the validators of the
# .desktop file and the AppStream metainfo the package smoke runs.
PKG_PKGS=(dpkg-dev file desktop-file-utils appstream)

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_pkgs() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing ${missing[*]}" >&2
    as_root apt-get update -qq
    # Postfix asks how to configure itself; the tests run their own instances.
    echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {
    local werror=OFF
    [ "${CI:-}" = true ] && werror=ON
    cmake -S "$here" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAILROUTE_WERROR=$werror >/dev/null
    cmake --build "$BUILD_DIR" -j "$JOBS"
}

run_tests() {
    # A private Secret Service (gnome-keyring) on a private session bus, and an
    # X server for the GUI tests; nothing of the user's session is touched.
    local rt
    rt=$(mktemp -d)
    chmod 700 "$rt"
    trap 'rm -rf "$rt"' RETURN
    XDG_RUNTIME_DIR=$rt HOME=${HOME:-/root} dbus-run-session -- bash -c '
        # Its own keyring directory (never the admin'\''s keyrings), with "login"
        # as the default collection, so items are stored without a prompt.
        mkdir -p "$XDG_RUNTIME_DIR/keyring-data/keyrings"
        echo -n login > "$XDG_RUNTIME_DIR/keyring-data/keyrings/default"
        echo -n mailroute-test | XDG_DATA_HOME=$XDG_RUNTIME_DIR/keyring-data \
            gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
        exec xvfb-run -a -s "-screen 0 1280x1024x24" bash -c '\''
            openbox >/dev/null 2>&1 & wm=$!
            ctest --test-dir "$0" --output-on-failure -j "$1"; rc=$?
            kill "$wm" 2>/dev/null
            exit $rc
        '\'' "$0" "$1"
    ' "$BUILD_DIR" "$JOBS"
}

# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (g++), in
# their own build directory. Only the targets of tests labelled `unit` are
# built (no GUI, e2e or bench), which keeps the extra CI time down.
sanitize() {
    local werror=OFF targets
    [ "${CI:-}" = true ] && werror=ON
    cmake -S "$here" -B "$ASAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAILROUTE_WERROR=$werror \
          -DMAILROUTE_SANITIZE=ON -DMAILROUTE_BUILD_BENCH=OFF >/dev/null
    targets=$(ctest --test-dir "$ASAN_DIR" -N -L unit | awk '/Test +#/ {print $3}' | grep '^tst_')
    # shellcheck disable=SC2086 # one target per word
    cmake --build "$ASAN_DIR" -j "$JOBS" --target $targets
    ctest --test-dir "$ASAN_DIR" -L unit --output-on-failure -j "$JOBS"
}

# The .deb built from BUILD_DIR, installed, smoke-tested and removed.
package_smoke() {
    as_root bash "$here/installer/package-smoke.sh" "$BUILD_DIR"
}

# libFuzzer smoke: every target over its seed corpus for FUZZ_SECONDS.
fuzz() {
    JOBS=$JOBS bash "$here/tests/fuzz/run_fuzzers.sh" "$FUZZ_DIR" "$FUZZ_SECONDS"
}

# The console needs a display; say so in one sentence before a long build,
# instead of Qt's abort ("Reinstalling the application may fix this problem").
require_display() {
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "setup: the MailRoute console needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set);" \
             "to run the relay without a window, use \"bash installer/setup.sh run --headless\"" \
             "(mailroutectl serve on the default database) or the systemd unit mailroute.service." >&2
        exit 1
    fi
}

cmd=${1:-}
case "$cmd" in
    deps)  install_pkgs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}" "${PKG_PKGS[@]}" ;;
    build) install_pkgs "${BUILD_PKGS[@]}"; build ;;
    run)   if [ "${2:-}" = --headless ]; then
               install_pkgs "${BUILD_PKGS[@]}"; build; exec "$BUILD_DIR/app/mailroutectl" serve "${@:3}"
           fi
           require_display
           install_pkgs "${BUILD_PKGS[@]}"; build; exec "$BUILD_DIR/app/mailroute" "${@:2}" ;;
    test)  install_pkgs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}" "${PKG_PKGS[@]}"; build; run_tests; package_smoke
           sanitize; fuzz ;;
    package) install_pkgs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}" "${PKG_PKGS[@]}"; build; package_smoke ;;
    sanitize) install_pkgs "${BUILD_PKGS[@]}"; sanitize ;;
    fuzz)  install_pkgs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; fuzz ;;
    *)     sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
